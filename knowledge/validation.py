"""Strict validation of the scheme and organisation YAML files.

Every problem becomes an ``Issue`` naming the file, the line, the record id and the
field, so that content writers can fix it without reading Python. Nothing is
written anywhere: ``knowledge.loader`` only loads data that passed these checks.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from knowledge.citations import REGISTRY_FILE, SourceRegistry, read_registry
from knowledge.schema import THEMES, OrganisationRecord, SchemeRecord
from knowledge.validation_checks import check_data_set
from knowledge.validation_content import content_issues
from knowledge.validation_issues import (
    Issue,
    KnowledgeData,
    KnowledgeValidationError,
    LocatedOrganisation,
    LocatedScheme,
    TerritoryChecker,
    display_path,
)
from knowledge.yaml_lines import LineDict, YamlSyntaxError, line_of, load_yaml_with_lines

# The types moved to ``validation_issues``; callers import them from here.
__all__ = [
    "DEFAULT_DATA_DIR",
    "DEFAULT_SOURCES_DIR",
    "Issue",
    "KnowledgeData",
    "KnowledgeValidationError",
    "LocatedOrganisation",
    "LocatedScheme",
    "TerritoryChecker",
    "display_path",
    "read_knowledge",
]

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_DATA_DIR = PACKAGE_DIR / "data"
# The shared documents sit next to the repository (``../shared/sources``).
DEFAULT_SOURCES_DIR = PACKAGE_DIR.parent.parent / "shared" / "sources"


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
    check_data_set(data, issues, territory_exists, sources_dir, today or dt.date.today())
    source_registry = _registry(data_dir, issues)
    if source_registry is not None:
        located: list[LocatedScheme | LocatedOrganisation] = [*data.organisations, *data.schemes]
        for item in located:
            issues.extend(content_issues(item, source_registry))
    if issues:
        raise KnowledgeValidationError(issues)
    return data


def _registry(data_dir: Path, issues: list[Issue]) -> SourceRegistry | None:
    """The data set's own ``sources.yml``, else the shipped one (test data sets)."""
    path = data_dir / "sources.yml"
    if not path.is_file():
        path = REGISTRY_FILE
    try:
        return read_registry(path)
    except (OSError, ValidationError, YamlSyntaxError) as error:
        issues.append(Issue(display_path(path), 1, f"invalid source registry: {error}"))
        return None


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
    if not theme_matches_file_name(str(theme), path.stem):
        issues.append(Issue(shown, line, f"theme {theme!r} does not match file name {path.name!r}"))
    return str(theme)


def theme_matches_file_name(theme: str, stem: str) -> bool:
    """``<theme>.yml``, or a part ``<theme or its first word>_<part>.yml``.

    A theme may span several files so that people can work on separate files
    (``mobility_national.yml``, ``hiring_national.yml`` for ``hiring_geiq``)
    without merge conflicts; the file name still says which theme it holds.
    """
    if stem == theme:
        return True
    prefixes = {f"{theme}_", f"{theme.split('_')[0]}_"}
    return any(stem.startswith(prefix) and len(stem) > len(prefix) for prefix in prefixes)


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
