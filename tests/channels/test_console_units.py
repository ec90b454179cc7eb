"""Lane d: office hours, contact reading, wait estimate and context packet, without HTTP."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from channels.console import store
from channels.console.callback_flow import is_no, looks_like_contact_attempt, parse_contact
from channels.console.context import build_context
from channels.console.hours import OfficeHoursError, parse_office_hours
from channels.console.models import ConsoleBase, Ticket

PARIS_SUMMER = dt.timezone(dt.timedelta(hours=2))


@pytest.mark.parametrize(
    ("spec", "moment", "open_"),
    [
        ("mon-fri 09:00-17:00", dt.datetime(2026, 6, 1, 9, 0, tzinfo=PARIS_SUMMER), True),  # Monday
        ("mon-fri 09:00-17:00", dt.datetime(2026, 6, 1, 17, 0, tzinfo=PARIS_SUMMER), False),
        (
            "mon-fri 09:00-17:00",
            dt.datetime(2026, 6, 6, 10, 0, tzinfo=PARIS_SUMMER),
            False,
        ),  # Saturday
        (
            "mon-fri 09:00-12:00,13:30-17:00; sat 09:00-12:00",
            dt.datetime(2026, 6, 1, 12, 30, tzinfo=PARIS_SUMMER),
            False,
        ),
        (
            "mon-fri 09:00-12:00,13:30-17:00; sat 09:00-12:00",
            dt.datetime(2026, 6, 6, 11, 59, tzinfo=PARIS_SUMMER),
            True,
        ),
        ("mon,wed 08:00-24:00", dt.datetime(2026, 6, 3, 23, 59, tzinfo=PARIS_SUMMER), True),
        ("always", dt.datetime(2026, 6, 7, 3, 0, tzinfo=PARIS_SUMMER), True),
        ("never", dt.datetime(2026, 6, 1, 10, 0, tzinfo=PARIS_SUMMER), False),
        # Naive datetimes are UTC: 07:30 UTC is 09:30 in Paris in June.
        ("mon-fri 09:00-17:00", dt.datetime(2026, 6, 1, 7, 30), True),
    ],
)
def test_office_hours(spec: str, moment: dt.datetime, open_: bool) -> None:
    assert parse_office_hours(spec).is_open(moment) is open_


@pytest.mark.parametrize(
    "spec",
    ["lundi 09:00-17:00", "mon-fri", "mon-fri 17:00-09:00", "fri-mon 09:00-10:00", "mon 9h-17h"],
)
def test_unreadable_office_hours_are_refused(spec: str) -> None:
    with pytest.raises(OfficeHoursError):
        parse_office_hours(spec)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0612345678", ("phone", "06 12 34 56 78")),
        ("mon num c 06 12 34 56 78 merci", ("phone", "06 12 34 56 78")),
        ("+33 6 12 34 56 78", ("phone", "06 12 34 56 78")),
        ("0033612345678", ("phone", "06 12 34 56 78")),
        ("+32 470 12 34 56", ("phone", "+32470123456")),
        ("Prenom.Nom@Exemple.FR", ("email", "prenom.nom@exemple.fr")),
        ("écrivez moi a jean-luc_2@mail.example.org svp", ("email", "jean-luc_2@mail.example.org")),
        ("06 12 34", None),
        ("0012", None),
        ("1234567890", None),
        ("jean@", None),
        ("<script>alert(1)</script>", None),
    ],
)
def test_contacts_are_read_and_normalised(text: str, expected: tuple[str, str] | None) -> None:
    assert parse_contact(text) == expected


def test_short_answers() -> None:
    assert is_no("Non merci !") and is_no("NON") and is_no("pas besoin")
    assert not is_no("non je veux un rappel demain")
    assert looks_like_contact_attempt("06 12") and looks_like_contact_attempt("moi@")
    assert not looks_like_contact_attempt("je cherche un logement")


def _session() -> Session:
    engine = create_engine("sqlite://")
    ConsoleBase.metadata.create_all(engine)
    return Session(engine)


def _ticket(session: Session, status: str, created: dt.datetime, **more: object) -> None:
    session.add(
        Ticket(
            sender_id=f"web:{created.timestamp()}{status}",
            channel="web",
            user_id="u",
            status=status,
            reason="asked_for_human",
            context={},
            created_at=created,
            **more,
        )
    )
    session.flush()


def test_wait_estimate_grows_with_the_queue_and_shrinks_with_advisers() -> None:
    now = store.utcnow()
    with _session() as session:
        assert store.estimated_wait_minutes(session, online=1, now=now) == 1
        _ticket(session, "claimed", now - dt.timedelta(minutes=3), claimed_at=now)
        # One adviser, busy: the next person waits about one handling time (10 min default).
        assert store.estimated_wait_minutes(session, online=1, now=now) == 10
        _ticket(session, "waiting", now - dt.timedelta(minutes=2))
        assert store.estimated_wait_minutes(session, online=1, now=now) == 20
        assert store.estimated_wait_minutes(session, online=2, now=now) == 5
        assert store.estimated_wait_minutes(session, online=3, now=now) == 1
        # Recent conversations took 4 minutes each: estimates follow.
        for _ in range(3):
            _ticket(
                session,
                "closed",
                now - dt.timedelta(hours=1),
                claimed_at=now - dt.timedelta(minutes=10),
                closed_at=now - dt.timedelta(minutes=6),
            )
        assert store.estimated_wait_minutes(session, online=1, now=now) == 8
        # Someone already waits longer than the estimate: that is the floor.
        _ticket(session, "waiting", now - dt.timedelta(minutes=40))
        assert store.estimated_wait_minutes(session, online=1, now=now) == 40


def test_context_packet_from_an_empty_tracker() -> None:
    packet = build_context({}, reason="sensitive", summary="", channel="telegram")
    assert packet == {
        "reason": "sensitive",
        "summary": "",
        "channel": "telegram",
        "tracker_available": False,
        "asked": [],
        "slots": {},
        "facts": [],
        "schemes": [],
        "form_answers": [],
        "last_intents": [],
        "transcript": [],
    }


def test_public_holidays_are_closed_and_skipped_by_the_next_opening() -> None:
    hours = parse_office_hours("mon-fri 09:00-12:00,13:30-17:00")
    assert hours.is_open(dt.datetime(2026, 7, 14, 8, 0)) is False  # Bastille Day, a Tuesday
    assert parse_office_hours("always").is_open(dt.datetime(2026, 7, 14, 8, 0)) is True
    # Thursday 24 December, 18:30 in Paris: Friday is Christmas Day, so Monday 28 at 9:00.
    opening = hours.next_opening(dt.datetime(2026, 12, 24, 17, 30))
    assert opening is not None and opening.isoformat() == "2026-12-28T09:00:00+01:00"
    lunch = hours.next_opening(dt.datetime(2026, 12, 7, 11, 15))  # Monday 12:15 in Paris
    assert lunch is not None and (lunch.hour, lunch.minute) == (13, 30)
    assert parse_office_hours("never").next_opening(dt.datetime(2026, 12, 7)) is None


def test_moments_are_said_the_french_way() -> None:
    from channels.console.moments import say_moment

    now = dt.datetime(2026, 12, 5, 11, 30)  # Saturday, 12:30 in Paris
    assert say_moment(dt.datetime(2026, 12, 5, 12, 30), now) == "aujourd'hui à 13 h 30"
    assert say_moment(dt.datetime(2026, 12, 6, 8, 0), now) == "demain à 9 h"
    assert say_moment(dt.datetime(2026, 12, 7, 8, 0), now) == "lundi 7 décembre à 9 h"
    assert say_moment(dt.datetime(2027, 1, 1, 8, 0), now) == "vendredi 1er janvier à 9 h"


def test_the_satisfaction_scale_is_one_row_on_telegram() -> None:
    from bot.rasa_client import BotMessage
    from channels.console.rating import score_buttons
    from channels.telegram.render import PayloadStore, keyboard_for

    scale = BotMessage.from_rest({"text": "Note ?", "buttons": score_buttons()})
    keyboard = keyboard_for(scale, PayloadStore())
    assert keyboard is not None
    assert [[b.text for b in row] for row in keyboard.inline_keyboard] == [
        ["1", "2", "3", "4", "5"]
    ]
    menu = BotMessage.from_rest(
        {"text": "?", "buttons": [{"title": "Voir le menu", "payload": "/ask_capabilities"}] * 2}
    )
    menu_keyboard = keyboard_for(menu, PayloadStore())
    assert menu_keyboard is not None and len(menu_keyboard.inline_keyboard) == 2


def test_without_a_commune_only_the_official_finders_are_given(tmp_path: Path) -> None:
    from sqlalchemy.orm import Session

    from channels.console.knowledge_links import KINDS_BY_PROFILE, KnowledgeLinks
    from knowledge.db import make_engine
    from knowledge.models.base import Base
    from knowledge.models.scheme import Organisation

    url = f"sqlite:///{tmp_path / 'kb.db'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)

    def org(org_id: str, kind: str, name: str) -> Organisation:
        payload = {
            "id": org_id,
            "name": name,
            "kind": kind,
            "territory": {"scope": "national", "codes": [], "label": "France"},
            "contacts": {"url": f"https://exemple.gouv.fr/{org_id}"},
            "information_date": "2026-08-19",
            "sources": [f"https://exemple.gouv.fr/{org_id}"],
        }
        return Organisation(
            id=org_id,
            name=name,
            kind=kind,
            territory_scope="national",
            information_date=dt.date(2026, 8, 19),
            payload=payload,
            source_file="x.yml",
            source_line=1,
        )

    with Session(engine) as session:
        session.add_all(
            [
                org("epide", "public_service", "EPIDE"),  # a body for 17-25s, not a contact
                org("trouver-un-espace-france-services", "public_service", "France Services"),
                org("trouver-une-agence-france-travail", "france_travail", "Agence FT"),
                org("trouver-une-mission-locale", "mission_locale", "Mission locale"),
            ]
        )
        session.commit()
    engine.dispose()
    offices = KnowledgeLinks(url)._offices(None, KINDS_BY_PROFILE["adult"])
    assert [o.name for o in offices] == ["Agence FT", "France Services"]


def test_the_context_packet_is_plain_french() -> None:
    tracker = {
        "slots": {
            "user_status": "parent",
            "age": 34.0,
            "commune_name": "Lille",
            "needs_place": True,
            "schemes_offset": 3.0,
            "lead_phone": "06 12 34 56 78",
        },
        "events": [
            {
                "event": "user",
                "text": "garde d'enfant horaires décalés",
                "parse_data": {"intent": {"name": "ask_childcare"}},
            },
            {
                "event": "bot",
                "text": "Voici 3 aides.",
                "data": {
                    "buttons": [
                        {"title": "Voir plus", "payload": '/ask_more{"list_kind":"schemes"}'}
                    ]
                },
            },
            {
                "event": "user",
                "text": '/ask_more{"list_kind":"schemes"}',
                "parse_data": {"intent": {"name": "ask_more"}},
            },
            {"event": "user", "text": "/unknown_button", "parse_data": {"intent": {"name": "x"}}},
        ],
    }
    packet = build_context(tracker, reason="asked_for_human", summary="", channel="web")
    assert packet["summary"] == (
        "Parent, 34 ans, à Lille. Demande : garde d'enfant horaires décalés"
    )
    # No bot internals (needs_place, schemes_offset), no contact data the adviser does not need.
    assert packet["facts"] == [["Situation", "parent"], ["Âge", "34"], ["Commune", "Lille"]]
    said = [line["text"] for line in packet["transcript"] if line["who"] == "person"]
    assert said == [
        "garde d'enfant horaires décalés",
        "a choisi « Voir plus »",
        "a touché un bouton",
    ]
