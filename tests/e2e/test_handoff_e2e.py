"""End-to-end hand-off with the real Rasa, action server and gateway.

A person on the chat API asks for a human; the ticket appears in the queue; an adviser logged in
through the console API claims it, reads the context packet and exchanges messages both ways; the
person's messages produce no bot reply meanwhile; the adviser closes; the bot greets and resumes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from bot.privacy import pseudonym
from tests.fakes.telegram_api import FakeBotApi
from tests.stack import ROOT, Stack, free_port

pytestmark = pytest.mark.e2e

PASSWORD = "end-to-end adviser password"


class ConsoleUser:
    """An adviser using the console's JSON API with a real session cookie and CSRF token."""

    def __init__(self, stack: Stack, email: str) -> None:
        result = subprocess.run(
            [
                str(ROOT / ".venv-app" / "bin" / "python"),
                "-m",
                "channels.console.accounts",
                "create",
                "--email",
                email,
                "--role",
                "adviser",
            ],
            cwd=ROOT,
            env={**stack.env, "ADVISER_PASSWORD": PASSWORD},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        self.email, self.env = email, stack.env
        self.http = httpx.Client(base_url=stack.base_url, timeout=60)
        form = self.http.get("/console/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token, form.text
        logged = self.http.post(
            "/console/login",
            data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)},
        )
        assert logged.status_code == 303 and logged.headers["location"] == "/console/"
        self.csrf = str(self.http.get("/console/api/me").json()["csrf_token"])

    def disable(self) -> None:
        """Disable the account: the adviser is offline at once for the rest of the session."""
        result = subprocess.run(
            [
                str(ROOT / ".venv-app" / "bin" / "python"),
                "-m",
                "channels.console.accounts",
                "disable",
                "--email",
                self.email,
            ],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr

    def get(self, path: str) -> Any:
        response = self.http.get(f"/console/api{path}")
        assert response.status_code == 200, response.text
        return response.json()

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.http.post(
            f"/console/api{path}", json=body, headers={"X-CSRF-Token": self.csrf}
        )
        assert response.status_code == 200, response.text
        return response.json()

    def heartbeat(self) -> None:
        """Any authenticated request keeps the adviser "online" (seen in the last 2 minutes)."""
        self.get("/me")

    def ticket_of(self, sender_id: str) -> dict[str, Any]:
        """The open ticket of a conversation (`web:<session>`, `telegram:<chat id>`)."""
        wanted = pseudonym(sender_id)
        for row in self.get("/queue")["tickets"]:
            if row["person_ref"] == wanted:
                return dict(self.get(f"/tickets/{row['id']}")["ticket"])
        raise AssertionError(f"no ticket for {sender_id}: {self.get('/queue')}")


def texts(messages: list[dict[str, Any]]) -> str:
    return " ".join(str(m.get("text") or "") for m in messages)


def events(stack: Stack, session_id: str, after: int = 0) -> dict[str, Any]:
    response = httpx.get(
        f"{stack.base_url}/api/chat/{session_id}/events", params={"after": after}, timeout=10
    )
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture(scope="module")
def adviser(stack: Stack) -> Iterator[ConsoleUser]:
    user = ConsoleUser(stack, f"e2e-{uuid.uuid4().hex[:8]}@exemple.fr")
    yield user
    user.disable()  # later lanes on the shared stack must see nobody online


def test_handoff_round_trip_on_the_chat_api(stack: Stack, adviser: ConsoleUser) -> None:
    person = uuid.uuid4().hex
    need = f"je cherche un logement pour mon alternance ref {person}"
    stack.chat(person, need)
    adviser.heartbeat()
    replies = stack.chat(person, "je veux parler à un conseiller svp")
    said = texts(replies)
    assert "conseiller" in said and "Temps d'attente estimé" in said, replies
    assert any(m["custom"].get("handoff", {}).get("reason") == "asked_for_human" for m in replies)

    ticket = adviser.ticket_of(f"web:{person}")
    assert ticket["status"] == "waiting" and ticket["reason"] == "asked_for_human"
    assert need in [line["text"] for line in ticket["context"]["transcript"]]
    assert ticket["id"] == events(stack, person)["handoff"]["ticket_id"]
    assert ticket["context"]["tracker_available"] is True
    assert "request_human" in [i["name"] for i in ticket["context"]["last_intents"]]

    first = stack.chat(person, "je suis apprenti en CAP cuisine")
    assert texts(first) == "Votre message a été transmis au conseiller."
    assert stack.chat(person, "bonjour ?") == []  # even a greeting gets no bot reply

    adviser.post(f"/tickets/{ticket['id']}/claim")
    adviser.post(
        f"/tickets/{ticket['id']}/messages", {"text": "Bonjour, je suis votre conseillère."}
    )
    person_side = events(stack, person)
    assert person_side["handoff"]["state"] == "claimed"
    assert [e["kind"] for e in person_side["events"]] == ["system", "adviser"]
    assert stack.chat(person, "merci, j'ai 19 ans") == []
    written = [
        m["text"]
        for m in adviser.get(f"/tickets/{ticket['id']}/messages")["messages"]
        if m["author"] == "person"
    ]
    assert written == ["je suis apprenti en CAP cuisine", "bonjour ?", "merci, j'ai 19 ans"]

    adviser.post(f"/tickets/{ticket['id']}/close", {"resolution": "resolved"})
    after_close = events(stack, person, after=person_side["events"][-1]["id"])
    assert after_close["handoff"]["state"] == "none"
    assert "Touchez une note" in texts(after_close["events"])
    assert "commentaire" in texts(stack.chat(person, "5"))
    back = stack.chat(person, "Non merci")
    assert texts(back).startswith("Merci pour votre avis.") and "Je reprends la main" in texts(back)
    assert "/ask_capabilities" in [b["payload"] for m in back for b in m["buttons"]]

    resumed = stack.chat(person, "bonjour")
    assert "Bonjour" in texts(resumed), resumed


def test_frustration_gets_an_apology_then_a_handoff_with_its_reason(
    stack: Stack, adviser: ConsoleUser
) -> None:
    person = uuid.uuid4().hex
    stack.chat(person, "bonjour")
    apology = stack.chat(person, "tu comprends rien c'est nul")
    assert "désolé" in texts(apology)
    assert "/request_human" in [b["payload"] for m in apology for b in m["buttons"]]
    adviser.heartbeat()
    accepted = stack.chat(person, "oui")
    assert "Temps d'attente estimé" in texts(accepted), accepted
    ticket = adviser.ticket_of(f"web:{person}")
    assert ticket["reason"] == "frustration"
    adviser.post(f"/tickets/{ticket['id']}/claim")
    adviser.post(f"/tickets/{ticket['id']}/close")


def test_two_misunderstandings_hand_off(stack: Stack, adviser: ConsoleUser) -> None:
    person = uuid.uuid4().hex
    first = stack.chat(person, "zxcv qwpo lkjh")
    assert "pas bien compris" in texts(first), first  # NLU: gibberish is a misunderstanding
    adviser.heartbeat()
    second = stack.chat(person, "vrrrt zblorg kwak")
    assert "conseiller" in texts(second) and "Temps d'attente estimé" in texts(second), second
    ticket = adviser.ticket_of(f"web:{person}")
    assert ticket["reason"] == "repeated_misunderstanding"
    # Both attempts, in the person's words: what the adviser needs to pick up.
    assert ticket["summary"] == "Demande : zxcv qwpo lkjh ; vrrrt zblorg kwak"
    adviser.post(f"/tickets/{ticket['id']}/claim")
    adviser.post(f"/tickets/{ticket['id']}/close")


@contextlib.contextmanager
def _telegram_gateway(stack: Stack, **extra_env: str) -> Iterator[tuple[str, FakeBotApi]]:
    """Another gateway on the same Rasa and database, with Telegram on (a local fake Bot API)."""
    with FakeBotApi().running() as fake:
        port = free_port()
        env = {
            **stack.env,
            "GATEWAY_PORT": str(port),
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "TELEGRAM_BOT_TOKEN": "123456:e2e-token",
            "TELEGRAM_API_BASE_URL": fake.base_url,
            **extra_env,
        }
        log = (stack.workdir / "logs" / f"gateway-telegram-{port}.log").open("wb")
        process = subprocess.Popen(
            [str(ROOT / "scripts" / "run-gateway.sh")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            base_url = env["PUBLIC_BASE_URL"]
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    if httpx.get(f"{base_url}/healthz", timeout=3).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.5)
            else:
                pytest.fail(f"Telegram gateway did not start\n{stack.logs()}")
            fake.wait_for(lambda: fake.attempts.get("getUpdates", 0) > 0, timeout=30)
            yield base_url, fake
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)


@pytest.fixture(scope="module")
def telegram_gateway(stack: Stack) -> Iterator[tuple[str, FakeBotApi]]:
    """A second gateway with Telegram on, advisers always on duty."""
    with _telegram_gateway(stack) as running:
        yield running


def test_handoff_round_trip_on_telegram(
    stack: Stack, telegram_gateway: tuple[str, FakeBotApi]
) -> None:
    base_url, fake = telegram_gateway
    telegram_stack = Stack(
        base_url=base_url, database_url=stack.database_url, env=stack.env, workdir=stack.workdir
    )
    adviser = ConsoleUser(telegram_stack, f"tg-{uuid.uuid4().hex[:8]}@exemple.fr")
    try:
        chat_id = int(uuid.uuid4().int % 10**9) + 1000
        fake.push_text(chat_id, "je cherche une aide pour passer le permis")
        fake.wait_for(lambda: len(fake.texts_to(chat_id)) >= 1, timeout=60)
        adviser.heartbeat()
        fake.push_text(chat_id, "je veux parler à un humain")
        fake.wait_for(
            lambda: any("Temps d'attente estimé" in t for t in fake.texts_to(chat_id)), timeout=60
        )

        ticket = adviser.ticket_of(f"telegram:{chat_id}")
        assert ticket["channel"] == "telegram"
        before = len(fake.texts_to(chat_id))
        fake.push_text(chat_id, "vous êtes là ?")
        fake.wait_for(
            lambda: any("transmis" in t for t in fake.texts_to(chat_id)[before:]), timeout=30
        )

        adviser.post(f"/tickets/{ticket['id']}/claim")
        adviser.post(
            f"/tickets/{ticket['id']}/messages", {"text": "Bonjour, ici Camille, conseillère."}
        )
        fake.wait_for(
            lambda: any(
                t.endswith(", conseiller·e :\nBonjour, ici Camille, conseillère.")
                for t in fake.texts_to(chat_id)
            ),
            timeout=30,
        )
        count = len(fake.texts_to(chat_id))
        fake.push_text(chat_id, "merci beaucoup")

        def written() -> list[str]:
            messages = adviser.get(f"/tickets/{ticket['id']}/messages")["messages"]
            return [str(m["text"]) for m in messages if m["author"] == "person"]

        fake.wait_for(lambda: "merci beaucoup" in written(), timeout=30)
        assert len(fake.texts_to(chat_id)) == count  # no bot reply during the hand-off

        adviser.post(f"/tickets/{ticket['id']}/close")
        fake.wait_for(
            lambda: any("Touchez une note" in t for t in fake.texts_to(chat_id)), timeout=30
        )
        fake.push_button(chat_id, "4")  # one tap on the inline keyboard
        fake.wait_for(lambda: any("commentaire" in t for t in fake.texts_to(chat_id)), timeout=30)
        fake.push_button(chat_id, "Non merci")
        fake.wait_for(
            lambda: any("Je reprends la main" in t for t in fake.texts_to(chat_id)), timeout=30
        )
        count = len(fake.texts_to(chat_id))
        fake.push_text(chat_id, "bonjour")
        fake.wait_for(
            lambda: any("Bonjour" in t for t in fake.texts_to(chat_id)[count:]), timeout=60
        )
    finally:
        adviser.disable()


def _closed_now_hours() -> tuple[str, str]:
    """An OFFICE_HOURS closed now (one hour, two days ahead) and how the gateway will say when
    it opens (computed with the same rules: French holidays skipped)."""
    from channels.console.hours import DAYS, parse_office_hours, to_paris
    from channels.console.moments import say_moment

    now = dt.datetime.now(dt.timezone.utc)
    day = DAYS[(to_paris(now).weekday() + 2) % 7]
    spec = f"{day} 10:00-11:00"
    opening = parse_office_hours(spec).next_opening(now)
    assert opening is not None
    return spec, say_moment(opening, now)


def test_out_of_hours_the_person_hears_one_thing_on_both_channels(stack: Stack) -> None:
    from channels.console.knowledge_links import KINDS_BY_PROFILE, KnowledgeLinks
    from channels.console.unavailable import offices_text

    spec, when = _closed_now_hours()
    # Nothing known of the person: an adult's contacts, the official finders (commune unknown).
    offices = KnowledgeLinks(stack.database_url)._offices(None, KINDS_BY_PROFILE["adult"])
    assert offices, "the loaded knowledge base has the official finders"
    expected = [
        f"Nos conseillers ne répondent pas en ce moment. Ils seront là {when}.\n"
        f"Un conseiller peut vous rappeler ou vous écrire lui-même, à partir de {when}. Écrivez"
        " votre numéro de téléphone ou votre adresse e-mail. Il servira seulement à vous"
        " recontacter et sera effacé après 180 jours. Si vous ne voulez pas, répondez « non ».",
        offices_text(offices, "adult"),
    ]
    with _telegram_gateway(stack, OFFICE_HOURS=spec) as (base_url, fake):
        person = uuid.uuid4().hex
        replies = httpx.post(
            f"{base_url}/api/chat",
            json={"session_id": person, "text": "je veux parler à un conseiller svp"},
            timeout=60,
        ).json()["messages"]
        assert [m["text"] for m in replies if m.get("text")] == expected
        assert [b["title"] for m in replies for b in m.get("buttons") or []] == ["Non merci"]

        chat_id = int(uuid.uuid4().int % 10**9) + 1000
        fake.push_text(chat_id, "je veux parler à un conseiller svp")
        fake.wait_for(lambda: len(fake.texts_to(chat_id)) >= 2, timeout=60)
        time.sleep(1)  # anything more (a contradicting "je vous mets en relation") would be late
        assert fake.texts_to(chat_id) == expected
