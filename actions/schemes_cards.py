"""Scheme answers that fit a phone: ONE message (text and buttons) per answer.

Contract (the understanding code chooses the schemes, this module words them)::

    answer = render_answer(
        schemes,                  # Sequence[SchemeView], best first; at most MAX_SCHEMES shown
        situation_reasons,        # Mapping[scheme id, str] | None: one line "why it fits you"
        topic_label="le logement",      # optional, from the domain's utter_label_topic_*
        commune_name="Lens",            # optional
        nothing_local=False,            # True: no local scheme, these are national ones
        support=(),                     # Sequence[OrganisationView]: structures near the person
        first_position=1,               # number of the first card (its place in last_schemes)
        with_buttons=True,
    )
    dispatcher.utter_message(text=answer.text, buttons=answer.buttons)
    # answer.shown: the ids actually shown, in order (a card may be dropped to fit the budget)

``render_details(domain, scheme)`` gives the details of one scheme, also as one ``Answer``.

The text is plain, lines separated by ``\\n`` (paragraphs by ``PARAGRAPH``, never a blank
line: Rasa would split it into several messages); ``**…**`` marks the scheme's name (the widget
shows it in bold, Telegram as ``<b>`` after escaping). Every word comes from
``answer_texts_fr.yml`` or the knowledge base. A whole answer stays under
``PHONE_BUDGET_CHARS``: about two screens of a 360 px phone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from rasa_sdk.types import DomainDict

from actions.answer_texts import answer_text

# Re-exported (``X as X``) for the callers still sending several messages per answer.
from actions.schemes_legacy import utter_card as utter_card
from actions.schemes_legacy import utter_details as utter_details
from actions.schemes_wording import (
    age_condition,
    apply_steps,
    audience_text,
    bullets,
    how_to_apply,
    key_condition,
    label,
    number_text,
    source_text,
    statuses_text,
    steps_list,
    structured_conditions,
)
from knowledge.views import OrganisationView, SchemeView

__all__ = [
    "Answer",
    "age_condition",
    "apply_steps",
    "audience_text",
    "bullets",
    "how_to_apply",
    "key_condition",
    "label",
    "number_text",
    "render_answer",
    "render_details",
    "source_text",
    "statuses_text",
    "structured_conditions",
]

MAX_SCHEMES = 3
MAX_SUPPORT = 2
# About two screens of a 360 px phone in the widget (38 characters a line, 16 lines a screen,
# URLs wrapping): the whole answer, buttons aside.
PHONE_BUDGET_CHARS = 1100
# One line each on a phone, two at most.
REASON_CHARS = 110
AMOUNT_CHARS = 90
# When three full cards do not fit: shorter lines, before dropping a card.
COMPACT_REASON_CHARS = 80
COMPACT_AMOUNT_CHARS = 60
CITATION_CHARS = 90
OFFICE_CHARS = 80
SENTENCE_ENDS = (".", "!", "?", "…")
# Between the parts of one message: a line holding a no-break space looks blank, but Rasa's
# output channels split a text on "\n\n" into several messages, and one answer must stay one.
PARAGRAPH = "\n\u00a0\n"


@dataclass(frozen=True)
class Answer:
    """One message: its text, its buttons (``title``/``payload``) and the scheme ids shown."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    shown: tuple[str, ...] = ()


