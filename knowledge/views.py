"""Frozen, session-free views of knowledge records, handed to the actions.

Views are built from the validated YAML payload stored with each row, so every field
of the file is available and nothing depends on an open session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from knowledge.citations import Citation, citations_for
from knowledge.schema import REVIEW_WITHIN_MONTHS, add_months


@dataclass(frozen=True)
class TerritoryView:
    scope: str
    codes: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class MoneyView:
    value: float
    unit: str
    basis: str | None


@dataclass(frozen=True)
class AlternativeView:
    """One way to qualify; see ``ConditionsView.alternatives``."""

    age_min: int | None
    age_max: int | None
    statuses: tuple[str, ...]
    child_age_min: int | None = None
    child_age_max: int | None = None


@dataclass(frozen=True)
class ConditionsView:
    """A person qualifies when every condition holds and, if ``alternatives`` is not empty,
    at least one alternative holds too. ``excluded_statuses`` can never get the scheme."""

    age_min: int | None
    age_max: int | None
    statuses: tuple[str, ...]
    monthly_income_max: MoneyView | None
    distance_km_min: float | None
    child_age_max: int | None
    other: tuple[str, ...]
    child_age_min: int | None = None
    excluded_statuses: tuple[str, ...] = ()
    alternatives: tuple[AlternativeView, ...] = ()


@dataclass(frozen=True)
class AmountView:
    value: float | None
    min: float | None
    max: float | None
    unit: str
    period: str | None
    text: str | None


@dataclass(frozen=True)
class ApplyView:
    steps: tuple[str, ...]
    url: str | None
    phone: str | None
    email: str | None
    office: str | None


@dataclass(frozen=True)
class SchemeView:
    """Every field of a scheme record, plus its theme."""

    id: str
    theme: str
    name: str
    status: str
    summary: str
    details: str
    aliases: tuple[str, ...]
    keywords: tuple[str, ...]
    audiences: tuple[str, ...]
    territory: TerritoryView
    conditions: ConditionsView
    amount: AmountView | None
    apply: ApplyView
    organisations: tuple[str, ...]
    information_date: dt.date
    sources: tuple[str, ...]
    # Never shown to users: editorial notes for the people who maintain the data.
    internal_notes: str | None
    for_whom: str | None = None
    schedules: tuple[str, ...] = ()
    review_by: dt.date | None = None

    @property
    def is_proposal(self) -> bool:
        return self.status == "proposal"

    @property
    def is_ended(self) -> bool:
        return self.status == "ended"

    @property
    def citations(self) -> tuple[Citation, ...]:
        """The sources as a person can use them: official pages first, never a file name."""
        return citations_for(self.sources)

    @property
    def citation(self) -> Citation | None:
        """The one citation to show when there is room for one."""
        return next(iter(self.citations), None)


@dataclass(frozen=True)
class ContactsView:
    url: str | None
    phone: str | None
    email: str | None
    address: str | None


@dataclass(frozen=True)
class OrganisationView:
    id: str
    name: str
    kind: str
    territory: TerritoryView
    contacts: ContactsView
    information_date: dt.date
    sources: tuple[str, ...]
    review_by: dt.date | None = None

    @property
    def citations(self) -> tuple[Citation, ...]:
        return citations_for(self.sources)

    @property
    def citation(self) -> Citation | None:
        return next(iter(self.citations), None)


@dataclass(frozen=True)
class OfferView:
    """An open offer; ``is_demo`` marks the demonstration set and must be shown."""

    id: int
    source: str
    external_id: str
    title: str
    employer: str | None
    commune_insee: str
    commune_name: str | None
    contract_type: str
    contract_duration_months: int | None
    contract_text: str | None
    working_hours: str | None
    schedule_tags: tuple[str, ...]
    alternance: bool
    rome_code: str | None
    description: str
    apply_url: str | None
    apply_email: str | None
    apply_phone: str | None
    apply_text: str | None
    posted_on: dt.date
    expires_on: dt.date
    is_demo: bool
    source_url: str | None


@dataclass(frozen=True)
class SchemeHit:
    """A search result. ``reasons`` are ``"kind:value"`` codes, worded by the domain."""

    scheme: SchemeView
    score: float
    reasons: list[str]


@dataclass(frozen=True)
class OfferHit:
    offer: OfferView
    score: float
    reasons: list[str]


def _territory(data: dict[str, Any]) -> TerritoryView:
    return TerritoryView(data["scope"], tuple(data.get("codes") or ()), data["label"])


def _review_by(payload: dict[str, Any], information_date: dt.date) -> dt.date:
    # Rows loaded before review_by existed get the rule's date (see knowledge/README.md).
    if payload.get("review_by"):
        return dt.date.fromisoformat(payload["review_by"])
    return add_months(information_date, REVIEW_WITHIN_MONTHS)


def _alternatives(conditions: dict[str, Any]) -> tuple[AlternativeView, ...]:
    return tuple(
        AlternativeView(
            age_min=alternative.get("age_min"),
            age_max=alternative.get("age_max"),
            statuses=tuple(alternative.get("statuses") or ()),
            child_age_min=alternative.get("child_age_min"),
            child_age_max=alternative.get("child_age_max"),
        )
        for alternative in conditions.get("alternatives") or ()
    )


def scheme_view(theme: str, payload: dict[str, Any]) -> SchemeView:
    conditions = payload.get("conditions") or {}
    income = conditions.get("monthly_income_max")
    amount = payload.get("amount")
    apply = payload.get("apply") or {}
    information_date = dt.date.fromisoformat(payload["information_date"])
    return SchemeView(
        id=payload["id"],
        theme=theme,
        name=payload["name"],
        status=payload["status"],
        summary=payload["summary"],
        details=payload.get("details") or "",
        aliases=tuple(payload.get("aliases") or ()),
        keywords=tuple(payload.get("keywords") or ()),
        audiences=tuple(payload.get("audiences") or ()),
        territory=_territory(payload["territory"]),
        conditions=ConditionsView(
            age_min=conditions.get("age_min"),
            age_max=conditions.get("age_max"),
            statuses=tuple(conditions.get("statuses") or ()),
            monthly_income_max=(
                MoneyView(income["value"], income["unit"], income.get("basis")) if income else None
            ),
            distance_km_min=conditions.get("distance_km_min"),
            child_age_max=conditions.get("child_age_max"),
            other=tuple(conditions.get("other") or ()),
            child_age_min=conditions.get("child_age_min"),
            excluded_statuses=tuple(conditions.get("excluded_statuses") or ()),
            alternatives=_alternatives(conditions),
        ),
        amount=(
            AmountView(
                value=amount.get("value"),
                min=amount.get("min"),
                max=amount.get("max"),
                unit=amount.get("unit", "EUR"),
                period=amount.get("period"),
                text=amount.get("text"),
            )
            if amount
            else None
        ),
        apply=ApplyView(
            steps=tuple(apply.get("steps") or ()),
            url=apply.get("url"),
            phone=apply.get("phone"),
            email=apply.get("email"),
            office=apply.get("office"),
        ),
        organisations=tuple(payload.get("organisations") or ()),
        information_date=information_date,
        sources=tuple(payload["sources"]),
        internal_notes=payload.get("internal_notes", payload.get("notes")),
        for_whom=payload.get("for_whom"),
        schedules=tuple(payload.get("schedules") or ()),
        review_by=_review_by(payload, information_date),
    )


def organisation_view(payload: dict[str, Any]) -> OrganisationView:
    contacts = payload.get("contacts") or {}
    information_date = dt.date.fromisoformat(payload["information_date"])
    return OrganisationView(
        id=payload["id"],
        name=payload["name"],
        kind=payload["kind"],
        territory=_territory(payload["territory"]),
        contacts=ContactsView(
            url=contacts.get("url"),
            phone=contacts.get("phone"),
            email=contacts.get("email"),
            address=contacts.get("address"),
        ),
        information_date=information_date,
        sources=tuple(payload["sources"]),
        review_by=_review_by(payload, information_date),
    )
