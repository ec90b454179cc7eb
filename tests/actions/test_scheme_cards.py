"""Lane b: how a scheme card says how to apply, on the real knowledge base (no Rasa, no database)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from actions.schemes_cards import apply_steps, how_to_apply
from knowledge.views import SchemeView, scheme_view

DATA = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "schemes"
# A sentence that ends, then goes on in lower case: ". en ligne : https://…".
_RUN_ON = re.compile(r"[.!?…]\s+[a-zà-ÿ]")


@cache
def schemes() -> dict[str, SchemeView]:
    found: dict[str, SchemeView] = {}
    for path in sorted(DATA.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for record in data["schemes"]:
            found[record["id"]] = scheme_view(data["theme"], record)
    return found


def test_the_card_says_online_once_then_gives_the_site(domain: dict[str, Any]) -> None:
    scheme = schemes()["mobili-jeune"]
    assert scheme.apply.steps[0].startswith("Faites la demande en ligne")
    how = how_to_apply(domain, scheme)
    assert how.startswith(scheme.apply.steps[0])
    assert how.lower().count("en ligne") == 1
    assert how.endswith(f" : {scheme.apply.url}")
    assert not _RUN_ON.search(how), how


def test_the_list_of_steps_says_online_once(domain: dict[str, Any]) -> None:
    steps = apply_steps(domain, schemes()["mobili-jeune"])
    assert steps.lower().count("en ligne") == 1
    assert steps.splitlines()[-1].endswith(schemes()["mobili-jeune"].apply.url or "")


def test_every_card_reads_as_whole_sentences(domain: dict[str, Any]) -> None:
    run_on = {
        scheme_id: how
        for scheme_id, scheme in schemes().items()
        if _RUN_ON.search(how := how_to_apply(domain, scheme))
    }
    assert not run_on
