"""Frozen, session-free views of knowledge records, handed to the actions.

Views are built from the validated YAML payload stored with each row, so every field
of the file is available and nothing depends on an open session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


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
class ConditionsView:
    age_min: int | None
    age_max: int | None
    statuses: tuple[str, ...]
    monthly_income_max: MoneyView | None
    distance_km_min: float | None
    child_age_max: int | None
    other: tuple[str, ...]


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
    notes: str | None

    @property
    def is_proposal(self) -> bool:
        return self.status == "proposal"


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


def scheme_view(theme: str, payload: dict[str, Any]) -> SchemeView:
    conditions = payload.get("conditions") or {}
    income = conditions.get("monthly_income_max")
    amount = payload.get("amount")
    apply = payload.get("apply") or {}
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
        information_date=dt.date.fromisoformat(payload["information_date"]),
        sources=tuple(payload["sources"]),
        notes=payload.get("notes"),
    )


def organisation_view(payload: dict[str, Any]) -> OrganisationView:
    contacts = payload.get("contacts") or {}
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
        information_date=dt.date.fromisoformat(payload["information_date"]),
        sources=tuple(payload["sources"]),
    )
