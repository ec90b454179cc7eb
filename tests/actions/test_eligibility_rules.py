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
    Known,
    _positive,
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
    # Asked in the positive: no "Est-ce votre cas ? « Ne pas être… »" (issue 14).
    assert plan.worded == ["Être employé par une entreprise publique."]
    assert plan.negated == [True]
    # The worded age/alternance condition is checked by the two questions: not "unchecked".
    assert plan.unchecked == []


def test_what_was_said_is_not_asked_again() -> None:
    plan = plan_for(scheme("mobili-jeune"), Known(age=19, status="apprentice"))
    assert plan.prefilled == {"elig_age": "19", "elig_status": YES}
    assert plan.to_ask == ["elig_other_1"]


def test_a_status_said_answers_the_worded_condition_about_it() -> None:
    record = scheme("permis-apprenti-500")
    asked = plan_for(record).worded
    said = plan_for(record, Known(status="apprentice")).worded
    assert len(said) <= len(asked)
    assert not any("apprenti" in text.lower() for text in said)


def test_a_yes_to_the_positive_form_of_a_negative_condition_fails_it() -> None:
    record = scheme("mobili-jeune")
    plan = plan_for(record)
    answers = {"elig_age": "19", "elig_status": YES, "elig_other_1": YES}
    # Reported with the record's own wording.
    assert evaluate(record, plan, answers).missing == [
        "Ne pas être employé par une entreprise publique."
    ]
    answers["elig_other_1"] = NO
    assert evaluate(record, plan, answers).missing == []


def test_negations_that_cannot_be_turned_are_never_asked() -> None:
    assert _positive("Ne pas avoir d'autre dossier Mobili-Jeune en cours.") is None
    assert _positive("Ne pas être salarié.") == "Être salarié."


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


def test_vae_asks_about_the_experience_and_reports_the_rncp_rule() -> None:
    plan = plan_for(scheme("validation-acquis-experience"))
    assert plan.slots == ["elig_other_1"]
    assert plan.worded[0].startswith("Avoir une expérience")
    assert plan.unchecked[0].startswith("La certification doit être inscrite")


def test_a_19_year_old_apprentice_meets_mobili_jeune_checked_conditions() -> None:
    record = scheme("mobili-jeune")
    verdict = evaluate(
        record, plan_for(record), {"elig_age": "19", "elig_status": YES, "elig_other_1": NO}
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


def test_real_mobili_jeune_asks_what_decides_for_a_19_year_old_apprentice() -> None:
    # Issue 14: age and apprenticeship were said; the salary ceiling, the move or double rent
    # and the timing of the request decide. The contract condition is not asked again.
    from tests.actions.test_scheme_cards import schemes as real_schemes

    plan = plan_for(real_schemes()["mobili-jeune"], Known(age=19, status="apprentice"))
    assert plan.to_ask == ["elig_income", "elig_other_1", "elig_other_2"]
    assert plan.worded[0].startswith("Habiter un logement qui vous rapproche")
    assert plan.worded[1].startswith("Faire la demande entre 3 mois avant")
    assert not any("contrat d'apprentissage" in text for text in plan.worded + plan.unchecked)
