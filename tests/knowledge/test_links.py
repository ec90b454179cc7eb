"""The operators' link checker, against a local HTTP server started here (never the internet)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from knowledge.cli import main
from knowledge.links import check_links, collect_links
from knowledge.territories.codes import shipped_codes
from knowledge.validation import read_knowledge
from tests.knowledge.conftest import DATA_DIR, TODAY


class _State:
    active = 0
    peak = 0
    lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet server
        return

    def _answer(self, with_body: bool) -> None:
        if self.path.startswith("/slow"):
            time.sleep(1.5)
        elif self.path.startswith("/busy"):
            # Counted before the answer is sent, so a finished request is never counted.
            with _State.lock:
                _State.active += 1
                _State.peak = max(_State.peak, _State.active)
            time.sleep(0.2)
            with _State.lock:
                _State.active -= 1
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = 200
        if self.path == "/gone":
            status = 404
        elif self.path == "/no-head" and not with_body:
            status = 405
        body = b"page"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(with_body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(with_body=True)


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _State.peak = 0
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_statuses_redirects_and_head_refused(server: str) -> None:
    urls = {
        f"{server}/ok": ["a"],
        f"{server}/gone": ["b"],
        f"{server}/moved": ["c"],
        f"{server}/no-head": ["d"],
    }
    results = {r.url.rsplit("/", 1)[1]: r for r in asyncio.run(check_links(urls, timeout=5))}
    assert results["ok"].ok and results["ok"].status == 200
    assert (
        not results["gone"].ok
        and results["gone"].status == 404
        and results["gone"].used_by == ("b",)
    )
    assert results["moved"].ok and results["moved"].redirected
    assert results["moved"].final_url == f"{server}/ok"
    assert results["no-head"].ok  # HEAD refused, GET works


def test_a_slow_server_times_out(server: str) -> None:
    [result] = asyncio.run(check_links([f"{server}/slow"], timeout=0.3))
    assert not result.ok and result.status is None and "within 0.3 s" in (result.error or "")


def test_an_unreachable_host_is_reported(server: str) -> None:
    closed = server.rsplit(":", 1)[0] + ":1"
    [result] = asyncio.run(check_links([f"{closed}/x"], timeout=2))
    assert not result.ok and result.error


def test_concurrency_is_limited(server: str) -> None:
    urls = [f"{server}/busy/{index}" for index in range(8)]
    results = asyncio.run(check_links(urls, timeout=5, concurrency=2))
    assert all(result.ok for result in results)
    assert _State.peak <= 2


def test_collect_links_names_the_records_using_each_address() -> None:
    data = read_knowledge(
        DATA_DIR,
        territory_exists=lambda s, c: c in shipped_codes().get(s, frozenset()),
        today=TODAY,
    )
    links = collect_links(data)
    assert "https://www.actionlogement.fr" in links
    assert all(url.startswith("http") for url in links)
    assert not any(".txt:" in url for url in links)


def test_cli_check_links_exit_code(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "schemes").mkdir()
    (tmp_path / "organisations").mkdir()
    (tmp_path / "organisations" / "orgs.yml").write_text(
        'version: "1"\norganisations:\n'
        "  - id: test-org\n    name: Test\n    kind: other\n"
        '    territory: {scope: departement, codes: ["59"], label: "Nord"}\n'
        f'    contacts: {{url: "{server}/ok"}}\n'
        '    information_date: "2024-01-01"\n    review_by: "2024-12-01"\n'
        f'    sources: ["{server}/gone"]\n',
        encoding="utf-8",
    )
    assert main(["check-links", "--data-dir", str(tmp_path), "--timeout", "5"]) == 1
    out = capsys.readouterr().out
    assert "404" in out and "/gone" in out and "2 links checked, 1 broken" in out
