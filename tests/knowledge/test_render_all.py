"""Issue 12, step 4: every record goes through every renderer without leaking internal text.

Internal notes and source file references (``004_….txt:12-34``) are for audit only: neither the
chat cards nor the welcome kit (page and PDF) may print them.
"""

from __future__ import annotations

import io
import re
from functools import cache
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pypdf import PdfReader
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.schemes_cards import utter_card, utter_details
from channels.kit import TEMPLATES
from channels.kit.pdf import render_kit_pdf
from channels.kit.view import kit_view
from knowledge.kit import SECTIONS, Household, build_kit_content, scheme_item
from knowledge.loader import write_knowledge
from knowledge.validation import read_knowledge
from knowledge.validation_content import internal_note_found
from knowledge.views import SchemeView, scheme_view

FILE_REFERENCE = re.compile(r"\b\d{3}_[0-9a-f]{6,}(?:\.txt)?\b")


@cache
def schemes() -> tuple[SchemeView, ...]:
    return tuple(
        scheme_view(s.theme, s.record.model_dump(mode="json")) for s in read_knowledge().schemes
    )


def _values(messages: list[dict[str, Any]]) -> str:
    parts: list[str] = []
    for message in messages:
        parts += [str(value) for key, value in message.items() if key != "response" and value]
    return "\n".join(parts)


def _note_fragments(scheme: SchemeView) -> list[str]:
    # Long enough pieces of the internal notes that could not appear by chance.
    notes = scheme.internal_notes or ""
    return [piece.strip() for piece in re.split(r"[.;:\n]", notes) if len(piece.strip()) > 60]


def _chat_text(domain: dict[str, Any], scheme: SchemeView, *, with_source: bool = True) -> str:
    dispatcher = CollectingDispatcher()
    utter_card(dispatcher, domain, scheme, 1)
    utter_details(dispatcher, domain, scheme)
    messages = [
        m for m in dispatcher.messages if with_source or m.get("response") != "utter_scheme_source"
    ]
    return _values(messages)


def test_chat_cards_never_print_internal_notes(domain: dict[str, Any]) -> None:
    # The source line is checked by the next test (its fix belongs to actions/).
    leaks = {}
    for scheme in schemes():
        text = _chat_text(domain, scheme, with_source=False)
        fragments = [piece for piece in _note_fragments(scheme) if piece in text]
        if fragments or internal_note_found(text):
            leaks[scheme.id] = fragments or internal_note_found(text)
    assert not leaks, leaks


def test_chat_cards_never_print_file_names_or_line_numbers(domain: dict[str, Any]) -> None:
    leaks = [scheme.id for scheme in schemes() if FILE_REFERENCE.search(_chat_text(domain, scheme))]
    assert not leaks, leaks


def _kit_content(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "commune": {"insee": "29024", "name": "Carhaix-Plouguer", "scopes": []},
        "household": {"adults": 2, "children_ages": [3, 8], "spouse_seeks_work": True},
        "needs": ["housing"],
        "generated_on": "2026-12-05",
        "thin_territory": False,
        "sections": [{"need": "housing", "local_count": 1, "items": items, "organisations": []}],
        "support": [],
    }


def test_the_kit_page_and_pdf_print_citations_never_notes_or_files() -> None:
    offered = [scheme for scheme in schemes() if not scheme.is_ended]
    view = kit_view(_kit_content([scheme_item(s) for s in offered]), pdf_url="/kit/t.pdf")
    templates = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    page = templates.get_template("kit.html").render(view=view)
    pdf = render_kit_pdf(view)
    pdf_text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    for rendered in (page, " ".join(pdf_text.split())):
        assert not FILE_REFERENCE.search(rendered)
        assert "internal_notes" not in rendered
    for scheme in offered:
        for piece in _note_fragments(scheme):
            assert piece not in page, (scheme.id, piece)
    # Every report a record relies on is named by its title, never by its file.
    assert "Institut Montaigne" in page


def test_every_record_has_a_citation_a_person_can_use() -> None:
    for scheme in schemes():
        citation = scheme.citation
        assert citation is not None, scheme.id
        assert not FILE_REFERENCE.search(citation.text), (scheme.id, citation.text)


@pytest.mark.parametrize(("insee", "name"), [("59512", "Roubaix"), ("94028", "Créteil")])
def test_the_kit_never_offers_an_ended_record(session: Session, insee: str, name: str) -> None:
    # Nord and Île-de-France hold ended local records (one-off actions, experiments).
    data = read_knowledge()
    write_knowledge(session, data)
    session.flush()
    ended = {s.record.id for s in data.schemes if s.record.status == "ended"}
    content = build_kit_content(
        session,
        commune_insee=insee,
        commune_name=name,
        household=Household(2, (1, 7), True),
        needs=list(SECTIONS),
    )
    offered = {item["id"] for section in content["sections"] for item in section["items"]}
    assert offered and not offered & ended
    assert all(
        item["status"] != "ended" for section in content["sections"] for item in section["items"]
    )
