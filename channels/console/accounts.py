"""Adviser accounts from the command line (`make adviser EMAIL=... ROLE=adviser|admin`).

python -m channels.console.accounts create --email E --role adviser|admin
    password from ADVISER_PASSWORD, else asked twice at the prompt; an existing account
    gets the new password and role and is enabled again
python -m channels.console.accounts list
python -m channels.console.accounts disable --email E     (also ends its sessions)
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
from collections.abc import Sequence

from sqlalchemy import select

from bot.settings import get_settings
from channels.console import auth
from channels.console.models import ROLES, Adviser
from knowledge.db import make_engine, make_session_factory, migrate

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


class AccountError(Exception):
    """A command that cannot be carried out (message for the terminal)."""


def _password(email: str) -> str:
    from_env = os.environ.get("ADVISER_PASSWORD")
    if from_env is not None:
        password = from_env
    else:
        try:
            password = getpass.getpass(f"Password for {email}: ")
            repeated = getpass.getpass("Repeat: ")
        except (EOFError, KeyboardInterrupt):
            raise AccountError("no password given (type it, or set ADVISER_PASSWORD)") from None
        if repeated != password:
            raise AccountError("the two passwords differ")
    if len(password) < auth.MIN_PASSWORD_CHARS:
        raise AccountError(f"the password needs at least {auth.MIN_PASSWORD_CHARS} characters")
    return password


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m channels.console.accounts")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="create or update an account")
    create.add_argument("--email", required=True)
    create.add_argument("--role", choices=ROLES, default="adviser")
    commands.add_parser("list", help="list the accounts")
    disable = commands.add_parser("disable", help="disable an account and end its sessions")
    disable.add_argument("--email", required=True)
    return parser


def run(argv: Sequence[str], database_url: str) -> str:
    """Execute one command; returns what to print."""
    args = _parser().parse_args(argv)
    migrate(database_url)  # the console's tables are under Alembic, like every other
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine).begin() as session:
            if args.command == "list":
                rows = session.scalars(select(Adviser).order_by(Adviser.email)).all()
                return (
                    "\n".join(
                        f"{a.email}\t{a.role}\t{'active' if a.active else 'disabled'}" for a in rows
                    )
                    or "no accounts"
                )
            email = auth.normalise_email(args.email)
            if not _EMAIL.match(email):
                raise AccountError(f"not an e-mail address: {args.email!r}")
            adviser = session.scalar(select(Adviser).where(Adviser.email == email))
            if args.command == "disable":
                if adviser is None:
                    raise AccountError(f"no account {email}")
                adviser.active = False
                auth.revoke_sessions(session, adviser.id)
                return f"disabled {email}"
            password_hash = auth.hash_password(_password(email))
            if adviser is None:
                session.add(Adviser(email=email, password_hash=password_hash, role=args.role))
                return f"created {email} ({args.role})"
            adviser.password_hash, adviser.role, adviser.active = password_hash, args.role, True
            adviser.failed_logins, adviser.locked_until = 0, None
            return f"updated {email} ({args.role})"
    finally:
        engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; exit code 1 with a message on error."""
    try:
        output = run(sys.argv[1:] if argv is None else argv, get_settings().database_url)
    except AccountError as error:
        sys.stderr.write(f"error: {error}\n")
        return 1
    sys.stdout.write(output + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
