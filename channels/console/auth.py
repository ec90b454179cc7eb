"""Adviser authentication: argon2 password hashes, server-side sessions in signed cookies, CSRF.

- Passwords: argon2id (argon2-cffi defaults), re-hashed on login when the parameters change.
- Session cookie `console_session`: an itsdangerous-signed random token; the database keeps only
  its SHA-256 (a leaked table gives no usable cookie), with the session's CSRF token and expiry.
  HttpOnly, SameSite=Strict, Secure outside development, Path=/console.
- CSRF: every state-changing request carries the session's token (`X-CSRF-Token` header or
  `csrf_token` form field); the login form uses a signed double-submit cookie instead.
- Failed logins: throttled per (account, address) and per address (`throttle.py`); an admin
  can still lock an account (`locked_until`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from channels.console.models import Adviser, ConsoleSession, utcnow

SESSION_COOKIE = "console_session"
LOGIN_CSRF_COOKIE = "console_login_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SESSION_HOURS = 12
MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_CHARS = 12

_hasher = PasswordHasher()
# Verifying against this keeps the time of a login for an unknown e-mail close to a real one.
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")


def hash_password(password: str) -> str:
    """argon2id hash of a password."""
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    """True when the password matches the stored hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def normalise_email(email: str) -> str:
    """Accounts are looked up case-insensitively."""
    return email.strip().lower()


def _signer(secret: str, purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=f"console-{purpose}")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def authenticate(session: Session, email: str, password: str) -> Adviser | None:
    """The active adviser with these credentials, counting failures and locking the account."""
    adviser = session.scalar(select(Adviser).where(Adviser.email == normalise_email(email)))
    now = utcnow()
    if adviser is None or not adviser.active:
        password_matches(_DUMMY_HASH, password)
        return None
    if adviser.locked_until and adviser.locked_until > now:
        password_matches(_DUMMY_HASH, password)
        return None
    if not password_matches(adviser.password_hash, password):
        # Counted in SQL (atomic) for the record; the lock-out itself is per address, see
        # channels/console/throttle.py, so failures elsewhere never lock the adviser out.
        session.execute(
            update(Adviser)
            .where(Adviser.id == adviser.id)
            .values(failed_logins=Adviser.failed_logins + 1)
        )
        return None
    if _hasher.check_needs_rehash(adviser.password_hash):
        adviser.password_hash = hash_password(password)
    adviser.failed_logins = 0
    adviser.locked_until = None
    adviser.last_login_at = now
    adviser.last_seen_at = now
    return adviser


def open_session(session: Session, adviser: Adviser, secret: str) -> str:
    """Store a new login session and return the signed cookie value."""
    token = secrets.token_urlsafe(32)
    session.add(
        ConsoleSession(
            token_hash=_digest(token),
            csrf_token=secrets.token_urlsafe(32),
            adviser_id=adviser.id,
            expires_at=utcnow() + dt.timedelta(hours=SESSION_HOURS),
        )
    )
    return _signer(secret, "session").dumps(token)


def session_for_cookie(session: Session, cookie: str | None, secret: str) -> ConsoleSession | None:
    """The live session behind a cookie value, or None (bad signature, expired, revoked)."""
    if not cookie:
        return None
    try:
        token = _signer(secret, "session").loads(cookie)
    except BadSignature:
        return None
    if not isinstance(token, str):
        return None
    found = session.scalar(
        select(ConsoleSession).where(ConsoleSession.token_hash == _digest(token))
    )
    if found is None or found.revoked or found.expires_at <= utcnow() or not found.adviser.active:
        return None
    return found


def revoke_sessions(session: Session, adviser_id: int) -> None:
    """End every session of an adviser (account disabled)."""
    for found in session.scalars(
        select(ConsoleSession).where(ConsoleSession.adviser_id == adviser_id)
    ):
        found.revoked = True


def csrf_ok(expected: str, given: str | None) -> bool:
    """Constant-time comparison of CSRF tokens."""
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


def new_login_csrf(secret: str) -> tuple[str, str]:
    """(form token, signed cookie value) for the login form's double-submit check."""
    token = secrets.token_urlsafe(24)
    return token, _signer(secret, "login-csrf").dumps(token)


def login_csrf_ok(secret: str, cookie: str | None, given: str | None) -> bool:
    """True when the login form's token matches its signed cookie."""
    if not cookie or not given:
        return False
    try:
        token = _signer(secret, "login-csrf").loads(cookie)
    except BadSignature:
        return False
    return isinstance(token, str) and csrf_ok(token, given)
