"""Robustness of the real gateway process: restarts with open streams, big and slow requests."""

from __future__ import annotations

import signal
import socket
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.robustness.gateway import FakeRasaServer, gateway, gateway_env

pytestmark = pytest.mark.robustness


def _address(base_url: str) -> tuple[str, int]:
    parts = urlsplit(base_url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def test_sigterm_ends_open_event_streams_and_the_gateway_exits(tmp_path: Path) -> None:
    with FakeRasaServer().running() as rasa, gateway(tmp_path, gateway_env(tmp_path, rasa)) as gw:
        ended = threading.Event()
        opened = threading.Event()

        def listen() -> None:
            url = f"{gw.base_url}/api/chat/person/stream"
            with httpx.stream("GET", url, params={"timeout": 60}, timeout=120) as response:
                for _ in response.iter_lines():
                    opened.set()
            ended.set()

        listeners = [threading.Thread(target=listen, daemon=True) for _ in range(3)]
        for listener in listeners:
            listener.start()
        assert opened.wait(20)
        gw.process.send_signal(signal.SIGTERM)
        # Without the fix the gateway waits for each stream's own end (60 s here, 5 min before).
        try:
            code = gw.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the gateway did not stop with streams open\n{gw.output()[-2000:]}")
        assert code in (0, -signal.SIGTERM)  # uvicorn re-raises the signal once stopped
        assert ended.wait(10)
        assert "Traceback" not in gw.output()


def test_a_huge_body_is_refused_from_its_length_and_a_silent_client_is_dropped(
    tmp_path: Path,
) -> None:
    with FakeRasaServer().running() as rasa, gateway(tmp_path, gateway_env(tmp_path, rasa)) as gw:
        host, port = _address(gw.base_url)
        with socket.create_connection((host, port), timeout=30) as sock:
            sock.sendall(
                b"POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 104857600\r\n\r\n" + b"a" * 1000
            )
            answer = sock.recv(4096)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]

        slow = [socket.create_connection((host, port), timeout=30) for _ in range(20)]
        for sock in slow:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # headers never finished
        try:
            # The server closes each of them (recv returns b"" at once instead of timing out).
            assert all(sock.recv(1024) == b"" for sock in slow)
        finally:
            for sock in slow:
                sock.close()
        assert httpx.get(f"{gw.base_url}/healthz", timeout=10).status_code == 200
