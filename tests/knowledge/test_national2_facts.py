"""Issue 12, second batch of national records: what the records say and what the fixes change,
each fact as read in its official source (the records themselves: ``test_national2_records.py``).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.knowledge.national_support import schemes
from tests.knowledge.test_data_fixes import qualifies

# --- What the fixes change, each with the situation that was wrong --------------------------


@pytest.mark.parametrize(
    ("age", "statuses", "expected"),
    [
        (20, ["job_seeker"], True),
        (25, ["young"], True),
        (27, ["disabled_worker"], True),  # turned away before: age_max was 25 for everyone
        (27, ["job_seeker"], False),
        (15, ["young"], False),
    ],
)
def test_cej_is_open_to_disabled_young_people_until_29(
    age: int, statuses: list[str], expected: bool
) -> None:
    assert qualifies(schemes()["cej"].conditions, age=age, statuses=statuses) is expected


@pytest.mark.parametrize(
    ("age", "statuses", "expected"),
    [
        (17, ["student"], True),
        (25, ["job_seeker"], True),
        (28, ["disabled_worker"], True),
        (28, ["job_seeker"], False),
        (31, ["disabled_worker"], False),
    ],
)
def test_service_civique_is_16_25_or_30_with_a_disability(
    age: int, statuses: list[str], expected: bool
) -> None:
    scheme = schemes()["service-civique"]
    assert qualifies(scheme.conditions, age=age, statuses=statuses) is expected
    assert scheme.amount is not None and scheme.amount.min == 114.85  # agency page, 1 Jan 2024


def test_apprenticeship_states_the_age_limit_without_turning_anyone_away() -> None:
    scheme = schemes()["contrat-apprentissage"]
    assert scheme.conditions.age_min == 15
    # Creators, top athletes and disabled workers have no upper limit: no machine age_max.
    assert scheme.conditions.age_max is None
    assert "29 ans révolus" in scheme.details and "34 ans révolus" in scheme.details
    assert "3 mois au plus" in scheme.details
    assert any("legifrance.gouv.fr" in source for source in scheme.sources)


def test_rsa_describes_the_2025_reform_with_its_law() -> None:
    scheme = schemes()["rsa-revenu-solidarite-active"]
    assert "15 heures" in scheme.summary and "15 heures" in scheme.details
    assert "automatiquement à France Travail" in scheme.details
    assert "parent isolé sans solution de garde" in scheme.details
    assert "https://www.legifrance.gouv.fr/loda/id/JORFTEXT000048581935" in scheme.sources
    assert scheme.amount is None  # the amount depends on the household: never stated


def test_prime_activite_states_the_apprentices_earnings_threshold_as_a_rule_to_check() -> None:
    scheme = schemes()["prime-activite"]
    assert any("78 % du Smic" in line for line in scheme.conditions.other)


def test_pmsmp_sends_people_to_an_official_page_not_a_regional_copy() -> None:
    scheme = schemes()["pmsmp"]
    assert scheme.apply.url is not None and "orientation-paysdelaloire" not in scheme.apply.url
    assert "jamais à occuper un poste" in scheme.details


def test_bilan_de_competences_follows_the_2026_cpf_rules_without_unconfirmed_figures() -> None:
    scheme = schemes()["bilan-de-competences"]
    assert scheme.information_date >= dt.date(2026, 2, 26)
    assert "13 heures" in scheme.details and "plafonnée" in scheme.details
    for unconfirmed in ("1 600", "103,20", "150 €", "5 ans"):
        assert unconfirmed not in scheme.details


def test_amounts_are_the_ones_read_and_no_other() -> None:
    csp = schemes()["contrat-securisation-professionnelle"].amount
    assert csp is not None and csp.value == 75 and csp.unit == "percent"
    reclassement = schemes()["conge-de-reclassement"].amount
    assert reclassement is not None and reclassement.min == 65
    afe = schemes()["aide-forfaitaire-employeur-contrat-pro"].amount
    assert afe is not None and afe.max == 2000
    # Revalued every year or read only on unofficial pages: never stated.
    for scheme_id in (
        "are-allocation-chomage",
        "paje-allocation-de-base",
        "aeeh-allocation-education-enfant-handicape",
        "asf-allocation-soutien-familial",
        "tarif-creche-bareme-caf",
        "carte-grise-changement-adresse",
        "rgdu-reduction-generale-cotisations",
    ):
        scheme = schemes()[scheme_id]
        assert scheme.amount is None, scheme_id
        assert "€" not in scheme.details, scheme_id


def test_unconfirmed_2026_unemployment_changes_are_not_stated_as_rules() -> None:
    # A February 2026 agreement on ruptures conventionnelles still needed approval and a vote.
    for scheme_id in ("are-allocation-chomage", "rupture-conventionnelle-chomage"):
        details = schemes()[scheme_id].details
        assert "15 mois" not in details and "18 mois" not in details


def test_territoires_zero_chomeur_says_it_is_not_everywhere() -> None:
    scheme = schemes()["territoires-zero-chomeur-longue-duree"]
    assert "pas partout" in scheme.territory.label
    assert "n'existe pas partout" in scheme.details
    # The experimentation's end must be re-checked.
    assert scheme.review_by is not None and scheme.review_by <= dt.date(2027, 1, 1)
