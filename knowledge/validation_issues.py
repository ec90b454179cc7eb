"""What validation reports (``Issue``, ``KnowledgeValidationError``) and what it yields:
records located at their file and line, ready for ``knowledge.loader``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.schema import OrganisationRecord, SchemeRecord

TerritoryChecker = Callable[[str, str], bool]


@dataclass(frozen=True)
class Issue:
    """One validation problem, located as precisely as the file allows."""

    file: str
    line: int
    message: str
    record_id: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        record = f" record {self.record_id!r}" if self.record_id else ""
        attribute = f" field {self.field!r}" if self.field else ""
        return f"{where}:{record}{attribute}: {self.message}"


class KnowledgeValidationError(ValueError):
    """The data set has errors; nothing must be loaded."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = list(issues)
        lines = "\n".join(str(issue) for issue in self.issues[:50])
        more = f"\n... and {len(self.issues) - 50} more" if len(self.issues) > 50 else ""
        super().__init__(f"{len(self.issues)} error(s) in the knowledge data:\n{lines}{more}")


@dataclass(frozen=True)
class LocatedScheme:
    record: SchemeRecord
    theme: str
    file: str
    line: int


@dataclass(frozen=True)
class LocatedOrganisation:
    record: OrganisationRecord
    file: str
    line: int


@dataclass
class KnowledgeData:
    schemes: list[LocatedScheme] = field(default_factory=list)
    organisations: list[LocatedOrganisation] = field(default_factory=list)


def display_path(path: Path) -> str:
    """Relative to the working directory when inside it, else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
