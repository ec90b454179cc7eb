"""Conversation sets (format of tests/blind/*.yml), one case's score, and a set's aggregates.

Two kinds of cases: understanding cases (`turns`, `profile`, `expect: {flow, schemes, national}`)
and out-of-domain cases (`text` only: the right reply is a rejection).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scripts.eval.scoring import (
    FlowRules,
    asks_place,
    expected_groups_found,
    flows_of,
    is_fallback,
    is_rejection,
)

SCHEME_FLOW = "scheme_answer"
OUT_OF_SCOPE_FLOW = "out_of_scope"
CLARIFY_FLOW = "clarify"
# Replies scored after the last user turn: its reply and the next one (the answer that follows
# the commune, when the bot asked for it).
WINDOW = 2


@dataclass(frozen=True)
class Case:
    """One conversation to play."""

    id: str
    turns: tuple[str, ...]
    commune: str | None = None
    flow: str | None = None  # None: out-of-domain case, a rejection is expected
    schemes: tuple[tuple[str, ...], ...] = ()
    national: bool = False
    overlap: bool | None = None

    @property
    def out_of_domain(self) -> bool:
        return self.flow is None


@dataclass
class Exchange:
    """One message sent and the bot's reply to it."""

    sent: str
    kind: str  # "turn" (the case's own words) or "place" (the runner answering a place question)
    texts: list[str] = field(default_factory=list)
    names: list[str | None] = field(default_factory=list)
    buttons: list[str] = field(default_factory=list)

    @property
    def visible_text(self) -> str:
        """Messages and button titles: a scheme offered as a button is named to the person."""
        return "\n".join([*self.texts, *self.buttons])


def load_set(path: Path) -> tuple[dict[str, Any], list[Case]]:
    """The set's `meta` and its cases."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cases = []
    for raw in data.get("cases") or []:
        expect = raw.get("expect") or {}
        profile = raw.get("profile") or {}
        turns = raw.get("turns") or ([raw["text"]] if "text" in raw else [])
        commune = profile.get("commune")
        cases.append(
            Case(
                id=str(raw["id"]),
                turns=tuple(str(t) for t in turns),
                commune=str(commune) if commune else None,
                flow=str(expect["flow"]) if expect.get("flow") else None,
                schemes=tuple(
                    tuple(str(n) for n in group) for group in expect.get("schemes") or []
                ),
                national=bool(expect.get("national", False)),
                overlap=raw.get("overlap"),
            )
        )
    return data.get("meta") or {}, cases


@dataclass(frozen=True)
class CaseScore:
    """What one played case measured."""

    right: bool
    national_wait: bool
    not_understood: bool
    rejected: bool
    flows: tuple[str, ...]
    error: bool = False
    clarified: bool = False


def score_case(case: Case, exchanges: Sequence[Exchange], rules: FlowRules) -> CaseScore:
    """Score the replies after the case's last turn."""
    turn_indexes = [i for i, e in enumerate(exchanges) if e.kind == "turn"]
    if len(turn_indexes) != len(case.turns) or not turn_indexes:
        return CaseScore(False, False, False, False, (), error=True)
    window = list(exchanges[turn_indexes[-1] : turn_indexes[-1] + WINDOW])
    first = window[0]
    names = [n for e in window for n in e.names]
    flows = flows_of(names, rules)
    rejected = is_rejection(first.names, rules)
    if case.flow == SCHEME_FLOW:
        text = "\n".join(e.visible_text for e in window)
        right = expected_groups_found(text, case.schemes) > 0
    elif case.flow == OUT_OF_SCOPE_FLOW or case.out_of_domain:
        right = rejected
    else:
        right = case.flow in flows
    national_wait = (
        case.national
        and asks_place(first.names, rules)
        and SCHEME_FLOW not in flows_of(first.names, rules)
        and expected_groups_found(first.visible_text, case.schemes) == 0
    )
    return CaseScore(
        right=right,
        national_wait=national_wait,
        # "I did not understand" with nothing else of use (an answer next to it is an answer).
        not_understood=is_fallback(first.names, rules)
        and not flows_of(first.names, rules) - {"social", OUT_OF_SCOPE_FLOW},
        rejected=rejected,
        flows=tuple(sorted(flows)),
        clarified=CLARIFY_FLOW in flows_of(first.names, rules),
    )


def _rate(count: int, total: int) -> float | None:
    return round(count / total, 4) if total else None


def aggregate(cases: Sequence[Case], scores: Sequence[CaseScore]) -> dict[str, Any]:
    """Counts and rates of a set: nothing that names a case."""
    pairs = list(zip(cases, scores, strict=True))
    total = len(pairs)
    result: dict[str, Any] = {
        "cases": total,
        "errors": sum(s.error for _, s in pairs),
    }
    ood = [(c, s) for c, s in pairs if c.out_of_domain]
    if ood:
        rejected = sum(s.rejected for _, s in ood)
        result["rejected"] = {"count": rejected, "of": len(ood), "rate": _rate(rejected, len(ood))}
        for label, want in (("overlap", True), ("no_overlap", False)):
            subset = [s for c, s in ood if c.overlap is want]
            if subset:
                hits = sum(s.rejected for s in subset)
                result[f"rejected_{label}"] = {
                    "count": hits,
                    "of": len(subset),
                    "rate": _rate(hits, len(subset)),
                }
        answered = Counter(f for _, s in ood if not s.rejected for f in s.flows)
        result["not_rejected_flows"] = dict(answered.most_common())
    domain = [(c, s) for c, s in pairs if not c.out_of_domain]
    if domain:
        right = sum(s.right for _, s in domain)
        result["right"] = {"count": right, "of": len(domain), "rate": _rate(right, len(domain))}
        national = [s for c, s in domain if c.national]
        waits = sum(s.national_wait for s in national)
        result["national_wait"] = {
            "count": waits,
            "of": len(national),
            "rate": _rate(waits, len(national)),
        }
        lost = sum(s.not_understood for _, s in domain)
        result["not_understood"] = {
            "count": lost,
            "of": len(domain),
            "rate": _rate(lost, len(domain)),
        }
        unsure = sum(s.clarified for _, s in domain)
        result["clarified"] = {
            "count": unsure,
            "of": len(domain),
            "rate": _rate(unsure, len(domain)),
        }
        by_flow: dict[str, dict[str, Any]] = {}
        for flow in sorted({c.flow for c, _ in domain if c.flow}):
            subset = [s for c, s in domain if c.flow == flow]
            hits = sum(s.right for s in subset)
            by_flow[flow] = {"count": hits, "of": len(subset), "rate": _rate(hits, len(subset))}
        result["right_by_flow"] = by_flow
    return result
