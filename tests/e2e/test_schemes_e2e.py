"""End-to-end: messages written as people write them get the right scheme by name.

Runs against the real Rasa model, action server, gateway and full knowledge base
(``tests/stack.py``). When the bot asks for the commune, the test answers it, as a person would.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.stack import Stack

pytestmark = pytest.mark.e2e

PLACE_QUESTION = "Dans quelle commune habitez-vous"


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(str(m.get("text") or "") for m in messages)


def payloads(messages: list[dict[str, Any]]) -> list[str]:
    return [str(b["payload"]) for m in messages for b in m.get("buttons") or []]


def ask(stack: Stack, message: str, place: str | None = None) -> tuple[str, list[dict[str, Any]]]:
    """One question, answering the place question if the bot asks it (after its first answer).

    Returns every reply: the national answer given first and the local one after the place.
    """
    session = uuid.uuid4().hex
    replies = stack.chat(session, message)
    if PLACE_QUESTION in texts(replies) and place is not None:
        replies = replies + stack.chat(session, place)
    return session, replies


@pytest.mark.parametrize(
    ("message", "place", "expected"),
    [
        ("jcherche un logement pr mon alternance a lille", None, "Mobili-Jeune"),
        (
            "aide pour passer le permis jsuis apprenti 19 ans",
            "roubaix",
            "Aide régionale au permis de conduire (Hauts-de-France)",
        ),
        (
            "g 2 enfants et je bosse de nuit qui peut les garder",
            "carhaix",
            "Faire garder ses enfants tôt le matin, le soir, la nuit ou le week-end",
        ),
        ("c koi la vae", "lens", "VAE"),
        ("jai pas de garant pour louer mon appart", "59100", "Visale"),
        (
            "entretien d'embauche a 80 km et jsuis inscrit a france travail, qui paye le trajet ?",
            "tourcoing",
            "Aide à la mobilité de France Travail",
        ),
        ("mission locale roubaix", None, "Mission locale"),
        ("je veux creer ma boite a roubaix", None, "Métropole européenne de Lille"),
        ("aide pour la caution de mon studio", "brest", "Loca-Pass"),
        ("formation cariste pr demandeur d'emploi", "lille", "Hauts-de-France"),
        ("garde d'enfant hauts de france je reprends le taf", "arras", "Région Hauts-de-France"),
    ],
)
def test_the_expected_scheme_is_named(
    stack: Stack, message: str, place: str | None, expected: str
) -> None:
    _, replies = ask(stack, message, place)
    body = texts(replies)
    assert expected.lower() in body.lower(), f"{message!r} -> {body[:1500]}"
    assert "info du" in body and "Source : " in body
    if "Pour trouver le lieu d'accueil" in body or "Vers qui aller" in body:
        return  # where to go (a structure), not a list of schemes: no eligibility to check
    assert any(p.startswith("/check_eligibility") for p in payloads(replies))
    # One answer is one message (issue 14): every card is inside a message that starts with
    # the answer's heading, never a message of its own (Rasa cuts texts at blank lines).
    cards = [m for m in replies if "**" in str(m.get("text") or "")]
    assert cards and len(cards) <= 2, [str(m.get("text"))[:80] for m in replies]
    assert not any(str(m.get("text") or "").startswith(("1. ", "2. ", "3. ")) for m in replies)


def test_the_commune_is_remembered_for_the_next_question(stack: Stack) -> None:
    session = uuid.uuid4().hex
    first = stack.chat(session, "je cherche un logement")
    assert PLACE_QUESTION in texts(first)
    stack.chat(session, "roubaix")
    second = stack.chat(session, "et pour le permis de conduire ?")
    assert PLACE_QUESTION not in texts(second)
    assert "Roubaix" in texts(second)


def test_second_item_details_and_eligibility_to_the_end(stack: Stack) -> None:
    session = uuid.uuid4().hex
    stack.chat(session, "aide au permis de conduire pour apprenti a lille")
    details = texts(stack.chat(session, "la premiere"))
    assert "info du" in details
    question = texts(stack.chat(session, "suis-je éligible ?"))
    assert "questions" in question
    answers = ["vingt", "19", "oui", "oui"]
    body = ""
    for answer in answers:
        body = texts(stack.chat(session, answer))
        if "Prochaine étape" in body:
            break
    assert "Prochaine étape" in body
    assert "semblez remplir" in body or "il manque" in body.lower() or "pas pu vérifier" in body


def test_sensitive_situation_gives_the_contact_and_offers_an_adviser(stack: Stack) -> None:
    _, replies = ask(stack, "ma boite me paye plus depuis 2 mois")
    assert "0 806 000 126" in texts(replies)
    assert "/affirm" in payloads(replies)


def test_a_national_answer_comes_before_the_commune_question(stack: Stack) -> None:
    # Answer first (issue 11): Mobili-Jeune is national, the commune only adds local options.
    replies = stack.chat(uuid.uuid4().hex, "jcherche un logement pr mon alternance")
    body = texts(replies)
    assert "Mobili-Jeune" in body
    assert body.index("Mobili-Jeune") < body.index(PLACE_QUESTION)
