"""Citations a person can use, built from a record's ``sources``.

A record keeps its sources for audit (``https://…`` pages and ``file.txt:line`` references to the
reports in ``../shared/sources``). A person is never shown a file name or a line number: an
official page is cited by its publisher and address, a report by its publisher, title and year,
read from the registry ``knowledge/data/sources.yml``. Official pages come first.

The registry also holds the one allow-list of official sites (``is_official``), used by the
validation rule "a national scheme's first source is an official page".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field

from knowledge.schema import SOURCE_FILE_REF

REGISTRY_FILE = Path(__file__).resolve().parent / "data" / "sources.yml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceDocument(_Strict):
    """One report, as a person can cite it (see the comments of ``sources.yml``)."""

    publisher: str
    title: str | None = None
    description: str | None = None
    year: int | None = None
    period: str | None = None
    evidence: dict[str, str] = Field(default_factory=dict)


class OfficialSite(_Strict):
    host: str
    # Optional path prefix: only the pages under it are official (e.g. one repository of github.com).
    path: str | None = None
    publisher: str | None = None

    def serves(self, host: str, path: str) -> bool:
        on_host = host == self.host or host.endswith(f".{self.host}")
        return on_host and (self.path is None or path.startswith(self.path))


class SourceRegistry(_Strict):
    """``knowledge/data/sources.yml``."""

    version: str
    documents: dict[str, SourceDocument]
    official_sites: list[OfficialSite]

    def official_site(self, url: str) -> OfficialSite | None:
        """The most specific allow-listed site serving ``url``, if any (https only)."""
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            return None
        host = parts.hostname.lower()
        matches = [site for site in self.official_sites if site.serves(host, parts.path)]
        return max(matches, key=lambda site: len(site.host) + len(site.path or ""), default=None)

    def is_official(self, url: str) -> bool:
        return self.official_site(url) is not None


def read_registry(path: Path = REGISTRY_FILE) -> SourceRegistry:
    """Read and check a registry file (raises ``pydantic.ValidationError`` when malformed)."""
    with path.open(encoding="utf-8") as handle:
        data: Any = yaml.safe_load(handle)
    return SourceRegistry.model_validate(data)


@lru_cache(maxsize=4)
def registry(path: Path = REGISTRY_FILE) -> SourceRegistry:
    """The registry, read once (lazily: nothing is read at import)."""
    return read_registry(path)


@dataclass(frozen=True)
class Citation:
    """A source as shown to a person.

    ``kind`` is ``page`` (an official web page: ``url`` and, when known, ``publisher``), ``web``
    (another web page: ``url`` only) or ``report`` (``publisher``, ``title`` or ``description``,
    ``year`` or ``period``; no ``url``). ``text`` is the whole citation on one line.
    """

    kind: str
    publisher: str | None
    title: str | None
    description: str | None
    year: str | None
    url: str | None

    @property
    def text(self) -> str:
        if self.kind == "report":
            work = f"« {self.title} »" if self.title else self.description
            return ", ".join(part for part in (self.publisher, work, self.year) if part)
        return f"{self.publisher} : {self.url}" if self.publisher else str(self.url)


def citation_for(source: str, source_registry: SourceRegistry | None = None) -> Citation | None:
    """The citation of one source string, or None for a report missing from the registry."""
    known = source_registry or registry()
    match = SOURCE_FILE_REF.match(source)
    if match is not None:
        document = known.documents.get(match["file"])
        if document is None:
            return None
        year = str(document.year) if document.year is not None else document.period
        return Citation(
            "report", document.publisher, document.title, document.description, year, None
        )
    site = known.official_site(source)
    if site is not None:
        return Citation("page", site.publisher or _host(source), None, None, None, source)
    return Citation("web", None, None, None, None, source)


def citations_for(
    sources: Iterable[str], source_registry: SourceRegistry | None = None
) -> tuple[Citation, ...]:
    """Every source as a citation, once each: official pages first, then the others in the
    record's order. Two references to the same report (different lines) give one citation."""
    found: dict[tuple[str | None, ...], Citation] = {}
    for source in sources:
        citation = citation_for(source, source_registry)
        if citation is not None:
            key = (citation.kind, citation.url, citation.publisher, citation.title, citation.year)
            found.setdefault(key, citation)
    return tuple(sorted(found.values(), key=lambda citation: citation.kind != "page"))


def _host(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")
