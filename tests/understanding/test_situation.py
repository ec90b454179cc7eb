"""What a message says about the person (issue 11: the situation must not be ignored)."""

from __future__ import annotations

import pytest

from actions.understanding.situation import Situation, read_situation


def test_night_nurse_with_two_children() -> None:
    said = read_situation("infirmiere de nuit 19h-7h, 2 enfants de 3 et 7 ans")
    assert said.schedules == ("night",)
    assert said.child_ages == (3, 7)
    assert said.age is None
    assert set(said.statuses) == {"employee", "parent"}


def test_the_person_s_age_is_not_a_child_s_age() -> None:
    assert read_situation("jsuis apprenti 19 ans").age == 19
    assert read_situation("je serai payé combien a 17 ans ?").age == 17
    child = read_situation("et pour mon grand de 7 ans, une garderie tot le matin ?")
    assert child.age is None and child.child_ages == (7,)
    assert child.schedules == ("early_morning",)


def test_an_employer_and_a_seeker_are_told_apart() -> None:
    boss = read_situation("gérant d'un resto, quelles aides si je prends un apprenti")
    assert boss.is_employer and boss.statuses == ("employer",)
    young = read_situation("je cherche un patron pour mon alternance")
    assert not young.is_employer and "apprentice" in young.statuses
    employee = read_situation("ma boite me paye plus depuis 2 mois")
    assert not employee.is_employer


def test_single_parent() -> None:
    said = read_situation("je suis seule avec mes 2 enfants")
    assert {"single_parent", "parent"} <= set(said.statuses)


def test_what_was_said_earlier_is_kept_and_updated() -> None:
    earlier = read_situation("je suis apprentie, 18 ans")
    now = Situation.from_slot(earlier.to_slot()).merged(read_situation("j'ai 19 ans maintenant"))
    assert now.age == 19 and "apprentice" in now.statuses
    assert Situation.from_slot(None) == Situation()


@pytest.mark.parametrize(
    ("message", "employer"),
    [
        ("on cherche deux alternants en maintenance pour septembre", True),
        ("il me faut quelqu'un pour mon chantier à partir de lundi", True),
        ("je gere un camping, comment trouver des saisonniers ?", True),
        ("je cherche un patron pour mon alternance en cuisine", False),
        ("je suis alternante et je cherche un studio", False),
    ],
)
def test_who_hires_and_who_is_hired(message: str, employer: bool) -> None:
    assert read_situation(message).is_employer is employer


@pytest.mark.parametrize(
    ("message", "status"),
    [
        ("mon chef veut que je fasse une formation sécurité", "employee"),
        ("je suis au smic et ma voiture vient de lacher", "employee"),
        ("je me deplace en fauteuil roulant, quelles aides pour travailler ?", "disabled_worker"),
        ("je commence un bac pro cuisine en septembre", "apprentice"),
    ],
)
def test_what_people_say_of_their_work_is_a_status(message: str, status: str) -> None:
    assert status in read_situation(message).statuses


def test_a_letter_box_is_not_an_employer() -> None:
    assert "employee" not in read_situation("ma boite aux lettres est cassée").statuses


@pytest.mark.parametrize(
    "message",
    [
        "j'aurais besoin d'une secrétaire deux demi-journées par semaine, comment faire ?",
        "mon cabinet est trop petit, je ne peux pas payer un temps plein pour l'entretien",
    ],
)
def test_a_part_time_post_to_fill_is_an_employer(message: str) -> None:
    assert read_situation(message).employer


def test_a_parent_s_home_help_is_not_a_post_to_fill() -> None:
    assert not read_situation("j'ai besoin d'une nounou 2 jours par semaine pour mon fils").employer
