"""A named record's facet is answered from the record, or says the record is silent (issue 11)."""

from __future__ import annotations

from typing import Any

import pytest

from actions.understanding.facets import asks_about_one, facet_of, render_facet
from tests.understanding.conftest import records


@pytest.mark.parametrize(
    ("message", "facet"),
    [
        ("visale ca coute combien", "price"),
        ("le fjt c pour qui", "who"),
        ("la mission locale c ouvert le samedi ?", "hours"),
        ("comment on fait la demande pour mobili jeune", "apply"),
        ("l aide au permis de 500 euros existe encore ?", "valid"),
        ("je cherche un logement pas cher pour mon alternance a lille en septembre", None),
    ],
)
def test_facets_are_read_from_people_s_words(message: str, facet: str | None) -> None:
    assert facet_of(message) == facet


def test_a_long_message_without_a_facet_asks_for_a_list() -> None:
    assert not asks_about_one("je cherche un logement pas cher pour mon alternance a lille")
    assert asks_about_one("visale")


def test_price_comes_from_the_record_or_says_it_is_not_given(domain: dict[str, Any]) -> None:
    views = records()
    with_amount = next(v for v in views.values() if v.amount is not None and v.amount.text)
    answer = render_facet(domain, with_amount, "price")
    assert with_amount.amount is not None and str(with_amount.amount.text) in answer.text
    without = next(v for v in views.values() if v.amount is None and not v.is_ended)
    silent = render_facet(domain, without, "price")
    assert "ne donne pas de montant" in silent.text
    # Silent record: the way to ask the organisation follows.
    assert "Pour faire la demande" in silent.text


def test_every_facet_answer_names_the_record_and_its_source(domain: dict[str, Any]) -> None:
    visale = records()["visale"]
    for facet in ("price", "who", "hours", "apply", "valid"):
        answer = render_facet(domain, visale, facet)
        assert answer.text.startswith("**Garantie Visale")
        assert "info du" in answer.text
        assert answer.buttons[-1]["payload"] == "/request_human"


def test_what_is_and_still_valid_questions() -> None:
    assert facet_of("c quoi mobilimel ? ma conseillere m'en a parlé") == "what"
    assert facet_of("l'aide de 500e pour le permis existait plus c vrai ?") == "valid"


def test_a_facet_answer_has_no_blank_line(domain: dict[str, Any]) -> None:
    # Rasa splits a text at blank lines: one answer must stay one message.
    for facet in ("price", "who", "hours", "apply", "valid"):
        assert "\n\n" not in render_facet(domain, records()["visale"], facet).text
