"""Data versions: a row bumped on every write, so search caches know when to rebuild."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Generic, TypeVar

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


T = TypeVar("T")


class VersionedCache(Generic[T]):
    """One in-memory object per database and data version, rebuilt when `load` bumps the version.

    Searches reuse the built object; a new version replaces the old one of the same database.
    """

    def __init__(self, version_key: str, build: Callable[[Session], T]) -> None:
        self._version_key = version_key
        self._build = build
        self._items: dict[tuple[int, str], T] = {}
        self._lock = threading.Lock()

    def get(self, session: Session) -> T:
        """The object for this session's database at its current version."""
        key = (id(session.get_bind()), read_version(session, self._version_key))
        item = self._items.get(key)
        if item is not None:
            return item
        with self._lock:
            item = self._items.get(key)
            if item is None:
                item = self._build(session)
                for old in [k for k in self._items if k[0] == key[0]]:
                    del self._items[old]
                self._items[key] = item
        return item

    def clear(self) -> None:
        """Forget every built object."""
        with self._lock:
            self._items.clear()
