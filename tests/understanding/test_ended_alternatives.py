"""An ended record named: what exists instead, on the same subject (issue 11, truth first).

Sentences written for these tests (not taken from a test or evaluation set).
"""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.schemes import ActionSearchSchemes
from tests.factories import make_tracker, user_event
from tests.understanding.conftest import records


@pytest.mark.parametrize("intent", ["ask_mobility", "ask_training"])
async def test_an_ended_licence_aid_is_replaced_by_licence_aids(
    real_kb_url: str, domain: dict[str, Any], intent: str
) -> None:
    dispatcher = CollectingDispatcher()
    text = (
        "mon formateur au CFA dit que la prime de 500 euros pour le permis des apprentis "
        "c'est fini, c'est vrai ? je fais comment maintenant"
    )
    tracker = make_tracker(events=[user_event(intent, text, 0.9)])
    await ActionSearchSchemes().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_scheme_is_ended"
    offered = dispatcher.messages[1]["text"]
    themes = {view.name: view.theme for view in records().values()}
    shown = [name for name in themes if f"**{name}**" in offered]
    # Both alternatives are about getting around (licence aids), not about apprenticeship.
    assert shown and all(themes[name] == "mobility" for name in shown), shown
