"""Lane d: the adviser console refuses whoever has no session, no CSRF token or not the role."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute, APIWebSocketRoute
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from starlette.websockets import WebSocketDisconnect

from channels.console import accounts
from channels.console.models import Adviser
from tests.channels.console_support import (
    PASSWORD,
    FakeRasa,
    add_adviser,
    client_for,
    login,
    login_form_token,
    make_settings,
)

PUBLIC_CONSOLE_PATHS = {"/console/login", "/console/static/console.css"}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from client_for(make_settings(tmp_path), FakeRasa())


def flat_routes(routes: list[Any]) -> list[Any]:
    """Routes of the app, looking inside included routers (FastAPI keeps them nested)."""
    found: list[Any] = []
    for route in routes:
        nested = getattr(route, "original_router", None)
        found += flat_routes(list(nested.routes)) if nested is not None else [route]
    return found


def console_routes(client: TestClient) -> list[tuple[str, str]]:
    app: Any = client.app
    found = []
    for route in flat_routes(app.routes):
        if isinstance(route, APIRoute) and route.path.startswith("/console"):
            if route.path in PUBLIC_CONSOLE_PATHS:
                continue
            path = re.sub(r"\{[^}]+\}", "1", route.path)
            found += [(method, path) for method in sorted(route.methods)]
    return found


def test_every_console_route_without_a_session_is_refused(client: TestClient) -> None:
    routes = console_routes(client)
    assert len(routes) >= 15, routes  # the enumeration really sees the console
    for method, path in routes:
        response = client.request(method, path, follow_redirects=False)
        if path.startswith("/console/api/"):
            assert response.status_code == 401, (method, path)
            assert response.json()["error"] == "Connectez-vous à la console."
        else:
            assert response.status_code in (303, 401), (method, path, response.status_code)
            if response.status_code == 303:
                assert response.headers["location"] == "/console/login"


def test_a_forged_or_unknown_cookie_is_refused(client: TestClient) -> None:
    client.cookies.set("console_session", "forged.value", path="/console")
    assert client.get("/console/api/queue").status_code == 401
    assert client.get("/console/", follow_redirects=False).status_code == 303


def test_the_websocket_needs_a_session(client: TestClient) -> None:
    app: Any = client.app
    assert any(
        isinstance(r, APIWebSocketRoute) and r.path == "/console/ws"
        for r in flat_routes(app.routes)
    )
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect("/console/ws"),
    ):
        pass
    assert refused.value.code == 4401


def test_the_websocket_needs_the_csrf_token_and_the_same_origin(client: TestClient) -> None:
    add_adviser(client, "a@exemple.fr")
    csrf = login(client, "a@exemple.fr")
    with client.websocket_connect("/console/ws") as socket:
        socket.send_json({"type": "auth", "csrf": "wrong"})
        with pytest.raises(WebSocketDisconnect) as refused:
            socket.receive_json()
        assert refused.value.code == 4401
    # The old way (token in the URL, which lands in logs) is not accepted any more.
    with client.websocket_connect(f"/console/ws?csrf={csrf}") as socket:
        socket.send_json({"type": "follow", "ticket_id": 1})
        with pytest.raises(WebSocketDisconnect):
            socket.receive_json()
    with (
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect("/console/ws", headers={"origin": "https://evil.example"}),
    ):
        pass
    with client.websocket_connect("/console/ws") as socket:
        socket.send_json({"type": "auth", "csrf": csrf})
        assert socket.receive_json()["type"] == "hello"


def test_login_sets_a_strict_http_only_cookie(client: TestClient) -> None:
    add_adviser(client, "a@exemple.fr")
    token = login_form_token(client)
    response = client.post(
        "/console/login",
        data={"email": "A@Exemple.fr ", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/console/"
    cookie = next(
        v
        for k, v in response.headers.multi_items()
        if k == "set-cookie" and "console_session=" in v
    )
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie
    page = client.get("/console/")
    assert page.status_code == 200 and "File d'attente" in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


def test_login_without_csrf_token_is_refused(client: TestClient) -> None:
    add_adviser(client, "a@exemple.fr")
    client.get("/console/login")
    response = client.post(
        "/console/login",
        data={"email": "a@exemple.fr", "password": PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "console_session" not in response.headers.get("set-cookie", "")


def test_wrong_password_is_refused_and_repeated_failures_lock_the_account(
    client: TestClient,
) -> None:
    add_adviser(client, "a@exemple.fr")
    for _ in range(5):
        token = login_form_token(client)
        bad = client.post(
            "/console/login",
            data={"email": "a@exemple.fr", "password": "nope", "csrf_token": token},
            follow_redirects=False,
        )
        assert bad.status_code == 401 and "incorrect" in bad.text
    token = login_form_token(client)
    locked = client.post(
        "/console/login",
        data={"email": "a@exemple.fr", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert locked.status_code == 401


def test_api_changes_need_the_csrf_header(client: TestClient) -> None:
    add_adviser(client, "a@exemple.fr")
    csrf = login(client, "a@exemple.fr")
    assert client.post("/console/api/tickets/1/claim").status_code == 403
    refused = client.post("/console/api/tickets/1/claim", headers={"X-CSRF-Token": "wrong"})
    assert refused.status_code == 403 and "Jeton" in refused.json()["error"]
    # With the right token the request goes through (and finds no such ticket).
    assert (
        client.post("/console/api/tickets/1/claim", headers={"X-CSRF-Token": csrf}).status_code
        == 409
    )


def test_logout_needs_csrf_and_revokes_the_session(client: TestClient) -> None:
    add_adviser(client, "a@exemple.fr")
    csrf = login(client, "a@exemple.fr")
    cookie = client.cookies.get("console_session")
    assert client.post("/console/logout", data={}, follow_redirects=False).status_code == 403
    out = client.post("/console/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303
    client.cookies.set("console_session", str(cookie), path="/console")
    assert client.get("/console/api/queue").status_code == 401


def test_an_adviser_cannot_open_admin_pages(client: TestClient) -> None:
    add_adviser(client, "a@exemple.fr")
    login(client, "a@exemple.fr")
    assert client.get("/console/admin").status_code == 403
    assert client.get("/console/api/admin/advisers").status_code == 403
    assert "Administration" not in client.get("/console/").text


def test_an_admin_sees_the_accounts_without_password_hashes(client: TestClient) -> None:
    add_adviser(client, "a@exemple.fr")
    add_adviser(client, "chef@exemple.fr", role="admin")
    login(client, "chef@exemple.fr")
    listing = client.get("/console/api/admin/advisers").json()["advisers"]
    assert {a["email"] for a in listing} == {"a@exemple.fr", "chef@exemple.fr"}
    assert all("password_hash" not in a for a in listing)
    page = client.get("/console/admin")
    assert page.status_code == 200 and "a@exemple.fr" in page.text and "argon2" not in page.text


def test_a_disabled_account_loses_its_session(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_adviser(client, "a@exemple.fr")
    login(client, "a@exemple.fr")
    url = f"sqlite:///{tmp_path}/console.db"
    assert accounts.run(["disable", "--email", "a@exemple.fr"], url) == "disabled a@exemple.fr"
    assert client.get("/console/api/queue").status_code == 401


def test_accounts_cli_creates_hashed_accounts_and_refuses_short_passwords(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("ADVISER_PASSWORD", "short")
    with pytest.raises(accounts.AccountError):
        accounts.run(["create", "--email", "x@exemple.fr", "--role", "admin"], url)
    monkeypatch.setenv("ADVISER_PASSWORD", PASSWORD)
    assert (
        accounts.run(["create", "--email", "X@Exemple.fr", "--role", "admin"], url)
        == "created x@exemple.fr (admin)"
    )
    assert (
        accounts.run(["create", "--email", "x@exemple.fr"], url) == "updated x@exemple.fr (adviser)"
    )
    assert accounts.run(["list"], url) == "x@exemple.fr\tadviser\tactive"
    with pytest.raises(accounts.AccountError):
        accounts.run(["create", "--email", "not-an-email"], url)
    with Session(create_engine(url)) as session:
        stored = session.scalar(select(Adviser))
        assert stored is not None and stored.password_hash.startswith("$argon2id$")
        assert PASSWORD not in stored.password_hash
    monkeypatch.setenv("DATABASE_URL", url)
    assert accounts.main(["disable", "--email", "nobody@exemple.fr"]) == 1
    assert "no account" in capsys.readouterr().err
