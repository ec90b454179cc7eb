"""A message the NLU could not place is answered when a record is close to it in meaning (issue 11).

Sentences written for this test (not taken from a test or evaluation set).
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from actions.understanding.answer import is_about_the_person, is_clear_match
from actions.understanding.situation import read_situation
from knowledge.search import retriever


@pytest.mark.parametrize("message", ["financer le permis de conduire"])
def test_a_message_close_in_meaning_to_a_record_is_answered(real_kb: Session, message: str) -> None:
    found = retriever.retrieve(real_kb, message)
    said = read_situation(message)
    # Neither a clear BM25 match nor a situation cue: only the meaning keeps it.
    assert not is_clear_match(found)
    assert not said.says_something
    assert found.close_in_meaning
    assert is_about_the_person(found, said)


@pytest.mark.parametrize(
    "message",
    ["quel temps fera-t-il demain à Lyon", "ma box internet ne marche plus depuis hier"],
)
def test_everyday_messages_are_still_not_about_the_person(real_kb: Session, message: str) -> None:
    found = retriever.retrieve(real_kb, message)
    assert not is_about_the_person(found, read_situation(message))
