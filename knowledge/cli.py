"""Command line of the knowledge base: ``python -m knowledge <command>``.

migrate           create or upgrade the tables of every area (Alembic ``upgrade heads``)
validate          check the YAML data strictly (file:line, record, field for each error)
load              migrate, then load territories, schemes, organisations and demo offers,
                  in one transaction (nothing is written when anything is wrong)
import-offers F   import an offer file (France Travail v2 JSON, La bonne alternance JSON, CSV)
expire-offers     delete the offers whose expiry date has passed
export            write the loaded schemes and organisations as YAML (folder) or JSON (stdout)
stats             counts of communes, EPCI, schemes (by theme and status) and offers
purge             delete personal data older than PERSONAL_DATA_RETENTION_DAYS
freshness         records due for review (review_by), by territory
check-links       check every web address of the data (exit 1 when one is broken)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from knowledge.cli_review import add_review_commands
from knowledge.db import make_engine, make_session_factory, migrate
from knowledge.loader import write_knowledge
from knowledge.offers.importers import FORMATS, OfferFileError
from knowledge.offers.store import OfferImportError, expire_offers, import_offers
from knowledge.validation import (
    DEFAULT_DATA_DIR,
    KnowledgeValidationError,
    TerritoryChecker,
    read_knowledge,
)

DEMO_OFFERS = DEFAULT_DATA_DIR / "offers" / "demo_offers.json"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except KnowledgeValidationError as error:
        _err(str(error))
    except (OfferFileError, OfferImportError) as error:
        _err(f"offer import refused: {error}")
    return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m knowledge",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: DATABASE_URL)")
    commands = parser.add_subparsers(required=True, metavar="command")
    commands.add_parser("migrate", help="upgrade all tables").set_defaults(handler=_migrate)
    validate = commands.add_parser("validate", help="check the YAML data strictly")
    validate.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    validate.set_defaults(handler=_validate)
    load = commands.add_parser("load", help="load everything, atomically and idempotently")
    load.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    load.add_argument("--no-demo-offers", action="store_true")
    load.add_argument("--quiet", action="store_true", help="no progress bar")
    load.set_defaults(handler=_load)
    offers = commands.add_parser("import-offers", help="import an offer file")
    offers.add_argument("file", type=Path)
    offers.add_argument("--format", choices=FORMATS, help="default: guessed from the file")
    offers.add_argument("--strict", action="store_true", help="refuse the file if any row is bad")
    offers.add_argument("--json", action="store_true", help="print the report as JSON")
    offers.set_defaults(handler=_import_offers)
    commands.add_parser("expire-offers", help="delete expired offers").set_defaults(handler=_expire)
    export = commands.add_parser("export", help="write the loaded schemes back out")
    export.add_argument("--out", type=Path, help="folder for YAML files (default: JSON on stdout)")
    export.set_defaults(handler=_export)
    stats = commands.add_parser("stats", help="counts of what is loaded")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(handler=_stats)
    purge = commands.add_parser("purge", help="delete personal data past the retention period")
    purge.add_argument("--days", type=int, help="default: PERSONAL_DATA_RETENTION_DAYS")
    purge.set_defaults(handler=_purge)
    add_review_commands(commands)
    return parser


def _url(args: argparse.Namespace) -> str:
    if args.database_url:
        return str(args.database_url)
    from bot.settings import get_settings

    return get_settings().database_url


def _session(args: argparse.Namespace) -> Session:
    return make_session_factory(make_engine(_url(args)))()


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _migrate(args: argparse.Namespace) -> int:
    migrate(_url(args))
    _out("migrations applied")
    return 0


def _validate(args: argparse.Namespace) -> int:
    checker, origin = _territory_checker(args)
    data = read_knowledge(args.data_dir, territory_exists=checker)
    _out(
        f"ok: {len(data.schemes)} schemes, {len(data.organisations)} organisations "
        f"(territory codes checked against {origin})"
    )
    return 0


def _territory_checker(args: argparse.Namespace) -> tuple[TerritoryChecker, str]:
    """The loaded territory tables when there are any, else the shipped territory file."""
    from knowledge.models.territory import Commune
    from knowledge.territories.codes import shipped_codes, territory_exists

    url = _url(args)
    database = url.split("///", 1)[-1] if url.startswith("sqlite") else None
    if database is None or (database not in ("", ":memory:") and Path(database).exists()):
        session = _session(args)
        try:
            if inspect(session.get_bind()).has_table(Commune.__tablename__) and session.scalar(
                select(func.count()).select_from(Commune)
            ):
                return (lambda scope, code: territory_exists(session, scope, code)), "the database"
        except Exception:  # noqa: BLE001 - an unreachable database falls back to the file
            session.close()
    codes = shipped_codes()
    return (lambda scope, code: code in codes.get(scope, frozenset())), "the shipped file"


def _load(args: argparse.Namespace) -> int:
    from knowledge.territories.codes import territory_exists
    from knowledge.territories.loader import load_territories

    progress = not args.quiet and sys.stderr.isatty()
    migrate(_url(args))
    with _session(args) as session, session.begin():
        territories = load_territories(session, progress=progress)
        data = read_knowledge(
            args.data_dir,
            territory_exists=lambda scope, code: territory_exists(session, scope, code),
        )
        counts = write_knowledge(session, data, progress=progress)
        report = None
        if not args.no_demo_offers:
            report = import_offers(session, DEMO_OFFERS, file_format="native", strict=True)
    _out(
        f"loaded: {territories.get('communes', 0)} communes, {counts.schemes} schemes, "
        f"{counts.organisations} organisations"
        + (f", {report.inserted + report.updated} demo offers" if report else "")
    )
    return 0


def _import_offers(args: argparse.Namespace) -> int:
    with _session(args) as session, session.begin():
        report = import_offers(session, args.file, file_format=args.format, strict=args.strict)
    if args.json:
        _out(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        _out(
            f"{report.format}: read {report.read}, inserted {report.inserted}, updated "
            f"{report.updated}, duplicates {report.duplicates}, rejected "
            f"{len(report.rejected)}, expired removed {report.expired_removed}"
        )
        for rejection in report.rejected:
            _out(f"  rejected {rejection}")
    return 0


def _expire(args: argparse.Namespace) -> int:
    from knowledge.versioning import OFFERS_VERSION, bump_version

    with _session(args) as session, session.begin():
        removed = expire_offers(session, dt.date.today())
        bump_version(session, OFFERS_VERSION)
    _out(f"expired offers removed: {removed}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from knowledge.export import export_json, export_yaml

    with _session(args) as session:
        if args.out:
            written = export_yaml(session, args.out)
            _out(f"wrote {len(written)} files to {args.out}")
        else:
            _out(export_json(session))
    return 0


def _stats(args: argparse.Namespace) -> int:
    from knowledge.export import stats

    with _session(args) as session:
        counts: dict[str, Any] = stats(session)
    if args.json:
        _out(json.dumps(counts, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        schemes = counts["schemes"]
        _out(
            f"communes {counts['communes']}, epci {counts['epci']}, "
            f"schemes {schemes['total']}, offers {counts['offers']}"
        )
        for theme, count in sorted(schemes["by_theme"].items()):
            _out(f"  {theme}: {count}")
    return 0


def _purge(args: argparse.Namespace) -> int:
    from bot.settings import get_settings
    from knowledge.purge import purge_personal_data

    days = args.days or get_settings().personal_data_retention_days
    with _session(args) as session, session.begin():
        counts = purge_personal_data(session, retention_days=days)
    _out(
        f"personal data older than {days} days deleted: "
        + ", ".join(f"{table} {count}" for table, count in sorted(counts.items()))
    )
    return 0
