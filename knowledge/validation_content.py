"""Checks of what a record says, beyond its shape.

- User-facing text never carries an internal note ("ne pas en donner", "private: true", a
  source file or line reference): those belong in ``internal_notes``.
- An ``existing`` (or ``project``) record never says it ended: such a record is ``ended``.
- A national scheme (existing or project) cites an official page first (allow-list: ``knowledge/data/sources.yml``),
  so that the citation a person sees first is the official one.
- Every report a record cites is in the registry, so that it can be cited to a person.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.citations import SourceRegistry
from knowledge.schema import SOURCE_FILE_REF, OrganisationRecord, SchemeRecord
from knowledge.validation_issues import Issue, LocatedOrganisation, LocatedScheme

_APOSTROPHE = "['’]"
# Editorial instructions and audit references that must stay in internal_notes.
INTERNAL_NOTE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\bne pas (?:en |le |la |les |l['’])?(?:donner|citer|trancher|inventer|rattacher|"
        r"reprendre|mentionner|affirmer|présenter|promettre|confondre)\b",
        r"\bprivate\s*:\s*(?:true|false)\b",
        r"\b[\w-]+\.(?:txt|md)\b",
        r"\b00\d\s*:\s*\d+",
        r"\blignes?\s+\d+\s*(?:-|à)\s*\d+",
        r"(?<![\w.])l\.\s?\d+",
        r"\bdocuments? sources?\b",
        r"\binstantané d",
        r"§\s*\d",
    )
)
# Words by which a text says that the scheme stopped.
ENDED_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\ba pris fin\b",
        r"\bont pris fin\b",
        rf"\bn{_APOSTROPHE}existe plus\b",
        rf"\bn{_APOSTROPHE}est plus (?:proposée?|ouverte?|versée?|accordée?|financée?)\b",
        r"\b(?:a|ont) été supprimée?s?\b",
        r"\best supprimée?\b",
        r"\bsupprimée? (?:depuis|en|le|au)\b",
        r"\bterminée? (?:en|le|depuis)\b",
        r"\bs['’]est terminée?\b",
        r"\b(?:a|ont) cessé\b",
        r"\b(?:a|ont) été arrêtée?s?\b",
        r"\barrêtée?s? depuis\b",
        r"\b(?:est|sont) terminée?s?\b",
        rf"\bn{_APOSTROPHE}accepte plus\b",
        r"\ba été remplacée? par\b",
        r"\bfermée? (?:depuis|en)\b",
    )
)


def scheme_user_texts(record: SchemeRecord) -> Iterator[tuple[str, str]]:
    """Every text of a scheme that a person may read, with its field name."""
    yield "name", record.name
    yield "summary", record.summary
    if record.for_whom:
        yield "for_whom", record.for_whom
    if record.details:
        yield "details", record.details
    yield "territory.label", record.territory.label
    for index, text in enumerate(record.conditions.other):
        yield f"conditions.other.{index}", text
    income = record.conditions.monthly_income_max
    if income is not None and income.basis:
        yield "conditions.monthly_income_max.basis", income.basis
    if record.amount is not None and record.amount.text:
        yield "amount.text", record.amount.text
    for index, text in enumerate(record.apply.steps):
        yield f"apply.steps.{index}", text
    for name in ("phone", "office"):
        value = getattr(record.apply, name)
        if value:
            yield f"apply.{name}", value
    for index, text in enumerate(record.aliases):
        yield f"aliases.{index}", text


def organisation_user_texts(record: OrganisationRecord) -> Iterator[tuple[str, str]]:
    yield "name", record.name
    yield "territory.label", record.territory.label
    for name in ("phone", "address"):
        value = getattr(record.contacts, name)
        if value:
            yield f"contacts.{name}", value


def internal_note_found(text: str) -> str | None:
    """The internal-note fragment in ``text``, if any."""
    for pattern in INTERNAL_NOTE_PATTERNS:
        match = pattern.search(text)
        if match:
            return match.group(0)
    return None


def ended_wording_found(text: str) -> str | None:
    """The words by which ``text`` says the scheme ended, if any."""
    for pattern in ENDED_PATTERNS:
        match = pattern.search(text)
        if match:
            return match.group(0)
    return None


def content_issues(
    item: LocatedScheme | LocatedOrganisation, source_registry: SourceRegistry
) -> list[Issue]:
    """Every content problem of one located record."""
    record = item.record
    issues: list[Issue] = []

    def issue(message: str, field: str) -> None:
        issues.append(Issue(item.file, item.line, message, record.id, field))

    texts = (
        scheme_user_texts(record)
        if isinstance(record, SchemeRecord)
        else organisation_user_texts(record)
    )
    for field, text in texts:
        found = internal_note_found(text)
        if found:
            issue(f"internal note in user text ({found!r}): move it to internal_notes", field)
        if isinstance(record, SchemeRecord) and record.status in ("existing", "project"):
            ended = ended_wording_found(text)
            if ended:
                issue(
                    f"the text says the scheme ended ({ended!r}) but status is "
                    f"{record.status!r}: use status ended, or reword",
                    field,
                )
    for source in record.sources:
        match = SOURCE_FILE_REF.match(source)
        if match and match["file"] not in source_registry.documents:
            issue(f"report {match['file']!r} is not in knowledge/data/sources.yml", "sources")
    if (
        isinstance(record, SchemeRecord)
        and record.territory.scope == "national"
        and record.status in ("existing", "project")
        and not source_registry.is_official(record.sources[0])
    ):
        issue(
            f"a national scheme's first source must be an official page (allow-list in "
            f"knowledge/data/sources.yml), not {record.sources[0]!r}",
            "sources.0",
        )
    return issues
