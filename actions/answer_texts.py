"""The text catalogue of scheme answers (``answer_texts_fr.yml``), read once, lazily.

The action server reads it itself, so a wording change needs no training of the Rasa model.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CATALOGUE = Path(__file__).resolve().with_name("answer_texts_fr.yml")


@lru_cache(maxsize=1)
def _texts() -> dict[str, str]:
    with CATALOGUE.open(encoding="utf-8") as handle:
        data: Any = yaml.safe_load(handle)
    return {str(key): str(value) for key, value in data["texts"].items()}


def answer_text(key: str, **values: Any) -> str:
    """The catalogue text ``key`` filled with ``values`` (KeyError when the key is missing)."""
    return _texts()[key].format(**values)
