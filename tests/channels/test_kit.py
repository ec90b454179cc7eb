"""Lane d: the welcome kit page and PDF, built from the real knowledge base."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from bot.rasa_client import RasaClient
from bot.settings import Settings
from channels.web.app import create_app
from knowledge.cli import main as knowledge_cli
from knowledge.db import make_engine, make_session_factory
from knowledge.kit import Household, build_kit_content
from knowledge.requests import Consent, create_welcome_kit

CONSENT = Consent("J'accepte.", dt.datetime(2026, 1, 14, tzinfo=dt.timezone.utc))
CARHAIX = ("29024", "Carhaix-Plouguer")
NEEDS = ["housing", "childcare", "schools", "transport", "leisure", "spouse_job"]


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("kit") / "kb.db"
    url = f"sqlite:///{path}"
    assert knowledge_cli(["--database-url", url, "load", "--quiet", "--no-demo-offers"]) == 0
    return url


def _store_kit(url: str, content: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        household = Household(2, (3, 8), True)
        built = content or build_kit_content(
            session,
            commune_insee=CARHAIX[0],
            commune_name=CARHAIX[1],
            household=household,
            needs=NEEDS,
        )
        kit = create_welcome_kit(
            session, owner="o", consent=CONSENT, commune_insee=CARHAIX[0], commune_name=CARHAIX[1],
            household=household.as_dict(), needs=NEEDS, content=built,
        )  # fmt: skip
        session.commit()
        token = kit.token
    engine.dispose()
    return token, built


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url)
    rasa = RasaClient(
        "http://rasa.test", transport=httpx.MockTransport(lambda r: httpx.Response(200, json=[]))
    )
    with TestClient(create_app(settings, rasa=rasa)) as test_client:
        yield test_client


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_names_the_commune_and_every_item(client: TestClient, database_url: str) -> None:
    token, content = _store_kit(database_url)
    response = client.get(f"/kit/{token}.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "kit-accueil-carhaix-plouguer.pdf" in response.headers["content-disposition"]
    assert "no-store" in response.headers["cache-control"]
    text = _flat(
        "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    )
    assert "Kit d'accueil – Carhaix-Plouguer" in text
    names = [item["name"] for section in content["sections"] for item in section["items"]]
    assert len(names) >= 5, (
        "the knowledge base should give national housing, childcare and mobility aids"
    )
    for name in names:
        assert _flat(name) in text
    for title in (
        "Logement",
        "Garde d'enfants",
        "Écoles",
        "Transports et mobilité",
        "Emploi du conjoint",
    ):
        assert title in text
    assert "âges : 3, 8 ans" in text
    # Every item carries its date.
    assert len(re.findall(r"Information du \d{2}/\d{2}/\d{4}", text)) >= len(names)


def test_the_page_is_french_printable_and_private(client: TestClient, database_url: str) -> None:
    token, content = _store_kit(database_url)
    response = client.get(f"/kit/{token}")
    assert response.status_code == 200
    page = response.text
    assert '<html lang="fr">' in page
    assert "Carhaix-Plouguer" in page
    assert "@media print" in page
    assert f"/kit/{token}.pdf" in page
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "noindex" in response.headers["x-robots-tag"]
    first = content["sections"][1]["items"][0]["name"]
    assert first.replace("'", "&#39;") in page


def test_stored_text_is_escaped_in_the_page(client: TestClient, database_url: str) -> None:
    hostile = {
        "commune": {"insee": CARHAIX[0], "name": "<script>alert(1)</script>", "scopes": []},
        "household": {"children": 0, "ages": [], "spouse_seeks_work": False},
        "needs": [],
        "generated_on": "2026-01-14",
        "thin_territory": True,
        "sections": [{"need": "welcome", "local_count": 0, "organisations": [], "items": [{
            "id": "x", "name": "<img src=x onerror=alert(1)>", "status": "existing", "summary": "s",
            "details": "", "amount": None, "steps": [], "url": "javascript:alert(1)", "phone": None,
            "email": None, "office": None, "scope": "national", "territory": "France", "age_min": None,
            "age_max": None, "conditions": [], "information_date": "2025-01-01", "sources": ["a:1"], "notes": None,
        }]}],
        "support": [],
    }  # fmt: skip
    token, _ = _store_kit(database_url, hostile)
    page = client.get(f"/kit/{token}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "<img src=x" not in page
    assert 'href="javascript:' not in page
    assert client.get(f"/kit/{token}.pdf").status_code == 200


@pytest.mark.parametrize(
    "path", ["/kit/unknown-token", "/kit/unknown-token.pdf", "/kit/" + "x" * 300]
)
def test_unknown_kits_get_a_french_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "Kit introuvable" in response.text
    assert "text/html" in response.headers["content-type"]
