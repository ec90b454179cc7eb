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
# Atypical hours a scheme serves (childcare at dawn, at night, in 3x8...): see docs/CONTRACTS.md.
Schedule = Literal["night", "early_morning", "evening", "weekend", "shifts"]
SCHEDULES: tuple[str, ...] = get_args(Schedule)
# A record must be re-checked within this many months of its information date.
REVIEW_WITHIN_MONTHS = 12

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
OneLine = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
ShortLine = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=160)]

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


def _check_age_bounds(age_min: int | None, age_max: int | None, what: str = "age") -> None:
    if age_min is not None and age_max is not None and age_min > age_max:
        raise ValueError(f"{what}_min {age_min} is above {what}_max {age_max}")


class ConditionAlternative(_Strict):
    """One way to qualify, when a scheme has several ("18-30 whatever the status, or over 30
    and an employee"). Its bounds add to the record's own conditions."""

    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)
    statuses: list[UserStatus] = Field(default_factory=list)
    child_age_min: int | None = Field(default=None, ge=0, le=25)
    child_age_max: int | None = Field(default=None, ge=0, le=25)

    @model_validator(mode="after")
    def _says_something(self) -> ConditionAlternative:
        bounds = (self.age_min, self.age_max, self.child_age_min, self.child_age_max)
        if all(bound is None for bound in bounds) and not self.statuses:
            raise ValueError("an alternative needs an age, a child age or statuses")
        _check_age_bounds(self.age_min, self.age_max)
        _check_age_bounds(self.child_age_min, self.child_age_max, "child_age")
        return self


class Conditions(_Strict):
    """Machine-checkable conditions, plus the ones the bot cannot check as text.

    A person qualifies when every condition holds (age, statuses, child ages...) and, when
    ``alternatives`` is set, at least one alternative holds too. ``statuses`` means "one of
    these"; ``excluded_statuses`` are statuses that can never get the scheme.
    """

    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)
    statuses: list[UserStatus] = Field(default_factory=list)
    excluded_statuses: list[UserStatus] = Field(default_factory=list)
    alternatives: list[ConditionAlternative] = Field(default_factory=list)
    monthly_income_max: MoneyCeiling | None = None
    distance_km_min: float | None = Field(default=None, ge=0)
    child_age_min: int | None = Field(default=None, ge=0, le=25)
    child_age_max: int | None = Field(default=None, ge=0, le=25)
    other: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Conditions:
        _check_age_bounds(self.age_min, self.age_max)
        _check_age_bounds(self.child_age_min, self.child_age_max, "child_age")
        both = sorted(set(self.statuses) & set(self.excluded_statuses))
        if both:
            raise ValueError(f"statuses {both} are both required and excluded")
        if len(self.alternatives) == 1:
            raise ValueError("one alternative is a plain condition: write it in the conditions")
        for alternative in self.alternatives:
            _check_alternative_fits(self, alternative)
        return self


def _check_alternative_fits(conditions: Conditions, alternative: ConditionAlternative) -> None:
    pairs = (
        ((conditions.age_min, alternative.age_min), (conditions.age_max, alternative.age_max)),
        (
            (conditions.child_age_min, alternative.child_age_min),
            (conditions.child_age_max, alternative.child_age_max),
        ),
    )
    for lows, highs in pairs:
        low = max(_known(*lows), default=None)
        high = min(_known(*highs), default=None)
        if low is not None and high is not None and low > high:
            raise ValueError(f"alternative {alternative} cannot hold with the ages of the record")


def _known(*values: int | None) -> list[int]:
    return [value for value in values if value is not None]


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


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return day.replace(year=year, month=month, day=min(day.day, last))


def _check_review_by(information_date: dt.date, review_by: dt.date) -> None:
    latest = add_months(information_date, REVIEW_WITHIN_MONTHS)
    if not information_date < review_by <= latest:
        raise ValueError(
            f"review_by {review_by} must be after information_date {information_date} and "
            f"at most {REVIEW_WITHIN_MONTHS} months later ({latest})"
        )


class SchemeRecord(_Strict):
    """One scheme (dispositif).

    Every text field except ``internal_notes`` may reach a user; ``internal_notes`` is for
    the people who maintain the data and is never rendered.
    """

    id: Slug
    name: Text
    status: SchemeStatus
    summary: OneLine
    # One short line saying who it is for, in plain French ("pour les alternants de moins de 30 ans").
    for_whom: ShortLine | None = None
    details: str = ""
    aliases: list[Text] = Field(default_factory=list)
    keywords: list[Text] = Field(default_factory=list)
    audiences: list[Audience] = Field(min_length=1)
    territory: TerritoryScope
    conditions: Conditions = Field(default_factory=Conditions)
    schedules: list[Schedule] = Field(default_factory=list)
    amount: Amount | None = None
    apply: Apply = Field(default_factory=Apply)
    organisations: list[Slug] = Field(default_factory=list)
    information_date: dt.date
    review_by: dt.date
    sources: list[str] = Field(min_length=1)
    internal_notes: str | None = None

    @model_validator(mode="after")
    def _dates_and_schedules(self) -> SchemeRecord:
        _check_review_by(self.information_date, self.review_by)
        if len(set(self.schedules)) != len(self.schedules):
            raise ValueError("schedules lists a value twice")
        return self

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
    review_by: dt.date
    sources: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _dates(self) -> OrganisationRecord:
        _check_review_by(self.information_date, self.review_by)
        return self

    @field_validator("sources")
    @classmethod
    def _sources_format(cls, sources: list[str]) -> list[str]:
        return _check_sources(sources)


class OrganisationFile(_Strict):
    """A ``knowledge/data/organisations/<name>.yml`` file."""

    version: Literal["1"]
    organisations: list[OrganisationRecord]
