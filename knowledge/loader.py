"""Write validated schemes and organisations to the database.

Loading replaces the whole scheme and organisation set inside the caller's
transaction, so running it twice gives the same rows and a failure leaves the
previous data untouched (the caller commits or rolls back).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session
from tqdm import tqdm

from knowledge.models.scheme import (
    Organisation,
    OrganisationTerritory,
    Scheme,
    SchemeAudience,
    SchemeOrganisation,
    SchemeTerritory,
)
from knowledge.validation import KnowledgeData, LocatedOrganisation, LocatedScheme
from knowledge.versioning import SCHEMES_VERSION, bump_version

_T = TypeVar("_T")


@dataclass(frozen=True)
class LoadCounts:
    schemes: int
    organisations: int


def write_knowledge(session: Session, data: KnowledgeData, *, progress: bool = False) -> LoadCounts:
    """Replace schemes and organisations with ``data`` (already validated)."""
    for table in (
        SchemeOrganisation,
        SchemeAudience,
        SchemeTerritory,
        OrganisationTerritory,
        Scheme,
        Organisation,
    ):
        session.execute(delete(table))
    organisations = [_organisation_row(org) for org in _bar(data.organisations, progress, "orgs")]
    schemes = [_scheme_row(scheme) for scheme in _bar(data.schemes, progress, "schemes")]
    _insert(session, Organisation, organisations)
    _insert(
        session,
        OrganisationTerritory,
        [
            {"organisation_id": org.record.id, "scope": org.record.territory.scope, "code": code}
            for org in data.organisations
            for code in dict.fromkeys(org.record.territory.codes)
        ],
    )
    _insert(session, Scheme, schemes)
    _insert(
        session,
        SchemeTerritory,
        [
            {"scheme_id": s.record.id, "scope": s.record.territory.scope, "code": code}
            for s in data.schemes
            for code in dict.fromkeys(s.record.territory.codes)
        ],
    )
    _insert(
        session,
        SchemeAudience,
        [
            {"scheme_id": s.record.id, "audience": audience}
            for s in data.schemes
            for audience in dict.fromkeys(s.record.audiences)
        ],
    )
    _insert(
        session,
        SchemeOrganisation,
        [
            {"scheme_id": s.record.id, "organisation_id": org_id, "position": position}
            for s in data.schemes
            for position, org_id in enumerate(dict.fromkeys(s.record.organisations))
        ],
    )
    bump_version(session, SCHEMES_VERSION)
    return LoadCounts(schemes=len(schemes), organisations=len(organisations))


def _scheme_row(scheme: LocatedScheme) -> dict[str, Any]:
    record = scheme.record
    return {
        "id": record.id,
        "theme": scheme.theme,
        "name": record.name,
        "status": record.status,
        "summary": record.summary,
        "territory_scope": record.territory.scope,
        "information_date": record.information_date,
        "payload": record.model_dump(mode="json"),
        "source_file": scheme.file,
        "source_line": scheme.line,
    }


def _organisation_row(org: LocatedOrganisation) -> dict[str, Any]:
    record = org.record
    return {
        "id": record.id,
        "name": record.name,
        "kind": record.kind,
        "territory_scope": record.territory.scope,
        "information_date": record.information_date,
        "payload": record.model_dump(mode="json"),
        "source_file": org.file,
        "source_line": org.line,
    }


def _insert(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    # Chunks keep PostgreSQL parameter counts and SQLite memory bounded.
    for start in range(0, len(rows), 2000):
        session.execute(insert(model), rows[start : start + 2000])


def _bar(items: Iterable[_T], enabled: bool, unit: str) -> Iterable[_T]:
    bar: Iterable[_T] = tqdm(items, unit=f" {unit}", disable=not enabled, leave=False)
    return bar
