"""Link checker for operators (``python -m knowledge check-links``).

Every web address of the data (apply links, web sources, organisations' sites) is requested
once, concurrently but at most ``concurrency`` at a time, each with a timeout. HEAD first (cheap);
servers that refuse HEAD get a GET whose body is not read. Redirects are followed and reported.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from knowledge.schema import SOURCE_URL
from knowledge.validation_issues import KnowledgeData

# Servers that answer these to HEAD may still serve the page to a browser's GET.
_RETRY_WITH_GET = frozenset({403, 404, 405, 501})
USER_AGENT = "assistant-emploi-link-checker/1.0 (+operators of the knowledge base)"


@dataclass(frozen=True)
class LinkResult:
    """One address: its final status (None when unreachable) and the records using it."""

    url: str
    status: int | None
    final_url: str | None
    error: str | None
    used_by: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400

    @property
    def redirected(self) -> bool:
        return self.ok and self.final_url is not None and self.final_url != self.url


def collect_links(data: KnowledgeData) -> dict[str, list[str]]:
    """Every web address of the data set, with the ids of the records that use it."""
    used: dict[str, list[str]] = defaultdict(list)
    for scheme in data.schemes:
        record = scheme.record
        addresses = [record.apply.url, *record.sources]
        for url in dict.fromkeys(a for a in addresses if a and SOURCE_URL.match(a)):
            used[url].append(record.id)
    for organisation in data.organisations:
        record_org = organisation.record
        for url in dict.fromkeys(
            a for a in [record_org.contacts.url, *record_org.sources] if a and SOURCE_URL.match(a)
        ):
            used[url].append(record_org.id)
    return dict(sorted(used.items()))


async def check_links(
    links: dict[str, list[str]] | Sequence[str],
    *,
    timeout: float = 10.0,
    concurrency: int = 8,
    client: httpx.AsyncClient | None = None,
) -> list[LinkResult]:
    """Check every address; results in the order given."""
    used = links if isinstance(links, dict) else {url: [] for url in links}
    limit = asyncio.Semaphore(max(1, concurrency))
    own_client = client is None
    http = client or httpx.AsyncClient(
        timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}
    )
    try:

        async def one(url: str) -> LinkResult:
            async with limit:
                return await _check(http, url, tuple(used[url]), timeout)

        return list(await asyncio.gather(*(one(url) for url in used)))
    finally:
        if own_client:
            await http.aclose()


async def _check(
    http: httpx.AsyncClient, url: str, used_by: tuple[str, ...], timeout: float
) -> LinkResult:
    try:
        response = await http.head(url, timeout=timeout)
        if response.status_code in _RETRY_WITH_GET:
            async with http.stream("GET", url, timeout=timeout) as streamed:
                response = streamed
        return LinkResult(url, response.status_code, str(response.url), None, used_by)
    except httpx.TimeoutException:
        return LinkResult(url, None, None, f"no answer within {timeout:g} s", used_by)
    except httpx.HTTPError as error:
        return LinkResult(url, None, None, f"{type(error).__name__}: {error}", used_by)
