"""Employers: what a GEIQ is, the other hiring routes near the company, stopping a request form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.fallback import ActionClarify
from actions.kb_access import (
    Commune,
    entity_values,
    find_commune,
    kb_call,
    latest_intent,
    latest_text,
    organisation_contact,
    scheme_link,
)
from actions.understanding.answer import TOPIC_MIN_CONFIDENCE, answer_need
from actions.understanding.employer_guard import asks_a_precise_question
from knowledge.search import get_scheme, organisations_for, search_schemes
from knowledge.text import normalise
from knowledge.views import OrganisationView, SchemeView

THEME = "hiring_geiq"
GEIQ_ID = "geiq"
GEIQ_AID_ID = "geiq-aide-etat"
GEIQ_CREATION_ID = "geiq-developpement-intercommunalites"
# Organisations that can point an employer to local hiring support.
SUPPORT_KINDS = ("geiq", "france_travail", "chamber", "epci", "plie")
MAX_ROUTES = 5
MAX_LOCAL = 3
# What the question is about, from the words people use (vocabulary, not shown text).
_COST = re.compile(
    r"\b(combien|cout|coute|couter|prix|tarif|cher|payer|paye|aide|aides|financement|finance|subvention|montant)\b"
)
_CREATE = re.compile(r"\b(creer|creation|monter|lancer|fonder)\b")


def format_date(value: Any) -> str:
    """A date as people read it in France (day/month/year)."""
    return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else str(value)


def say_scheme(dispatcher: CollectingDispatcher, scheme: SchemeView, *, detailed: bool) -> None:
    """A scheme card: text, amount, status warning, steps, date and official link."""
    text = scheme.details if detailed and scheme.details else scheme.summary
    dispatcher.utter_message(response="utter_emp_scheme_card", name=scheme.name, text=text)
    if scheme.status == "proposal":
        dispatcher.utter_message(response="utter_emp_scheme_proposal")
    elif scheme.status == "project":
        dispatcher.utter_message(response="utter_emp_scheme_project")
    if scheme.amount and scheme.amount.text:
        dispatcher.utter_message(response="utter_emp_scheme_amount", amount=scheme.amount.text)
    if detailed and scheme.apply.steps:
        steps = "\n".join(f"• {step}" for step in scheme.apply.steps)
        dispatcher.utter_message(response="utter_emp_scheme_how", steps=steps)
    dispatcher.utter_message(
        response="utter_emp_scheme_source",
        date=format_date(scheme.information_date),
        link=scheme_link(scheme),
    )


def say_organisations(
    dispatcher: CollectingDispatcher, organisations: list[OrganisationView]
) -> None:
    """One line per organisation, with its printed contacts and their date."""
    for organisation in organisations:
        contact = organisation_contact(organisation)
        if contact:
            dispatcher.utter_message(
                response="utter_emp_organisation",
                name=organisation.name,
                contact=contact,
                date=format_date(organisation.information_date),
            )
        else:
            dispatcher.utter_message(
                response="utter_emp_organisation_no_contact", name=organisation.name
            )


@dataclass(frozen=True)
class EmployerAnswer:
    """What the knowledge base says for one employer question."""

    main: list[SchemeView]
    local: list[SchemeView]
    organisations: list[OrganisationView]
    commune: Commune | None


def _place_of(session: Session, tracker: Tracker) -> Commune | None:
    for place in entity_values(tracker, "place"):
        found = find_commune(session, place)
        if found:
            return found
    insee, name = tracker.get_slot("commune_insee"), tracker.get_slot("commune_name")
    return Commune(str(insee), str(name)) if insee and name else None


def _local_schemes(session: Session, text: str, commune: Commune | None) -> list[SchemeView]:
    if commune is None:
        return []
    hits = search_schemes(
        session, text=text or None, theme=THEME, commune_insee=commune.insee, limit=10
    )
    return [hit.scheme for hit in hits if hit.scheme.territory.scope != "national"][:MAX_LOCAL]


def geiq_answer(session: Session, tracker: Tracker) -> EmployerAnswer:
    """The GEIQ schemes that answer the question, and the local ones."""
    words = normalise(latest_text(tracker))
    wanted = [GEIQ_ID]
    if _COST.search(words):
        wanted = [GEIQ_AID_ID, GEIQ_ID]
    elif _CREATE.search(words):
        wanted = [GEIQ_ID, GEIQ_CREATION_ID]
    main = [scheme for scheme in (get_scheme(session, sid) for sid in wanted) if scheme]
    commune = _place_of(session, tracker)
    local = _local_schemes(session, "geiq", commune)
    organisations = [] if local or commune is None else _support(session, commune)
    return EmployerAnswer(main, local, organisations, commune)


def _support(session: Session, commune: Commune) -> list[OrganisationView]:
    return organisations_for(session, commune_insee=commune.insee, kinds=SUPPORT_KINDS)[:MAX_LOCAL]


def routes_answer(session: Session, tracker: Tracker) -> EmployerAnswer:
    """The hiring routes for employers: the one asked about, or a local-first list."""
    commune = _place_of(session, tracker)
    insee = commune.insee if commune else None
    text = latest_text(tracker) if latest_intent(tracker) == "ask_hiring_routes" else ""
    asked = (
        search_schemes(
            session,
            text=text or None,
            theme=THEME,
            audiences=("employer",),
            commune_insee=insee,
            include_proposals=True,
            limit=1,
        )
        if text
        else []
    )
    if asked and asked[0].score >= 70:
        main = [asked[0].scheme]
    else:
        hits = search_schemes(
            session, theme=THEME, audiences=("employer",), commune_insee=insee, limit=MAX_ROUTES
        )
        main = [hit.scheme for hit in hits]
    organisations = _support(session, commune) if commune else []
    return EmployerAnswer(main, [], organisations, commune)


def _say_local(dispatcher: CollectingDispatcher, answer: EmployerAnswer) -> None:
    if answer.commune is None:
        dispatcher.utter_message(response="utter_emp_ask_commune_hint")
        return
    if answer.local:
        dispatcher.utter_message(response="utter_emp_local_intro", commune_name=answer.commune.name)
        for scheme in answer.local:
            say_scheme(dispatcher, scheme, detailed=False)
        return
    dispatcher.utter_message(response="utter_emp_no_local", commune_name=answer.commune.name)
    say_organisations(dispatcher, answer.organisations)


def _commune_events(answer: EmployerAnswer) -> list[EventType]:
    if answer.commune is None:
        return []
    return [
        SlotSet("commune_insee", answer.commune.insee),
        SlotSet("commune_name", answer.commune.name),
    ]


class ActionExplainGeiq(Action):
    """Explain hiring through a GEIQ (what, how, for whom, cost, creation) and the nearest one."""

    def name(self) -> str:
        """Name in the domain."""
        return "action_explain_geiq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Answer from the knowledge base, then propose the next steps."""
        answer = await kb_call(lambda session: geiq_answer(session, tracker))
        if not answer.main:
            dispatcher.utter_message(response="utter_emp_nothing_found")
        else:
            dispatcher.utter_message(response="utter_emp_geiq_intro")
            for position, scheme in enumerate(answer.main):
                say_scheme(dispatcher, scheme, detailed=position == 0)
            if answer.main[0].id == GEIQ_AID_ID:
                dispatcher.utter_message(response="utter_emp_geiq_cost_note")
        _say_local(dispatcher, answer)
        dispatcher.utter_message(response="utter_emp_next")
        return _commune_events(answer)


