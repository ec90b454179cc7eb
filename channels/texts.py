"""French texts of the gateway, kept in `texts_fr.yml` rather than in Python."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

_TEXTS_FILE = Path(__file__).with_name("texts_fr.yml")


@lru_cache(maxsize=1)
def _texts() -> dict[str, str]:
    with _TEXTS_FILE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return {str(key): str(value) for key, value in data["texts"].items()}


def text(key: str, **values: object) -> str:
    """The French text named `key`, with `{placeholders}` filled in."""
    template = _texts()[key]
    return template.format(**values) if values else template
