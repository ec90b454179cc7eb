"""An adviser driven over HTTP, as the console's own page does: account, login, claim, reply."""

from __future__ import annotations

import re
import subprocess
from typing import Any

import httpx

from tests.stack import ROOT, Stack

PASSWORD = "browser-lane adviser password"


class Adviser:
    """A logged-in adviser of the running stack (being logged in also makes them online)."""

    def __init__(self, stack: Stack, email: str) -> None:
        self.stack = stack
        self.email = email
        _accounts(stack, "create", "--email", email, "--role", "adviser")
        self.http = httpx.Client(base_url=stack.base_url, timeout=30, follow_redirects=False)
        form = self.http.get("/console/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token, form.text
        done = self.http.post(
            "/console/login",
            data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)},
        )
        assert done.status_code == 303, done.text
        self.csrf: str = self.http.get("/console/api/me").json()["csrf_token"]

    @property
    def first_name(self) -> str:
        """How the person sees this adviser named (widget header, Telegram label)."""
        from channels.console.service import first_name

        return first_name(self.email)

    def _post(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.http.post(
            f"/console/api{path}", json=body, headers={"X-CSRF-Token": self.csrf}
        )
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def waiting_ticket(self) -> int:
        """Id of the newest waiting ticket of the web channel."""
        tickets = self.http.get("/console/api/queue").json()["tickets"]
        waiting = [t for t in tickets if t["status"] == "waiting" and t["channel"] == "web"]
        assert waiting, tickets
        ticket_id: int = waiting[-1]["id"]
        return ticket_id

    def claim(self, ticket_id: int) -> None:
        self._post(f"/tickets/{ticket_id}/claim")

    def reply(self, ticket_id: int, text: str) -> None:
        self._post(f"/tickets/{ticket_id}/messages", {"text": text})

    def close(self, ticket_id: int) -> None:
        self._post(f"/tickets/{ticket_id}/close")

    def leave(self) -> None:
        """Disable the account: later tests on the same stack see nobody online."""
        self.http.close()
        _accounts(self.stack, "disable", "--email", self.email)

    def person_messages(self, ticket_id: int) -> list[str]:
        """What the person wrote to the adviser during the hand-off."""
        messages = self.http.get(f"/console/api/tickets/{ticket_id}/messages").json()["messages"]
        return [m["text"] for m in messages if m["author"] == "person"]


def _accounts(stack: Stack, *args: str) -> None:
    """Run the accounts command line against the stack's database."""
    env = {**stack.env, "ADVISER_PASSWORD": PASSWORD}
    python = str(ROOT / ".venv-app" / "bin" / "python")
    result = subprocess.run(
        [python, "-m", "channels.console.accounts", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