class ActionListHiringRoutes(Action):
    """The routes to recruit the sources describe, local first, or the one asked about."""

    def name(self) -> str:
        """Name in the domain."""
        return "action_list_hiring_routes"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """List the routes (or detail the one named) and the nearest support."""
        confidence = float((tracker.latest_message.get("intent") or {}).get("confidence") or 0)
        precise = await asks_a_precise_question(tracker)
        if confidence < TOPIC_MIN_CONFIDENCE and not precise:
            # A doubtful "how to recruit" the knowledge base does not back: clarify.
            return await ActionClarify().run(dispatcher, tracker, domain)
        if precise:
            # "on est 320 salariés, l'aide aux apprentis ?" or a seeker's question: answer it.
            answered = await answer_need(
                dispatcher, tracker, domain, may_ask_place=False, is_question=True
            )
            if answered is not None:
                return answered
        answer = await kb_call(lambda session: routes_answer(session, tracker))
        if not answer.main:
            dispatcher.utter_message(response="utter_emp_nothing_found")
        elif len(answer.main) == 1:
            say_scheme(dispatcher, answer.main[0], detailed=True)
        else:
            if answer.commune:
                dispatcher.utter_message(
                    response="utter_emp_routes_intro_local", commune_name=answer.commune.name
                )
            else:
                dispatcher.utter_message(response="utter_emp_routes_intro")
            for scheme in answer.main:
                dispatcher.utter_message(
                    response="utter_emp_route_item", name=scheme.name, summary=scheme.summary
                )
        if answer.organisations:
            say_organisations(dispatcher, answer.organisations)
        elif answer.commune is None:
            dispatcher.utter_message(response="utter_emp_ask_commune_hint")
        dispatcher.utter_message(response="utter_emp_next")
        return _commune_events(answer)


class ActionStopRequest(Action):
    """Stop whichever request form is active and forget its answers (nothing is stored)."""

    def name(self) -> str:
        """Name in the domain."""
        return "action_stop_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Deactivate the form, reset its slots, and say so unless a human was asked for."""
        form = tracker.active_loop.get("name") if tracker.active_loop else None
        slots = (
            list(domain.get("forms", {}).get(form, {}).get("required_slots", [])) if form else []
        )
        if latest_intent(tracker) != "request_human":
            dispatcher.utter_message(response="utter_request_stopped")
        events: list[EventType] = [ActiveLoop(None), SlotSet("requested_slot", None)]
        return events + [SlotSet(slot, None) for slot in slots]
