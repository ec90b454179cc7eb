"""Issue 12, third batch of national records (``knowledge/data/schemes/*_national3.yml``) and the
national records completed with them (CMG, Cap emploi), on the real data files.

Each record must load and validate, cite an official page first, be found first with the words
people type (the search API and the understanding retriever), and say only what its sources say.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

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

NEW_RECORDS = {
    "pajemploi-declarer-assistante-maternelle-garde-domicile": "childcare",
    "pajemploi-plus-versement-salaire-cmg": "childcare",
    "cesu-cheque-emploi-service-universel": "childcare",
    "plie-plan-local-insertion-emploi": "insertion_support",
}
COMPLETED = {"cmg-complement-mode-de-garde", "cap-emploi-accompagnement"}
# No official page of 2024 or later was found: shown as "information de <année>, à vérifier".
OLDER_THAN_2024 = {"cesu-cheque-emploi-service-universel", "plie-plan-local-insertion-emploi"}


def test_the_third_batch_lives_in_its_own_files_and_holds_exactly_the_new_records() -> None:
    # hiring_national3.yml is the employers' third file (groupement d'employeurs), a later batch
    # tested in test_national6_records.py.
    later = {"hiring_national3.yml": "groupement-d-employeurs"}
    assert [name for name in batch_file_names("national3") if name not in later] == [
        "childcare_national3.yml",
        "insertion_national3.yml",
    ]
    records = batch_records("national3")
    assert {i: theme for i, theme in records.items() if i not in later.values()} == NEW_RECORDS


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


# Questions written for this batch, in the way people type them.
FIRST = [
    (
        "comment déclarer ma nounou sur pajemploi",
        "pajemploi-declarer-assistante-maternelle-garde-domicile",
    ),
    (
        "je dois déclarer mon assistante maternelle où",
        "pajemploi-declarer-assistante-maternelle-garde-domicile",
    ),
    ("paje emploi", "pajemploi-declarer-assistante-maternelle-garde-domicile"),
    ("c quoi l'avance immédiate du cmg", "pajemploi-plus-versement-salaire-cmg"),
    (
        "je veux pas avancer le salaire de la nounou avant que la caf paie",
        "pajemploi-plus-versement-salaire-cmg",
    ),
    ("c'est quoi le cesu", "cesu-cheque-emploi-service-universel"),
    (
        "mon employeur me donne des cheques cesu pour payer la creche",
        "cesu-cheque-emploi-service-universel",
    ),
    ("déclarer ma femme de ménage", "cesu-cheque-emploi-service-universel"),
    ("c'est quoi un PLIE", "plie-plan-local-insertion-emploi"),
    ("on m'a parlé du plie c'est quoi", "plie-plan-local-insertion-emploi"),
    (
        "je suis au chômage depuis 3 ans j'ai besoin d'un accompagnement renforcé",
        "plie-plan-local-insertion-emploi",
    ),
    ("cap emploi", "cap-emploi-accompagnement"),
    ("avec mon handicap je trouve pas de travail, qui peut m'aider", "cap-emploi-accompagnement"),
    ("mon handicap s'aggrave j'ai peur de perdre mon travail", "cap-emploi-accompagnement"),
    ("combien la caf donne pour la nounou", "cmg-complement-mode-de-garde"),
    # Declaring is Pajemploi, but a person asking for help to pay still gets the CMG first.
    ("y a une aide pour payer notre nounou ?", "cmg-complement-mode-de-garde"),
    ("la caf m'aide pour l'assistante maternelle ?", "cmg-complement-mode-de-garde"),
]


@pytest.mark.parametrize(("text", "scheme_id"), FIRST)
def test_the_retriever_ranks_the_record_first(
    national_kb: Session, text: str, scheme_id: str
) -> None:
    hits = retrieved(national_kb, text)
    assert hits[:1] == [scheme_id], hits[:5]


def test_every_new_or_completed_record_is_asked_for() -> None:
    assert {scheme_id for _, scheme_id in FIRST} == set(NEW_RECORDS) | COMPLETED


@pytest.mark.parametrize(
    ("text", "scheme_id"),
    [
        (
            "comment déclarer ma nounou sur pajemploi",
            "pajemploi-declarer-assistante-maternelle-garde-domicile",
        ),
        ("c quoi l'avance immédiate du cmg", "pajemploi-plus-versement-salaire-cmg"),
        ("c'est quoi le cesu", "cesu-cheque-emploi-service-universel"),
        ("c'est quoi un PLIE", "plie-plan-local-insertion-emploi"),
        # The RQTH is named, yet the person asks who helps: Cap emploi comes first in search.
        ("j'ai une RQTH qui peut m'aider à trouver un emploi", "cap-emploi-accompagnement"),
    ],
)
def test_the_search_api_ranks_the_record_first(
    national_kb: Session, text: str, scheme_id: str
) -> None:
    found = searched(national_kb, text)
    assert found[:1] == [scheme_id], found


def test_a_person_with_a_rqth_gets_cap_emploi_next_to_the_rqth(national_kb: Session) -> None:
    hits = retrieved(national_kb, "j'ai une RQTH qui peut m'aider à trouver un emploi")
    assert "cap-emploi-accompagnement" in hits[:2], hits[:5]


@pytest.mark.parametrize(
    "text",
    [
        "aide garde enfant la nuit je travaille de nuit",
        "qui garde les petits quand je bosse la nuit",
    ],
)
def test_night_workers_asking_for_childcare_help_get_the_cmg_in_the_top_three(
    national_kb: Session, text: str
) -> None:
    hits = retrieved(national_kb, text)
    assert "cmg-complement-mode-de-garde" in hits[:3], hits[:5]
    assert "garde-enfants-horaires-atypiques-domicile" in hits[:3], hits[:5]


# --- What the records say, each fact as read in its official source ------------------------


def test_cmg_keeps_twelve_for_single_parents_and_promises_no_night_supplement() -> None:
    cmg = schemes()["cmg-complement-mode-de-garde"]
    assert qualifies(cmg.conditions, statuses=["single_parent"], child_ages=[10]) is True
    assert qualifies(cmg.conditions, statuses=["parent"], child_ages=[10]) is False
    assert "12 ans" in cmg.summary and "1er septembre 2025" in cmg.details
    assert cmg.information_date >= dt.date(2026, 6, 26)  # F39152, version of 26 June 2026
    # The 10 % increase for atypical hours is not in the 2026 official fiche: never promised.
    assert "10 %" not in cmg.details and "majoré" not in cmg.details
    assert "nuit" in cmg.details and "demandez à votre CAF" in cmg.details
    assert "Pajemploi" in cmg.details
    assert "résidence alternée" in cmg.details
    assert cmg.amount is None  # computed by Pajemploi since the reform: never stated
    notes = record(cmg.id).internal_notes
    assert notes is not None and "2025-515" in notes


def test_pajemploi_says_who_declares_what_and_how_the_cmg_is_paid() -> None:
    pajemploi = schemes()["pajemploi-declarer-assistante-maternelle-garde-domicile"]
    assert "chaque mois" in pajemploi.details
    assert "en totalité pour une assistante maternelle agréée" in pajemploi.details
    assert "à moitié pour une garde à domicile" in pajemploi.details
    assert pajemploi.apply.url is not None and "urssaf.fr" in pajemploi.apply.url
    assert pajemploi.amount is None


def test_pajemploi_plus_gives_the_official_timing_and_the_employee_s_consent() -> None:
    plus = schemes()["pajemploi-plus-versement-salaire-cmg"]
    assert "2 jours après" in plus.details and "3 jours après" in plus.details
    assert "accord de votre salariée" in plus.details
    # "Avance immédiate" is what parents type, not the official name: an alias only.
    assert "avance immediate" in plus.aliases
    assert "avance immédiate" not in plus.details.lower()


def test_cesu_tells_apart_the_declaration_and_the_prefinanced_voucher() -> None:
    cesu = schemes()["cesu-cheque-emploi-service-universel"]
    assert "Cesu déclaratif" in cesu.details and "Cesu préfinancé" in cesu.details
    assert "Pajemploi" in cesu.details  # childminders with a CAF aid are declared there
    assert cesu.apply.phone is None  # the 2022 phone number is old: not repeated


def test_plie_says_it_exists_only_in_some_territories_and_who_to_ask() -> None:
    plie = schemes()["plie-plan-local-insertion-emploi"]
    assert plie.territory.label.startswith("Certains territoires")
    assert "pas de PLIE partout" in plie.details
    for who in ("mairie", "France Travail", "mission locale"):
        assert who in plie.details
    assert "plie" in plie.organisations
    assert plie.amount is None


def test_cap_emploi_cites_france_travail_first_and_explains_the_shared_agency() -> None:
    cap = schemes()["cap-emploi-accompagnement"]
    assert "francetravail.fr" in cap.sources[0]
    assert "agence France Travail" in cap.details
    assert {"cap-emploi", "france-travail"} <= set(cap.organisations)


def test_the_atypical_hours_record_sends_night_workers_to_pajemploi_without_a_supplement() -> None:
    atypical = schemes()["garde-enfants-horaires-atypiques-domicile"]
    assert "Pajemploi" in atypical.details
    assert "ne prévoit pas de supplément" in atypical.details
    assert "10 %" not in atypical.details
