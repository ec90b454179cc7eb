"""Fixtures shared by every pytest lane (no lane imports `rasa`)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from tests.factories import load_domain


@pytest.fixture
def domain() -> dict[str, Any]:
    """The real domain, merged from domain/*.yml."""
    return load_domain()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    """Collects what actions utter."""
    return CollectingDispatcher()


def uttered(dispatcher: CollectingDispatcher) -> list[str | None]:
    """Names of the responses uttered, in order (None for custom payloads)."""
    return [m.get("response") for m in dispatcher.messages]


from tests.stack import Stack, stack  # noqa: E402,F401  (session fixture for e2e and browser lanes)
