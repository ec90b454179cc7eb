"""Pydantic models of the knowledge-base YAML files (see docs/CONTRACTS.md).

These models check one file at a time (shape, vocabularies, formats). Checks that
need the whole data set or the database (unique ids, references, territory codes,
source lines) live in ``knowledge.validation``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

Theme = Literal[
    "housing",
    "childcare",
    "mobility",
    "vae_skills",
    "hiring_geiq",
    "apprenticeship",
    "training",
    "welcome",
    "insertion_support",
    "orientation",
    "business_creation",
]
# The same names as a tuple, for messages and membership tests.
THEMES: tuple[str, ...] = get_args(Theme)
# "ended": the scheme existed but an official source says it stopped; the bot says so, never offers it.
SchemeStatus = Literal["existing", "project", "proposal", "ended"]
Audience = Literal[
    "job_seeker",
    "apprentice",
    "young",
    "student",
    "parent",
    "single_parent",
    "employee",
    "employer",
    "newcomer",
    "spouse",
    "rsa_recipient",
    "disabled_worker",
    "senior",
    "refugee",
    "creator",
    "any",
]
UserStatus = Literal[
    "apprentice",
    "job_seeker",
    "rsa_recipient",
    "employee",
    "student",
    "parent",
    "single_parent",
    "disabled_worker",
    "young",
    "employer",
]
Scope = Literal["national", "region", "departement", "epci", "commune"]
OrganisationKind = Literal[
    "mission_locale",
    "france_travail",
    "cap_emploi",
    "plie",
    "geiq",
    "caf",
    "action_logement",
    "region",
    "departement",
    "epci",
    "commune",
    "association",
    "company",
    "chamber",
    "training_centre",
    "public_service",
    "other",
]
Period = Literal["once", "month", "year", "hour", "day"]

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
OneLine = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]

# Per scope, the shape of an INSEE / SIREN code (Corsica and overseas included).
CODE_PATTERNS: dict[str, re.Pattern[str]] = {
    "region": re.compile(r"^\d{2,3}$"),
    "departement": re.compile(r"^(\d{2}|2A|2B|9[78]\d)$"),
    "epci": re.compile(r"^\d{9}$"),
    "commune": re.compile(r"^(\d{5}|2A\d{3}|2B\d{3})$"),
}
SOURCE_FILE_REF = re.compile(r"^(?P<file>[\w.-]+\.txt):(?P<start>\d+)(?:-(?P<end>\d+))?$")
SOURCE_URL = re.compile(r"^https?://[^\s]+\.[^\s]+$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TerritoryScope(_Strict):
    """Where a scheme or organisation exists."""

    scope: Scope
    codes: list[str] = Field(default_factory=list)
    label: Text

    @model_validator(mode="after")
    def _codes_match_scope(self) -> TerritoryScope:
        if self.scope == "national":
            if self.codes:
                raise ValueError("a national scope takes no codes (codes: [])")
            return self
        if not self.codes:
            raise ValueError(f"scope {self.scope!r} needs at least one INSEE code in codes")
        pattern = CODE_PATTERNS[self.scope]
        for code in self.codes:
            if not pattern.match(code):
                raise ValueError(f"{code!r} is not a valid {self.scope} code")
        return self


class MoneyCeiling(_Strict):
    """An income or salary ceiling as stated by the source."""

    value: float = Field(gt=0)
    unit: Literal["EUR"] = "EUR"
    basis: str | None = None


class Conditions(_Strict):
    """Machine-checkable conditions, plus the ones the bot cannot check as text."""

    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)
    statuses: list[UserStatus] = Field(default_factory=list)
    monthly_income_max: MoneyCeiling | None = None
    distance_km_min: float | None = Field(default=None, ge=0)
    child_age_max: int | None = Field(default=None, ge=0, le=25)
    other: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _age_bounds_ordered(self) -> Conditions:
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError(f"age_min {self.age_min} is above age_max {self.age_max}")
        return self


class Amount(_Strict):
    """An amount, only when a source states it."""

    value: float | None = Field(default=None, ge=0)
    min: float | None = Field(default=None, ge=0)
    max: float | None = Field(default=None, ge=0)
    unit: Literal["EUR", "percent"] = "EUR"
    period: Period | None = None
    text: Text | None = None

    @model_validator(mode="after")
    def _says_something(self) -> Amount:
        if self.value is None and self.min is None and self.max is None and self.text is None:
            raise ValueError("an amount needs value, min, max or text; omit amount otherwise")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class Apply(_Strict):
    """How to apply, as printed in the source."""

    steps: list[Text] = Field(default_factory=list)
    url: Annotated[str, StringConstraints(pattern=SOURCE_URL.pattern)] | None = None
    phone: Text | None = None
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    office: Text | None = None


def _check_sources(sources: list[str]) -> list[str]:
    for source in sources:
        if not (SOURCE_FILE_REF.match(source) or SOURCE_URL.match(source)):
            raise ValueError(
                f"{source!r} is neither 'file.txt:line', 'file.txt:start-end' nor an https URL"
            )
    return sources


class SchemeRecord(_Strict):
    """One scheme (dispositif)."""

    id: Slug
    name: Text
    status: SchemeStatus
    summary: OneLine
    details: str = ""
    aliases: list[Text] = Field(default_factory=list)
    keywords: list[Text] = Field(default_factory=list)
    audiences: list[Audience] = Field(min_length=1)
    territory: TerritoryScope
    conditions: Conditions = Field(default_factory=Conditions)
    amount: Amount | None = None
    apply: Apply = Field(default_factory=Apply)
    organisations: list[Slug] = Field(default_factory=list)
    information_date: dt.date
    sources: list[str] = Field(min_length=1)
    notes: str | None = None

    @field_validator("summary")
    @classmethod
    def _one_line(cls, summary: str) -> str:
        if "\n" in summary:
            raise ValueError("the summary must fit on one line")
        return summary

    @field_validator("sources")
    @classmethod
    def _sources_format(cls, sources: list[str]) -> list[str]:
        return _check_sources(sources)


class SchemeFile(_Strict):
    """A ``knowledge/data/schemes/<theme>.yml`` file."""

    version: Literal["1"]
    theme: Theme
    schemes: list[SchemeRecord]


class Contacts(_Strict):
    """Contacts exactly as printed in the source."""

    url: Annotated[str, StringConstraints(pattern=SOURCE_URL.pattern)] | None = None
    phone: Text | None = None
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    address: Text | None = None


class OrganisationRecord(_Strict):
    """One organisation or contact point."""

    id: Slug
    name: Text
    kind: OrganisationKind
    territory: TerritoryScope
    contacts: Contacts = Field(default_factory=Contacts)
    information_date: dt.date
    sources: list[str] = Field(min_length=1)

    @field_validator("sources")
    @classmethod
    def _sources_format(cls, sources: list[str]) -> list[str]:
        return _check_sources(sources)


class OrganisationFile(_Strict):
    """A ``knowledge/data/organisations/<name>.yml`` file."""

    version: Literal["1"]
    organisations: list[OrganisationRecord]
