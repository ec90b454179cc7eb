"""`make chat`: talk to the running assistant in a terminal, through the gateway's chat API."""

from __future__ import annotations

import sys
import uuid

import httpx

from bot.settings import get_settings
from channels.texts import text


def _show(messages: list[dict[str, object]]) -> list[str]:
    """Print the bot's messages; return the button payloads in display order."""
    payloads: list[str] = []
    for message in messages:
        if message.get("text"):
            print(f"Bot > {message['text']}")
        for button in message.get("buttons") or []:  # type: ignore[attr-defined]
            payloads.append(str(button["payload"]))
            print(f"      /{len(payloads)} {button['title']}")
        document = (message.get("custom") or {}).get("document")  # type: ignore[attr-defined]
        if document:
            print(f"      [document] {document.get('url')}")
    return payloads


def main() -> int:
    """Read lines from stdin until EOF and print the replies."""
    settings = get_settings()
    url = f"http://{settings.gateway_host}:{settings.gateway_port}/api/chat"
    session_id = uuid.uuid4().hex
    print(text("cli_welcome"))
    payloads: list[str] = []
    with httpx.Client(timeout=60) as client:
        while True:
            try:
                line = input(text("cli_prompt")).strip()
            except EOFError:
                print()
                return 0
            if line[1:].isdigit() and line.startswith("/") and 0 < int(line[1:]) <= len(payloads):
                line = payloads[int(line[1:]) - 1]
            if not line:
                continue
            try:
                response = client.post(url, json={"session_id": session_id, "text": line})
            except httpx.HTTPError:
                print(text("cli_unreachable", url=url), file=sys.stderr)
                return 1
            body = response.json()
            if response.status_code != 200:
                print(f"Bot > {body.get('error')}")
                continue
            payloads = _show(body["messages"])


if __name__ == "__main__":
    sys.exit(main())
