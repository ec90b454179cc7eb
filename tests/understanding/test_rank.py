"""The situation re-ranks the knowledge base's records (issue 11)."""

from __future__ import annotations

from actions.understanding.rank import rank
from actions.understanding.situation import Situation, read_situation
from knowledge.search.retriever import Retrieval, Retrieved
from tests.understanding.conftest import records


def retrieval_of(*ids: str, named: tuple[str, ...] = ()) -> Retrieval:
    views = records()
    hits = [Retrieved(views[i], 10.0 - n * 0.1, "national") for n, i in enumerate(ids)]
    return Retrieval(hits, [views[i] for i in named], [], 1.0, ())


def ids(ranked: list) -> list[str]:  # type: ignore[type-arg]
    return [item.scheme.id for item in ranked]


def child_care_records() -> list[str]:
    views = records()
    return [
        i
        for i, v in views.items()
        if v.theme == "childcare"
        and v.conditions.child_age_max is not None
        and v.conditions.child_age_max <= 5
        and not v.conditions.alternatives
    ]


def test_children_too_old_for_a_scheme_leave_it_out() -> None:
    young_only = child_care_records()
    assert young_only, "the knowledge base has childcare records for under-6s"
    ranked = rank(retrieval_of(*young_only), read_situation("mon fils de 9 ans"))
    assert ranked == []
    kept = rank(retrieval_of(*young_only), read_situation("mon fils de 4 ans"))
    assert kept


def test_working_hours_bring_the_atypical_hours_record_up() -> None:
    atypical = "garde-enfants-horaires-atypiques-domicile"
    assert "night" in records()[atypical].schedules
    other = "relais-petite-enfance-monenfant"
    plain = rank(retrieval_of(other, atypical), Situation())
    night = rank(retrieval_of(other, atypical), read_situation("je bosse de nuit"))
    assert ids(plain)[0] == other
    assert ids(night)[0] == atypical
    assert any(reason.startswith("schedule:") for reason in night[0].reasons)


def test_employer_aids_go_down_for_a_young_person_and_up_for_an_employer() -> None:
    employer_aid = "aide-unique-apprentissage"
    seeker_record = "salaire-apprenti"
    assert "employer" in records()[employer_aid].audiences
    young = rank(retrieval_of(employer_aid, seeker_record), read_situation("je suis apprenti"))
    boss = rank(
        retrieval_of(seeker_record, employer_aid), read_situation("je suis gérant, j'embauche")
    )
    assert ids(young)[0] == seeker_record
    assert ids(boss)[0] == employer_aid


def test_an_age_outside_the_conditions_leaves_the_record_out() -> None:
    views = records()
    capped = next(i for i, v in views.items() if v.conditions.age_max == 25 and not v.is_ended)
    assert rank(retrieval_of(capped), read_situation("j'ai 40 ans")) == []
    assert rank(retrieval_of(capped), read_situation("j'ai 20 ans"))
