"""A local fake of the Telegram Bot API (enough of it for python-telegram-bot), never the internet.

Run it with `FakeBotApi.running()`; point PTB at `fake.base_url` (its `base_url` setting).
Push updates with `push_text`, `push_command`, `push_button`; read what the bot sent in `sent`.
`fail_next_with_429(retry_after)` makes the next sendMessage answer a flood-limit error.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.stack import free_port

BOT_USER = {
    "id": 999,
    "is_bot": True,
    "first_name": "Assistant",
    "username": "assistant_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class Sent:
    """One call the bot made."""

    method: str
    params: dict[str, Any]


@dataclass
class FakeBotApi:
    """State of the fake server."""

    port: int = field(default_factory=free_port)
    updates: list[dict[str, Any]] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    attempts: dict[str, int] = field(default_factory=dict)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _fail_429: int | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # --- what a person does -------------------------------------------------------------
    def _message(self, chat_id: int, text: str) -> dict[str, Any]:
        return {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "text": text,
            "chat": {"id": chat_id, "type": "private", "first_name": "Camille"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Camille"},
        }

    def push_text(self, chat_id: int, text: str) -> None:
        self.updates.append({"update_id": next(self._ids), "message": self._message(chat_id, text)})

    def push_command(self, chat_id: int, command: str) -> None:
        message = self._message(chat_id, command)
        message["entities"] = [
            {"type": "bot_command", "offset": 0, "length": len(command.split()[0])}
        ]
        self.updates.append({"update_id": next(self._ids), "message": message})

    def push_button(self, chat_id: int, data: str) -> None:
        original = self._message(chat_id, "…")
        original["from"] = BOT_USER
        self.updates.append(
            {
                "update_id": next(self._ids),
                "callback_query": {
                    "id": str(next(self._ids)),
                    "from": original["chat"] | {"is_bot": False},
                    "chat_instance": "ci",
                    "data": data,
                    "message": original,
                },
            }
        )

    def fail_next_with_429(self, retry_after: int = 1) -> None:
        self._fail_429 = retry_after

    # --- what the bot did -------------------------------------------------------------
    def texts_to(self, chat_id: int) -> list[str]:
        return [
            str(s.params.get("text"))
            for s in self.sent
            if s.method == "sendMessage" and str(s.params.get("chat_id")) == str(chat_id)
        ]

    def calls(self, method: str) -> list[Sent]:
        return [s for s in self.sent if s.method == method]

    def wait_for(self, predicate: Any, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.05)
        raise AssertionError(
            f"condition not met in {timeout} s; sent: {[(s.method, s.params) for s in self.sent]}"
        )

    # --- the server -------------------------------------------------------------------
    async def _endpoint(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        form = await request.form()
        params: dict[str, Any] = {}
        for key, value in form.multi_items():
            if hasattr(value, "read"):
                params[key] = {"filename": value.filename, "size": len(await value.read())}
            else:
                params[key] = value
        if not params and request.headers.get("content-type", "").startswith("application/json"):
            params = json.loads(await request.body() or b"{}")
        self.attempts[method] = self.attempts.get(method, 0) + 1
        if method == "getUpdates":
            return await self._get_updates(params)
        if method == "sendMessage" and self._fail_429 is not None:
            retry_after, self._fail_429 = self._fail_429, None
            return JSONResponse(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {retry_after}",
                    "parameters": {"retry_after": retry_after},
                },
                status_code=429,
            )
        self.sent.append(Sent(method, params))
        return JSONResponse({"ok": True, "result": self._result(method, params)})

    async def _get_updates(self, params: dict[str, Any]) -> JSONResponse:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 1.0)
        while True:
            pending = [u for u in self.updates if u["update_id"] >= offset]
            if pending or time.monotonic() >= deadline:
                return JSONResponse({"ok": True, "result": pending})
            await asyncio.sleep(0.05)

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in ("sendMessage", "sendDocument"):
            message = self._message(int(params["chat_id"]), str(params.get("text", "")))
            message["from"] = BOT_USER
            if method == "sendDocument":
                message["document"] = {
                    "file_id": "f",
                    "file_unique_id": "u",
                    "file_name": (params.get("document") or {}).get("filename", "doc"),
                }
            return message
        return True

    @contextmanager
    def running(self) -> Iterator[FakeBotApi]:
        app = Starlette(
            routes=[Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"])]
        )
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.02)
        try:
            yield self
        finally:
            server.should_exit = True
            thread.join(timeout=5)
