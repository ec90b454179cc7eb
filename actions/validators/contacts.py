"""SIRET numbers, e-mail addresses and French phone numbers."""

from __future__ import annotations

import re

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


def normalise_french_phone(text: str | None) -> str | None:
    """A French phone number as ``06 12 34 56 78`` (accepts +33, 0033, dots, dashes)."""
    digits = re.sub(r"[\s.\-()/]", "", text or "")
    if digits.startswith("+33"):
        digits = "0" + digits[3:]
    elif digits.startswith("0033"):
        digits = "0" + digits[4:]
    if digits.startswith("00"):
        return None
    if not re.fullmatch(r"0[1-9]\d{8}", digits):
        return None
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
