"""SIRET numbers, e-mail addresses and phone numbers (``phonenumbers``)."""

from __future__ import annotations

import re

import phonenumbers

# La Poste's establishments share one SIREN whose SIRETs do not follow the Luhn rule;
# INSEE checks them with the sum of their digits instead.
_LA_POSTE_SIREN = "356000000"


def luhn_is_valid(digits: str) -> bool:
    """The Luhn checksum used by SIREN and SIRET numbers."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_siret(text: str | None) -> str | None:
    """The 14 digits of a valid SIRET (spaces, dots and dashes allowed), else None."""
    digits = re.sub(r"[\s.\-]", "", text or "")
    if not re.fullmatch(r"\d{14}", digits):
        return None
    if digits.startswith(_LA_POSTE_SIREN):
        return digits if sum(int(c) for c in digits) % 5 == 0 else None
    return digits if luhn_is_valid(digits) else None


# --- Contacts --------------------------------------------------------------------------

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,}$"
)


def normalise_email(text: str | None) -> str | None:
    """A plausible e-mail address, lowercased; None otherwise."""
    candidate = (text or "").strip().strip(".,;").lower()
    if len(candidate) > 254 or ".." in candidate or not _EMAIL.match(candidate):
        return None
    return candidate


# France and the countries a person living near a border may give a number from
# (a Belgian mobile next to Lille, a Swiss one near Geneva…).
FRENCH_REGIONS = frozenset({"FR", "RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF"})
PHONE_REGIONS = FRENCH_REGIONS | {"BE", "LU", "DE", "CH", "IT", "ES", "MC", "AD"}


def normalise_french_phone(text: str | None) -> str | None:
    """A phone number checked with ``phonenumbers``: a French one as ``06 12 34 56 78``, one
    of a neighbouring country in international form (``+32 470 12 34 56``); None otherwise."""
    raw = (text or "").strip()
    if not raw or len(raw) > 40:
        return None
    number = _valid_number(raw)
    if number is None:
        return None
    region = phonenumbers.region_code_for_number(number)
    if region in FRENCH_REGIONS:
        national = phonenumbers.national_significant_number(number)
        digits = f"0{national}"
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _valid_number(raw: str) -> phonenumbers.PhoneNumber | None:
    """The number as written; a national one ("0692…") read as French, then as overseas."""
    for region in ("FR", "RE", "GP", "MQ", "GF", "YT"):
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            return None
        found = phonenumbers.region_code_for_number(number)
        if phonenumbers.is_valid_number(number) and found in PHONE_REGIONS:
            return number
        if raw.lstrip().startswith(("+", "00")):
            return None  # international: the country code says it all
    return None
