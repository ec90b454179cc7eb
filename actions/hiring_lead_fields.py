"""The hiring need's slots, and its answers as shown to the employer and as stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.types import DomainDict

from actions.kb_access import response_text

NO_SIRET = "none"
# lead_field entity values -> the slot to ask again.
FIELD_SLOTS = {
    "company": "lead_company",
    "siret": "lead_siret",
    "sector": "lead_sector",
    "job": "lead_job",
    "positions": "lead_positions",
    "contract": "lead_contract",
    "start": "lead_start",
    "commune": "lead_commune",
    "contact_name": "lead_contact_name",
    "email": "lead_email",
    "phone": "lead_phone",
}
LEAD_SLOTS = [
    *FIELD_SLOTS.values(),
    "lead_commune_insee",
    "lead_confirmed",
    "lead_consent",
    "lead_field",
]


def contract_label(domain: DomainDict, code: str | None) -> str:
    """The French label of a contract code."""
    return response_text(domain, f"utter_label_contract_{code}") or str(code or "")


def lead_summary(tracker: Tracker, domain: DomainDict) -> dict[str, str]:
    """The answers as shown to the employer before confirming."""
    siret = tracker.get_slot("lead_siret")
    start = tracker.get_slot("lead_start")
    return {
        "company": str(tracker.get_slot("lead_company") or ""),
        "siret": response_text(domain, "utter_label_no_siret")
        if siret in (None, NO_SIRET)
        else str(siret),
        "sector": str(tracker.get_slot("lead_sector") or ""),
        "job": str(tracker.get_slot("lead_job") or ""),
        "positions": str(tracker.get_slot("lead_positions") or ""),
        "contract": contract_label(domain, tracker.get_slot("lead_contract")),
        "start": dt.date.fromisoformat(start).strftime("%d/%m/%Y") if start else "",
        "commune": str(tracker.get_slot("lead_commune") or ""),
        "contact_name": str(tracker.get_slot("lead_contact_name") or ""),
        "email": str(tracker.get_slot("lead_email") or ""),
        "phone": str(tracker.get_slot("lead_phone") or ""),
    }


def lead_fields(tracker: Tracker) -> dict[str, Any]:
    """The validated answers as EmployerLead columns."""
    siret = tracker.get_slot("lead_siret")
    return {
        "company_name": tracker.get_slot("lead_company"),
        "siret": None if siret in (None, NO_SIRET) else siret,
        "sector": tracker.get_slot("lead_sector"),
        "job_title": tracker.get_slot("lead_job"),
        "positions": int(tracker.get_slot("lead_positions")),
        "contract_type": tracker.get_slot("lead_contract"),
        "start_date": dt.date.fromisoformat(tracker.get_slot("lead_start")),
        "commune_insee": tracker.get_slot("lead_commune_insee"),
        "commune_name": tracker.get_slot("lead_commune"),
        "contact_name": tracker.get_slot("lead_contact_name"),
        "email": tracker.get_slot("lead_email"),
        "phone": tracker.get_slot("lead_phone"),
    }
