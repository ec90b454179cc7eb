"""Personal-data tables: created by the Alembic branch, stored with consent, deletable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from knowledge.db import make_engine, make_session_factory, migrate
from knowledge.requests import (
    Consent,
    create_employer_lead,
    create_spouse_profile,
    create_welcome_kit,
    delete_spouse_profiles,
    get_employer_lead,
    get_spouse_profile,
    get_welcome_kit,
    list_employer_leads,
    owner_key,
    purge_requests,
)

CONSENT = Consent(
    "J'accepte que mes réponses soient transmises.",
    dt.datetime(2026, 1, 14, 9, 30, tzinfo=dt.timezone.utc),
)
LEAD_FIELDS = {
    "company_name": "Boulangerie Martin",
    "siret": "73282932000074",
    "sector": "boulangerie",
    "job_title": "vendeur",
    "positions": 2,
    "contract_type": "cdi",
    "start_date": dt.date(2026, 3, 1),
    "commune_insee": "59512",
    "commune_name": "Roubaix",
    "contact_name": "Claire Martin",
    "email": "claire@exemple.fr",
    "phone": "06 12 34 56 78",
}


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("requests") / "kb.db"
    url = f"sqlite:///{path}"
    migrate(url)
    return url


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        yield session
        session.rollback()
    engine.dispose()


def test_the_branch_revision_creates_the_three_tables(database_url: str) -> None:
    engine = make_engine(database_url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"req_employer_lead", "req_spouse_profile", "req_welcome_kit"} <= tables


def test_a_lead_gets_a_human_reference_and_keeps_its_consent(session: Session) -> None:
    lead = create_employer_lead(
        session, owner=owner_key("web:abc"), consent=CONSENT, fields=LEAD_FIELDS
    )
    assert lead.reference == f"EMP-{lead.created_at.year}-{lead.id:06d}"
    found = get_employer_lead(session, lead.reference.lower())
    assert found is not None
    assert found.company_name == "Boulangerie Martin"
    assert found.consent_text == CONSENT.text
    assert found.status == "new"
    assert found in list_employer_leads(session, status="new")


def test_owner_keys_are_stable_and_do_not_contain_the_sender_id() -> None:
    assert owner_key("telegram:42") == owner_key("telegram:42")
    assert owner_key("telegram:42") != owner_key("telegram:43")
    assert len(owner_key("telegram:42")) == 64


def test_a_spouse_profile_replaces_the_previous_one_and_can_be_deleted(session: Session) -> None:
    owner = owner_key("web:spouse")
    fields = {
        "job_title": "comptable",
        "skills": "paie, Excel",
        "availability": "dès mars",
        "commune_insee": "29024",
        "commune_name": "Carhaix-Plouguer",
        "contact_email": "a@exemple.fr",
        "contact_phone": None,
    }
    first = create_spouse_profile(session, owner=owner, consent=CONSENT, fields=fields)
    second = create_spouse_profile(
        session, owner=owner, consent=CONSENT, fields={**fields, "job_title": "aide-comptable"}
    )
    assert second.reference and second.reference.startswith("CJT-")
    profile = get_spouse_profile(session, owner)
    assert profile is not None and profile.id == second.id != first.id
    assert delete_spouse_profiles(session, owner) == 1
    assert get_spouse_profile(session, owner) is None


def test_welcome_kits_have_unguessable_distinct_tokens(session: Session) -> None:
    kwargs = {
        "owner": owner_key("web:kit"),
        "consent": CONSENT,
        "commune_insee": "29024",
        "commune_name": "Carhaix-Plouguer",
        "household": {"children": 2},
        "needs": ["housing"],
        "content": {"sections": []},
    }
    first = create_welcome_kit(session, **kwargs)  # type: ignore[arg-type]
    second = create_welcome_kit(session, **kwargs)  # type: ignore[arg-type]
    assert first.token != second.token and len(first.token) >= 32
    assert get_welcome_kit(session, first.token) is first
    assert get_welcome_kit(session, "nope") is None
    assert get_welcome_kit(session, "x" * 500) is None


def test_purge_deletes_only_old_rows(session: Session) -> None:
    old = create_employer_lead(session, owner="o", consent=CONSENT, fields=LEAD_FIELDS)
    old.created_at = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    recent = create_employer_lead(session, owner="o", consent=CONSENT, fields=LEAD_FIELDS)
    session.flush()
    counts = purge_requests(session, older_than=dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc))
    assert counts["req_employer_lead"] == 1
    assert get_employer_lead(session, str(recent.reference)) is not None
    session.expire_all()
    assert get_employer_lead(session, str(old.reference)) is None
