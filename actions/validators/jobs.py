"""A job title out of a sentence: "c'est moi qui cherche, pas mon mari : comptable, 10 ans
d'expérience" is the job "comptable", with "10 ans d'expérience" as experience.

The French words below are vocabulary to recognise, never text shown to people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.text import normalise

MAX_TITLE = 60
# What people say before the job itself (normalised text).
_LEAD_IN = re.compile(
    r"^(?:(?:alors|bah|ben|euh|oui|donc)\s+)*"
    r"(?:(?:je suis|j suis|jsuis|il est|elle est|c est|je cherche|il cherche|elle cherche|"
    r"je recherche|il recherche|elle recherche|je voudrais etre|je veux etre|je vise)\s+)?"
    r"(?:(?:un|une|du|comme|en tant que|dans|poste|emploi|travail|job|metier)\s+(?:de\s+|d\s+)?)*"
)
_EXPERIENCE = re.compile(r"\b\d+\s*(?:ans?|annees?|mois)\b.*\bexp|\bexperience\b|\bexp\b")
_WHO_SELF = re.compile(r"\b(?:c est moi qui|moi qui cherche|c est pour moi|pour moi)\b")
_WHO_SPOUSE = re.compile(
    r"\b(?:mon mari|ma femme|mon epoux|mon epouse|mon conjoint|ma conjointe|mon compagnon|ma compagne)\b(?! ne)"
)
_NOT_SPOUSE = re.compile(
    r"\bpas (?:mon|ma) (?:mari|femme|epoux|epouse|conjoint|conjointe|compagnon|compagne)\b"
)


@dataclass(frozen=True)
class JobAnswer:
    """The job, the experience said with it, and who looks for work (``self``/``spouse``)."""

    title: str
    experience: str | None
    who: str | None


def _who(plain: str) -> str | None:
    if _WHO_SELF.search(plain) or _NOT_SPOUSE.search(plain):
        return "self"
    if _WHO_SPOUSE.search(plain):
        return "spouse"
    return None


def _without_words(text: str, count: int) -> str:
    """``text`` without its first ``count`` normalised words ("c'est" counts as two)."""
    tokens = text.split()
    dropped = 0
    while tokens and dropped < count:
        dropped += max(1, len(normalise(tokens.pop(0)).split()))
    return " ".join(tokens)


def read_job_answer(text: str | None) -> JobAnswer | None:
    """The job title of a free answer, or None when no title can be read."""
    raw = " ".join((text or "").split())
    if not raw:
        return None
    # After "qui cherche, pas mon mari :" comes the answer itself.
    body = raw.rsplit(":", 1)[-1] if ":" in raw else raw
    parts = [
        part.strip(" .!") for part in re.split(r",|;|\bet\b|\bavec\b", body) if part.strip(" .!")
    ]
    title: str | None = None
    experience: list[str] = []
    for part in parts:
        plain = normalise(part)
        if _EXPERIENCE.search(plain):
            experience.append(part)
        elif title is None and not _who(plain):
            lead_in = _LEAD_IN.match(plain)
            title = _without_words(part, len(lead_in[0].split()) if lead_in else 0) or None
    if not title or len(title) > MAX_TITLE:
        return None
    return JobAnswer(title, ", ".join(experience) or None, _who(normalise(raw)))
