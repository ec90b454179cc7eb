"""The conclusion of an eligibility pre-check as ONE message: verdict, amount, what remains to
check, next step, buttons. Texts come from ``answer_texts_fr.yml``."""

from __future__ import annotations

from rasa_sdk.types import DomainDict

from actions.answer_texts import answer_text
from actions.eligibility_rules import Plan, Verdict
from actions.schemes_cards import PARAGRAPH, Answer, how_to_apply
from actions.schemes_wording import bullets
from knowledge.views import SchemeView


def conclusion(
    domain: DomainDict,
    scheme: SchemeView,
    plan: Plan,
    verdict: Verdict | None,
    worded: dict[str, str],
) -> Answer:
    """``worded`` gives each failing or unknown key (slot name or condition) in words;
    ``verdict`` is None when the source gives nothing to check."""
    name = scheme.name.replace("*", "")
    parts: list[str] = []
    if verdict is None:
        parts.append(answer_text("elig_nothing_to_check", name=name))
    elif verdict.missing:
        missing = [worded.get(key, key) for key in verdict.missing]
        parts.append(answer_text("elig_missing", name=name) + "\n" + bullets(missing))
    else:
        if verdict.unknown:
            unknown = [worded.get(key, key) for key in verdict.unknown]
            parts.append(answer_text("elig_unknown") + "\n" + bullets(unknown))
        else:
            parts.append(answer_text("elig_all_met", name=name))
    met_so_far = verdict is None or not verdict.missing
    if met_so_far and scheme.amount is not None and scheme.amount.text:
        parts.append(answer_text("elig_amount", amount=scheme.amount.text))
    if met_so_far and plan.unchecked:
        parts.append(answer_text("elig_remains") + "\n" + bullets(plan.unchecked))
    elif met_so_far:
        parts.append(answer_text("elig_only_organisation"))
    if met_so_far:
        parts.append(answer_text("elig_next_step", how=how_to_apply(domain, scheme)))
    else:
        parts.append(answer_text("elig_next_step_missing"))
    buttons = [
        {"title": answer_text("button_details"), "payload": "/ask_scheme_details"},
        {"title": answer_text("button_more"), "payload": '/ask_more{"list_kind":"schemes"}'},
        {"title": answer_text("button_adviser"), "payload": "/request_human"},
    ]
    return Answer(PARAGRAPH.join(parts), buttons, (scheme.id,))
