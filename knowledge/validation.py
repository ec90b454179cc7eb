"""Strict validation of the scheme and organisation YAML files.

Every problem becomes an ``Issue`` naming the file, the line, the record id and the
field, so that content writers can fix it without reading Python. Nothing is
written anywhere: ``knowledge.loader`` only loads data that passed these checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from knowledge.schema import (
    SOURCE_FILE_REF,
    THEMES,
    OrganisationRecord,
    SchemeRecord,
    TerritoryScope,
)
from knowledge.yaml_lines import LineDict, YamlSyntaxError, line_of, load_yaml_with_lines

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_DATA_DIR = PACKAGE_DIR / "data"
# The shared documents sit next to the repository (``../shared/sources``).
DEFAULT_SOURCES_DIR = PACKAGE_DIR.parent.parent / "shared" / "sources"

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


def read_knowledge(
    data_dir: Path = DEFAULT_DATA_DIR,
    *,
    territory_exists: TerritoryChecker | None = None,
    sources_dir: Path | None = DEFAULT_SOURCES_DIR,
    today: dt.date | None = None,
) -> KnowledgeData:
    """Read and check every YAML file; raise ``KnowledgeValidationError`` on any issue.

    ``territory_exists`` checks codes against the territory data; without it only the
    code formats are checked. ``sources_dir`` checks ``file:line`` references when the
    directory exists.
    """
    issues: list[Issue] = []
    data = KnowledgeData()
    for path in sorted((data_dir / "organisations").glob("*.y*ml")):
        data.organisations.extend(_read_file(path, "organisations", OrganisationRecord, issues))
    for path in sorted((data_dir / "schemes").glob("*.y*ml")):
        data.schemes.extend(_read_file(path, "schemes", SchemeRecord, issues))
    _check_data_set(data, issues, territory_exists, sources_dir, today or dt.date.today())
    if issues:
        raise KnowledgeValidationError(issues)
    return data


def _read_file(path: Path, list_key: str, model: type[BaseModel], issues: list[Issue]) -> list[Any]:
    shown = display_path(path)
    try:
        document = load_yaml_with_lines(path)
    except YamlSyntaxError as error:
        issues.append(Issue(shown, error.line, f"invalid YAML: {error.message}"))
        return []
    if not isinstance(document, LineDict):
        issues.append(
            Issue(shown, 1, f"the file must be a mapping with 'version' and '{list_key}'")
        )
        return []
    theme = _check_header(document, path, shown, list_key, issues)
    records = document.get(list_key)
    if not isinstance(records, list):
        line = line_of(document, (list_key,))
        issues.append(Issue(shown, line, f"'{list_key}' must be a list of records"))
        return []
    located: list[Any] = []
    for index, raw in enumerate(records):
        line = line_of(document, (list_key, index))
        record = _validate_record(model, raw, shown, line, issues)
        if isinstance(record, SchemeRecord):
            located.append(LocatedScheme(record, theme or "", shown, line))
        elif isinstance(record, OrganisationRecord):
            located.append(LocatedOrganisation(record, shown, line))
    return located


def _check_header(
    document: LineDict, path: Path, shown: str, list_key: str, issues: list[Issue]
) -> str | None:
    allowed = {"version", list_key} | ({"theme"} if list_key == "schemes" else set())
    for key in document:
        if key not in allowed:
            issues.append(Issue(shown, line_of(document, (key,)), f"unknown top-level key {key!r}"))
    if document.get("version") != "1":
        line = line_of(document, ("version",))
        issues.append(
            Issue(shown, line, 'version must be the string "1" (quoted)', field="version")
        )
    if list_key != "schemes":
        return None
    theme = document.get("theme")
    line = line_of(document, ("theme",))
    if theme not in THEMES:
        issues.append(Issue(shown, line, f"unknown theme {theme!r}; one of {', '.join(THEMES)}"))
        return None
    if path.stem != theme:
        issues.append(Issue(shown, line, f"theme {theme!r} does not match file name {path.name!r}"))
    return str(theme)


def _validate_record(
    model: type[BaseModel], raw: Any, shown: str, line: int, issues: list[Issue]
) -> BaseModel | None:
    if not isinstance(raw, dict):
        issues.append(Issue(shown, line, "each record must be a mapping"))
        return None
    record_id = raw.get("id") if isinstance(raw.get("id"), str) else None
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            location = tuple(detail["loc"])
            issues.append(
                Issue(
                    shown,
                    line_of(raw, location) if location else line,
                    _explain(detail, raw, location),
                    record_id=record_id,
                    field=".".join(str(step) for step in location) or None,
                )
            )
        return None


def _explain(detail: Any, raw: Any, location: tuple[Any, ...]) -> str:
    message = str(detail["msg"]).removeprefix("Value error, ")
    if detail["type"] == "missing":
        return "required field is missing"
    if detail["type"] == "extra_forbidden":
        return "unknown field (check the spelling against docs/CONTRACTS.md)"
    if detail["type"] == "string_type" and "codes" in location:
        return f'{message}: write INSEE codes in quotes, e.g. "59350"'
    return message


def _check_data_set(
    data: KnowledgeData,
    issues: list[Issue],
    territory_exists: TerritoryChecker | None,
    sources_dir: Path | None,
    today: dt.date,
) -> None:
    organisation_ids: dict[str, LocatedOrganisation] = {}
    for org in data.organisations:
        first = organisation_ids.setdefault(org.record.id, org)
        if first is not org:
            issues.append(_dup(org.file, org.line, org.record.id, first.file, first.line))
    scheme_ids: dict[str, LocatedScheme] = {}
    for scheme in data.schemes:
        first_scheme = scheme_ids.setdefault(scheme.record.id, scheme)
        if first_scheme is not scheme:
            issues.append(
                _dup(
                    scheme.file, scheme.line, scheme.record.id, first_scheme.file, first_scheme.line
                )
            )
        for org_id in scheme.record.organisations:
            if org_id not in organisation_ids:
                issues.append(
                    Issue(
                        scheme.file,
                        scheme.line,
                        f"unknown organisation {org_id!r}",
                        scheme.record.id,
                        "organisations",
                    )
                )
    located: Iterable[LocatedScheme | LocatedOrganisation] = [*data.organisations, *data.schemes]
    for item in located:
        record = item.record
        if record.information_date > today:
            issues.append(
                Issue(
                    item.file,
                    item.line,
                    "information_date is in the future",
                    record.id,
                    "information_date",
                )
            )
        if territory_exists is not None:
            issues.extend(_territory_issues(item, record.territory, territory_exists))
        if sources_dir is not None and sources_dir.is_dir():
            issues.extend(_source_issues(item, record.sources, sources_dir))


def _dup(file: str, line: int, record_id: str, first_file: str, first_line: int) -> Issue:
    return Issue(
        file, line, f"duplicate id, first defined at {first_file}:{first_line}", record_id, "id"
    )


def _territory_issues(
    item: LocatedScheme | LocatedOrganisation, territory: TerritoryScope, exists: TerritoryChecker
) -> list[Issue]:
    return [
        Issue(
            item.file,
            item.line,
            f"unknown {territory.scope} code {code!r}{_former_code_hint(territory.scope, code)}",
            item.record.id,
            "territory.codes",
        )
        for code in territory.codes
        if not exists(territory.scope, code)
    ]


def _former_code_hint(scope: str, code: str) -> str:
    """Communes merge: point to the code that replaced a retired one."""
    if scope != "commune":
        return ""
    from knowledge.territories.codes import former_commune_codes

    current = former_commune_codes().get(code)
    return f" (merged: the commune is now {current!r})" if current else ""


_line_counts: dict[Path, int] = {}


def _source_issues(
    item: LocatedScheme | LocatedOrganisation, sources: list[str], sources_dir: Path
) -> list[Issue]:
    issues = []
    for source in sources:
        match = SOURCE_FILE_REF.match(source)
        if match is None:
            continue
        path = sources_dir / match["file"]
        if not path.is_file():
            issues.append(
                Issue(
                    item.file,
                    item.line,
                    f"source file {match['file']!r} not found in {display_path(sources_dir)}",
                    item.record.id,
                    "sources",
                )
            )
            continue
        if path not in _line_counts:
            with path.open(encoding="utf-8") as handle:
                _line_counts[path] = sum(1 for _ in handle)
        start, end = int(match["start"]), int(match["end"] or match["start"])
        if not 1 <= start <= end <= _line_counts[path]:
            issues.append(
                Issue(
                    item.file,
                    item.line,
                    f"{source!r}: lines out of range (the file has {_line_counts[path]} lines)",
                    item.record.id,
                    "sources",
                )
            )
    return issues
