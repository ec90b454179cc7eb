"""Exports and counts of what is loaded (``python -m knowledge export`` / ``stats``)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from knowledge.models.offer import Offer
from knowledge.models.scheme import Organisation, Scheme


def _schemes_by_theme(session: Session) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for theme, payload in session.execute(
        select(Scheme.theme, Scheme.payload).order_by(
            Scheme.theme, Scheme.source_file, Scheme.source_line
        )
    ):
        grouped[theme].append(payload)
    return dict(grouped)


def _organisations(session: Session) -> list[dict[str, Any]]:
    return list(session.scalars(select(Organisation.payload).order_by(Organisation.id)))


def export_json(session: Session) -> str:
    """Schemes by theme and organisations, as one JSON document."""
    document = {"schemes": _schemes_by_theme(session), "organisations": _organisations(session)}
    return json.dumps(document, ensure_ascii=False, indent=2)


def export_yaml(session: Session, folder: Path) -> list[Path]:
    """One ``schemes/<theme>.yml`` per theme and ``organisations/organisations.yml``,
    in the same format as the source files (so they validate again)."""
    written = []
    for theme, schemes in _schemes_by_theme(session).items():
        written.append(
            _dump(
                folder / "schemes" / f"{theme}.yml",
                {"version": "1", "theme": theme, "schemes": schemes},
            )
        )
    written.append(
        _dump(
            folder / "organisations" / "organisations.yml",
            {"version": "1", "organisations": _organisations(session)},
        )
    )
    return written


def _dump(path: Path, document: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
    )
    return path


def stats(session: Session) -> dict[str, Any]:
    """``{"communes", "epci", "schemes": {"total", "by_theme", "by_status"}, "offers"}``."""
    by_theme = _count_by(session, Scheme.theme)
    by_status = _count_by(session, Scheme.status)
    return {
        "communes": _territory_count(session, "communes"),
        "epci": _territory_count(session, "epci"),
        "schemes": {
            "total": sum(by_theme.values()),
            "by_theme": by_theme,
            "by_status": by_status,
        },
        "offers": session.scalar(select(func.count()).select_from(Offer)) or 0,
    }


def _count_by(session: Session, column: Any) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).group_by(column))
    return {str(key): int(count) for key, count in rows}


def _territory_count(session: Session, what: str) -> int:
    from knowledge.models.territory import COMMUNE, Commune, Epci

    if not inspect(session.get_bind()).has_table(Commune.__tablename__):
        return 0
    if what == "communes":
        query = select(func.count()).select_from(Commune).where(Commune.kind == COMMUNE)
    else:
        query = select(func.count()).select_from(Epci).where(Epci.kind != "EPT")
    return session.scalar(query) or 0
