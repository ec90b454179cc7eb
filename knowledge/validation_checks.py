"""Checks across records and files: unique ids, known organisations, dates not in the
future, territory codes that exist, source references that point at real lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from knowledge.schema import SOURCE_FILE_REF, TerritoryScope
from knowledge.validation_issues import (
    Issue,
    KnowledgeData,
    LocatedOrganisation,
    LocatedScheme,
    TerritoryChecker,
    display_path,
)


def check_data_set(
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
