"""Employers, third batch of national records (``knowledge/data/schemes/*_national3.yml`` holds the
employers' file ``hiring_national3.yml``): the groupement d'employeurs (GE), for small employers who
need someone part-time or for a season and cannot pay a full-time post alone.

The record must load and validate, cite an official page first, be found with the words a boss
types (the understanding retriever, the search API, and the ranking for an employer), and say only
what its sources say.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from actions.understanding.rank import rank
from actions.understanding.situation import Situation
from knowledge.citations import registry
from knowledge.search.retriever import retrieve
from tests.knowledge.national_support import (
    check_national_record,
    check_official_first,
    data,
    record,
    retrieved,
    schemes,
    searched,
)

GE = "groupement-d-employeurs"
GEIQ = "geiq"
EMPLOYER = Situation(statuses=("employer",), employer=True)


def test_the_record_lives_in_the_employers_third_file() -> None:
    found = [s for s in data().schemes if s.record.id == GE]
    assert len(found) == 1
    assert Path(found[0].file).name == "hiring_national3.yml"
    assert found[0].theme == "hiring_geiq"


def test_record_is_national_official_and_for_employers() -> None:
    check_national_record(GE)
    ge = schemes()[GE]
    check_official_first(ge)
    assert list(ge.audiences) == ["employer"]
    assert list(ge.conditions.statuses) == ["employer"]
    # Ministère du Travail first, then the dated associations.gouv.fr page and service-public F153.
    assert ge.sources[0] == "https://travail-emploi.gouv.fr/emploi/tpe-pme/groupement-employeurs"
    assert "https://www.associations.gouv.fr/le-groupement-d-employeurs.html" in ge.sources
    assert "https://www.service-public.fr/associations/vosdroits/F153" in ge.sources
    assert registry().is_official(
        "https://www.associations.gouv.fr/le-groupement-d-employeurs.html"
    )


def test_record_relies_on_the_dated_official_page_of_2024() -> None:
    ge = schemes()[GE]
    assert ge.information_date == dt.date(2024, 2, 20)  # associations.gouv.fr, modified 20/02/2024
    assert ge.review_by is not None and ge.review_by <= dt.date(2025, 2, 20)


def test_the_names_a_boss_uses_are_there() -> None:
    ge = schemes()[GE]
    assert {"groupement d'employeurs", "ge", "temps partage", "salarie partage"} <= set(ge.aliases)
    assert {
        "partager un salarie",
        "salarie a temps partiel entre plusieurs entreprises",
        "je peux pas payer un temps plein",
    } <= set(ge.keywords)


# Questions written for this record, the way a boss types them (SMS spelling included).
FIRST = [
    "c quoi un groupement d'employeurs",
    "un GE c quoi",
    "comment partager un salarié avec une autre entreprise",
    "je peux pas payer un temps plein, on peut partager un salarié ?",
    "jcherche un comptable 1 jour par semaine, pas les moyens d'un temps plein",
    "salarié à temps partagé entre plusieurs entreprises",
    "embaucher un saisonnier à plusieurs entreprises pour lui faire une année complète",
    "comment créer un groupement d'employeurs",
    "je suis artisan, j'ai besoin d'une secrétaire à mi-temps mais je peux pas l'embaucher seul",
]


@pytest.mark.parametrize("text", FIRST)
def test_the_retriever_ranks_the_record_first(national_kb: Session, text: str) -> None:
    hits = retrieved(national_kb, text)
    assert hits[:1] == [GE], hits[:5]


@pytest.mark.parametrize(
    "text",
    [
        "besoin de quelqu'un 2 jours par semaine pour la compta, je peux pas payer un temps plein",
        "jcherche un comptable 1 jour par semaine, pas les moyens d'un temps plein",
        "on est 3 commerçants, on voudrait embaucher quelqu'un ensemble",
        "difference entre un ge et un geiq",
    ],
)
def test_ranked_for_an_employer_the_record_is_in_the_top_three(
    national_kb: Session, text: str
) -> None:
    ranked = [item.scheme.id for item in rank(retrieve(national_kb, text), EMPLOYER)]
    assert GE in ranked[:3], ranked[:5]


@pytest.mark.parametrize(
    "text",
    [
        "groupement d'employeurs",
        "partager un salarié",
        "salarié à temps partagé entre plusieurs entreprises",
    ],
)
def test_the_search_api_ranks_the_record_first(national_kb: Session, text: str) -> None:
    found = searched(national_kb, text)
    assert found[:1] == [GE], found


@pytest.mark.parametrize("text", ["c quoi un geiq", "recruter via un geiq"])
def test_a_geiq_question_does_not_get_the_ge_first(national_kb: Session, text: str) -> None:
    found = retrieve(national_kb, text)
    assert GE not in [view.id for view in found.named]
    hits = [hit.scheme.id for hit in found.hits]
    assert hits[:1] != [GE] and GEIQ in hits[:3], hits[:5]


# --- What the record says, each fact as read in its official sources -----------------------


def test_the_groupement_is_the_employer_and_puts_the_employee_at_the_members_disposal() -> None:
    details = schemes()[GE].details
    assert "qu'ils n'auraient pas la possibilité d'embaucher seuls" in details  # F153
    assert "il est son employeur" in details
    assert "à la disposition de ses membres" in details
    assert "salaire, les charges sociales et les frais professionnels" in details  # F153
    assert "temps complet auprès d'un employeur unique" in details  # F153
    for need in ("variations d'activité", "saisonnalité", "difficultés de recrutement"):
        assert need in details  # ministère du Travail, TPE et PME
    assert "TPE" in details and "PME" in details


def test_who_can_join_and_how_to_create_one() -> None:
    ge = schemes()[GE]
    assert "qu'elle ait des salariés ou non" in ge.details  # associations.gouv.fr
    assert "association loi 1901" in ge.details and "société coopérative" in ge.details
    assert "même convention collective" in ge.details and "DREETS" in ge.details
    steps = " ".join(ge.apply.steps)
    assert "inspection du travail" in steps and "DREETS" in steps
    assert "devenir membre" in steps
    assert "Dans certaines régions" in steps and "CRGE" in steps  # no national network read


def test_the_difference_with_a_geiq_names_the_geiq_record() -> None:
    ge = schemes()[GE]
    assert GEIQ in schemes()
    assert "Le GE n'est pas un GEIQ" in ge.details
    assert "insertion et la qualification" in ge.details
    assert "éloignées de l'emploi" in ge.details


def test_no_amount_no_phone_no_directory_invented() -> None:
    ge = schemes()[GE]
    assert ge.amount is None
    assert "€" not in ge.details and "€" not in " ".join(ge.apply.steps)
    assert ge.apply.phone is None and ge.apply.email is None
    assert not ge.organisations
    notes = record(GE).internal_notes
    assert notes is not None and "aucun annuaire officiel" in notes
