"""Offers: find open offers by job words, place, contract, alternance and hours; three at a time."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.kb_access import entity_values, find_commune, kb_call, latest_text, response_text
from actions.understanding.safety import route_typed_first
from actions.understanding.situation import read_situation
from actions.validators import parse_contract
from knowledge.offers.vocabulary import schedule_wanted
from knowledge.search import search_offers, search_schemes
from knowledge.text import normalise
from knowledge.views import OfferView, SchemeView

PAGE = 3
# Words that ask for offers without describing them; removed before the fuzzy job search.
_REQUEST_WORDS = re.compile(
    r"\b(vous|avez|avez vous|y a t il|ya|il y a|des|les|offres?|annonces?|emplois?|postes?|boulots?|jobs?|travail|"
    r"cherche|recherche|trouver|vers|a|au|aux|en|de|du|dans|sur|pres|autour|svp|stp|moi|pour|un|une|je|j|d|l|"
    r"cdi|cdd|interim|alternance|apprentissage|contrat|pro|temps|partiel|plein|nuit|soir|week|end|matin|"
    # SMS forms and fillers of a bare request ("jcherche du taf dans le coin").
    r"jcherche|jrecherche|taf|taff|bosser|travailler|coin|le|la|auriez|voudrais|veux|aimerais|"
    r"bonjour|bjr|slt|salut)\b"
)


@dataclass(frozen=True)
class OfferQuery:
    """One search, kept in a slot so that "voir plus" pages through it."""

    text: str
    commune_insee: str | None
    commune_name: str | None
    contract: str | None
    alternance: bool | None
    schedule: str | None

    def dump(self) -> str:
        """The slot value."""
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def load(cls, value: str | None) -> OfferQuery | None:
        """Back from the slot value; None if absent or unreadable."""
        try:
            return cls(**json.loads(value)) if value else None
        except (TypeError, ValueError):
            return None


def job_words(message: str, jobs: list[str], places: list[str]) -> str:
    """The words that describe the job: the job entity, else the message minus request and place words."""
    if jobs:
        return " ".join(jobs)
    words = normalise(message)
    for place in places:
        words = words.replace(normalise(place), " ")
    return " ".join(_REQUEST_WORDS.sub(" ", words).split())


def query_from_message(session: Session, tracker: Tracker) -> OfferQuery:
    """Criteria from the message; the known commune when no place is named."""
    message = latest_text(tracker) if not latest_text(tracker).startswith("/") else ""
    places = entity_values(tracker, "place")
    commune = next((c for c in (find_commune(session, p) for p in places) if c), None)
    insee = commune.insee if commune else tracker.get_slot("commune_insee")
    name = commune.name if commune else tracker.get_slot("commune_name")
    contract = parse_contract(" ".join(entity_values(tracker, "contract")) or message)
    alternance = (
        True if contract in ("alternance", "apprenticeship", "professionalisation") else None
    )
    schedule = message if schedule_wanted(message) else None
    return OfferQuery(
        text=job_words(message, entity_values(tracker, "job"), places),
        commune_insee=str(insee) if insee else None,
        commune_name=str(name) if name else None,
        contract=contract if contract not in (None, "alternance") else None,
        alternance=alternance,
        schedule=schedule,
    )


def run_query(session: Session, query: OfferQuery, offset: int) -> list[OfferView]:
    """One page (plus one, to know whether there is more)."""
    hits = search_offers(
        session, text=query.text or None, commune_insee=query.commune_insee, contract=query.contract,
        alternance=query.alternance, schedule=query.schedule, limit=PAGE + 1, offset=offset,
    )  # fmt: skip
    return [hit.offer for hit in hits]


def support_network(session: Session, commune_insee: str | None) -> list[SchemeView]:
    """The support network near the person, when no offer matches."""
    hits = search_schemes(session, theme="insertion_support", commune_insee=commune_insee, limit=3)
    return [hit.scheme for hit in hits]


def say_offer(
    dispatcher: CollectingDispatcher, domain: DomainDict, offer: OfferView, position: int
) -> None:
    """One offer, with the demonstration label when it is one."""
    contract = (
        response_text(domain, f"utter_offer_contract_{offer.contract_type}") or offer.contract_type
    )
    if offer.contract_text and offer.contract_duration_months:
        contract = f"{contract} ({offer.contract_text})"
    hours = (
        response_text(domain, "utter_offer_hours", hours=offer.working_hours)
        if offer.working_hours
        else ""
    )
    apply = offer.apply_url or offer.apply_email or offer.apply_phone or offer.apply_text
    dispatcher.utter_message(
        response="utter_offer_item_demo" if offer.is_demo else "utter_offer_item",
        position=position,
        title=offer.title,
        employer=offer.employer or response_text(domain, "utter_offer_employer_unknown"),
        commune=offer.commune_name or offer.commune_insee,
        contract=contract,
        hours=hours,
        apply=apply or response_text(domain, "utter_offer_apply_unknown"),
        posted=offer.posted_on.strftime("%d/%m/%Y"),
        expires=offer.expires_on.strftime("%d/%m/%Y"),
    )


def say_page(
    dispatcher: CollectingDispatcher, domain: DomainDict, offers: list[OfferView], offset: int
) -> None:
    """A page of offers and what to do next."""
    shown = offers[:PAGE]
    for index, offer in enumerate(shown, start=offset + 1):
        say_offer(dispatcher, domain, offer, index)
    if any(offer.is_demo for offer in shown):
        dispatcher.utter_message(response="utter_offers_demo_notice")
    dispatcher.utter_message(
        response="utter_offers_more" if len(offers) > PAGE else "utter_offers_end"
    )


def query_label(query: OfferQuery, message: str) -> str:
    """What was searched, as the person wrote it (shortened)."""
    label = query.text or message
    return " ".join(label.split())[:60]


class ActionSearchOffers(Action):
    """First page of a new offer search."""

    def name(self) -> str:
        """Name in the domain."""
        return "action_search_offers"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Search, show three offers, or say none and suggest the support network."""
        routed = route_typed_first(dispatcher, tracker, here=self.name())
        if routed is not None:
            # A person in danger, one who asks for a human, or a newcomer's partner writing
            # about her own job search (the spouse CV bank is hers).
            return routed
        if read_situation(latest_text(tracker)).is_employer:
            # "je veux publier une offre", "je recrute un cariste": an employer's need, not a search.
            dispatcher.utter_message(response="utter_employer_intro")
            return []

        def work(session: Session) -> tuple[OfferQuery, list[OfferView], list[SchemeView]]:
            query = query_from_message(session, tracker)
            if not (query.text or query.commune_insee or query.contract or query.alternance):
                return query, [], []
            offers = run_query(session, query, 0)
            return query, offers, [] if offers else support_network(session, query.commune_insee)

        query, offers, support = await kb_call(work)
        if not (query.text or query.commune_insee or query.contract or query.alternance):
            dispatcher.utter_message(response="utter_offers_ask_criteria")
            return []
        label = query_label(query, latest_text(tracker))
        if not offers:
            _say_none(dispatcher, label, support)
            return [SlotSet("offers_query", query.dump()), SlotSet("offers_offset", 0.0)]
        if query.commune_name:
            dispatcher.utter_message(
                response="utter_offers_intro_local", query=label, commune_name=query.commune_name
            )
        else:
            dispatcher.utter_message(response="utter_offers_intro", query=label)
        say_page(dispatcher, domain, offers, 0)
        return [
            SlotSet("offers_query", query.dump()),
            SlotSet("offers_offset", float(min(len(offers), PAGE))),
        ]


def _say_none(dispatcher: CollectingDispatcher, label: str, support: list[SchemeView]) -> None:
    if support:
        dispatcher.utter_message(response="utter_offers_none", query=label)
        for scheme in support:
            dispatcher.utter_message(
                response="utter_offers_support_item", name=scheme.name, summary=scheme.summary
            )
    else:
        dispatcher.utter_message(response="utter_offers_none_no_support", query=label)
    dispatcher.utter_message(response="utter_offers_none_next")


async def show_more_offers(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType]:
    """The next three offers of the last search, or say there is no more."""
    query = OfferQuery.load(tracker.get_slot("offers_query"))
    if query is None:
        dispatcher.utter_message(response="utter_offers_no_previous_search")
        return []
    offset = int(tracker.get_slot("offers_offset") or 0)
    offers: list[Any] = await kb_call(lambda session: run_query(session, query, offset))
    if not offers:
        dispatcher.utter_message(response="utter_offers_end")
        return []
    dispatcher.utter_message(response="utter_offers_intro_more")
    say_page(dispatcher, domain, offers, offset)
    return [SlotSet("offers_offset", float(offset + min(len(offers), PAGE)))]
