"""The real gateway process (scripts/run-gateway.sh) against local fakes of Rasa and Telegram.

Fast enough for the default pytest lane (no model, no Rasa): the fake Rasa answers the REST
webhook and the tracker API like `tests.channels.console_support.FakeRasa`, and serves the action
server's `/health` too. Everything the gateway prints goes to `output_path`; its log files go to
`log_dir`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from knowledge.db import migrate
from tests.channels.console_support import FakeRasa
from tests.stack import ROOT, free_port


@dataclass
class FakeRasaServer:
    """A fake Rasa (and action server health) on a loopback port."""

    port: int = field(default_factory=free_port)
    brain: FakeRasa = field(default_factory=FakeRasa)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _webhook(self, request: Request) -> JSONResponse:
        body = json.loads(await request.body())
        self.brain.received.append(body)
        return JSONResponse(self.brain.reply_for(body["message"]))

    async def _tracker(self, request: Request) -> JSONResponse:
        return JSONResponse(self.brain.tracker(request.path_params["sender"]))

    async def _hello(self, request: Request) -> PlainTextResponse:
        return PlainTextResponse("Hello from Rasa: 3.6.21")

    @contextmanager
    def running(self) -> Iterator[FakeRasaServer]:
        app = Starlette(
            routes=[
                Route("/webhooks/rest/webhook", self._webhook, methods=["POST"]),
                Route("/conversations/{sender:path}/tracker", self._tracker),
                Route("/health", self._hello),
                Route("/", self._hello),
            ]
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


@dataclass
class Gateway:
    """A running gateway process."""

    base_url: str
    env: dict[str, str]
    output_path: Path
    process: subprocess.Popen[bytes]

    def output(self) -> str:
        """Everything the process printed so far (stdout and stderr)."""
        return self.output_path.read_text(encoding="utf-8", errors="replace")

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gateway exited {self.process.returncode}\n{self.output()}")
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=3).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"gateway not healthy in {timeout} s\n{self.output()}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        """Signal the process group and wait; the exit code."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            raise


def gateway_env(workdir: Path, rasa: FakeRasaServer, **extra: str) -> dict[str, str]:
    """Environment of a gateway on fresh databases in ``workdir``."""
    port = free_port()
    database = f"sqlite:///{workdir}/app.db"
    migrate(database)
    env = dict(os.environ)
    env.update(
        {
            "GATEWAY_HOST": "127.0.0.1",
            "GATEWAY_PORT": str(port),
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "RASA_URL": rasa.url,
            "ACTION_SERVER_URL": f"{rasa.url}/webhook",
            "DATABASE_URL": database,
            "RASA_ENDPOINTS": "endpoints.yml",
            "RASA_TRACKER_DB": str(workdir / "tracker.db"),
            "LOG_DIR": str(workdir / "logs"),
            "APP_ENV": "test",
            "TELEGRAM_BOT_TOKEN": "",
            "OFFICE_HOURS": "always",
            "SECRET_KEY": "robustness-test-secret",
            "LOG_LEVEL": "DEBUG",
        }
    )
    env.update(extra)
    (workdir / "logs").mkdir(exist_ok=True)
    return env


@contextmanager
def gateway(workdir: Path, env: dict[str, Any], name: str = "gateway") -> Iterator[Gateway]:
    """Start scripts/run-gateway.sh with ``env``; stop it (and its group) afterwards."""
    output = workdir / f"{name}.out"
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "run-gateway.sh")],
        cwd=ROOT,
        env=env,
        stdout=output.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    running = Gateway(env["PUBLIC_BASE_URL"], env, output, process)
    try:
        running.wait_healthy()
        yield running
    finally:
        if process.poll() is None:
            running.stop()
