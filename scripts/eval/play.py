"""Play a case through the gateway's chat API, as a person would, and record the replies."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from scripts.eval.cases import Case, Exchange
from scripts.eval.scoring import FlowRules, ResponseMatcher, asks_place

# The session's chat function: (session_id, text) -> the messages of the reply.
Chat = Callable[[str, str], list[dict[str, Any]]]
# The payload of the "Je préfère ne pas le dire" button under the place question: a person
# without a commune in their profile presses it.
NO_PLACE_PAYLOAD = "/dont_know"


def project_matcher(root: Path) -> ResponseMatcher:
    """Every text the assistant can send: domain responses, the gateway's texts, and the line
    catalogue scheme answers are composed from (`answer:<key>`)."""
    return ResponseMatcher.from_files(
        root / "domain",
        [root / "channels" / "texts_fr.yml"],
        [("answer", root / "actions" / "answer_texts_fr.yml")],
    )


def http_chat(base_url: str, timeout: float = 60.0) -> Chat:
    """A chat function over `POST /api/chat` of a running gateway."""
    client = httpx.Client(base_url=base_url, timeout=timeout)

    def chat(session_id: str, text: str) -> list[dict[str, Any]]:
        response = client.post("/api/chat", json={"session_id": session_id, "text": text})
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()["messages"]
        return messages

    return chat


def _exchange(
    chat: Chat, session: str, sent: str, kind: str, matcher: ResponseMatcher
) -> tuple[Exchange, list[dict[str, Any]]]:
    messages = chat(session, sent)
    exchange = Exchange(sent=sent, kind=kind)
    for message in messages:
        text = str(message.get("text") or "")
        buttons = [str(b.get("title") or "") for b in message.get("buttons") or []]
        # Button titles are part of what the person sees (a scheme offered as a button counts).
        exchange.texts.append("\n".join([text, *buttons]).strip())
        exchange.names.append(matcher.name(text) if text else None)
    return exchange, messages


def _place_reply(case: Case, messages: list[dict[str, Any]]) -> str:
    if case.commune:
        return case.commune
    for message in messages:
        for button in message.get("buttons") or []:
            if button.get("payload") == NO_PLACE_PAYLOAD:
                return NO_PLACE_PAYLOAD
    return NO_PLACE_PAYLOAD


def play(case: Case, chat: Chat, matcher: ResponseMatcher, rules: FlowRules) -> list[Exchange]:
    """Send the case's turns in a fresh session; answer each place question once."""
    session = f"eval-{uuid.uuid4().hex[:24]}"
    exchanges: list[Exchange] = []
    for turn in case.turns:
        exchange, messages = _exchange(chat, session, turn, "turn", matcher)
        exchanges.append(exchange)
        if asks_place(exchange.names, rules):
            answer, _ = _exchange(chat, session, _place_reply(case, messages), "place", matcher)
            exchanges.append(answer)
    return exchanges
