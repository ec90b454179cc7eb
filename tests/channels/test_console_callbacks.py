"""Lane d: nobody can answer -> the person is told why and offered a call-back; leads and CVs."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from channels.console import retention, store
from channels.console.models import Callback, FollowUp, Message, Ticket
from knowledge.models.base import Base
from knowledge.models.requests import EmployerLead, SpouseProfile
from tests.channels.console_support import (
    FakeRasa,
    add_adviser,
    chat,
    client_for,
    login,
    make_settings,
    texts,
)


@pytest.fixture
def fake() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def client(tmp_path: Path, fake: FakeRasa) -> Iterator[TestClient]:
    yield from client_for(make_settings(tmp_path), fake)


def buttons(messages: list[dict[str, Any]]) -> list[str]:
    return [b["title"] for m in messages for b in m["buttons"]]


def test_nobody_online_gives_a_callback_offer_and_records_it(
    client: TestClient, fake: FakeRasa
) -> None:
    replies = chat(client, "p1", "je veux un conseiller")
    said = texts(replies)
    assert "Aucun conseiller n'est disponible en ce moment." in said
    assert "numéro de téléphone ou votre adresse e-mail" in said and "180 jours" in said
    assert (
        "mission locale ou votre agence France Travail" in said
    )  # no office known: no invented number
    assert "Non merci" in buttons(replies)

    sent = len(fake.received)
    assert "pas reconnu" in texts(chat(client, "p1", "06 12 34"))
    assert "Quand préférez-vous" in texts(chat(client, "p1", "mon numéro c'est le 06.12.34.56.78"))
    done = texts(chat(client, "p1", "Le matin"))
    assert "06 12 34 56 78" in done and "Le matin" in done
    assert len(fake.received) == sent  # the whole call-back talk stayed in the gateway

    assert texts(chat(client, "p1", "bonjour")) == "Réponse du bot à : bonjour"
    add_adviser(client, "a@exemple.fr")
    login(client, "a@exemple.fr")
    [callback] = client.get("/console/api/callbacks").json()["callbacks"]
    assert callback["contact"] == "06 12 34 56 78" and callback["commune"] == "Roubaix"
    assert callback["reason_label"] == "Demande un conseiller"
    page = client.get("/console/callbacks")
    assert "06 12 34 56 78" in page.text and "Marquer contacté" in page.text
    app: Any = client.app
    with Session(app.state.engine) as session:
        stored = session.get(Callback, callback["id"])
        assert stored is not None and "effacé après 180 jours" in stored.consent_text


def test_outside_office_hours_the_person_is_told_the_hours(tmp_path: Path, fake: FakeRasa) -> None:
    for client in client_for(make_settings(tmp_path, office_hours="never"), fake):
        add_adviser(client, "a@exemple.fr")
        login(client, "a@exemple.fr")
        said = texts(chat(client, "p2", "conseiller"))
        assert "ne répondent pas par écrit en ce moment" in said and "never" not in said
        assert client.get("/console/api/queue").json()["tickets"] == []


def test_out_of_hours_is_said_once_with_the_next_opening_after_a_holiday(
    tmp_path: Path, fake: FakeRasa
) -> None:
    settings = make_settings(tmp_path, office_hours="mon-fri 09:00-17:00")
    for client in client_for(settings, fake):
        app: Any = client.app
        # Thursday 24 December 2026, 18:30 in Paris; Friday 25 is Christmas Day.
        app.state.handoff.now = lambda: dt.datetime(2026, 12, 24, 17, 30)
        replies = chat(client, "p9", "je veux un conseiller")
        assert [m["text"] for m in replies] == [
            "Nos conseillers ne répondent pas en ce moment. Ils seront là lundi 28 décembre à 9 h.\n"
            "Un conseiller peut vous rappeler ou vous écrire lui-même, à partir de lundi 28 décembre"
            " à 9 h. Écrivez votre numéro de téléphone ou votre adresse e-mail. Il servira seulement"
            " à vous recontacter et sera effacé après 180 jours. Si vous ne voulez pas, répondez"
            " « non ».",
            "Vous pouvez aussi contacter directement votre mission locale ou votre agence France"
            " Travail.",
        ]
        assert buttons(replies) == ["Non merci"]
        assert replies[0]["custom"]["handoff"]["reason"] == "asked_for_human"


@pytest.mark.parametrize(
    ("status", "age", "expected", "absent"),
    [
        ("parent", 38.0, "votre CAF ou un espace France Services", "mission locale"),
        ("job_seeker", 45.0, "agence France Travail ou un espace France Services", "mission"),
        ("disabled_worker", 30.0, "Cap emploi", "mission locale"),
        (None, None, "agence France Travail", "mission locale"),
    ],
)
def test_fallback_contacts_fit_the_person(
    tmp_path: Path,
    fake: FakeRasa,
    status: str | None,
    age: float | None,
    expected: str,
    absent: str,
) -> None:
    fake.slots.update({"user_status": status, "age": age})
    for client in client_for(make_settings(tmp_path), fake):
        said = texts(chat(client, "p10", "conseiller"))
        assert expected in said and absent not in said


def test_declining_the_callback_gives_the_bot_back(client: TestClient, fake: FakeRasa) -> None:
    chat(client, "p3", "conseiller")
    assert "Je reste à votre disposition" in texts(chat(client, "p3", "Non merci"))
    assert texts(chat(client, "p3", "aide au permis")) == "Réponse du bot à : aide au permis"


def test_a_question_instead_of_a_contact_goes_to_the_bot(
    client: TestClient, fake: FakeRasa
) -> None:
    chat(client, "p4", "conseiller")
    assert texts(chat(client, "p4", "en fait je cherche une aide pour le logement")) == (
        "Réponse du bot à : en fait je cherche une aide pour le logement"
    )
    assert texts(chat(client, "p4", "merci")) == "Réponse du bot à : merci"


def test_local_offices_are_given_with_their_date(client: TestClient, fake: FakeRasa) -> None:
    from channels.console.knowledge_links import Office

    app: Any = client.app

    async def offices(commune: str | None, kinds: tuple[str, ...]) -> list[Office]:
        assert commune == "59512" and kinds[0] == "mission_locale"  # 19-year-old apprentice
        return [
            Office(
                name="Mission locale de Roubaix",
                phone="03 20 00 00 00",
                email=None,
                url=None,
                address=None,
                information_date="2019-12-01",
            )
        ]

    app.state.handoff.knowledge.offices = offices
    said = texts(chat(client, "p5", "conseiller"))
    assert "Mission locale de Roubaix : 03 20 00 00 00 (coordonnées de 2019-12-01)" in said


def test_old_handoffs_and_callbacks_are_purged(client: TestClient) -> None:
    app: Any = client.app
    # The sweeper purges once as the app starts: let that pass first, or it may take our rows.
    deadline = time.monotonic() + 10
    while app.state.handoff._last_purge is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)  # the mark is set just before the purge's own DELETE runs
    old = store.utcnow() - dt.timedelta(days=400)
    with Session(app.state.engine) as session:
        ticket = Ticket(
            sender_id="web:old",
            channel="web",
            user_id="old",
            status="closed",
            reason="asked_for_human",
            context={},
            created_at=old,
            closed_at=old,
        )
        session.add(ticket)
        session.flush()
        session.add(
            Message(
                ticket_id=ticket.id, sender_id="web:old", author="person", text="x", created_at=old
            )
        )
        session.add(
            Callback(
                ticket_id=ticket.id,
                channel="web",
                contact_kind="phone",
                contact="06 00 00 00 00",
                preferred_time="",
                reason="x",
                consent_text="c",
                consent_at=old,
                created_at=old,
            )
        )
        session.commit()
        assert retention.purge_personal_data(session, 180) == 2
        session.commit()
        assert session.query(Message).count() == 0 and session.query(Ticket).count() == 0


def test_leads_and_spouse_cvs_are_listed_and_searched(client: TestClient) -> None:
    app: Any = client.app
    Base.metadata.create_all(
        app.state.engine, tables=[EmployerLead.__table__, SpouseProfile.__table__]
    )  # type: ignore[list-item]
    now = dt.datetime.now(dt.timezone.utc)
    with Session(app.state.engine) as session:
        session.add(
            EmployerLead(
                reference="EMP-2026-000001",
                owner_key="k",
                company_name="Boulangerie <b>Dupont</b>",
                sector="boulangerie",
                job_title="Vendeur",
                positions=2,
                contract_type="CDI",
                start_date=dt.date(2026, 12, 1),
                commune_name="Roubaix",
                contact_name="M. Dupont",
                email="dupont@exemple.fr",
                phone="0320000000",
                consent_text="c",
                consent_at=now,
            )
        )
        session.add(
            SpouseProfile(
                reference="CJT-2026-000001",
                owner_key="k2",
                job_title="Infirmière",
                skills="soins, pédiatrie",
                availability="janvier",
                commune_name="Tourcoing",
                consent_text="c",
                consent_at=now,
            )
        )
        session.commit()
    add_adviser(client, "a@exemple.fr")
    login(client, "a@exemple.fr")
    everything = client.get("/console/api/requests").json()
    assert (
        everything["available"]
        and len(everything["leads"]) == 1
        and len(everything["profiles"]) == 1
    )
    nurses = client.get("/console/api/requests", params={"q": "infirm"}).json()
    assert nurses["leads"] == [] and nurses["profiles"][0]["reference"] == "CJT-2026-000001"
    assert client.get("/console/api/requests", params={"q": "100%_"}).json()["leads"] == []
    page = client.get("/console/requests", params={"q": "dupont"})
    assert "EMP-2026-000001" in page.text and "&lt;b&gt;Dupont&lt;/b&gt;" in page.text
    assert "CJT-2026-000001" not in page.text


def test_requests_page_works_before_the_tables_exist(client: TestClient) -> None:
    app: Any = client.app
    with app.state.engine.begin() as connection:  # the gateway migrates at start-up: undo it
        for table in ("req_employer_lead", "req_spouse_profile", "req_welcome_kit"):
            connection.exec_driver_sql(f"DROP TABLE {table}")
    add_adviser(client, "a@exemple.fr")
    login(client, "a@exemple.fr")
    assert client.get("/console/api/requests").json()["available"] is False
    assert "pas encore disponibles" in client.get("/console/requests").text


def test_forget_me_erases_handoffs_and_callbacks(client: TestClient) -> None:
    chat(client, "p9", "conseiller")
    chat(client, "p9", "0612345678")
    chat(client, "p9", "Le matin")
    app: Any = client.app
    for eraser in app.state.personal_data_erasers:
        client.portal.call(eraser, "web:p9")  # type: ignore[union-attr]
    with Session(app.state.engine) as session:
        assert session.query(Ticket).count() == 0 and session.query(Callback).count() == 0


def test_an_unanswered_callback_question_expires(client: TestClient, fake: FakeRasa) -> None:
    chat(client, "p10", "conseiller")
    app: Any = client.app
    with Session(app.state.engine) as session:
        for ticket in session.query(Ticket):
            ticket.created_at -= dt.timedelta(hours=2)
        session.commit()
    assert texts(chat(client, "p10", "06 12 34 56 78")) == "Réponse du bot à : 06 12 34 56 78"
    with Session(app.state.engine) as session:
        assert [t.close_outcome for t in session.query(Ticket)] == ["callback_abandoned"]


def test_callbacks_and_leads_follow_new_contacted_done_with_who_and_when(
    client: TestClient,
) -> None:
    app: Any = client.app
    Base.metadata.create_all(app.state.engine)  # the leads' tables (`make kb` in real life)
    chat(client, "p20", "conseiller")
    chat(client, "p20", "0612345678")
    chat(client, "p20", "Le matin")
    with Session(app.state.engine) as session:
        lead = EmployerLead(
            owner_key="k",
            company_name="Boulangerie Martin",
            sector="boulangerie",
            job_title="vendeur",
            positions=1,
            contract_type="CDI",
            start_date=dt.date(2027, 1, 4),
            commune_insee="59512",
            commune_name="Roubaix",
            contact_name="M. Martin",
            email="martin@exemple.fr",
            phone="03 20 00 00 00",
            consent_text="c",
            consent_at=store.utcnow(),
            created_at=store.utcnow(),
        )
        session.add(lead)
        session.commit()
        lead_id = lead.id
    add_adviser(client, "anne.dupont@exemple.fr")
    csrf = login(client, "anne.dupont@exemple.fr")
    [callback] = client.get("/console/api/callbacks").json()["callbacks"]

    def follow(kind: str, ref: int, status: str) -> int:
        return client.post(
            f"/console/api/followups/{kind}/{ref}",
            json={"status": status},
            headers={"X-CSRF-Token": csrf},
        ).status_code

    assert follow("callback", callback["id"], "contacted") == 200
    page = client.get("/console/callbacks", params={"status": "contacted"}).text
    assert "06 12 34 56 78" in page and "par anne.dupont@exemple.fr" in page
    assert "06 12 34 56 78" not in client.get("/console/callbacks?status=new").text
    assert follow("callback", callback["id"], "done") == 200
    assert client.get("/console/api/queue").json()["pending_callbacks"] == 0
    assert follow("callback", 999, "done") == 404

    assert "Boulangerie Martin" in client.get("/console/requests?status=new").text
    assert follow("lead", lead_id, "contacted") == 200
    assert "Boulangerie Martin" not in client.get("/console/requests?status=new").text
    contacted = client.get("/console/requests?status=contacted").text
    assert "Boulangerie Martin" in contacted and "Contacté" in contacted
    with Session(app.state.engine) as session:
        assert session.get(EmployerLead, lead_id).status == "contacted"  # type: ignore[union-attr]

    # Erasing the person takes the call-back's follow-ups with it.
    for eraser in app.state.personal_data_erasers:
        client.portal.call(eraser, "web:p20")  # type: ignore[union-attr]
    with Session(app.state.engine) as session:
        kinds = [f.kind for f in session.query(FollowUp)]
    assert kinds == ["lead"]
