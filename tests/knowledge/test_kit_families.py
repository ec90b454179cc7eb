"""Issue 14: the welcome kit a family keeps, rendered for three families on the real records.

What must be there (first-week steps for their household, local first) and what must not
(schemes the family cannot get, sections they did not ask for), and a PDF of at most 4 pages.
"""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pypdf import PdfReader
from sqlalchemy.orm import Session

from channels.kit import TEMPLATES
from channels.kit.pdf import render_kit_pdf
from channels.kit.view import kit_view
from knowledge.kit import Household, build_kit_content
from knowledge.loader import write_knowledge
from knowledge.validation import read_knowledge

MAX_PAGES = 4
# Schemes reserved to apprentices or young people: never in a family's kit.
NEVER = ("Mobili-Jeune", "apprentis", "Service civique")

FAMILIES: dict[str, dict[str, Any]] = {
    "carhaix_two_children_spouse": {
        "insee": "29024",
        "name": "Carhaix-Plouguer",
        "household": Household(2, (3, 8), True),
        "needs": ["housing", "childcare", "schools", "transport", "spouse_job"],
        "must": ["Inscrivez vos enfants à l'école", "France Travail", "Apec"],
        "must_not": ["moins de 3 ans"],
    },
    "roubaix_couple_no_children": {
        "insee": "59512",
        "name": "Roubaix",
        "household": Household(0, (), True),
        "needs": ["housing", "transport", "spouse_job"],
        "must": ["France Travail", "Emploi du conjoint"],
        "must_not": ["Inscrivez vos enfants", "Garde d'enfants", "Écoles"],
    },
    "creteil_baby": {
        "insee": "94028",
        "name": "Créteil",
        "household": Household(1, (1,), False),
        "needs": ["childcare", "housing"],
        "must": ["moins de 3 ans", "monenfant.fr"],
        "must_not": ["Inscrivez vos enfants", "Emploi du conjoint", "l'Apec"],
    },
}


def _render(session: Session, family: dict[str, Any]) -> tuple[str, str, int]:
    content = build_kit_content(
        session,
        commune_insee=family["insee"],
        commune_name=family["name"],
        household=family["household"],
        needs=family["needs"],
    )
    view = kit_view(content, pdf_url="/kit/t.pdf")
    templates = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    page = html.unescape(templates.get_template("kit.html").render(view=view))
    reader = PdfReader(io.BytesIO(render_kit_pdf(view)))
    text = " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())
    return page, text, len(reader.pages)


@pytest.fixture
def real_knowledge(session: Session) -> Session:
    write_knowledge(session, read_knowledge())
    session.flush()
    return session


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_the_kit_fits_the_family(real_knowledge: Session, family: str) -> None:
    spec = FAMILIES[family]
    page, pdf_text, pages = _render(real_knowledge, spec)
    assert pages <= MAX_PAGES, pages
    for rendered in (page, pdf_text):
        assert "Votre première semaine" in rendered and "Sommaire" in rendered
        for text in spec["must"]:
            assert text in rendered, text
        for text in (*spec["must_not"], *NEVER):
            # Whole words: "apprentis" (a record for apprentices) is not "en apprentissage"
            # in the list of whom a broad record such as the bail mobilité is for.
            assert not re.search(rf"\b{re.escape(text)}\b", rendered), text
    # The first week comes before every section.
    assert page.index("Votre première semaine") < page.index('<section id="section-')


def test_the_first_week_gives_a_place_to_go_for_each_step(real_knowledge: Session) -> None:
    page, _, _ = _render(real_knowledge, FAMILIES["carhaix_two_children_spouse"])
    week = page[page.index('<ol class="week">') : page.index("</ol>", page.index('class="week"'))]
    steps = re.findall(r"<li>", week)
    assert len(steps) >= 4
    assert week.count("Où : ") == len(steps)
