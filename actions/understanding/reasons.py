"""One short line per card on why it fits this person, from the ranking's reason codes."""

from __future__ import annotations

from collections.abc import Sequence

from actions.answer_texts import answer_text
from actions.understanding.rank import Ranked


def reason_text(codes: Sequence[str]) -> str | None:
    """The first reason the catalogue can word ("schedule:night" -> "vous travaillez la nuit")."""
    for code in codes:
        key = "reason_" + code.replace(":", "_")
        try:
            return answer_text(key)
        except KeyError:
            continue
    return None


def reasons_by_scheme(items: Sequence[Ranked]) -> dict[str, str]:
    found = {item.scheme.id: reason_text(item.reasons) for item in items}
    return {scheme_id: text for scheme_id, text in found.items() if text}
