"""Regression tests of the 'wrong or outdated' list of issue 12, on the real data files.

Each test reads ``knowledge/data`` as shipped and fails if the fix is undone.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import pytest
from sqlalchemy.orm import Session

from knowledge.citations import registry
from knowledge.loader import write_knowledge
from knowledge.search import find_scheme_by_name, search_schemes
from knowledge.validation import KnowledgeData, read_knowledge
from knowledge.views import ConditionsView, SchemeView, scheme_view


@cache
def data() -> KnowledgeData:
    return read_knowledge()


@cache
def schemes() -> dict[str, SchemeView]:
    return {
        s.record.id: scheme_view(s.theme, s.record.model_dump(mode="json")) for s in data().schemes
    }


def _within(value: int | None, low: int | None, high: int | None) -> bool:
    if value is None:
        return True
    return (low is None or value >= low) and (high is None or value <= high)


def qualifies(
    conditions: ConditionsView,
    *,
    age: int | None = None,
    statuses: Sequence[str] = (),
    child_ages: Sequence[int] = (),
) -> bool:
    """The documented contract: every condition, plus one alternative when there are some."""
    if not _within(age, conditions.age_min, conditions.age_max):
        return False
    if conditions.statuses and not set(conditions.statuses) & set(statuses):
        return False
    if set(conditions.excluded_statuses) & set(statuses):
        return False

    def child_fits(low: int | None, high: int | None) -> bool:
        return not child_ages or any(_within(a, low, high) for a in child_ages)

    if not child_fits(conditions.child_age_min, conditions.child_age_max):
        return False
    if not conditions.alternatives:
        return True
    return any(
        _within(age, alt.age_min, alt.age_max)
        and (not alt.statuses or bool(set(alt.statuses) & set(statuses)))
        and child_fits(alt.child_age_min, alt.child_age_max)
        for alt in conditions.alternatives
    )


def user_text(scheme: SchemeView) -> str:
    parts = [scheme.name, scheme.summary, scheme.details, scheme.for_whom or ""]
    parts += list(scheme.conditions.other) + list(scheme.apply.steps)
    if scheme.amount and scheme.amount.text:
        parts.append(scheme.amount.text)
    return " ".join(parts)


# CMG: single parents keep it until the child is 12 since 1 September 2025 (décret 2025-515).
@pytest.mark.parametrize(
    ("statuses", "child_ages", "expected"),
    [
        (["single_parent"], [8], True),
        (["single_parent"], [11], True),
        (["single_parent"], [12], False),
        (["parent"], [8], False),
        (["parent"], [4], True),
        (["single_parent"], [3], True),
    ],
)
def test_cmg_reaches_twelve_for_single_parents(
    statuses: list[str], child_ages: list[int], expected: bool
) -> None:
    cmg = schemes()["cmg-complement-mode-de-garde"]
    assert qualifies(cmg.conditions, statuses=statuses, child_ages=child_ages) is expected
    assert "12 ans" in cmg.summary
    assert cmg.information_date.isoformat() >= "2025-09-01"


# Visale: 18-30 whatever the status; over 30 only (some) employees.
@pytest.mark.parametrize(
    ("age", "statuses", "expected"),
    [
        (19, ["student"], True),
        (25, ["job_seeker"], True),
        (30, ["job_seeker"], True),
        (35, ["employee"], True),
        (35, ["job_seeker"], False),
        (17, ["student"], False),
    ],
)
def test_visale_is_open_to_18_30_whatever_the_status(
    age: int, statuses: list[str], expected: bool
) -> None:
    visale = schemes()["visale"]
    assert qualifies(visale.conditions, age=age, statuses=statuses) is expected
    assert "entreprise publique" not in user_text(visale)
    assert visale.citation is not None and visale.citation.kind == "page"


def test_mobili_jeune_is_monthly_with_a_yearly_ceiling_and_real_conditions() -> None:
    mobili = schemes()["mobili-jeune"]
    text = user_text(mobili)
    assert "pendant un an" not in text
    assert mobili.amount is not None and mobili.amount.period == "month"
    assert mobili.amount.max == 100 and "1 100 €" in (mobili.amount.text or "")
    assert "2 années" in (mobili.amount.text or "")
    assert mobili.conditions.monthly_income_max is not None
    assert "70 km" in text and "deux loyers" in text
    assert mobili.sources[0].startswith("https://www.service-public.gouv.fr/")


def test_france_travail_licence_aid_states_registration_age_and_ceiling() -> None:
    permis = schemes()["aide-permis-france-travail"]
    assert permis.conditions.age_min == 18
    assert permis.amount is not None and permis.amount.max == 1200
    assert any("6 mois" in line for line in permis.conditions.other)


@pytest.mark.parametrize("scheme_id", ["mobili-pass", "reva-experimentation-vae"])
def test_schemes_that_ended_are_marked_ended(scheme_id: str) -> None:
    assert schemes()[scheme_id].status == "ended"


def test_ended_schemes_are_never_offered_but_can_be_named(session: Session) -> None:
    write_knowledge(session, data())
    session.flush()
    for text in ("aide loyer apprenti", "demenager pour un travail", "vae aide a domicile"):
        found = search_schemes(session, text=text, statuses=["apprentice"], limit=20)
        ids = [hit.scheme.id for hit in found]
        assert "mobili-pass" not in ids and "reva-experimentation-vae" not in ids, (text, ids)
        assert all(hit.scheme.status != "ended" for hit in found)
    named = find_scheme_by_name(session, "Mobili-Pass")
    assert named is not None and named.is_ended


@pytest.mark.parametrize(
    "scheme_id",
    [
        "apprentissage-apres-parcoursup-paca",  # a one-season 2019 operation
        "job-datings-apprentissage-ile-de-france",  # a series of 2019
        "val-de-garonne-sensibilisation-4e",  # 2019 awareness workshops
        "immersion-psy-en-professeurs-nord",  # a 2022 experiment
        "passerelles-metallurgie-agroalimentaire",  # a 2019 experiment
        "dossier-unique-insertion-nord",  # a 2021-2023 experiment
        "pass-etudiant-entreprise",  # for young people who left school in 2019-2020
        "formation-usineurs-sauldre-sologne",  # one 2019-2020 session
    ],
)
def test_one_off_past_local_actions_are_not_offered_as_existing(scheme_id: str) -> None:
    assert schemes()[scheme_id].status == "ended"


@pytest.mark.parametrize(
    "scheme_id", ["geiq-industrie-cantal", "garde-enfants-nouveaux-arrivants-val-eyrieux"]
)
def test_plans_are_not_written_as_done(scheme_id: str) -> None:
    assert schemes()[scheme_id].status == "project"


@pytest.mark.parametrize(
    ("scheme_id", "codes"),
    [
        ("cooperatives-activite-emploi-nord", ("200093201", "245900428")),
        ("espace-emploi-uimm-val-de-lorraine", ("245400601",)),
        ("techno-tour-uimm-val-de-lorraine", ("245400601",)),
        ("cent-chances-cent-emplois-boucles-de-seine", ("200058519", "200059889")),
        ("dossier-unique-insertion-nord", ("200093201",)),
    ],
)
def test_territories_are_those_the_source_names(scheme_id: str, codes: tuple[str, ...]) -> None:
    territory = schemes()[scheme_id].territory
    assert territory.scope == "epci" and territory.codes == codes


def test_every_national_scheme_offered_cites_its_official_page_first() -> None:
    offered = [
        s
        for s in schemes().values()
        if s.territory.scope == "national" and s.status in ("existing", "project")
    ]
    assert len(offered) > 40
    for scheme in offered:
        assert registry().is_official(scheme.sources[0]), (scheme.id, scheme.sources[0])
        assert scheme.citation is not None and scheme.citation.kind == "page", scheme.id


@pytest.mark.parametrize(
    "scheme_id",
    [
        "plateforme-rh-partagee",
        "kits-bienvenue-reseaux-nouveaux-arrivants",
        "accompagnement-installation-salaries-territoires",
        "rappel-recruteurs-30-jours",
    ],
)
def test_practices_of_unnamed_territories_are_not_national_schemes(scheme_id: str) -> None:
    assert scheme_id not in schemes()


def test_no_user_text_of_any_record_holds_an_internal_note() -> None:
    from knowledge.validation_content import internal_note_found

    for scheme in schemes().values():
        assert internal_note_found(user_text(scheme)) is None, scheme.id
