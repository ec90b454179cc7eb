"""Pure scoring functions of the understanding evaluation (no network, no Rasa).

A bot message is recognised by the domain response (or gateway text) it was rendered from, so flows
are classified by response *names* (scripts/eval/flows.yml) and survive rewording of the texts.
Scheme names are matched on normalised text: case, accents, punctuation and spacing do not count.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_NOT_WORD = re.compile(r"[^a-z0-9€]+")
_PARENTHESIS = re.compile(r"\(([^)]*)\)")


def normalise(text: str) -> str:
    """Lower-case, accents stripped, every run of punctuation or blanks made one space."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", stripped).split())


def alias_variants(alias: str) -> set[str]:
    """The alias, plus "long form (ACRONYM)" split into its long form and its acronym."""
    variants = {normalise(alias)}
    inside = _PARENTHESIS.findall(alias)
    if inside:
        variants.add(normalise(_PARENTHESIS.sub(" ", alias)))
        variants.update(normalise(part) for part in inside)
    return {v for v in variants if v}


def names_in(answer: str, aliases: Iterable[str]) -> list[str]:
    """The aliases that appear in the answer as whole words (after normalisation)."""
    haystack = f" {normalise(answer)} "
    return [alias for alias in aliases if any(f" {v} " in haystack for v in alias_variants(alias))]


def expected_groups_found(answer: str, groups: Sequence[Sequence[str]]) -> int:
    """How many expected schemes (each a group of acceptable names) the answer names."""
    return sum(1 for group in groups if names_in(answer, group))


@dataclass(frozen=True)
class Template:
    """One text variant of a response, compiled to recognise its rendered messages."""

    name: str
    pattern: re.Pattern[str]  # slots may span lines (a details text)
    tight: re.Pattern[str]  # slots stay on their line
    letters: int  # letters and digits of the template's own words


def compile_template(name: str, text: str) -> Template:
    """Patterns matching the text with any value in place of each `{slot}`."""
    parts = [re.escape(part) for part in _PLACEHOLDER.split(text.strip())]
    return Template(
        name=name,
        pattern=re.compile(r"\s*" + "(?:.*?)".join(parts) + r"\s*", re.DOTALL),
        tight=re.compile(r"\s*" + "(?:[^\n]*?)".join(parts) + r"\s*"),
        letters=sum(c.isalnum() for c in _PLACEHOLDER.sub("", text)),
    )


# Below these many letters of its own, a template says too little about a text: "{first} et
# {second}" would name any line with " et " in it.
_MIN_LETTERS = 4
_MIN_LINE_LETTERS = 8
_MIN_SPANNING_LETTERS = 12


