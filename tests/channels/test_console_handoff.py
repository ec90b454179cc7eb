"""Lane d: a whole hand-off through the gateway with a fake Rasa: queue, claim, chat, close, resume."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from channels.console.delivery import outbox_for
from channels.console.models import Rating, Ticket
from tests.channels.console_support import (
    FakeRasa,
    add_adviser,
    chat,
    client_for,
    login,
    make_settings,
    texts,
)


@pytest.fixture
def fake() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def client(tmp_path: Path, fake: FakeRasa) -> Iterator[TestClient]:
    yield from client_for(make_settings(tmp_path), fake)


@pytest.fixture
def csrf(client: TestClient) -> str:
    """An adviser logged in (and so online) in `client`."""
    add_adviser(client, "conseil@exemple.fr")
    return login(client, "conseil@exemple.fr")


def events(client: TestClient, session_id: str, after: int = 0) -> dict[str, Any]:
    response = client.get(f"/api/chat/{session_id}/events", params={"after": after})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def post(client: TestClient, csrf: str, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"/console/api{path}", json=body, headers={"X-CSRF-Token": csrf})


def test_full_handoff_on_the_web_channel(client: TestClient, fake: FakeRasa, csrf: str) -> None:
    replies = chat(client, "person-1", "je veux parler à un conseiller")
    said = texts(replies)
    assert "Je vous mets en relation" in said and "Temps d'attente estimé : environ 1 min" in said
    assert replies[1]["custom"]["handoff"]["reason"] == "asked_for_human"
    assert events(client, "person-1")["handoff"]["state"] == "waiting"

    queue = client.get("/console/api/queue").json()
    assert queue["advisers_online"] == 1
    [row] = queue["tickets"]
    assert row["status"] == "waiting" and row["channel"] == "web" and row["commune"] == "Roubaix"
    assert (
        row["reason_label"] == "Demande un conseiller"
        and row["summary"]
        == "Apprenti(e), 19 ans, à Roubaix. Demande : je cherche un logement"
        " pour mon alternance <script>alert(1)</script>"
    )

    # While waiting, the person's messages are kept for the adviser and the bot stays silent.
    sent_to_rasa = len(fake.received)
    first = chat(client, "person-1", "je suis apprentie à Roubaix")
    assert texts(first) == "Votre message a été transmis au conseiller."
    assert chat(client, "person-1", "vous êtes là ?") == []
    assert len(fake.received) == sent_to_rasa

    assert post(client, csrf, f"/tickets/{row['id']}/claim").status_code == 200
    bundle = client.get(f"/console/api/tickets/{row['id']}").json()
    context = bundle["ticket"]["context"]
    assert context["slots"]["user_status"] == "apprentice" and context["slots"]["age"] == 19.0
    assert "requested_slot" not in context["slots"]
    assert context["schemes"] == [{"id": "mobili-jeune", "name": None}]
    assert context["form_answers"] == [
        {
            "form": "eligibility_form",
            "title": "Questions d'éligibilité",
            "answers": {"age": 19.0, "user_status": "apprentice"},
            "facts": [["Âge", "19"], ["Situation", "apprenti(e)"]],
        }
    ]
    assert context["asked"][0].startswith("je cherche un logement")
    assert [line["who"] for line in context["transcript"]][:2] == ["person", "bot"]
    assert [m["text"] for m in bundle["messages"] if m["author"] == "person"] == [
        "je suis apprentie à Roubaix",
        "vous êtes là ?",
    ]

    reply = post(client, csrf, f"/tickets/{row['id']}/messages", {"text": "Bonjour, je suis Anne."})
    assert reply.status_code == 200
    person_side = events(client, "person-1")
    assert [e["kind"] for e in person_side["events"]] == ["system", "adviser"]
    assert person_side["events"][1]["text"] == "Bonjour, je suis Anne."
    assert person_side["events"][1]["adviser_name"] == "Conseil"
    assert person_side["handoff"]["state"] == "claimed"
    assert person_side["handoff"]["adviser_name"] == "Conseil"

    assert chat(client, "person-1", "merci !") == []
    assert len(fake.received) == sent_to_rasa
    assert (
        post(client, csrf, f"/tickets/{row['id']}/notes", {"text": "rappeler la CAF"}).status_code
        == 200
    )

    closing = post(client, csrf, f"/tickets/{row['id']}/close", {"resolution": "referred"})
    assert closing.status_code == 200
    assert fake.received[-1]["message"] == "/handoff_ended"
    assert fake.received[-1]["sender"] == "web:person-1"
    last_id = person_side["events"][-1]["id"]
    after_close = events(client, "person-1", after=last_id)
    assert after_close["handoff"]["state"] == "none"
    # One tap first; the bot's own reply waits for the answer, so nothing contradicts it.
    [question] = after_close["events"]
    assert question["kind"] == "system" and "1 = pas du tout satisfait" in question["text"]
    assert question["handoff_over"] is True  # the widget stops saying a person answers
    assert [b["payload"] for b in question["buttons"]] == ["1", "2", "3", "4", "5"]
    assert "Voulez-vous ajouter un commentaire" in texts(chat(client, "person-1", "4"))
    thanked = chat(client, "person-1", "Très clair, merci à Anne")
    assert "Merci pour votre commentaire" in thanked[0]["text"]
    assert "Je reprends la main" in thanked[1]["text"]
    assert thanked[1]["buttons"] == [{"title": "Voir le menu", "payload": "/ask_capabilities"}]
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        stored = session.scalars(select(Rating)).one()
        assert (stored.score, stored.comment, stored.step) == (4, "Très clair, merci à Anne", None)
        assert session.get(Ticket, row["id"]).close_outcome == "referred"  # type: ignore[union-attr]

    resumed = chat(client, "person-1", "une aide pour le permis")
    assert texts(resumed) == "Réponse du bot à : une aide pour le permis"
    assert client.get("/console/api/queue").json()["tickets"] == []


def test_the_websocket_carries_both_directions(client: TestClient, csrf: str) -> None:
    chat(client, "person-ws", "un humain svp")
    ticket_id = client.get("/console/api/queue").json()["tickets"][0]["id"]
    post(client, csrf, f"/tickets/{ticket_id}/claim")
    with client.websocket_connect("/console/ws") as socket:
        socket.send_json({"type": "auth", "csrf": csrf})
        assert socket.receive_json()["type"] == "hello"
        socket.send_json({"type": "follow", "ticket_id": ticket_id, "after": 0})
        first = socket.receive_json()
        assert first["type"] == "message" and first["message"]["author"] == "system"
        chat(client, "person-ws", "<b>bonjour</b>")
        received = _next_message(socket)
        assert received["message"]["author"] == "person"
        assert received["message"]["text"] == "<b>bonjour</b>"
        socket.send_json(
            {"type": "reply", "ticket_id": ticket_id, "text": "Je regarde votre dossier."}
        )
        echoed = _next_message(socket)
        assert echoed["message"]["author"] == "adviser"
    assert events(client, "person-ws")["events"][-1]["text"] == "Je regarde votre dossier."


def _next_message(socket: Any) -> dict[str, Any]:
    for _ in range(20):
        data: dict[str, Any] = socket.receive_json()
        if data["type"] == "message":
            return data
    raise AssertionError("no message pushed")


def test_another_adviser_cannot_take_or_answer_a_claimed_ticket(
    client: TestClient, csrf: str
) -> None:
    chat(client, "person-2", "conseiller")
    ticket_id = client.get("/console/api/queue").json()["tickets"][0]["id"]
    post(client, csrf, f"/tickets/{ticket_id}/claim")
    add_adviser(client, "autre@exemple.fr")
    other = TestClient(client.app)
    other_csrf = login(other, "autre@exemple.fr")
    assert post(other, other_csrf, f"/tickets/{ticket_id}/claim").status_code == 409
    refused = post(other, other_csrf, f"/tickets/{ticket_id}/messages", {"text": "coucou"})
    assert refused.status_code == 409 and "autre conseiller" in refused.json()["error"]
    assert post(other, other_csrf, f"/tickets/{ticket_id}/close").status_code == 409


def test_the_person_can_cancel_while_waiting(client: TestClient, fake: FakeRasa, csrf: str) -> None:
    replies = chat(client, "person-3", "conseiller")
    assert any(b["title"] == "Annuler la demande" for m in replies for b in m["buttons"])
    assert "j'annule" in texts(chat(client, "person-3", "Annuler la demande"))
    assert client.get("/console/api/queue").json()["tickets"] == []
    assert texts(chat(client, "person-3", "bonjour")) == "Réponse du bot à : bonjour"


def test_a_second_handoff_request_does_not_open_a_second_ticket(
    client: TestClient, fake: FakeRasa, csrf: str
) -> None:
    chat(client, "person-4", "conseiller")
    ticket_id = client.get("/console/api/queue").json()["tickets"][0]["id"]
    post(client, csrf, f"/tickets/{ticket_id}/claim")
    post(client, csrf, f"/tickets/{ticket_id}/close")
    chat(client, "person-4", "un humain encore")
    tickets = client.get("/console/api/queue").json()["tickets"]
    assert [t["id"] for t in tickets] == [ticket_id + 1]


def test_the_context_packet_survives_a_tracker_outage(
    client: TestClient, fake: FakeRasa, csrf: str
) -> None:
    fake.tracker_up = False
    said = texts(chat(client, "person-5", "conseiller"))
    assert "Temps d'attente" in said
    ticket_id = client.get("/console/api/queue").json()["tickets"][0]["id"]
    context = client.get(f"/console/api/tickets/{ticket_id}").json()["ticket"]["context"]
    assert context["tracker_available"] is False and context["summary"] == "logement alternance"
    page = client.get(f"/console/tickets/{ticket_id}")
    assert "n'était pas disponible" in page.text


def test_console_pages_escape_what_people_write(client: TestClient, csrf: str) -> None:
    chat(client, "person-6", "conseiller")
    chat(client, "person-6", '<img src=x onerror="alert(1)">')
    ticket_id = client.get("/console/api/queue").json()["tickets"][0]["id"]
    post(client, csrf, f"/tickets/{ticket_id}/claim")
    page = client.get(f"/console/tickets/{ticket_id}")
    assert page.status_code == 200
    assert (
        "<script>alert(1)</script>" not in page.text
        and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    )
    assert (
        "<img src=x" not in page.text
        and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page.text
    )
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_a_telegram_person_gets_adviser_messages_through_the_outbox(
    client: TestClient, fake: FakeRasa, csrf: str
) -> None:
    pushed: list[tuple[str, str]] = []
    failing = {"on": True}

    async def deliver(user_id: str, text: str) -> None:
        if failing["on"]:
            raise ConnectionError("Telegram down")
        pushed.append((user_id, text))

    app: Any = client.app
    outbox_for(app).register("telegram", deliver)
    router = app.state.router
    replies = client.portal.call(
        lambda: router.user_message(channel="telegram", user_id="4242", text_="conseiller")
    )  # type: ignore[union-attr]
    assert "Temps d'attente" in " ".join(m.text or "" for m in replies)
    ticket_id = client.get("/console/api/queue").json()["tickets"][0]["id"]
    post(client, csrf, f"/tickets/{ticket_id}/claim")
    assert pushed == []  # the hook failed: kept for a retry
    failing["on"] = False
    client.portal.call(app.state.handoff.sweep)  # type: ignore[union-attr]
    assert pushed == [("4242", "Un conseiller a pris votre demande. Il vous répond ici même.")]
    post(client, csrf, f"/tickets/{ticket_id}/messages", {"text": "Bonjour depuis la console"})
    # Labelled: on Telegram, nothing else tells the person a human wrote it.
    assert pushed[-1] == ("4242", "Conseil, conseiller·e :\nBonjour depuis la console")
    rich: list[tuple[str, Any]] = []

    async def deliver_bot_message(user_id: str, message: Any) -> None:
        rich.append((user_id, message))

    # The Telegram adapter's hook for bot replies with keyboards (docs/CONTRACTS.md).
    app.state.telegram_deliver_bot_message = deliver_bot_message
    post(client, csrf, f"/tickets/{ticket_id}/close")
    assert fake.received[-1] == {
        "sender": "telegram:4242",
        "message": "/handoff_ended",
        "input_channel": "telegram",
        "metadata": {},
    }
    [(user_id, question)] = rich
    assert user_id == "4242" and "Touchez une note" in question.text
    assert [b.payload for b in question.buttons] == ["1", "2", "3", "4", "5"]
    # The person taps "2", then declines the comment: the bot's reply comes back with its menu.
    said = client.portal.call(
        lambda: router.user_message(channel="telegram", user_id="4242", text_="2")
    )  # type: ignore[union-attr]
    assert "commentaire" in said[0].text
    said = client.portal.call(
        lambda: router.user_message(channel="telegram", user_id="4242", text_="Non merci")
    )  # type: ignore[union-attr]
    assert [m.text for m in said][0] == "Merci pour votre avis."
    assert "Je reprends la main" in said[1].text
    assert [b.payload for b in said[1].buttons] == ["/ask_capabilities"]


def test_the_event_stream_sends_adviser_messages(client: TestClient, csrf: str) -> None:
    chat(client, "person-7", "conseiller")
    ticket_id = client.get("/console/api/queue").json()["tickets"][0]["id"]
    post(client, csrf, f"/tickets/{ticket_id}/claim")
    post(client, csrf, f"/tickets/{ticket_id}/messages", {"text": "Ligne 1\nLigne 2"})
    with client.stream("GET", "/api/chat/person-7/stream", params={"timeout": 1}) as stream:
        body = "".join(stream.iter_text())
    assert stream.headers["content-type"].startswith("text/event-stream")
    assert body.count("event: message") == 2
    assert '"kind": "adviser"' in body and '"text": "Ligne 1\\nLigne 2"' in body
    first_id = int(body.split("id: ")[1].split("\n")[0])
    with client.stream(
        "GET",
        "/api/chat/person-7/stream",
        params={"timeout": 1},
        headers={"Last-Event-ID": str(first_id)},
    ) as stream:
        resumed = "".join(stream.iter_text())
    assert resumed.count("event: message") == 1


def test_person_side_routes_validate_the_session_id(client: TestClient) -> None:
    assert client.get("/api/chat/../events").status_code == 404
    bad = client.get("/api/chat/" + "x" * 65 + "/events")
    assert bad.status_code == 422 and "identifiant" in bad.json()["error"]
    assert events(client, "nobody") == {
        "events": [],
        "handoff": {"state": "none", "ticket_id": None, "adviser_name": None, "typing": False},
    }


def test_a_long_wait_offers_a_callback(client: TestClient, csrf: str, tmp_path: Path) -> None:
    chat(client, "person-8", "conseiller")
    app: Any = client.app
    with Session(app.state.engine) as session:
        for ticket in session.scalars(select(Ticket)):
            ticket.created_at -= dt.timedelta(minutes=30)
        session.commit()
    replies = chat(client, "person-8", "toujours personne ?")
    said = texts(replies)
    assert "transmis au conseiller" in said and "plus longue que prévu" in said
    assert "Être recontacté" in [b["title"] for m in replies for b in m["buttons"]]
    assert "Écrivez votre numéro" in texts(chat(client, "person-8", "Être recontacté"))
    assert client.get("/console/api/queue").json()["tickets"] == []
    assert "Quand préférez-vous" in texts(chat(client, "person-8", "prenom.nom@exemple.fr"))
    assert "prenom.nom@exemple.fr" in texts(chat(client, "person-8", "Peu importe"))
    [callback] = client.get("/console/api/callbacks").json()["callbacks"]
    assert callback["contact_kind"] == "email" and callback["preferred_time"] == "Peu importe"


def test_claiming_twice_tells_the_person_once(client: TestClient, csrf: str) -> None:
    chat(client, "person-9", "conseiller")
    ticket_id = client.get("/console/api/queue").json()["tickets"][0]["id"]
    assert post(client, csrf, f"/tickets/{ticket_id}/claim").status_code == 200
    assert post(client, csrf, f"/tickets/{ticket_id}/claim").status_code == 200
    assert [e["kind"] for e in events(client, "person-9")["events"]] == ["system"]


def test_old_bot_buttons_during_a_handoff_are_not_forwarded(
    client: TestClient, fake: FakeRasa, csrf: str
) -> None:
    chat(client, "person-10", "conseiller")
    sent = len(fake.received)
    assert "déjà transmise" in texts(chat(client, "person-10", "/request_human"))
    assert len(fake.received) == sent
    ticket_id = client.get("/console/api/queue").json()["tickets"][0]["id"]
    assert client.get(f"/console/api/tickets/{ticket_id}").json()["messages"] == []


def test_no_transmitted_notice_once_the_adviser_has_answered(client: TestClient, csrf: str) -> None:
    chat(client, "person-ack", "un conseiller svp")
    ticket_id = client.get("/console/api/queue").json()["tickets"][0]["id"]
    post(client, csrf, f"/tickets/{ticket_id}/claim")
    post(client, csrf, f"/tickets/{ticket_id}/messages", {"text": "Bonjour, que puis-je faire ?"})
    # The person's first message comes after the adviser's: "transmitted" would contradict it.
    assert chat(client, "person-ack", "je cherche une formation") == []


def test_the_adviser_first_name_comes_from_the_email() -> None:
    from channels.console.service import first_name

    assert first_name("anne-marie.dupont@exemple.fr") == "Anne"
    assert first_name("JEAN.martin@exemple.fr") == "Jean"


def test_a_question_instead_of_a_rating_goes_to_the_bot(
    client: TestClient, fake: FakeRasa, csrf: str
) -> None:
    chat(client, "person-skip", "un conseiller")
    ticket_id = client.get("/console/api/queue").json()["tickets"][0]["id"]
    post(client, csrf, f"/tickets/{ticket_id}/claim")
    post(client, csrf, f"/tickets/{ticket_id}/close")
    assert texts(chat(client, "person-skip", "et pour le permis ?")) == (
        "Réponse du bot à : et pour le permis ?"
    )
    assert texts(chat(client, "person-skip", "3")) == "Réponse du bot à : 3"  # the question lapsed


def test_queue_counts_the_person_messages_and_pages_show_paris_times(
    client: TestClient, csrf: str
) -> None:
    chat(client, "person-count", "un conseiller")
    chat(client, "person-count", "premier message")
    chat(client, "person-count", "deuxième message")
    [row] = client.get("/console/api/queue").json()["tickets"]
    assert row["person_messages"] == 2  # the unread badge compares it with what was seen
    page = client.get(f"/console/tickets/{row['id']}")
    stamp = re.search(r'<time datetime="([^"]+)">([^<]+)</time>', page.text)
    assert stamp is not None
    from channels.console.pages import local_time

    assert stamp.group(2) == local_time(stamp.group(1)) and "T" not in stamp.group(2)
    assert local_time("2026-12-05T11:30:00+00:00") == "05/12/2026 12:30"
    assert local_time("2026-07-14T08:05:00+00:00") == "14/07/2026 10:05"
    assert client.get("/console/static/console-alerts.js").status_code == 200
    assert client.get("/console/static/other.js").status_code == 404


def test_typing_shows_both_ways(client: TestClient, csrf: str) -> None:
    chat(client, "person-typing", "un conseiller")
    ticket_id = client.get("/console/api/queue").json()["tickets"][0]["id"]
    # Before anyone answers, the person's typing means nothing to show.
    assert client.post("/api/chat/person-typing/typing").status_code == 204
    post(client, csrf, f"/tickets/{ticket_id}/claim")
    assert events(client, "person-typing")["handoff"]["typing"] is False
    with client.websocket_connect("/console/ws") as socket:
        socket.send_json({"type": "auth", "csrf": csrf})
        assert socket.receive_json()["type"] == "hello"
        socket.send_json({"type": "follow", "ticket_id": ticket_id, "after": 0})
        socket.send_json({"type": "typing", "ticket_id": ticket_id})
        for _ in range(20):
            if events(client, "person-typing")["handoff"]["typing"]:
                break
            time.sleep(0.05)
        assert events(client, "person-typing")["handoff"]["typing"] is True
        client.post("/api/chat/person-typing/typing")
        wanted = {"type": "typing", "ticket_id": ticket_id, "typing": True}
        assert any(socket.receive_json() == wanted for _ in range(8))
        socket.send_json({"type": "reply", "ticket_id": ticket_id, "text": "Bonjour"})
        _next_message(socket)
    # The adviser's message ends their indicator at once.
    assert events(client, "person-typing")["handoff"]["typing"] is False
