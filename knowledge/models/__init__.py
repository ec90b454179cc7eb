"""Typed SQLAlchemy 2.0 models of the knowledge base."""

from knowledge.models.base import Base
from knowledge.models.requests import EmployerLead, SpouseProfile, WelcomeKit  # noqa: F401
from knowledge.models.territory import (
    Commune,
    CommuneAlias,
    CommunePostcode,
    Departement,
    Epci,
    Region,
)

__all__ = [
    "Base",
    "Commune",
    "CommuneAlias",
    "CommunePostcode",
    "Departement",
    "Epci",
    "Region",
]
