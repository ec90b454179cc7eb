"""Data versions: a row bumped on every write, so search caches know when to rebuild."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models.scheme import KnowledgeMeta

SCHEMES_VERSION = "data_version"
OFFERS_VERSION = "offers_version"


def read_version(session: Session, key: str) -> str:
    """The current version token, or an empty string before the first load."""
    value = session.execute(select(KnowledgeMeta.value).where(KnowledgeMeta.key == key)).scalar()
    return value or ""


def bump_version(session: Session, key: str) -> str:
    """Give ``key`` a new random token (inside the caller's transaction)."""
    token = uuid.uuid4().hex
    row = session.get(KnowledgeMeta, key)
    if row is None:
        session.add(KnowledgeMeta(key=key, value=token))
    else:
        row.value = token
    session.flush()
    return token
