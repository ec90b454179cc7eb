"""The real assistant (Rasa, action server, gateway) started for end-to-end and browser tests.

Use the session fixture `stack` (imported in tests/conftest.py):

    @pytest.mark.e2e
    def test_something(stack: Stack) -> None:
        replies = stack.chat("session-1", "bonjour")        # list of message dicts
        assert any("Bonjour" in (m["text"] or "") for m in replies)
        stack.base_url                                      # http://127.0.0.1:<port> (gateway)
        stack.database_url                                  # the temporary knowledge/app database
        stack.env                                           # environment the processes run with

The processes run on free loopback ports with a fresh temporary SQLite database loaded with the
full knowledge base (`python -m knowledge migrate` + `load`) and a fresh tracker store. The trained
model must exist (`make train`; `make e2e` and `make test` do it). Logs of each process are in
`<tmp>/logs/*.log` and are printed when start-up fails.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_SECONDS = 240


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stack:
    """Handles on the running assistant."""

    base_url: str
    database_url: str
    env: dict[str, str]
    workdir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def chat(self, session_id: str, text: str, timeout: float = 60.0) -> list[dict[str, Any]]:
        """POST one message to the gateway's chat API and return the messages."""
        response = httpx.post(
            f"{self.base_url}/api/chat",
            json={"session_id": session_id, "text": text},
            timeout=timeout,
        )
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()["messages"]
        return messages

    def logs(self) -> str:
        """Tail of every process log, for failure messages."""
        parts = []
        for path in sorted((self.workdir / "logs").glob("*.log")):
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
            parts.append(f"--- {path.name}\n" + "\n".join(lines))
        return "\n".join(parts)

    def stop(self) -> None:
        """Stop every process (their whole process groups)."""
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def _environment(workdir: Path) -> dict[str, str]:
    rasa_port, action_port, gateway_port = free_port(), free_port(), free_port()
    env = dict(os.environ)
    env.update(
        {
            "RASA_HOST": "127.0.0.1",
            "RASA_PORT": str(rasa_port),
            "RASA_URL": f"http://127.0.0.1:{rasa_port}",
            "ACTION_HOST": "127.0.0.1",
            "ACTION_PORT": str(action_port),
            "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}/webhook",
            "GATEWAY_HOST": "127.0.0.1",
            "GATEWAY_PORT": str(gateway_port),
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{gateway_port}",
            "DATABASE_URL": f"sqlite:///{workdir}/assistant.db",
            "RASA_TRACKER_DB": str(workdir / "tracker.db"),
            "RASA_ENDPOINTS": "endpoints.yml",
            "APP_ENV": "test",
            "TELEGRAM_BOT_TOKEN": "",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            # Office hours always open, so hand-off tests do not depend on the clock.
            "OFFICE_HOURS": "always",  # also on public holidays
            # Every test conversation comes from 127.0.0.1: the per-address limit would turn an
            # evaluation run into 429s (the per-conversation limit still applies).
            "CHAT_MESSAGES_PER_MINUTE_IP": "1000000",
        }
    )
    return env


def _prepare_database(env: dict[str, str], workdir: Path) -> None:
    python = str(ROOT / ".venv-app" / "bin" / "python")
    for command in (["-m", "knowledge", "migrate"], ["-m", "knowledge", "load"]):
        result = subprocess.run(
            [python, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        if result.returncode != 0:
            pytest.fail(
                f"knowledge {command[-1]} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
            )


def _start(env: dict[str, str], workdir: Path) -> Stack:
    logs = workdir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    stack = Stack(
        base_url=env["PUBLIC_BASE_URL"], database_url=env["DATABASE_URL"], env=env, workdir=workdir
    )
    for name in ("rasa", "actions", "gateway"):
        log = (logs / f"{name}.log").open("wb")
        stack.processes[name] = subprocess.Popen(
            [str(ROOT / "scripts" / f"run-{name}.sh")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return stack


def wait_until_healthy(stack: Stack, timeout: float = START_TIMEOUT_SECONDS) -> None:
    """Poll /healthz until every part answers, or fail with the logs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, process in stack.processes.items():
            if process.poll() is not None:
                pytest.fail(f"{name} exited with {process.returncode}\n{stack.logs()}")
        try:
            if httpx.get(f"{stack.base_url}/healthz", timeout=3).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    pytest.fail(f"the assistant did not become healthy in {timeout} s\n{stack.logs()}")


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The three real processes, healthy, for the whole test session."""
    model_hash = subprocess.run(
        [str(ROOT / "scripts" / "model-hash.sh")], capture_output=True, text=True, check=True
    ).stdout.strip()
    if not (ROOT / "models" / f"{model_hash}.tar.gz").exists():
        pytest.fail("no model trained for the current data: run `make train` first")
    workdir = tmp_path_factory.mktemp("stack")
    env = _environment(workdir)
    _prepare_database(env, workdir)
    running = _start(env, workdir)
    try:
        wait_until_healthy(running)
        yield running
    finally:
        running.stop()
