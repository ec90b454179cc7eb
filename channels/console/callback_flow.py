"""Reading the person's answers during the call-back conversation (pure functions, no I/O).

The gateway, not Rasa, collects call-backs: it owns the ticket, needs no form state in the
tracker, and still works when the action server is down.
"""

from __future__ import annotations

import re
import unicodedata

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}")
# A run of digits with the usual separators, optionally starting with + or 00.
_PHONE = re.compile(r"(?:\+|00)?\d(?:[\s.\-()]{0,2}\d){7,16}")
_NO = {
    "non",
    "non merci",
    "nan",
    "no",
    "pas besoin",
    "annuler",
    "annule",
    "stop",
    "laisse tomber",
    "plus tard",
    "non c est bon",
    "c est bon",
    "pas maintenant",
    "je ne veux pas",
}
_YES = {"oui", "ok", "d accord", "daccord", "ouais", "volontiers", "yes", "oui merci", "ok merci"}
MAX_PREFERRED_TIME = 120


def plain(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: for matching short answers."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    no_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9@+]+", " ", no_accents).split())


def is_no(text: str) -> bool:
    """The person declines."""
    return plain(text) in _NO


def is_yes(text: str) -> bool:
    """The person accepts."""
    return plain(text) in _YES


def same_choice(text: str, title: str) -> bool:
    """The person clicked (or typed) this button title."""
    return plain(text) == plain(title)


def looks_like_contact_attempt(text: str) -> bool:
    """Digits or an @: the person tried to give a contact (so an error message is useful)."""
    return "@" in text or sum(c.isdigit() for c in text) >= 4


def _phone(candidate: str) -> str | None:
    international = candidate.startswith(("+", "00"))
    digits = re.sub(r"\D", "", candidate)
    if candidate.startswith("00"):
        digits = digits[2:]
    if international and digits.startswith("33") and len(digits) == 11 and digits[2] != "0":
        digits = "0" + digits[2:]
        international = False
    if not international and len(digits) == 10 and digits[0] == "0" and digits[1] != "0":
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    if international and 8 <= len(digits) <= 15:
        return "+" + digits
    return None


def parse_contact(text: str) -> tuple[str, str] | None:
    """("email" | "phone", normalised value) found in the text, or None."""
    email = _EMAIL.search(text)
    if email and len(email.group(0)) <= 254:
        return "email", email.group(0).lower()
    for match in _PHONE.finditer(text):
        phone = _phone(match.group(0).strip())
        if phone:
            return "phone", phone
    return None


def preferred_time(text: str) -> str:
    """The preferred moment as written, trimmed to a sane length."""
    return " ".join(text.split())[:MAX_PREFERRED_TIME]
