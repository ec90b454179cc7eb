"""Issue 12 follow-up, fourth batch of national records (``knowledge/data/schemes/*_national4.yml``)
and the national record completed with it (CPF), on the real data files.

Each record must load and validate, cite an official page first, be found with the words people
type (the understanding retriever and the search API), and say only what its sources say.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from knowledge.search.lexicon import not_names
from knowledge.search.retriever import retrieve
from tests.knowledge.national_support import (
    batch_file_names,
    batch_records,
    check_national_record,
    check_official_first,
    check_shown_as_old,
    record,
    retrieved,
    schemes,
    searched,
)
from tests.knowledge.test_data_fixes import qualifies

PREPARE = "prepare-prestation-partagee-education-enfant"
FSL = "fsl-fonds-solidarite-logement"
CPF = "compte-personnel-de-formation"
NEW_RECORDS = {PREPARE: "childcare", FSL: "housing"}
COMPLETED = {CPF}
# No official page of 2024 or later was found: shown as "information de <année>, à vérifier".
OLDER_THAN_2024 = {FSL}


def test_the_fourth_batch_lives_in_its_own_files_and_holds_exactly_the_new_records() -> None:
    assert batch_file_names("national4") == ["childcare_national4.yml", "housing_national4.yml"]
    assert batch_records("national4") == NEW_RECORDS


@pytest.mark.parametrize("scheme_id", sorted(set(NEW_RECORDS) | COMPLETED))
def test_record_is_national_official_and_documented(scheme_id: str) -> None:
    check_national_record(scheme_id)
    check_official_first(schemes()[scheme_id])


@pytest.mark.parametrize("scheme_id", sorted((set(NEW_RECORDS) | COMPLETED) - OLDER_THAN_2024))
def test_record_relies_on_information_of_2024_or_later(scheme_id: str) -> None:
    assert schemes()[scheme_id].information_date >= dt.date(2024, 1, 1)


@pytest.mark.parametrize("scheme_id", sorted(OLDER_THAN_2024))
def test_older_information_is_shown_as_old(scheme_id: str) -> None:
    check_shown_as_old(scheme_id)


# Questions written for this batch, in the way people type them (SMS spelling included).
FIRST = [
    ("c koi le congé parental payé", PREPARE),
    ("aide caf congé parental ?", PREPARE),
    ("jveu arreter de bosser pour garder mon bebe, la caf paye qqch ?", PREPARE),
    ("combien on touche en conge parental", PREPARE),
    ("je voudrais prendre un congé parental à mi-temps, la caf m'aide ?", PREPARE),
    ("c quoi la prepare", PREPARE),
    ("ma femme veut arreter de bosser pour s'occuper du petit, on touche quoi", PREPARE),
    ("fsl", FSL),
    ("le fsl c'est quoi", FSL),
    ("j'ai 3 mois de loyer en retard, qui peut m'aider", FSL),
    ("facture edf impayée, y a une aide ?", FSL),
    ("cpf c combien par an", CPF),
    ("mon patron peut refuser ma formation cpf ?", CPF),
    ("je suis au chomage je peux utiliser mon cpf", CPF),
]


@pytest.mark.parametrize(("text", "scheme_id"), FIRST)
def test_the_retriever_ranks_the_record_first(
    national_kb: Session, text: str, scheme_id: str
) -> None:
    hits = retrieved(national_kb, text)
    assert hits[:1] == [scheme_id], hits[:5]


def test_every_new_or_completed_record_is_asked_for() -> None:
    assert {scheme_id for _, scheme_id in FIRST} == set(NEW_RECORDS) | COMPLETED


@pytest.mark.parametrize("text", ["prepare", "PreParE"])
def test_the_bare_name_prepare_brings_the_record_in_the_top_three(
    national_kb: Session, text: str
) -> None:
    # "prépare" is an everyday verb: the bare word ranks the record, it does not name it.
    assert PREPARE in retrieved(national_kb, text)[:3]


@pytest.mark.parametrize(
    "text",
    [
        "je prépare mon CAP en alternance",
        "je prepare un concours de la fonction publique",
        "comment préparer mon entretien d'embauche",
    ],
)
def test_preparing_something_does_not_name_the_parental_allowance(
    national_kb: Session, text: str
) -> None:
    assert "prepare" in not_names()
    found = retrieve(national_kb, text)
    assert PREPARE not in [view.id for view in found.named]
    assert [hit.scheme.id for hit in found.hits][:1] != [PREPARE]


@pytest.mark.parametrize(
    ("text", "scheme_id"),
    [
        ("congé parental payé", PREPARE),
        ("aide caf congé parental", PREPARE),
        ("fsl", FSL),
        ("cpf c combien par an", CPF),
    ],
)
def test_the_search_api_ranks_the_record_first(
    national_kb: Session, text: str, scheme_id: str
) -> None:
    found = searched(national_kb, text)
    assert found[:1] == [scheme_id], found


# --- What the records say, each fact as read in its official source ------------------------


def test_prepare_keeps_the_names_people_use() -> None:
    aliases = set(schemes()[PREPARE].aliases)
    assert {"prepare", "conge parental paye", "aide caf conge parental"} <= aliases


def test_prepare_states_the_official_conditions_and_durations() -> None:
    prepare = schemes()[PREPARE]
    assert prepare.sources[0] == "https://www.service-public.fr/particuliers/vosdroits/F32485"
    assert prepare.apply.url is not None and "caf.fr" in prepare.apply.url
    assert prepare.information_date == dt.date(2025, 4, 1)  # F32485, version of 1 April 2025
    assert "8 trimestres" in prepare.details
    assert "2 dernières années" in prepare.details and "5 dernières" in prepare.details
    assert "6 mois au plus à chaque parent" in prepare.details
    assert "24 mois au plus à chaque parent" in prepare.details
    assert "premier mois complet de congé parental" in prepare.details
    assert "PreParE majorée" in prepare.details and "définitif" in prepare.details
    assert any("adopté de moins de 20 ans" in line for line in prepare.conditions.other)
    assert any("cerfa n°12324" in step for step in prepare.apply.steps)
    assert {"caf", "trouver-sa-caf"} <= set(prepare.organisations)


def test_prepare_is_for_parents_and_does_not_turn_away_adoptive_parents() -> None:
    conditions = schemes()[PREPARE].conditions
    assert qualifies(conditions, statuses=["parent"], child_ages=[1]) is True
    assert qualifies(conditions, statuses=["single_parent"], child_ages=[2]) is True
    # An adopted child opens the right until 20: no machine age limit on the child.
    assert conditions.child_age_max is None


def test_prepare_gives_no_amount_revalued_every_april() -> None:
    prepare = schemes()[PREPARE]
    # The official figures read are those of April 2025 to March 2026: never stated.
    assert prepare.amount is None
    assert "€" not in prepare.details and "456,06" not in prepare.details
    assert "revalorisé chaque 1er avril" in prepare.details
    notes = record(PREPARE).internal_notes
    assert notes is not None and "456,06" in notes and "NON repris" in notes


def test_fsl_says_each_department_decides_and_a_social_worker_applies() -> None:
    fsl = schemes()[FSL]
    assert fsl.sources[0] == "https://www.service-public.fr/particuliers/vosdroits/F1334"
    assert "dans chaque département" in fsl.details
    assert "prêt" in fsl.details and "subvention" in fsl.details
    assert "Chaque département fixe ses propres critères" in fsl.details
    assert "assistante sociale" in fsl.details
    for who in ("CAF", "MSA", "mairie"):
        assert who in fsl.details
    assert "dettes de loyer" in fsl.details and "électricité" in fsl.details
    assert fsl.amount is None and "€" not in fsl.details  # each department sets its own
    assert fsl.information_date == dt.date(2023, 5, 16)


def test_cpf_states_what_the_account_receives_and_when_the_employer_must_agree() -> None:
    cpf = schemes()[CPF]
    assert cpf.sources[0] == "https://www.service-public.fr/particuliers/vosdroits/F10705"
    assert cpf.information_date == dt.date(2025, 2, 17)  # F10705, version of 17 February 2025
    assert cpf.amount is not None
    assert cpf.amount.value == 500 and cpf.amount.period == "year"
    assert "500 € par année de travail, dans la limite de 5 000 €" in cpf.details
    assert "800 € par an, dans la limite de 8 000 €" in cpf.details
    assert "60 jours" in cpf.details and "120 jours" in cpf.details
    assert "au chômage" in cpf.details
    # The flat participation and the 2026 ceilings were not read in these pages: not stated.
    for unconfirmed in ("100 €", "103,20", "participation"):
        assert unconfirmed not in cpf.details
