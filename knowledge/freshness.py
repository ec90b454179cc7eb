"""How fresh a record is: the notice shown with old information, and the review queue.

- ``freshness_notice``: information older than ``STALE_AFTER_MONTHS`` is shown with
  "information de <année>, à vérifier auprès de …" (the wording lives in the domain / text
  catalogues; this module gives the year, who to check with and where).
- ``due_for_review``: the records whose ``review_by`` date has come, for
  ``python -m knowledge freshness``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from knowledge.citations import citations_for
from knowledge.schema import add_months
from knowledge.validation_issues import KnowledgeData, LocatedOrganisation, LocatedScheme
from knowledge.views import OrganisationView, SchemeView

STALE_AFTER_MONTHS = 18


def is_stale(information_date: dt.date, today: dt.date | None = None) -> bool:
    """True when the information is more than 18 months old."""
    return information_date < add_months(today or dt.date.today(), -STALE_AFTER_MONTHS)


@dataclass(frozen=True)
class FreshnessNotice:
    """What "information de <year>, à vérifier auprès de <check_with>" needs.

    ``check_with`` is the first organisation of the record (its name), else the publisher of
    its first official page; ``url`` is where to check (the record's apply link, else that
    page). Either may be None: then say "à vérifier" without a "who".
    """

    year: int
    check_with: str | None
    url: str | None


def freshness_notice(
    record: SchemeView | OrganisationView,
    *,
    organisations: Sequence[OrganisationView] = (),
    today: dt.date | None = None,
) -> FreshnessNotice | None:
    """The notice to show with ``record``, or None when its information is recent enough.

    ``organisations`` are the record's organisations as views (``organisations_by_id``), in
    the record's order; pass them to name who to check with.
    """
    if not is_stale(record.information_date, today):
        return None
    pages = [citation for citation in citations_for(record.sources) if citation.kind == "page"]
    if isinstance(record, SchemeView):
        wanted = {org.id: org for org in organisations}
        named = [wanted[org_id].name for org_id in record.organisations if org_id in wanted]
        link = record.apply.url
    else:
        named = [record.name]
        link = record.contacts.url
    check_with = named[0] if named else (pages[0].publisher if pages else None)
    url = link or (pages[0].url if pages else None)
    return FreshnessNotice(record.information_date.year, check_with, url)


@dataclass(frozen=True)
class ReviewItem:
    """A record whose review date has come (or comes within the window asked)."""

    kind: str
    id: str
    name: str
    status: str | None
    scope: str
    codes: tuple[str, ...]
    territory: str
    information_date: dt.date
    review_by: dt.date
    stale: bool
    file: str
    line: int

    @property
    def territory_key(self) -> str:
        if self.scope == "national":
            return "national"
        return f"{self.territory} ({self.scope} {','.join(self.codes)})"


def due_for_review(
    data: KnowledgeData, *, today: dt.date | None = None, within_days: int = 0
) -> list[ReviewItem]:
    """Records to re-check by ``today + within_days``, by territory then oldest review date."""
    day = today or dt.date.today()
    limit = day + dt.timedelta(days=within_days)
    located: Iterable[LocatedScheme | LocatedOrganisation] = [*data.schemes, *data.organisations]
    items = [_item(entry, day) for entry in located if entry.record.review_by <= limit]
    return sorted(
        items,
        key=lambda item: (item.scope != "national", item.territory_key, item.review_by, item.id),
    )


def _item(entry: LocatedScheme | LocatedOrganisation, today: dt.date) -> ReviewItem:
    record = entry.record
    return ReviewItem(
        kind="scheme" if isinstance(entry, LocatedScheme) else "organisation",
        id=record.id,
        name=record.name,
        status=getattr(record, "status", None),
        scope=record.territory.scope,
        codes=tuple(record.territory.codes),
        territory=record.territory.label,
        information_date=record.information_date,
        review_by=record.review_by,
        stale=is_stale(record.information_date, today),
        file=entry.file,
        line=entry.line,
    )
