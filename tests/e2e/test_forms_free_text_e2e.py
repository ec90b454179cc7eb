"""End-to-end (issue 14): forms answered in free text, as people write.

Counts in words, delays ("d'ici 2 semaines"), a Belgian phone number next to Lille, a job
given inside a sentence, and an availability that must not be taken for an off-topic question.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from knowledge.models.requests import EmployerLead, SpouseProfile
from tests.e2e.test_employers_newcomers_e2e import LEAD_ANSWERS, answer_form, rows, texts
from tests.stack import Stack

pytestmark = pytest.mark.e2e
OFF_TOPIC = "Je ne peux pas vous aider sur ce sujet"


def test_a_hiring_need_in_free_text(stack: Stack) -> None:
    session = uuid.uuid4().hex
    replies = stack.chat(session, "je veux déposer une offre d'emploi")
    answers = {
        **LEAD_ANSWERS,
        "nom de votre entreprise": "Entrepôts Libres",
        "SIRET": "732 829 320 00074",
        "poste voulez-vous pourvoir": "cariste et manutentionnaire",
        "Combien de personnes": "un cariste et deux manutentionnaires",
        "À partir de quand": "d'ici 2 semaines",
        "numéro de téléphone": "+32 470 12 34 56",
    }
    replies = answer_form(stack, session, replies, answers, until="Est-ce correct")
    assert OFF_TOPIC not in texts(replies)
    stack.chat(session, "oui")
    said = texts(stack.chat(session, "/affirm"))
    reference = "EMP-" + said.split("EMP-")[1].split(".")[0].split()[0]
    [lead] = rows(stack, EmployerLead, reference=reference)
    assert lead.positions == 3
    assert lead.start_date == dt.date.today() + dt.timedelta(days=14)
    assert lead.phone == "+32 470 12 34 56"


def test_a_spouse_profile_from_sentences(stack: Stack) -> None:
    session = uuid.uuid4().hex
    replies = stack.chat(session, "/spouse_cv")
    answers = {
        "Quel métier": "c'est moi qui cherche, pas mon mari : comptable, 10 ans d'expérience",
        "disponible": "à partir de février, temps plein",
        "Dans quelle commune": "Roubaix",
        "contacter": "compta.e2e@exemple.fr",
        "accepte-t-il": "/affirm",
    }
    replies = answer_form(stack, session, replies, answers, until="Le profil est enregistré")
    assert OFF_TOPIC not in texts(replies)
    [profile] = rows(stack, SpouseProfile, contact_email="compta.e2e@exemple.fr")
    assert profile.job_title == "comptable"
    assert "10 ans" in (profile.skills or "")
