"""Field mapping from each source format to ``OfferRecord`` fields.

Mappers raise ``ValueError("field: message")`` for what pydantic cannot say itself
(a missing place, an unknown contract), so the rejection report names the field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from knowledge.offers.record import DEFAULT_VALIDITY_DAYS
from knowledge.offers.vocabulary import ALTERNANCE_CONTRACTS, contract_type

# Turns "59100 Roubaix" (or a commune name) into (INSEE code, commune name).
PlaceResolver = Callable[[str], "tuple[str, str | None] | None"]
Mapper = Callable[[dict[str, Any], PlaceResolver | None, dt.date], dict[str, Any]]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MONTHS = re.compile(r"(\d+)\s*mois", re.IGNORECASE)
_FT_OFFER_PAGE = "https://candidat.francetravail.fr/offres/recherche/detail/{id}"


def _date(value: Any, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as error:
        raise ValueError(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from error


def _expiry(posted: dt.date, given: dt.date | None) -> dt.date:
    return given or posted + dt.timedelta(days=DEFAULT_VALIDITY_DAYS)


def _place(
    code: Any, text: str | None, resolve: PlaceResolver | None, name: str
) -> tuple[str, str | None]:
    if code:
        return str(code).strip(), None
    if text and resolve is not None:
        found = resolve(text)
        if found is not None:
            return found
        raise ValueError(f"{name}: no commune found for {text!r}")
    raise ValueError(f"{name}: no commune code and no place to resolve")


def _place_text(*parts: Any) -> str | None:
    return " ".join(str(part).strip() for part in parts if part not in (None, "")) or None


def _contract(*labels: str | None, alternance: bool = False) -> str:
    found = contract_type(*labels)
    if found is None:
        if alternance:
            return "apprenticeship"
        raise ValueError(f"contract_type: unknown contract {next(filter(None, labels), '')!r}")
    return found


def _text(*parts: Any) -> str | None:
    joined = " ; ".join(str(part).strip() for part in parts if part not in (None, ""))
    return joined or None


def map_france_travail(
    raw: dict[str, Any], resolve: PlaceResolver | None, today: dt.date
) -> dict[str, Any]:
    place = raw.get("lieuTravail") or {}
    commune, name = _place(
        place.get("commune"),
        _place_text(place.get("codePostal"), place.get("libelle")),
        resolve,
        "lieuTravail.commune",
    )
    label = place.get("libelle") or ""
    contact = raw.get("contact") or {}
    origin = raw.get("origineOffre") or {}
    posted = _date(raw.get("dateCreation"), "dateCreation") or today
    updated = _date(raw.get("dateActualisation"), "dateActualisation") or posted
    mail = contact.get("courriel")
    months = _MONTHS.search(raw.get("typeContratLibelle") or "")
    alternance = bool(raw.get("alternance"))
    return {
        "source": "france_travail",
        "external_id": raw["id"],
        "title": raw["intitule"],
        "employer": (raw.get("entreprise") or {}).get("nom"),
        "commune_insee": commune,
        "commune_name": name or (label.split(" - ", 1)[-1].title() if label else None),
        "contract_type": _contract(
            raw.get("natureContrat") if alternance else None,
            raw.get("typeContrat"),
            raw.get("typeContratLibelle"),
            alternance=alternance,
        ),
        "contract_duration_months": int(months.group(1)) if months else None,
        "contract_text": raw.get("typeContratLibelle"),
        "working_hours": _text(
            raw.get("dureeTravailLibelle"),
            raw.get("dureeTravailLibelleConverti"),
            raw.get("complementExercice"),
        ),
        "alternance": alternance,
        "rome_code": raw.get("romeCode"),
        "description": raw.get("description") or "",
        # Every France Travail offer has a public page where one can apply.
        "apply_url": contact.get("urlPostulation")
        or origin.get("urlOrigine")
        or _FT_OFFER_PAGE.format(id=raw["id"]),
        "apply_email": mail if mail and _EMAIL.match(mail) else None,
        "apply_phone": contact.get("telephone"),
        "apply_text": _text(
            None if mail and _EMAIL.match(mail) else mail, contact.get("coordonnees1")
        ),
        "posted_on": posted,
        "expires_on": _expiry(updated, None),
        "source_url": origin.get("urlOrigine") or _FT_OFFER_PAGE.format(id=raw["id"]),
    }


def map_lba(raw: dict[str, Any], resolve: PlaceResolver | None, today: dt.date) -> dict[str, Any]:
    partner = raw.get("partner_label") or "La bonne alternance"
    identifier = raw.get("partner_job_id") or raw.get("_id")
    if not identifier:
        raise KeyError("partner_job_id")
    commune, name = _place(
        raw.get("workplace_address_city_insee") or raw.get("workplace_insee"),
        _place_text(raw.get("workplace_address_zipcode"), raw.get("workplace_address_city"))
        or raw.get("workplace_address_label"),
        resolve,
        "workplace_address_city",
    )
    contracts = raw.get("contract_type") or ["Apprentissage"]
    if isinstance(contracts, str):
        contracts = [contracts]
    posted = _date(raw.get("offer_creation"), "offer_creation") or today
    rome = raw.get("offer_rome_codes") or []
    contract = _contract(*contracts, alternance=True)
    return {
        "source": "lba",
        "external_id": f"{partner}:{identifier}"[:120],
        "title": raw["offer_title"],
        "employer": raw.get("workplace_name")
        or raw.get("workplace_brand")
        or raw.get("workplace_legal_name"),
        "commune_insee": commune,
        "commune_name": name or raw.get("workplace_address_city"),
        "contract_type": contract,
        "contract_duration_months": raw.get("contract_duration"),
        "contract_text": ", ".join(str(c) for c in contracts),
        "working_hours": raw.get("working_hours"),
        "alternance": contract in ALTERNANCE_CONTRACTS,
        "rome_code": rome[0] if rome else None,
        "description": raw.get("offer_description") or "",
        "apply_url": raw.get("apply_url"),
        "apply_email": raw.get("apply_email"),
        "apply_phone": raw.get("apply_phone"),
        "posted_on": posted,
        "expires_on": _expiry(posted, _date(raw.get("offer_expiration"), "offer_expiration")),
        "source_url": raw.get("apply_url"),
    }


def map_csv(raw: dict[str, Any], resolve: PlaceResolver | None, today: dt.date) -> dict[str, Any]:
    commune, name = _place(
        raw.get("commune_insee"),
        _place_text(raw.get("postcode"), raw.get("city")),
        resolve,
        "commune_insee",
    )
    posted = _date(raw.get("posted_on"), "posted_on") or today
    duration = raw.get("contract_duration_months")
    alternance = (raw.get("alternance") or "").lower() in ("1", "true", "oui", "yes", "vrai")
    return {
        "source": "csv",
        "external_id": raw["external_id"],
        "title": raw["title"],
        "employer": raw.get("employer") or None,
        "commune_insee": commune,
        "commune_name": name or raw.get("city") or None,
        "contract_type": _contract(raw.get("contract_type"), alternance=alternance),
        "contract_duration_months": int(duration) if duration else None,
        "contract_text": raw.get("contract_type"),
        "working_hours": raw.get("working_hours") or None,
        "alternance": alternance,
        "rome_code": raw.get("rome_code") or None,
        "description": raw.get("description") or "",
        "apply_url": raw.get("apply_url") or None,
        "apply_email": raw.get("apply_email") or None,
        "apply_phone": raw.get("apply_phone") or None,
        "posted_on": posted,
        "expires_on": _expiry(posted, _date(raw.get("expires_on"), "expires_on")),
        "source_url": raw.get("source_url") or None,
    }


def map_native(
    raw: dict[str, Any], resolve: PlaceResolver | None, today: dt.date
) -> dict[str, Any]:
    """Our own format; the demo set gives ages in days so that it never goes stale."""
    record = dict(raw)
    if "posted_days_ago" in record:
        record["posted_on"] = today - dt.timedelta(days=int(record.pop("posted_days_ago")))
    if "valid_days" in record:
        posted = _date(record.get("posted_on"), "posted_on") or today
        record["expires_on"] = today + dt.timedelta(days=int(record.pop("valid_days")))
        record["posted_on"] = posted
    record.setdefault("source", "demo" if record.get("is_demo") else "native")
    if "expires_on" not in record:
        posted = _date(record.get("posted_on"), "posted_on") or today
        record["expires_on"] = _expiry(posted, None)
    return record


MAPPERS: dict[str, Mapper] = {
    "france_travail": map_france_travail,
    "lba": map_lba,
    "csv": map_csv,
    "native": map_native,
}
