"""Inbox work (issue 15): transfer, reopen, history, canned replies, knowledge cards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from channels.console.delivery import outbox_for
from channels.console.knowledge_links import SchemeCard
from tests.channels.console_support import (
    FakeRasa,
    add_adviser,
    chat,
    client_for,
    login,
    make_settings,
)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from client_for(make_settings(tmp_path), FakeRasa())


def post(client: TestClient, csrf: str, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"/console/api{path}", json=body, headers={"X-CSRF-Token": csrf})


def claimed_ticket(client: TestClient, csrf: str, person: str) -> int:
    chat(client, person, "un conseiller")
    ticket_id = int(client.get("/console/api/queue").json()["tickets"][-1]["id"])
    assert post(client, csrf, f"/tickets/{ticket_id}/claim").status_code == 200
    return ticket_id


def test_transfer_gives_the_conversation_to_a_colleague(client: TestClient) -> None:
    colleague = add_adviser(client, "lea.martin@exemple.fr")
    add_adviser(client, "anne.dupont@exemple.fr")
    csrf = login(client, "anne.dupont@exemple.fr")
    ticket_id = claimed_ticket(client, csrf, "p-transfer")
    names = [a["email"] for a in client.get("/console/api/advisers").json()["advisers"]]
    assert "lea.martin@exemple.fr" in names
    moved = post(client, csrf, f"/tickets/{ticket_id}/transfer", {"adviser_id": colleague})
    assert moved.status_code == 200 and moved.json()["adviser_id"] == colleague
    # No longer hers: she cannot answer any more; the move is written in the notes.
    assert post(client, csrf, f"/tickets/{ticket_id}/messages", {"text": "x"}).status_code == 409
    notes = client.get(f"/console/api/tickets/{ticket_id}").json()["notes"]
    assert "transférée par anne.dupont@exemple.fr à lea.martin@exemple.fr" in notes[-1]["text"]


def test_reopen_and_the_earlier_conversations(client: TestClient) -> None:
    add_adviser(client, "anne.dupont@exemple.fr")
    csrf = login(client, "anne.dupont@exemple.fr")
    first = claimed_ticket(client, csrf, "p-again")
    post(client, csrf, f"/tickets/{first}/close", {"resolution": "referred"})
    assert post(client, csrf, f"/tickets/{first}/reopen").json()["status"] == "claimed"
    events = client.get("/api/chat/p-again/events").json()
    assert events["handoff"]["state"] == "claimed"
    assert events["events"][-1]["text"].startswith("Un conseiller a rouvert votre demande")
    post(client, csrf, f"/tickets/{first}/close")
    chat(client, "p-again", "x")  # lets the satisfaction question lapse
    second = claimed_ticket(client, csrf, "p-again")
    [earlier] = client.get(f"/console/api/tickets/{second}").json()["history"]
    assert earlier["id"] == first and earlier["outcome_label"] == "Résolu"
    page = client.get(f"/console/tickets/{second}").text
    assert f'href="/console/tickets/{first}"' in page and "Conversations précédentes" in page
    assert post(client, csrf, f"/tickets/{second}/reopen").status_code == 409  # not closed


def test_canned_replies_are_managed_by_admins_only(client: TestClient) -> None:
    add_adviser(client, "chef@exemple.fr", role="admin")
    add_adviser(client, "anne.dupont@exemple.fr")
    admin_csrf = login(client, "chef@exemple.fr")
    body = {"title": "Accueil", "text": "Bonjour, je suis conseillère. Je lis votre demande."}
    assert post(client, admin_csrf, "/canned", body).status_code == 200
    csrf = login(client, "anne.dupont@exemple.fr")
    assert post(client, csrf, "/canned", body).status_code == 403
    [canned] = client.get("/console/api/canned").json()["canned"]
    assert canned["title"] == "Accueil"
    ticket_id = claimed_ticket(client, csrf, "p-canned")
    page = client.get(f"/console/tickets/{ticket_id}").text
    assert 'data-text="Bonjour, je suis conseillère. Je lis votre demande."' in page
    assert (
        client.delete(
            f"/console/api/canned/{canned['id']}", headers={"X-CSRF-Token": csrf}
        ).status_code
        == 403
    )


def test_a_scheme_card_reaches_the_web_and_telegram(client: TestClient) -> None:
    app: Any = client.app
    add_adviser(client, "anne.dupont@exemple.fr")
    csrf = login(client, "anne.dupont@exemple.fr")

    async def search(query: str) -> list[dict[str, str]]:
        return [{"id": "mobili-jeune", "name": "Mobili-Jeune", "summary": "Aide au loyer."}]

    async def card(scheme_id: str) -> SchemeCard | None:
        if scheme_id != "mobili-jeune":
            return None
        return SchemeCard(
            id="mobili-jeune",
            name="Mobili-Jeune",
            summary="Aide au loyer des alternants.",
            source="Action Logement : https://www.actionlogement.fr/l-aide-mobili-jeune",
            information_date="01/09/2026",
        )

    app.state.handoff.knowledge.search = search
    app.state.handoff.knowledge.card = card
    found = client.get("/console/api/knowledge", params={"q": "loyer"}).json()["schemes"]
    assert found[0]["id"] == "mobili-jeune"

    ticket_id = claimed_ticket(client, csrf, "p-card")
    sent = post(client, csrf, f"/tickets/{ticket_id}/card", {"scheme_id": "mobili-jeune"})
    assert sent.status_code == 200
    expected = (
        "Mobili-Jeune\nAide au loyer des alternants.\nSource : Action Logement : "
        "https://www.actionlogement.fr/l-aide-mobili-jeune (information du 01/09/2026)"
    )
    assert client.get("/api/chat/p-card/events").json()["events"][-1]["text"] == expected
    missing = post(client, csrf, f"/tickets/{ticket_id}/card", {"scheme_id": "nope"})
    assert missing.status_code == 404

    pushed: list[tuple[str, str]] = []

    async def deliver(user_id: str, text: str) -> None:
        pushed.append((user_id, text))

    outbox_for(app).register("telegram", deliver)
    router = app.state.router
    client.portal.call(
        lambda: router.user_message(channel="telegram", user_id="77", text_="conseiller")
    )  # type: ignore[union-attr]
    tg_ticket = client.get("/console/api/queue").json()["tickets"][-1]["id"]
    post(client, csrf, f"/tickets/{tg_ticket}/claim")
    post(client, csrf, f"/tickets/{tg_ticket}/card", {"scheme_id": "mobili-jeune"})
    assert pushed[-1] == ("77", "Anne, conseiller·e :\n" + expected)