def clip(text: str, limit: int) -> str:
    """``text`` on at most ``limit`` characters: its first sentence if it fits, else cut at a word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    for end in SENTENCE_ENDS[:3]:
        cut = text.find(f"{end} ")
        if 0 < cut < limit:
            return text[: cut + 1]
    ellipsis = answer_text("ellipsis")
    cut = text.rfind(" ", 0, limit - len(ellipsis))
    return text[: cut if cut > 0 else limit - len(ellipsis)].rstrip(" ,;:") + ellipsis


def _name(scheme: SchemeView) -> str:
    # The emphasis markers must stay the only ones in the card.
    return scheme.name.replace("*", "")


def _step(scheme: SchemeView) -> tuple[str, str | None]:
    """The next step line and the URL it shows, if any."""
    apply = scheme.apply
    if apply.url:
        return answer_text("card_step_url", url=apply.url), apply.url
    if apply.phone:
        return answer_text("card_step_phone", phone=apply.phone), None
    if apply.office:
        return answer_text("card_step_office", office=clip(apply.office, OFFICE_CHARS)), None
    return answer_text("card_step_adviser"), None


def citation_line(scheme: SchemeView, used_urls: set[str], *, with_url: bool = True) -> str:
    """Who says it (publisher and page, or report title and year) and the date of the information.

    A URL already in the message (the step's, another card's source) is not printed again.
    """
    citation = scheme.citation
    if citation is None:
        cited = ""
    elif citation.kind == "report":
        cited = citation.text
    else:
        url = citation.url or ""
        show_url = with_url and url not in used_urls
        if show_url:
            used_urls.add(url)
        # Without a known publisher, the site's name stands for it once its page is shown.
        publisher = citation.publisher or (urlsplit(url).hostname or "").removeprefix("www.")
        cited = f"{publisher} : {url}" if show_url else publisher
    date = scheme.information_date.strftime("%d/%m/%Y")
    return answer_text("card_source", citation=clip(cited, CITATION_CHARS), date=date).replace(
        " , ", " "
    )


def _card(
    scheme: SchemeView, position: int, reason: str | None, used: set[str], compact: bool
) -> str:
    lines = [answer_text("card_title", position=position, name=_name(scheme))]
    if scheme.status in ("proposal", "project"):
        lines.append(answer_text(f"card_{scheme.status}"))
    reason_chars, amount_chars = (
        (COMPACT_REASON_CHARS, COMPACT_AMOUNT_CHARS) if compact else (REASON_CHARS, AMOUNT_CHARS)
    )
    if reason:
        lines.append(answer_text("card_reason", reason=clip(reason, reason_chars)))
    else:
        lines.append(answer_text("card_summary", summary=clip(scheme.summary, reason_chars)))
    if scheme.amount is not None and scheme.amount.text:
        lines.append(answer_text("card_amount", amount=clip(scheme.amount.text, amount_chars)))
    step, step_url = _step(scheme)
    lines.append(step)
    if step_url:
        used.add(step_url)
    lines.append(citation_line(scheme, used, with_url=not compact))
    return "\n".join(lines)


def _heading(topic_label: str | None, commune_name: str | None, nothing_local: bool) -> str:
    if nothing_local and commune_name:
        return answer_text("heading_nothing_local", commune_name=commune_name)
    if topic_label and commune_name:
        return answer_text("heading_local", topic=topic_label, commune_name=commune_name)
    if topic_label:
        return answer_text("heading_national", topic=topic_label)
    return answer_text("heading_generic")


def support_line(organisation: OrganisationView) -> str:
    """One structure and its first contact (phone, site, e-mail or address)."""
    contacts = organisation.contacts
    contact = contacts.phone or contacts.url or contacts.email or contacts.address
    if contact:
        return answer_text("support_line", name=organisation.name, contact=contact)
    return answer_text("support_line_no_contact", name=organisation.name)


def _support_block(support: Sequence[OrganisationView]) -> str:
    lines = [answer_text("support_heading")]
    lines += [support_line(organisation) for organisation in support[:MAX_SUPPORT]]
    return "\n".join(lines)


def answer_buttons(count: int, first_position: int) -> list[dict[str, str]]:
    """Details and eligibility point at the card when there is one: no "which aid?" after."""
    target = f'{{"ordinal":"{first_position}"}}' if count == 1 else ""
    return [
        {"title": answer_text("button_details"), "payload": f"/ask_scheme_details{target}"},
        {"title": answer_text("button_eligibility"), "payload": f"/check_eligibility{target}"},
        {"title": answer_text("button_more"), "payload": '/ask_more{"list_kind":"schemes"}'},
        {"title": answer_text("button_adviser"), "payload": "/request_human"},
    ]


def render_answer(
    schemes: Sequence[SchemeView],
    situation_reasons: Mapping[str, str] | None = None,
    *,
    topic_label: str | None = None,
    commune_name: str | None = None,
    nothing_local: bool = False,
    support: Sequence[OrganisationView] = (),
    first_position: int = 1,
    with_buttons: bool = True,
) -> Answer:
    """One message answering a need with at most ``MAX_SCHEMES`` schemes (see the module doc)."""
    reasons = situation_reasons or {}
    chosen = list(schemes[:MAX_SCHEMES])
    heading = _heading(topic_label, commune_name, nothing_local)
    tail = [_support_block(support)] if support else []
    # Full cards first; then without source URLs; then fewer cards, until it fits the budget.
    attempts = [(False, len(chosen))] + [(True, count) for count in range(len(chosen), 0, -1)]
    text = heading
    for compact, count in attempts:
        chosen = chosen[:count]
        # A source page that is also a card's step is never printed twice.
        used = {url for scheme in chosen if (url := _step(scheme)[1])}
        cards = [
            _card(scheme, position, reasons.get(scheme.id), used, compact)
            for position, scheme in enumerate(chosen, start=first_position)
        ]
        text = PARAGRAPH.join([heading, *cards, *tail])
        if len(text) <= PHONE_BUDGET_CHARS:
            break
    buttons = answer_buttons(len(chosen), first_position) if with_buttons and chosen else []
    return Answer(text, buttons, tuple(scheme.id for scheme in chosen))


def render_details(domain: DomainDict, scheme: SchemeView) -> Answer:
    """Everything a person needs to decide and apply, in one message (asked for, so longer)."""
    parts = [f"**{_name(scheme)}**"]
    if scheme.status in ("proposal", "project"):
        parts[0] += "\n" + answer_text(f"card_{scheme.status}")
    parts.append(scheme.details or scheme.summary)
    conditions = structured_conditions(domain, scheme) + list(scheme.conditions.other)
    if conditions:
        parts.append(answer_text("details_conditions") + "\n" + bullets(conditions))
    if scheme.amount is not None and scheme.amount.text:
        parts.append(answer_text("card_amount", amount=scheme.amount.text))
    parts.append(answer_text("details_steps") + "\n" + steps_list(scheme))
    used = {scheme.apply.url} if scheme.apply.url else set()
    parts.append(citation_line(scheme, used))
    buttons = [
        {"title": answer_text("button_eligibility"), "payload": "/check_eligibility"},
        {"title": answer_text("button_more"), "payload": '/ask_more{"list_kind":"schemes"}'},
        {"title": answer_text("button_adviser"), "payload": "/request_human"},
    ]
    return Answer(PARAGRAPH.join(parts), buttons, (scheme.id,))
