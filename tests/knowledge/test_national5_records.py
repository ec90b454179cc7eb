"""Issue 12 follow-up, fifth batch of national records (``knowledge/data/schemes/*_national5.yml``):
the apprentice's nights and meals at the CFA, the first teaching equipment, and the CléA
certificate, on the real data files.

Each record must load and validate, cite an official page first, be found with the words people
type (the understanding retriever and the search API), and say only what its sources say.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from knowledge.citations import registry
from tests.knowledge.national_support import (
    batch_file_names,
    batch_records,
    check_national_record,
    check_official_first,
    record,
    retrieved,
    schemes,
    searched,
)
from tests.knowledge.test_data_fixes import qualifies

MEALS = "frais-annexes-apprenti-hebergement-restauration"
EQUIPMENT = "aide-premier-equipement-apprenti"
CLEA = "certificat-clea"
NEW_RECORDS = {MEALS: "apprenticeship", EQUIPMENT: "apprenticeship", CLEA: "training"}


def test_the_fifth_batch_lives_in_its_own_files_and_holds_exactly_the_new_records() -> None:
    assert batch_file_names("national5") == [
        "apprenticeship_national5.yml",
        "training_national5.yml",
    ]
    assert batch_records("national5") == NEW_RECORDS


@pytest.mark.parametrize("scheme_id", sorted(NEW_RECORDS))
def test_record_is_national_official_and_documented(scheme_id: str) -> None:
    check_national_record(scheme_id)
    check_official_first(schemes()[scheme_id])


@pytest.mark.parametrize("scheme_id", sorted(NEW_RECORDS))
def test_record_relies_on_information_of_2024_or_later(scheme_id: str) -> None:
    assert schemes()[scheme_id].information_date >= dt.date(2024, 1, 1)


# Questions written for this batch, in the way people type them (SMS spelling included).
FIRST = [
    ("logement pendant les cours au cfa", MEALS),
    ("cantine cfa", MEALS),
    ("je dors à l'internat du cfa, c'est payé par qui ?", MEALS),
    ("les repas au cfa c combien, l'opco paye ?", MEALS),
    ("frais annexes apprenti", MEALS),
    ("matos", EQUIPMENT),
    ("outils pour mon cap", EQUIPMENT),
    ("jdoi acheter mon matos pour le cfa, y a une aide ?", EQUIPMENT),
    ("aide premier équipement apprenti", EQUIPMENT),
    ("clea c quoi", CLEA),
    ("certificat cléa", CLEA),
    ("j'ai pas de diplôme, je peux faire reconnaître que je sais lire écrire compter ?", CLEA),
    ("socle de connaissances et de compétences professionnelles", CLEA),
]


@pytest.mark.parametrize(("text", "scheme_id"), FIRST)
def test_the_retriever_ranks_the_record_first(
    national_kb: Session, text: str, scheme_id: str
) -> None:
    hits = retrieved(national_kb, text)
    assert hits[:1] == [scheme_id], hits[:5]


def test_every_new_record_is_asked_for() -> None:
    assert {scheme_id for _, scheme_id in FIRST} == set(NEW_RECORDS)


@pytest.mark.parametrize(
    ("text", "scheme_id"),
    [
        ("internat cfa prix, l'apprenti paye combien", MEALS),
        ("tenue de travail apprenti qui paye", EQUIPMENT),
        ("certificat savoirs de base pour trouver du travail", CLEA),
    ],
)
def test_the_retriever_brings_the_record_in_the_top_three(
    national_kb: Session, text: str, scheme_id: str
) -> None:
    assert scheme_id in retrieved(national_kb, text)[:3]


@pytest.mark.parametrize(
    ("text", "scheme_id"),
    [
        ("cantine cfa", MEALS),
        ("premier équipement apprenti", EQUIPMENT),
        ("certificat clea", CLEA),
    ],
)
def test_the_search_api_ranks_the_record_first(
    national_kb: Session, text: str, scheme_id: str
) -> None:
    found = searched(national_kb, text)
    assert found[:1] == [scheme_id], found


# --- What the records say, each fact as read in its official source ------------------------


def test_accommodation_and_meals_state_the_official_amounts_and_who_asks() -> None:
    meals = schemes()[MEALS]
    assert meals.sources[0] == "https://www.akto.fr/regles-de-prise-en-charge-proprete/"
    assert meals.information_date == dt.date(2024, 3, 13)  # AKTO rules, update of 13 March 2024
    assert any("cap-metiers.pro" in source for source in meals.sources)  # arrêté of 29/09/2020
    assert "6 € par nuit et 3 € par repas" in meals.details
    assert meals.amount is not None and meals.amount.value == 6
    assert meals.amount.text is not None and "3 € par repas" in meals.amount.text
    assert "Quand le CFA les finance" in meals.details
    assert "c'est le CFA qui fait la demande à l'OPCO" in meals.details
    assert "Ce n'est pas de l'argent versé à l'apprenti" in meals.details
    assert list(meals.organisations) == ["cfa"]
    # Which of "ceiling" or "flat amount" applies is not settled by the sources read: neither is said.
    assert "au plus" not in meals.details and "forfait" not in meals.details


def test_first_equipment_states_the_ceiling_and_that_branches_decide() -> None:
    equipment = schemes()[EQUIPMENT]
    assert equipment.sources[0] == "https://www.akto.fr/regles-de-prise-en-charge-proprete/"
    assert equipment.amount is not None
    assert equipment.amount.max == 500 and equipment.amount.period == "once"
    assert "dans la limite de 500 € par apprenti" in equipment.details
    assert "branche professionnelle" in equipment.details
    assert "tout le monde n'a pas 500 €" in equipment.details
    assert "c'est le CFA qui fournit l'équipement" in equipment.details
    # The computer-equipment extension is dated (2020 recovery plan), never promised for today.
    assert "En 2020, le ministère du Travail" in equipment.details
    assert any("travail-emploi.gouv.fr" in source for source in equipment.sources)


@pytest.mark.parametrize("scheme_id", [MEALS, EQUIPMENT])
def test_apprentices_costs_are_for_apprentices(scheme_id: str) -> None:
    conditions = schemes()[scheme_id].conditions
    assert qualifies(conditions, statuses=["apprentice"]) is True
    assert qualifies(conditions, statuses=["job_seeker"]) is False


def test_apprentices_costs_cite_no_unread_legal_text() -> None:
    # The arrêté of 30 July 2019 and article D6332-83 were not read on Légifrance.
    for scheme_id in (MEALS, EQUIPMENT):
        scheme = schemes()[scheme_id]
        assert not any("legifrance" in source for source in scheme.sources)
        notes = record(scheme_id).internal_notes
        assert notes is not None and "non cité" in notes


def test_clea_states_the_official_steps_and_the_seven_domains() -> None:
    clea = schemes()[CLEA]
    assert clea.sources[0] == "https://www.service-public.fr/particuliers/vosdroits/F32704"
    assert clea.information_date == dt.date(2024, 7, 26)  # F32704, version of 26 July 2024
    assert "7 domaines" in clea.details
    for domain in (
        "français",
        "calcul",
        "numérique",
        "équipe",
        "autonomie",
        "apprendre à apprendre",
    ):
        assert domain in clea.details
    assert "ce n'est pas un diplôme et il n'a pas de niveau" in clea.details
    assert "directement à un jury" in clea.details
    assert "formation sur ce qui vous manque" in clea.details
    assert "gratuitement" in clea.details and "(CEP)" in clea.details
    assert clea.apply.url == "https://www.certificat-clea.fr/contact/"
    assert registry().is_official(clea.apply.url)
    assert "france-travail" in clea.organisations


def test_clea_promises_no_cost_rule_that_was_not_read_in_a_current_official_page() -> None:
    clea = schemes()[CLEA]
    text = " ".join([clea.summary, clea.details, *clea.apply.steps]).lower()
    # Free evaluation for job seekers was read only in the 2018-2022 PIC page; CPF only in the press.
    for unconfirmed in ("cpf", "gratuit pour les demandeurs", "prise en charge par france travail"):
        assert unconfirmed not in text
    assert clea.amount is None
    notes = record(CLEA).internal_notes
    assert notes is not None and "NON repris" in notes


def test_clea_is_not_restricted_to_a_status() -> None:
    # "principalement" salariés et demandeurs d'emploi: nobody is turned away by the machine.
    conditions = schemes()[CLEA].conditions
    assert not conditions.statuses
    assert qualifies(conditions, statuses=["rsa_recipient"]) is True
