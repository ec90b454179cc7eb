"""Write validated offers: upsert by (source, id), skip cross-source duplicates, expire.

All writes happen in the caller's transaction; ``import_offers`` with ``strict=True``
writes nothing when any row was rejected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from knowledge.models.offer import Offer
from knowledge.offers.importers import ParsedOffers, Rejection, read_offers_file
from knowledge.offers.record import OfferRecord
from knowledge.offers.vocabulary import schedule_tags
from knowledge.versioning import OFFERS_VERSION, bump_version

# Commune code -> its scopes [("commune", c), ("epci", e), ...], or None when unknown.
CommuneScopes = Callable[[str], "list[tuple[str, str]] | None"]


@dataclass
class ImportReport:
    format: str
    read: int = 0
    inserted: int = 0
    updated: int = 0
    duplicates: int = 0
    expired_removed: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "read": self.read,
            "inserted": self.inserted,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "expired_removed": self.expired_removed,
            "rejected": [str(rejection) for rejection in self.rejected],
        }


class OfferImportError(ValueError):
    """Strict import refused: nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        lines = "\n".join(str(r) for r in report.rejected[:50])
        super().__init__(f"{len(report.rejected)} rejected row(s), nothing imported:\n{lines}")


def territory_scopes(session: Session) -> CommuneScopes:
    """A cached lookup of commune scopes backed by the territory tables."""
    from knowledge.search.scopes import commune_scopes
    from knowledge.territories.codes import territory_exists

    cache: dict[str, list[tuple[str, str]] | None] = {}

    def lookup(code: str) -> list[tuple[str, str]] | None:
        if code not in cache:
            known = territory_exists(session, "commune", code)
            cache[code] = commune_scopes(session, code) if known else None
        return cache[code]

    return lookup


def territory_place_resolver(session: Session) -> Callable[[str], tuple[str, str | None] | None]:
    """Finds the commune of "59100 Roubaix"-like text with the territories' place search."""
    from knowledge.search.place import resolve_place

    def resolve(text: str) -> tuple[str, str | None] | None:
        match = resolve_place(session, text)
        if match is None or match.commune_insee is None or match.level != "commune":
            return None
        return match.commune_insee, match.commune_name

    return resolve


def import_offers(
    session: Session,
    path: Path,
    *,
    file_format: str | None = None,
    strict: bool = False,
    today: dt.date | None = None,
    place_resolver: Callable[[str], tuple[str, str | None] | None] | None = None,
    scopes: CommuneScopes | None = None,
) -> ImportReport:
    """Read, check and store one offer file; expired offers are removed at the same time."""
    today = today or dt.date.today()
    place_resolver = place_resolver or territory_place_resolver(session)
    parsed = read_offers_file(
        path, file_format=file_format, resolve_place=place_resolver, today=today
    )
    return store_parsed(
        session, parsed, strict=strict, today=today, scopes=scopes or territory_scopes(session)
    )


def store_parsed(
    session: Session,
    parsed: ParsedOffers,
    *,
    scopes: CommuneScopes,
    strict: bool = False,
    today: dt.date | None = None,
) -> ImportReport:
    report = ImportReport(parsed.format, read=len(parsed.records) + len(parsed.rejected))
    report.rejected.extend(parsed.rejected)
    rows = []
    for label, record in zip(parsed.row_labels, parsed.records, strict=True):
        place = scopes(record.commune_insee)
        if place is None:
            report.rejected.append(
                Rejection(
                    label,
                    f"unknown commune code {record.commune_insee!r}",
                    "commune_insee",
                )
            )
            continue
        rows.append(_row(record, dict(reversed(place))))
    if strict and report.rejected:
        raise OfferImportError(report)
    _write(session, rows, report)
    report.expired_removed = expire_offers(session, today or dt.date.today())
    bump_version(session, OFFERS_VERSION)
    return report


def expire_offers(session: Session, today: dt.date) -> int:
    """Delete offers whose expiry date has passed; returns how many."""
    result = session.execute(delete(Offer).where(Offer.expires_on < today))
    return int(getattr(result, "rowcount", 0) or 0)


def _row(record: OfferRecord, place: dict[str, str]) -> dict[str, Any]:
    values = record.model_dump()
    values["dedup_key"] = record.dedup_key
    values["epci_code"] = place.get("epci")
    values["departement_code"] = place.get("departement") or _departement(record.commune_insee)
    values["schedule_tags"] = " ".join(
        schedule_tags(record.working_hours, record.title, record.description)
    )
    values["imported_at"] = dt.datetime.now(dt.timezone.utc)
    return values


def _departement(commune: str) -> str:
    return commune[:3] if commune.startswith("97") else commune[:2]


def _write(session: Session, rows: Sequence[dict[str, Any]], report: ImportReport) -> None:
    existing = {
        (source, external_id): (offer_id, key)
        for offer_id, source, external_id, key in session.execute(
            select(Offer.id, Offer.source, Offer.external_id, Offer.dedup_key)
        )
    }
    owner_of_key = {key: identity for identity, (_, key) in existing.items()}
    to_insert: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        identity = (row["source"], row["external_id"])
        owner = owner_of_key.get(row["dedup_key"])
        if owner is not None and owner != identity:
            report.duplicates += 1  # the same job already known from another source or id
            continue
        if identity in existing:
            session.execute(update(Offer).where(Offer.id == existing[identity][0]).values(**row))
            report.updated += 1
        else:
            if identity in to_insert:
                report.duplicates += 1
            to_insert[identity] = row
        owner_of_key[row["dedup_key"]] = identity
    batch = list(to_insert.values())
    for start in range(0, len(batch), 2000):
        session.execute(insert(Offer), batch[start : start + 2000])
    report.inserted = len(batch)
