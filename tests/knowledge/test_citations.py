"""Citations a person can use: official pages first, reports by publisher, title and year."""

from __future__ import annotations

import re
from functools import cache

import pytest

from knowledge.citations import citation_for, citations_for, registry
from knowledge.validation import DEFAULT_SOURCES_DIR, KnowledgeData, read_knowledge
from knowledge.views import organisation_view, scheme_view

AUDIT_REFERENCE = re.compile(r"\.txt|\b\d{3}_[0-9a-f]{6,}|\b00\d:\d+")


@cache
def real_data() -> KnowledgeData:
    return read_knowledge()


def test_every_shared_document_is_in_the_registry() -> None:
    if not DEFAULT_SOURCES_DIR.is_dir():
        pytest.skip(f"{DEFAULT_SOURCES_DIR} is absent")
    files = {path.name for path in DEFAULT_SOURCES_DIR.glob("*.txt")}
    assert files == set(registry().documents)


def test_a_report_is_cited_by_publisher_title_and_year() -> None:
    citation = citation_for("004_5b6766356ac71934.txt:4421-4428")
    assert citation is not None and citation.kind == "report" and citation.url is None
    assert citation.text == (
        "Institut Montaigne, « Métropole européenne de Lille : des clés pour le plein emploi », 2023"
    )


def test_a_report_without_a_printed_title_is_described_with_its_period() -> None:
    citation = citation_for("000_baf36826a7d52287.txt:340")
    assert citation is not None
    assert citation.title is None and citation.year == "2024-2025"
    assert citation.text.startswith("Intercommunalités de France, note de propositions")


def test_an_official_page_is_cited_by_publisher_and_address() -> None:
    url = "https://www.service-public.fr/particuliers/vosdroits/F345"
    citation = citation_for(url)
    assert citation is not None and citation.kind == "page"
    assert citation.text == f"Service-Public.fr : {url}"
    generic = citation_for("https://www.economie.gouv.fr/particuliers/credit-impot")
    assert generic is not None and generic.publisher == "economie.gouv.fr"


def test_a_look_alike_host_is_not_official() -> None:
    for url in ("https://service-public.fr.example.com/F1", "https://notcaf.fr/x"):
        citation = citation_for(url)
        assert citation is not None and citation.kind == "web"


def test_official_pages_come_first_and_reports_are_cited_once() -> None:
    citations = citations_for(
        [
            "004_5b6766356ac71934.txt:4421-4428",
            "004_5b6766356ac71934.txt:100",
            "https://www.example.org/blog",
            "https://www.actionlogement.fr/l-aide-mobili-jeune",
        ]
    )
    assert [c.kind for c in citations] == ["page", "report", "web"]
    assert citations[0].publisher == "Action Logement"


def test_no_citation_of_any_record_shows_a_file_name_or_a_line() -> None:
    data = real_data()
    for located in data.schemes:
        view = scheme_view(located.theme, located.record.model_dump(mode="json"))
        assert view.citations, view.id
        for citation in view.citations:
            assert not AUDIT_REFERENCE.search(citation.text), (view.id, citation.text)
    for org in data.organisations:
        org_view = organisation_view(org.record.model_dump(mode="json"))
        for citation in org_view.citations:
            assert not AUDIT_REFERENCE.search(citation.text), (org_view.id, citation.text)


def test_a_national_scheme_shows_its_official_page_first() -> None:
    view = next(
        scheme_view(s.theme, s.record.model_dump(mode="json"))
        for s in real_data().schemes
        if s.record.id == "visale"
    )
    assert view.citation is not None and view.citation.kind == "page"


def test_a_path_limited_site_is_official_only_under_its_path() -> None:
    official = registry()
    beta = "https://github.com/betagouv/beta.gouv.fr/blob/abc/content/_startups/les-emplois.md"
    assert official.is_official(beta)
    assert not official.is_official("https://github.com/someone/beta.gouv.fr-copy/blob/x.md")
    assert not official.is_official("https://github.com/")
