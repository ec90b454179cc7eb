"""The knowledge base finds the records people mean, in their own words (issue 11)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from knowledge.search.lexicon import expand
from knowledge.search.retriever import query_words, retrieve


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("g pas de garant pr louer un studio", "visale"),
        ("chui en alternance et je dois payer un 2eme loyer pres de mon cfa", "mobili-jeune"),
        ("la caf peut m aider pour le loyer ?", "aides-personnelles-logement-apl-als"),
        (
            "qui garde les petits quand je bosse la nuit",
            "garde-enfants-horaires-atypiques-domicile",
        ),
        ("passer le caces avec mon compte formation", "cpf-caces-habilitations-conduite"),
        ("combien gagne un apprenti de 18 ans", "salaire-apprenti"),
        ("mon patron a rompu mon contrat d apprentissage", "rupture-contrat-apprentissage"),
        ("foyer pour jeunes qui bossent", "foyer-jeunes-travailleurs-habitat-jeunes"),
        ("valider mon experience par un diplome", "validation-acquis-experience"),
    ],
)
def test_people_s_words_rank_the_right_record_in_the_top_three(
    real_kb: Session, message: str, expected: str
) -> None:
    hits = retrieve(real_kb, message).hits
    assert expected in [hit.scheme.id for hit in hits[:3]], [h.scheme.id for h in hits[:5]]


def test_a_name_typed_without_its_apostrophe_is_found(real_kb: Session) -> None:
    named = retrieve(real_kb, "et lapl jy ai droit en tant qu apprenti ?").named
    assert [scheme.id for scheme in named][:1] == ["aides-personnelles-logement-apl-als"]


def test_topic_words_are_not_names(real_kb: Session) -> None:
    # "alternance" is an alias of a record and the topic of forty: not a name.
    assert retrieve(real_kb, "un logement pour mon alternance").named == []
    assert retrieve(real_kb, "quel age faut il avoir").named == []


def test_common_words_glued_together_are_not_a_name(real_kb: Session) -> None:
    # "mon enfant" glued is the alias "monenfant" (the site monenfant.fr): not a name here.
    assert retrieve(real_kb, "qui m'aide à payer la nounou de mon enfant").named == []
    assert retrieve(real_kb, "ça sert à quoi 1 jeune 1 solution").named != []


def test_sms_spelling_and_typos_reach_the_records_words(real_kb: Session) -> None:
    assert "logement" in expand("jcherche un appart")
    assert "logement" in query_words(real_kb, "un logment pas cher")
    assert "garde" in query_words(real_kb, "une nounou")


def test_ended_and_proposed_records_are_never_ranked_only_named(real_kb: Session) -> None:
    retrieval = retrieve(real_kb, "mobili pass aide au logement quand on est muté")
    assert "mobili-pass" in [scheme.id for scheme in retrieval.named]
    ranked = [hit.scheme for hit in retrieval.hits]
    assert all(not scheme.is_ended and not scheme.is_proposal for scheme in ranked)
    assert "mobili-pass" not in [scheme.id for scheme in ranked]


def test_gibberish_finds_nothing(real_kb: Session) -> None:
    retrieval = retrieve(real_kb, "qsdkjh zzpoi")
    assert retrieval.hits == [] and retrieval.named == []
    assert retrieval.known_share == 0.0


def test_without_a_commune_local_records_are_marked_elsewhere(real_kb: Session) -> None:
    hits = retrieve(real_kb, "aide au permis de conduire").hits
    assert {hit.locality for hit in hits if hit.scheme.territory.scope == "national"} == {
        "national"
    }
    assert {hit.locality for hit in hits if hit.scheme.territory.scope != "national"} <= {None}


def test_the_short_name_of_a_record_is_a_name(real_kb: Session) -> None:
    named = retrieve(real_kb, "c quoi mobilimel ? ma conseillere m'en a parlé").named
    assert [scheme.id for scheme in named][:1] == ["mobilimel"]


def test_an_ended_record_that_ranks_first_is_kept_aside(real_kb: Session) -> None:
    retrieval = retrieve(real_kb, "l'aide de 500e pour le permis des apprentis existe plus ?")
    assert [hit.scheme.id for hit in retrieval.ended][:1] == ["permis-apprenti-500"]
    assert "permis-apprenti-500" not in [hit.scheme.id for hit in retrieval.hits]
