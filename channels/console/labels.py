"""French labels of the console, kept in `labels_fr.yml` rather than in Python."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

_LABELS_FILE = Path(__file__).with_name("labels_fr.yml")


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    """Every group of labels: reasons, statuses, unavailable, channels, authors, errors."""
    with _LABELS_FILE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return {
        str(group): {str(k): str(v) for k, v in values.items()}
        for group, values in data.items()
        if isinstance(values, dict)
    }


def label(group: str, code: str | None) -> str:
    """The label of a code, or the code itself when it has none (a new reason from another area)."""
    if code is None:
        return ""
    return labels().get(group, {}).get(code, code)
