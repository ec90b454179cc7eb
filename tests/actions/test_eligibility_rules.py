"""Eligibility logic on the real records of the five schemes (no Rasa, no database)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from actions.eligibility_rules import (
    NO,
    UNKNOWN,
    YES,
    evaluate,
    parse_number,
    parse_yes_no,
    plan_for,
)
from knowledge.views import SchemeView, scheme_view

DATA = Path(__file__).parent / "schemes_data" / "schemes"


@cache
def scheme(scheme_id: str) -> SchemeView:
    for path in DATA.glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for record in data["schemes"]:
            if record["id"] == scheme_id:
                return scheme_view(data["theme"], record)
    raise KeyError(scheme_id)


def test_mobili_jeune_asks_age_status_and_the_public_employer_condition() -> None:
    plan = plan_for(scheme("mobili-jeune"))
    assert plan.slots == ["elig_age", "elig_status", "elig_other_1"]
    assert plan.worded == ["Ne pas être employé par une entreprise publique."]
    # The worded age/alternance condition repeats two questions: reported, not claimed.
    assert plan.unchecked == ["Avoir moins de 30 ans et être en formation en alternance."]


def test_agepi_asks_child_age_status_and_return_to_work() -> None:
    plan = plan_for(scheme("agepi"))
    assert plan.slots[:2] == ["elig_status", "elig_child_age"]
    assert any("Reprendre un emploi" in text for text in plan.worded)
    assert any("plafond de ressources" in text for text in plan.worded + plan.unchecked)


def test_apprentice_licence_aid_asks_age_status_and_licence_preparation() -> None:
    plan = plan_for(scheme("permis-apprenti-500"))
    assert plan.slots[:2] == ["elig_age", "elig_status"]
    assert "Être engagé dans la préparation du permis B." in plan.worded


def test_france_travail_mobility_aid_asks_status_and_distance_condition() -> None:
    plan = plan_for(scheme("aide-mobilite-france-travail"))
    assert plan.slots[0] == "elig_status"
    assert any("60 km" in text for text in plan.worded)


def test_vae_asks_its_two_worded_conditions() -> None:
    plan = plan_for(scheme("validation-acquis-experience"))
    assert plan.slots == ["elig_other_1", "elig_other_2"]
    assert plan.unchecked == []


def test_a_19_year_old_apprentice_meets_mobili_jeune_checked_conditions() -> None:
    record = scheme("mobili-jeune")
    verdict = evaluate(
        record, plan_for(record), {"elig_age": "19", "elig_status": YES, "elig_other_1": YES}
    )
    assert verdict.missing == [] and verdict.unknown == []


def test_too_old_and_not_apprentice_is_reported_as_missing() -> None:
    record = scheme("mobili-jeune")
    verdict = evaluate(
        record, plan_for(record), {"elig_age": "31", "elig_status": NO, "elig_other_1": UNKNOWN}
    )
    assert verdict.missing == ["elig_age", "elig_status"]
    assert verdict.unknown == ["Ne pas être employé par une entreprise publique."]


def test_agepi_child_too_old() -> None:
    record = scheme("agepi")
    answers = {"elig_status": YES, "elig_child_age": "14", "elig_other_1": YES, "elig_other_2": YES}
    assert evaluate(record, plan_for(record), answers).missing == ["elig_child_age"]


def test_apprentice_licence_aid_under_18() -> None:
    record = scheme("permis-apprenti-500")
    answers = {"elig_age": "17", "elig_status": YES, "elig_other_1": YES}
    assert "elig_age" in evaluate(record, plan_for(record), answers).missing


@pytest.mark.parametrize(
    ("slot", "text", "expected"),
    [
        ("elig_age", "j'ai 19 ans", "19"),
        ("elig_age", "19", "19"),
        ("elig_age", "deux cents", None),
        ("elig_age", "250", None),
        ("elig_child_age", "18 mois", "1.5"),
        ("elig_child_age", "il a 4 ans", "4"),
        ("elig_distance", "environ 75,5 km", "75.5"),
        ("elig_income", "1200 €", "1200"),
        ("elig_age", "jsp", UNKNOWN),
    ],
)
def test_numbers_are_read_and_checked(slot: str, text: str, expected: str | None) -> None:
    assert parse_number(slot, "inform", text) == expected


@pytest.mark.parametrize(
    ("intent", "text", "expected"),
    [
        ("affirm", "ouais", YES),
        ("deny", "nan", NO),
        ("dont_know", "aucune idée", UNKNOWN),
        ("nlu_fallback", "oui", YES),
        ("nlu_fallback", "non jamais", NO),
        ("nlu_fallback", "peut-être demain", None),
        ("inform", "j'habite à Lille", None),
    ],
)
def test_yes_no_answers(intent: str, text: str, expected: str | None) -> None:
    assert parse_yes_no(intent, text) == expected
