"""Issue 14: a scheme answer is one message that fits a phone (actions/schemes_cards.py).

Run over every record of the real knowledge base, three at a time, so a long name, amount
or URL anywhere in the data is caught.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from actions.schemes_cards import (
    MAX_SCHEMES,
    PHONE_BUDGET_CHARS,
    render_answer,
    render_details,
)
from tests.actions.test_scheme_cards import schemes

FILE_REFERENCE = re.compile(r"\b\d{3}_[0-9a-f]{6,}(?:\.txt)?\b|\.txt\b")
URL = re.compile(r"https?://\S+")
CARD_TITLE = re.compile(r"^(\d+)\. \*\*(.+)\*\*$", re.M)


def _triples() -> list[list[str]]:
    ids = sorted(schemes())
    return [ids[start : start + 3] for start in range(0, len(ids), 3)]


@pytest.mark.parametrize("ids", _triples(), ids=lambda ids: ids[0])
def test_every_answer_fits_a_phone(ids: list[str]) -> None:
    chosen = [schemes()[scheme_id] for scheme_id in ids]
    answer = render_answer(chosen, topic_label="le logement", commune_name="Roubaix")
    titles = CARD_TITLE.findall(answer.text)
    assert 1 <= len(titles) <= MAX_SCHEMES
    assert len(answer.text) <= PHONE_BUDGET_CHARS, answer.text
    # Rasa's output channels cut a text at each blank line into separate messages.
    assert "\n\n" not in answer.text
    # The name comes first in each card, emphasised, in the order given.
    assert [name for _, name in titles] == [schemes()[i].name for i in answer.shown]
    assert list(answer.shown) == ids[: len(answer.shown)]
    # One source and one date per card, never a file name, never the same URL twice.
    assert answer.text.count("\nSource : ") == len(titles)
    assert len(re.findall(r"info du \d\d/\d\d/\d{4}", answer.text)) == len(titles)
    assert not FILE_REFERENCE.search(answer.text)
    sources = [line for line in answer.text.splitlines() if line.startswith("Source : ")]
    for url in {url.rstrip(".,;") for line in sources for url in URL.findall(line)}:
        assert answer.text.count(url) == 1, url
    assert "**" not in CARD_TITLE.sub("", answer.text)


def test_more_than_three_schemes_show_three() -> None:
    chosen = list(schemes().values())[:6]
    answer = render_answer(chosen)
    assert len(answer.shown) <= MAX_SCHEMES
    assert len(CARD_TITLE.findall(answer.text)) == len(answer.shown)


def test_the_reason_given_replaces_the_summary() -> None:
    scheme = schemes()["mobili-jeune"]
    answer = render_answer([scheme], {"mobili-jeune": "vous êtes alternant et vous déménagez"})
    assert "Pour vous : vous êtes alternant et vous déménagez" in answer.text
    assert scheme.summary not in answer.text


def test_amount_and_next_step_are_on_the_card() -> None:
    scheme = schemes()["mobili-jeune"]
    text = render_answer([scheme]).text
    assert scheme.amount is not None and scheme.amount.text
    assert f"Montant : {scheme.amount.text}" in text or "Montant : " in text
    assert f"➜ Demande : {scheme.apply.url}" in text


def test_the_step_url_is_not_repeated_as_the_source() -> None:
    # A record whose official page is also where to apply: cited by its publisher only.
    same = [
        s
        for s in schemes().values()
        if s.apply.url and s.citation and s.citation.url == s.apply.url
    ]
    assert same
    text = render_answer(same[:1]).text
    assert text.count(same[0].apply.url or "") == 1


def test_one_scheme_buttons_point_at_it() -> None:
    answer = render_answer([schemes()["mobili-jeune"]], first_position=4)
    payloads = [button["payload"] for button in answer.buttons]
    assert '/ask_scheme_details{"ordinal":"4"}' in payloads
    assert '/check_eligibility{"ordinal":"4"}' in payloads
    assert all(len(button["title"]) <= 24 for button in answer.buttons)


def test_several_schemes_buttons_ask_which() -> None:
    kb = schemes()
    answer = render_answer([kb["mobili-jeune"], kb["visale"]])
    assert "/ask_scheme_details" in [button["payload"] for button in answer.buttons]


def test_a_proposal_is_never_presented_as_available() -> None:
    proposals = [s for s in schemes().values() if s.status == "proposal"]
    assert proposals
    text = render_answer(proposals[:1]).text
    assert "Proposition d'un rapport, pas une aide disponible." in text


def test_no_scheme_gives_the_heading_only_and_no_buttons() -> None:
    answer = render_answer([], topic_label="le logement")
    assert answer.shown == () and answer.buttons == []


@pytest.mark.parametrize("scheme_id", sorted(schemes()))
def test_details_are_one_message_with_a_usable_source(
    domain: dict[str, Any], scheme_id: str
) -> None:
    answer = render_details(domain, schemes()[scheme_id])
    assert answer.text.startswith("**")
    assert "\n\n" not in answer.text
    assert "\nSource : " in answer.text or answer.text.startswith("Source")
    assert not FILE_REFERENCE.search(answer.text)
