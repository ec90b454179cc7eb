"""Questions about a support structure ("mission locale roubaix", "où est le PLIE ?",
"contacter la CAF"): the structures near the person, or the official finder for any commune.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.answer_texts import answer_text
from actions.kb import kb_call
from actions.schemes_cards import support_line
from knowledge.models.scheme import Organisation
from knowledge.search import OrganisationView, organisations_for
from knowledge.text import normalise
from knowledge.views import organisation_view

KIND_CUES: dict[str, re.Pattern[str]] = {
    "mission_locale": re.compile(r"\b(missions? locales?|mission loc|milo)\b"),
    "plie": re.compile(r"\bplie\b"),
    "cap_emploi": re.compile(r"\bcap emploi\b"),
    "france_travail": re.compile(r"\b(france travail|pole emploi|agence pe|mon agence)\b"),
    "caf": re.compile(r"\b(la caf|ma caf|caf de)\b"),
    "public_service": re.compile(r"\bfrance services?\b"),
}
ABOUT_A_PLACE = re.compile(
    r"\b(ou (est|se trouve|aller|sont)|adresse|contacter|contact|joindre|telephone|numero|"
    r"horaires|ouvert|trouver|rendez vous|rdv|aller (a|au|voir)|la plus proche|pres de chez moi)\b"
)
SHORT_MESSAGE_WORDS = 4
MAX_STRUCTURES = 3


def kind_asked(text: str) -> str | None:
    """The kind of structure a message asks about as a place to go, if any."""
    plain = normalise(text)
    kind = next((kind for kind, cue in KIND_CUES.items() if cue.search(plain)), None)
    if kind is None:
        return None
    if ABOUT_A_PLACE.search(plain) or len(plain.split()) <= SHORT_MESSAGE_WORDS + 1:
        return kind
    return None


def national_finders(session: Session, kinds: Sequence[str]) -> list[OrganisationView]:
    rows = session.scalars(
        select(Organisation).where(
            Organisation.kind.in_(list(kinds)), Organisation.territory_scope == "national"
        )
    ).all()
    return [organisation_view(row.payload) for row in rows]


async def answer_structure(
    dispatcher: CollectingDispatcher, tracker: Tracker, kind: str, commune: str | None
) -> list[EventType] | None:
    """The structures of ``kind`` for the person's commune, or the national finder."""
    if commune:
        found = await kb_call(organisations_for, commune_insee=commune, kinds=[kind])
    else:
        found = await kb_call(national_finders, [kind])
    if not found:
        return None
    # Those one can reach first: a structure without any contact is only a name.
    found.sort(
        key=lambda org: support_line(org) == answer_text("support_line_no_contact", name=org.name)
    )
    name = tracker.get_slot("commune_name")
    heading = (
        answer_text("structures_heading_local", commune_name=name)
        if commune and name
        else answer_text("structures_heading_national")
    )
    lines = [heading, *(support_line(org) for org in found[:MAX_STRUCTURES])]
    source = next((org for org in found[:MAX_STRUCTURES] if org.citation is not None), None)
    if source is not None and source.citation is not None:
        date = source.information_date.strftime("%d/%m/%Y")
        lines.append(answer_text("card_source", citation=source.citation.text, date=date))
    if not commune:
        lines.append(answer_text("structures_commune_hint"))
    adviser = {"title": answer_text("button_adviser"), "payload": "/request_human"}
    dispatcher.utter_message(text="\n".join(lines), buttons=[adviser])
    return []