class ResponseMatcher:
    """Names the response a bot message was rendered from.

    Whole-message templates come from the domain responses and the gateway texts. A message
    composed in code from a line catalogue (a scheme answer: heading, cards, sources, in one
    message) is named after its first line that a line template renders. Order: whole message
    with slots on one line; then line by line; then slots spanning lines (strong templates
    first, "{name}\n{details}" last).
    """

    def __init__(
        self, texts: Mapping[str, Sequence[str]], lines: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        self._templates = _compiled(texts, _MIN_LETTERS)
        self._lines = _compiled(lines or {}, _MIN_LETTERS)
        self._spanning = [t for t in self._templates if t.letters >= _MIN_SPANNING_LETTERS]
        self._weak = [
            t for t in _compiled(texts, 0) if t.letters < _MIN_LETTERS and "\n" in t.tight.pattern
        ]

    def name(self, message_text: str) -> str | None:
        """The response name, or None for a text no template renders."""
        for template in self._templates:
            if template.tight.fullmatch(message_text):
                return template.name
        for index, line in enumerate(message_text.splitlines()):
            if index == 0:
                # Texts joined in one message ("Aucun conseiller n'est disponible." then the
                # call-back offer): the first whole text names it, not "{name}\n{text}".
                for template in self._templates:
                    if template.tight.fullmatch(line):
                        return template.name
            # The first line may be a short heading ("Pour {topic} :"); later lines need more.
            least = _MIN_LETTERS if index == 0 else _MIN_LINE_LETTERS
            for template in self._lines:
                if template.letters >= least and template.tight.fullmatch(line):
                    return template.name
        for template in [*self._spanning, *self._weak]:
            if template.pattern.fullmatch(message_text):
                return template.name
        return None

    @classmethod
    def from_files(
        cls,
        domain_dir: Path,
        catalogues: Iterable[Path] = (),
        line_catalogues: Iterable[tuple[str, Path]] = (),
    ) -> ResponseMatcher:
        """Responses of every domain file, gateway catalogues (`text:<key>`) and line catalogues
        (`<prefix>:<key>`); catalogues are YAML files with a `texts:` mapping."""
        texts: dict[str, list[str]] = {}
        for path in sorted(domain_dir.glob("*.yml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for name, variants in (data.get("responses") or {}).items():
                texts.setdefault(name, []).extend(
                    str(v["text"]) for v in variants if isinstance(v, dict) and v.get("text")
                )
        for path in catalogues:
            for key, value in _catalogue(path):
                texts.setdefault(f"text:{key}", []).append(value)
        lines: dict[str, list[str]] = {}
        for prefix, path in line_catalogues:
            for key, value in _catalogue(path):
                lines.setdefault(f"{prefix}:{key}", []).append(value)
        return cls(texts, lines)


def _compiled(texts: Mapping[str, Sequence[str]], min_letters: int) -> list[Template]:
    templates = [compile_template(name, t) for name, variants in texts.items() for t in variants]
    # The most specific template wins: the one with the most words of its own.
    return sorted((t for t in templates if t.letters >= min_letters), key=lambda t: -t.letters)


def _catalogue(path: Path) -> Iterable[tuple[str, str]]:
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return list(_flatten(data.get("texts") or {}))


def _flatten(node: Any, prefix: str = "") -> Iterable[tuple[str, str]]:
    if isinstance(node, str):
        yield prefix, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(node, list):
        for value in node:
            yield from _flatten(value, prefix)


@dataclass(frozen=True)
class FlowRules:
    """Which response names show which flow (scripts/eval/flows.yml)."""

    flows: Mapping[str, Sequence[str]]
    place_questions: Sequence[str]
    fallback: Sequence[str]
    rejection: Sequence[str]
    neutral: Sequence[str] = ()

    @classmethod
    def load(cls, path: Path) -> FlowRules:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(
            flows={str(k): list(v) for k, v in data["flows"].items()},
            place_questions=list(data["place_questions"]),
            fallback=list(data["fallback"]),
            rejection=list(data["rejection"]),
            neutral=list(data.get("neutral") or []),
        )


def _matches(name: str | None, patterns: Sequence[str]) -> bool:
    return name is not None and any(re.fullmatch(p, name) for p in patterns)


def flows_of(names: Sequence[str | None], rules: FlowRules) -> set[str]:
    """Every flow one of the responses belongs to."""
    return {
        flow for flow, patterns in rules.flows.items() if any(_matches(n, patterns) for n in names)
    }


def asks_place(names: Sequence[str | None], rules: FlowRules) -> bool:
    """The bot asked where the person lives (or where the company is)."""
    return any(_matches(n, rules.place_questions) for n in names)


def is_fallback(names: Sequence[str | None], rules: FlowRules) -> bool:
    """The bot said it did not understand."""
    return any(_matches(n, rules.fallback) for n in names)


def is_rejection(names: Sequence[str | None], rules: FlowRules) -> bool:
    """The bot declined the message (out of scope, or did not understand) and did nothing else.

    A reply that also carries schemes, offers, a form or an unrecognised text is not a rejection;
    neutral lines (a place noted in passing) neither count for nor against it.
    """
    declining = [*rules.rejection, *rules.fallback]
    said = [n for n in names if not _matches(n, rules.neutral)]
    return bool(said) and all(_matches(n, declining) for n in said)
