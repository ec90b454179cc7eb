"""End-to-end: hiring need, welcome kit, spouse CV bank and offers through the gateway.

Runs against the real Rasa model, action server, gateway and full knowledge base
(``tests/stack.py``). Each form question is recognised by its text and answered as a
person would, including one invalid answer and one correction.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from knowledge.db import make_engine, make_session_factory
from knowledge.models.requests import EmployerLead, SpouseProfile
from tests.stack import Stack

pytestmark = pytest.mark.e2e

LEAD_ANSWERS = {
    "nom de votre entreprise": "Boulangerie Martin",
    "secteur": "boulangerie",
    "poste voulez-vous pourvoir": "vendeur",
    "Combien de personnes": "deux",
    "type de contrat": "CDI",
    "À partir de quand": "dès que possible",
    "commune se trouve le poste": "Roubaix",
    "Qui le conseiller doit-il contacter": "Claire Martin",
    "adresse e-mail": "claire.martin@exemple.fr",
    "numéro de téléphone": "06 12 34 56 78",
}


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(str(m.get("text") or "") for m in messages)


def customs(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m["custom"] for m in messages if m.get("custom")]


def rows(stack: Stack, model: type[Any], **where: Any) -> list[Any]:
    engine = make_engine(stack.database_url)
    with make_session_factory(engine)() as session:
        found = list(session.query(model).filter_by(**where))
        session.expunge_all()
    engine.dispose()
    return found


def answer_form(stack: Stack, session: str, replies: list[dict[str, Any]],
                answers: Mapping[str, str | Sequence[str]], until: str, max_turns: int = 20) -> list[dict[str, Any]]:  # fmt: skip
    """Answer each recognised question (the last message first) until the bot says ``until``.

    A list of answers is used in order, for a question asked again after an invalid answer.
    """
    queues = {q: [a] if isinstance(a, str) else list(a) for q, a in answers.items()}
    for _ in range(max_turns):
        said = texts(replies)
        if until in said:
            return replies
        last = str(replies[-1].get("text") or "") if replies else ""
        question = next((q for q in queues if q in last), None) or next(
            (q for q in queues if q in said), None
        )
        assert question is not None, f"unexpected question: {said!r}"
        answer = queues[question].pop(0) if len(queues[question]) > 1 else queues[question][0]
        replies = stack.chat(session, answer)
    pytest.fail(f"never reached {until!r}: {texts(replies)!r}")


def test_a_hiring_need_is_stored_with_the_right_fields(stack: Stack) -> None:
    session = uuid.uuid4().hex
    replies = stack.chat(session, "on cherche 2 caristes en cdi a partir de mars")
    assert "besoin de recrutement" in texts(replies)
    # The first message already gave the job, the number, the contract and the date.
    replies = stack.chat(session, "Boulangerie Martin")
    assert "SIRET" in texts(replies)
    replies = stack.chat(session, "73282932000075")  # wrong checksum
    assert "n'est pas valide" in texts(replies)
    replies = stack.chat(session, "732 829 320 00074")
    replies = answer_form(stack, session, replies, LEAD_ANSWERS, until="Est-ce correct")
    assert "caristes" in texts(replies) and "CDI" in texts(replies)
    replies = stack.chat(session, '/correct_field{"lead_field":"phone"}')
    assert "numéro de téléphone" in texts(replies)
    # A valid French mobile (07 11... is not allocated, and phone numbers are now checked).
    replies = stack.chat(session, "07 81 22 33 44")
    assert "07 81 22 33 44" in texts(replies)
    replies = stack.chat(session, "oui")
    assert "Acceptez-vous" in texts(replies)
    replies = stack.chat(session, "/affirm")
    said = texts(replies)
    assert "EMP-" in said
    reference = "EMP-" + said.split("EMP-")[1].split(".")[0].split()[0]
    [lead] = rows(stack, EmployerLead, reference=reference)
    assert (lead.company_name, lead.siret, lead.job_title) == (
        "Boulangerie Martin",
        "73282932000074",
        "caristes",
    )
    assert (lead.positions, lead.contract_type, lead.commune_name) == (2, "cdi", "Roubaix")
    assert lead.start_date.month == 3
    assert (lead.contact_name, lead.email, lead.phone) == (
        "Claire Martin",
        "claire.martin@exemple.fr",
        "07 81 22 33 44",
    )
    assert lead.consent_text.startswith("Acceptez-vous que ces informations")
    assert lead.consent_at is not None


def test_stopping_the_hiring_need_stores_nothing(stack: Stack) -> None:
    session = uuid.uuid4().hex
    stack.chat(session, "je veux déposer une offre d'emploi")
    stack.chat(session, "Garage arrêté en route")
    replies = stack.chat(session, "stop")
    assert "je n'enregistre rien" in texts(replies)
    assert rows(stack, EmployerLead, company_name="Garage arrêté en route") == []


def test_a_welcome_kit_pdf_names_the_commune_and_the_expected_items(stack: Stack) -> None:
    session = uuid.uuid4().hex
    replies = stack.chat(session, "je demenage a carhaix pour un boulot avec ma femme et 2 enfants")
    answers = {
        "Dans quelle commune": "Carhaix",
        "Des enfants": "2 enfants de 3 et 8 ans",
        "conjointe cherche-t-il un emploi": "oui",
        "De quoi avez-vous besoin": "tout",
        "Êtes-vous d'accord": "/affirm",
    }
    replies = answer_form(stack, session, replies, answers, until="est prêt")
    [document] = [c["document"] for c in customs(replies) if "document" in c]
    assert document["filename"] == "kit-accueil-carhaix-plouguer.pdf"
    assert document["url"].startswith("/kit/") and document["url"].endswith(".pdf")
    assert f"{stack.base_url}{document['url'][:-4]}" in texts(replies)
    pdf = httpx.get(f"{stack.base_url}{document['url']}", timeout=30)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "Carhaix-Plouguer" in text
    for title in (
        "Logement",
        "Garde d'enfants",
        "Écoles",
        "Transports et mobilité",
        "Emploi du conjoint",
    ):
        assert title in text
    assert "Information du" in text
    page = httpx.get(f"{stack.base_url}{document['url'][:-4]}", timeout=30)
    assert page.status_code == 200 and "Carhaix-Plouguer" in page.text
    assert "/spouse_cv" in json.dumps(replies)


def test_a_deleted_spouse_profile_is_gone_from_the_database(stack: Stack) -> None:
    session = uuid.uuid4().hex
    replies = stack.chat(session, "/spouse_cv")
    answers = {
        "Quel métier": "aide-soignante",
        "compétences ou son expérience": "dix ans en EHPAD",
        "disponible": f"dès le {(dt.date.today() + dt.timedelta(days=30)).strftime('%d/%m')}",
        "Dans quelle commune": "Carhaix",
        "contacter": ["pas-un-contact", "marie.e2e@exemple.fr"],
        "accepte-t-il": "/affirm",
    }
    replies = answer_form(stack, session, replies, answers, until="Le profil est enregistré")
    assert len(rows(stack, SpouseProfile, contact_email="marie.e2e@exemple.fr")) == 1
    assert "aide-soignante" in texts(stack.chat(session, "voir le profil"))
    assert "vraiment supprimer" in texts(stack.chat(session, "supprimer le profil"))
    assert "supprimé" in texts(stack.chat(session, "/affirm"))
    assert rows(stack, SpouseProfile, contact_email="marie.e2e@exemple.fr") == []


def test_offers_three_at_a_time_with_demo_label(stack: Stack) -> None:
    session = uuid.uuid4().hex
    replies = stack.chat(session, "des offres de cariste vers roubaix ?")
    said = texts(replies)
    assert "Roubaix" in said and "démonstration" in said
    assert said.count("Pour postuler") <= 3
    none = stack.chat(uuid.uuid4().hex, "vous avez des offres d'astronaute ?")
    assert "pas trouvé d'offre" in texts(none)
