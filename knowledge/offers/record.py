"""The normalised offer every importer produces, validated before anything is written."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from knowledge.text import normalise

# France Travail and La bonne alternance keep an offer 60 days when no end is given.
DEFAULT_VALIDITY_DAYS = 60

ContractType = Literal[
    "cdi",
    "cdd",
    "interim",
    "seasonal",
    "apprenticeship",
    "professionalisation",
    "freelance",
    "other",
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class OfferRecord(BaseModel):
    """One offer ready to store; ``is_demo`` is only true for the demonstration set."""

    model_config = ConfigDict(extra="forbid")

    source: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$", max_length=40)]
    external_id: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)
    ]
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300)]
    employer: Text | None = None
    commune_insee: Annotated[str, StringConstraints(pattern=r"^(\d{5}|2A\d{3}|2B\d{3})$")]
    commune_name: Text | None = None
    contract_type: ContractType
    contract_duration_months: int | None = Field(default=None, ge=0, le=120)
    contract_text: Text | None = None
    working_hours: Text | None = None
    alternance: bool = False
    rome_code: Annotated[str, StringConstraints(pattern=r"^[A-N]\d{4}$")] | None = None
    description: str = ""
    apply_url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    apply_email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = (
        None
    )
    apply_phone: Text | None = None
    apply_text: Text | None = None
    posted_on: dt.date
    expires_on: dt.date
    is_demo: bool = False
    source_url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None

    @model_validator(mode="after")
    def _coherent(self) -> OfferRecord:
        if self.expires_on < self.posted_on:
            raise ValueError("expires_on is before posted_on")
        if not (self.apply_url or self.apply_email or self.apply_phone or self.apply_text):
            raise ValueError(
                "no way to apply: give apply_url, apply_email, apply_phone or apply_text"
            )
        if self.contract_type in ("apprenticeship", "professionalisation"):
            self.alternance = True
        return self

    @property
    def dedup_key(self) -> str:
        return dedup_key(self.title, self.employer, self.commune_insee)


def dedup_key(title: str, employer: str | None, commune_insee: str) -> str:
    """The same job posted by two sources: same title, employer and commune."""
    basis = "|".join((normalise(title), normalise(employer or ""), commune_insee))
    return hashlib.sha256(basis.encode()).hexdigest()[:32]
