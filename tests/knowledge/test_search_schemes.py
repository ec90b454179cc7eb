"""Scheme search: typos, accents, SMS style, territory (local first), filters, reasons."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from knowledge.search import (
    find_scheme_by_name,
    get_scheme,
    organisations_by_id,
    organisations_for,
    search_schemes,
)

ROUBAIX, CARHAIX, SETE = "59512", "29024", "34301"


def ids(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [hit.scheme.id for hit in hits]


@pytest.mark.parametrize(
    "text",
    [
        "Mobili-Jeune",
        "mobili jeune",
        "mobilijeune",
        "mobili jeun",
        "mobilli-jeune",
        "MOBILI JEUNE",
        "jcherche aide pr loyer alternant",
        "aide au loyer apprentis",
    ],
)
def test_text_finds_mobili_jeune_despite_typos_and_sms_style(loaded: Session, text: str) -> None:
    hits = search_schemes(loaded, text=text)
    assert ids(hits)[0] == "mobili-jeune"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("garde enfant horaires décalés", "test-garde-horaires-atypiques-roubaix"),
        ("garde enfant horaires decales", "test-garde-horaires-atypiques-roubaix"),
        ("crèche de nuit", "test-garde-horaires-atypiques-roubaix"),
        ("permi de conduir", "test-aide-mobilite-nord"),
        ("faire garder mes enfants", "test-aide-garde-parent-isole"),
    ],
)
def test_accents_and_typos(loaded: Session, text: str, expected: str) -> None:
    assert ids(search_schemes(loaded, text=text, commune_insee=ROUBAIX))[0] == expected


def test_unrelated_text_finds_nothing(loaded: Session) -> None:
    assert search_schemes(loaded, text="pizza margherita") == []
    assert search_schemes(loaded, text="   ") != []  # blank text means "no text filter"


def test_commune_sees_its_own_then_epci_departement_region_national(loaded: Session) -> None:
    hits = search_schemes(loaded, commune_insee=ROUBAIX, limit=20)
    assert ids(hits)[:4] == [
        "test-garde-horaires-atypiques-roubaix",
        "test-logement-jeunes-mel",
        "test-aide-mobilite-nord",
        "test-carte-transport-region",
    ]
    assert set(ids(hits)[4:]) == {"mobili-jeune", "test-aide-garde-parent-isole"}
    assert [hit.reasons[0] for hit in hits[:4]] == [
        "territory:commune",
        "territory:epci",
        "territory:departement",
        "territory:region",
    ]


def test_another_territory_does_not_see_roubaix_schemes(loaded: Session) -> None:
    hits = search_schemes(loaded, commune_insee=CARHAIX, limit=20)
    assert ids(hits)[0] == "test-navette-carhaix"
    assert "test-garde-horaires-atypiques-roubaix" not in ids(hits)
    assert "test-aide-mobilite-nord" not in ids(hits)


def test_local_scheme_ranks_first_among_equally_relevant(loaded: Session) -> None:
    # "transport pour aller travailler" is a keyword of a Nord scheme, a Carhaix scheme and a
    # national proposal: each place sees its own first.
    assert (
        ids(search_schemes(loaded, text="transport pour aller travailler", commune_insee=CARHAIX))[
            0
        ]
        == "test-navette-carhaix"
    )
    assert (
        ids(search_schemes(loaded, text="transport pour aller travailler", commune_insee=ROUBAIX))[
            0
        ]
        == "test-aide-mobilite-nord"
    )


def test_proposals_are_hidden_unless_asked_and_then_flagged(loaded: Session) -> None:
    assert "test-covoiturage-intercommunal" not in ids(
        search_schemes(loaded, text="covoiturage", limit=10)
    )
    hits = search_schemes(loaded, text="covoiturage", include_proposals=True)
    assert ids(hits) == ["test-covoiturage-intercommunal"]
    assert "status:proposal" in hits[0].reasons


def test_projects_are_shown_with_their_status(loaded: Session) -> None:
    hits = search_schemes(loaded, text="logement saisonnier", commune_insee=SETE)
    assert ids(hits)[0] == "test-logement-saisonniers"
    assert "status:project" in hits[0].reasons and "territory:region" in hits[0].reasons


def test_theme_audience_and_status_filters(loaded: Session) -> None:
    assert set(ids(search_schemes(loaded, theme="childcare", limit=10))) == {
        "test-garde-horaires-atypiques-roubaix",
        "test-aide-garde-parent-isole",
    }
    apprentices = search_schemes(loaded, audiences=["apprentice"], commune_insee=ROUBAIX, limit=10)
    assert set(ids(apprentices)) == {"mobili-jeune", "test-carte-transport-region"}
    assert "audience:apprentice" in apprentices[0].reasons
    # A scheme for "any" audience matches every audience.
    assert "test-navette-carhaix" in ids(
        search_schemes(loaded, audiences=["senior"], commune_insee=CARHAIX, limit=10)
    )
    # Statuses: schemes restricted to other statuses are left out, unrestricted ones stay.
    job_seeker = ids(search_schemes(loaded, statuses=["job_seeker"], limit=20))
    assert "mobili-jeune" not in job_seeker
    assert {"test-aide-mobilite-nord", "test-logement-jeunes-mel"} <= set(job_seeker)


def test_limit_and_offset_page_through_results(loaded: Session) -> None:
    everything = ids(search_schemes(loaded, commune_insee=ROUBAIX, limit=20))
    pages = ids(search_schemes(loaded, commune_insee=ROUBAIX, limit=2, offset=0)) + ids(
        search_schemes(loaded, commune_insee=ROUBAIX, limit=2, offset=2)
    )
    assert pages == everything[:4]


def test_get_scheme_returns_any_status_with_every_field(loaded: Session) -> None:
    proposal = get_scheme(loaded, "test-covoiturage-intercommunal")
    assert proposal is not None and proposal.is_proposal
    mobili = get_scheme(loaded, "mobili-jeune")
    assert mobili is not None
    assert mobili.amount is not None and (mobili.amount.min, mobili.amount.max) == (10, 100)
    assert mobili.conditions.age_max == 30 and mobili.conditions.statuses == ("apprentice",)
    assert mobili.apply.url == "https://www.actionlogement.fr/l-aide-mobili-jeune"
    assert mobili.theme == "housing" and mobili.information_date.isoformat() == "2025-01-01"
    assert get_scheme(loaded, "no-such-scheme") is None


@pytest.mark.parametrize("text", ["mobili jeune", "Mobilli-Jeune", "mobilijeune", "MOBILI-JEUNE"])
def test_find_scheme_by_name(loaded: Session, text: str) -> None:
    found = find_scheme_by_name(loaded, text)
    assert found is not None and found.id == "mobili-jeune"


def test_find_scheme_by_name_refuses_far_names(loaded: Session) -> None:
    assert find_scheme_by_name(loaded, "allocation chômage") is None
    assert find_scheme_by_name(loaded, "") is None


def test_organisations_for_a_commune_local_first(loaded: Session) -> None:
    orgs = organisations_for(loaded, commune_insee=ROUBAIX)
    assert [o.id for o in orgs] == [
        "test-mission-locale-roubaix",
        "test-geiq-mel",
        "test-caf-nord",
        "action-logement",
    ]
    assert [o.id for o in organisations_for(loaded, commune_insee=ROUBAIX, kinds=["geiq"])] == [
        "test-geiq-mel"
    ]
    assert "test-mission-locale-roubaix" not in [
        o.id for o in organisations_for(loaded, commune_insee=CARHAIX)
    ]


def test_organisations_by_id_keeps_the_order(loaded: Session) -> None:
    orgs = organisations_by_id(loaded, ["test-caf-nord", "action-logement", "missing"])
    assert [o.id for o in orgs] == ["test-caf-nord", "action-logement"]
    assert orgs[1].contacts.url == "https://www.actionlogement.fr"


def test_odd_input_is_handled_quickly(loaded: Session) -> None:
    import time

    start = time.perf_counter()
    assert search_schemes(loaded, text="mobili jeune " * 5000)[0].scheme.id == "mobili-jeune"
    assert find_scheme_by_name(loaded, "x" * 100_000) is None
    assert time.perf_counter() - start < 2.0
    # Nothing meaningful typed (emoji, markup, filler words): the text filter is not applied.
    assert search_schemes(loaded, text="🙂🙂", commune_insee=ROUBAIX) == search_schemes(
        loaded, commune_insee=ROUBAIX
    )
    assert search_schemes(loaded, text="<script>alert(1)</script>") == []


def test_ended_scheme_is_never_offered_but_can_be_named(tmp_path: Path) -> None:
    """An ended scheme (official end date) only comes back when the person names it."""
    from knowledge.db import make_engine, make_session_factory
    from knowledge.loader import write_knowledge
    from knowledge.models.base import Base
    from knowledge.search import find_scheme_by_name, search_schemes
    from knowledge.validation import read_knowledge

    data = read_knowledge(Path(__file__).resolve().parents[2] / "knowledge" / "data")
    engine = make_engine(f"sqlite:///{tmp_path}/ended.db")
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as session:
        write_knowledge(session, data)
        session.commit()
        found = search_schemes(session, text="afpr formation prealable au recrutement", limit=10)
        assert "afpr" not in [hit.scheme.id for hit in found]
        named = find_scheme_by_name(session, "AFPR")
        assert named is not None and named.status == "ended"
