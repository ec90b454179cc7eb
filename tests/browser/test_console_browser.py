"""The adviser console in headless Chromium: login, live queue, claim, context, reply, note, close.

The person talks through the real chat API of the running assistant; the adviser uses the real
console pages and their script (WebSocket), as a person at the desk would.
"""

from __future__ import annotations

import re
import subprocess
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.stack import ROOT, Stack

pytestmark = pytest.mark.browser

PASSWORD = "console browser lane password"
HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def create_account(stack: Stack, email: str, role: str = "adviser") -> None:
    result = subprocess.run(
        [
            str(ROOT / ".venv-app" / "bin" / "python"),
            "-m",
            "channels.console.accounts",
            "create",
            "--email",
            email,
            "--role",
            role,
        ],
        cwd=ROOT,
        env={**stack.env, "ADVISER_PASSWORD": PASSWORD},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def disable_account(stack: Stack, email: str) -> None:
    """Later lanes on the shared stack must see nobody online."""
    result = subprocess.run(
        [
            str(ROOT / ".venv-app" / "bin" / "python"),
            "-m",
            "channels.console.accounts",
            "disable",
            "--email",
            email,
        ],
        cwd=ROOT,
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture
def account(widget_stack: Stack) -> Iterator[str]:
    """A fresh adviser account, disabled after the test."""
    email = f"console-{uuid.uuid4().hex[:8]}@exemple.fr"
    create_account(widget_stack, email)
    yield email
    disable_account(widget_stack, email)


def log_in(page: Page, email: str) -> None:
    page.goto("/console/")
    expect(page).to_have_url(re.compile(r"/console/login$"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="File d'attente")).to_be_visible()


def events(stack: Stack, session_id: str) -> dict[str, Any]:
    response = httpx.get(f"{stack.base_url}/api/chat/{session_id}/events", timeout=10)
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def test_adviser_claims_answers_and_closes_in_the_console(
    page: Page, widget_stack: Stack, account: str
) -> None:
    stack, email = widget_stack, account
    page.add_init_script("window.__pwned = undefined;")
    log_in(page, email)
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)
    expect(page.locator("#live-status")).to_have_text("Connecté en direct")

    person = uuid.uuid4().hex
    replies = stack.chat(person, "je voudrais parler à un conseiller")
    assert any("Temps d'attente estimé" in (m.get("text") or "") for m in replies), replies

    # The queue updates by itself (WebSocket) with the new conversation.
    row = page.locator("#queue-rows tr").filter(has_text="Demande un conseiller").last
    expect(row).to_be_visible()
    expect(row).to_contain_text("Site web")
    row.get_by_role("button", name="Prendre en charge").click()

    expect(page.get_by_role("heading", name=re.compile(r"Conversation n° \d+"))).to_be_visible()
    expect(page.locator("#ticket-status")).to_have_text("Pris en charge")
    expect(page.locator(".transcript")).to_contain_text("je voudrais parler à un conseiller")
    assert events(stack, person)["handoff"]["state"] == "claimed"

    # The person writes hostile markup: it shows as text, nothing runs, and the bot stays silent.
    assert stack.chat(person, HOSTILE) in (
        [],
        [
            {
                "text": "Votre message a été transmis au conseiller.",
                "buttons": [],
                "image": None,
                "custom": {},
            }
        ],
    )
    chat_log = page.locator("#chat-log")
    expect(chat_log.locator(".msg.person .text").last).to_have_text(HOSTILE)
    assert chat_log.locator("img").count() == 0

    page.get_by_label("Votre réponse (envoyée à la personne)").fill("Bonjour, je suis Camille.")
    page.get_by_role("button", name="Envoyer").click()
    expect(chat_log.locator(".msg.adviser .text").last).to_have_text("Bonjour, je suis Camille.")
    assert [e["text"] for e in events(stack, person)["events"] if e["kind"] == "adviser"] == [
        "Bonjour, je suis Camille."
    ]

    page.get_by_label("Ajouter une note").fill("Orienter vers Mobili-Jeune")
    page.get_by_role("button", name="Enregistrer la note").click()
    expect(page.locator("#notes")).to_contain_text("Orienter vers Mobili-Jeune")

    page.get_by_role("button", name="Clore et rendre la main à l'assistant").click()
    page.get_by_role("button", name="Confirmer la clôture").click()  # resolution: Résolu
    expect(page.locator("#ticket-status")).to_have_text("Terminé")
    state = events(stack, person)
    assert state["handoff"]["state"] == "none"
    assert "Touchez une note" in state["events"][-1]["text"]  # the satisfaction question
    assert any("Bonjour" in (m.get("text") or "") for m in stack.chat(person, "bonjour"))

    assert page.evaluate("window.__pwned") is None
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(re.compile(r"/console/login$"))
    page.goto("/console/")
    expect(page).to_have_url(re.compile(r"/console/login$"))


def test_wrong_password_stays_on_the_login_page(
    page: Page, widget_stack: Stack, account: str
) -> None:
    page.goto("/console/login")
    page.get_by_label("Adresse e-mail").fill(account)
    page.get_by_label("Mot de passe").fill("pas le bon mot de passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("incorrect")
    assert httpx.get(f"{widget_stack.base_url}/console/api/queue", timeout=10).status_code == 401
