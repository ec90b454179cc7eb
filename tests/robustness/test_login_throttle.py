"""Console login: parallel wrong passwords all count, and nobody elsewhere can lock an adviser out."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from channels.console.throttle import LoginThrottle
from tests.channels.console_support import (
    PASSWORD,
    FakeRasa,
    add_adviser,
    client_for,
    login_form_token,
    make_settings,
)

EMAIL = "a@exemple.fr"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from client_for(
        make_settings(tmp_path, rasa_tracker_db=str(tmp_path / "t.db")), FakeRasa()
    )


def _attempt(client: TestClient, password: str) -> int:
    token = login_form_token(client)
    response = client.post(
        "/console/login",
        data={"email": EMAIL, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return response.status_code


def test_twenty_parallel_wrong_passwords_all_count(client: TestClient) -> None:
    add_adviser(client, EMAIL)
    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(lambda _: _attempt(client, "wrong password!"), range(20)))
    assert codes == [401] * 20
    assert _attempt(client, PASSWORD) == 401  # locked for this address, right password or not


def test_failures_from_elsewhere_do_not_lock_the_adviser_out(client: TestClient) -> None:
    add_adviser(client, EMAIL)
    app: Any = client.app
    throttle = LoginThrottle()
    app.state.login_throttle = throttle
    for _ in range(10):
        throttle.begin(EMAIL, "203.0.113.9")  # an attacker's address
    assert _attempt(client, PASSWORD) == 303


def test_the_throttle_counts_before_checking() -> None:
    throttle = LoginThrottle()
    allowed = [throttle.begin("x@exemple.fr", "198.51.100.1", now=1.0) for _ in range(8)]
    assert allowed == [True] * 5 + [False] * 3
    assert throttle.begin("x@exemple.fr", "198.51.100.2", now=1.0)
    assert throttle.begin("x@exemple.fr", "198.51.100.1", now=1.0 + 16 * 60)
    many = [throttle.begin(f"{i}@exemple.fr", "192.0.2.7", now=5.0) for i in range(40)]
    assert many.count(True) == 30
