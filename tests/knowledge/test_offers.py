"""Offer importers (France Travail, La bonne alternance, CSV, demo set), storage and search."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge.cli import DEMO_OFFERS
from knowledge.models.offer import Offer
from knowledge.offers.importers import OfferFileError, read_offers_file
from knowledge.offers.store import OfferImportError, expire_offers, import_offers
from knowledge.offers.vocabulary import contract_type, schedule_tags
from knowledge.search import search_offers
from tests.knowledge.conftest import OFFER_FILES, TODAY, place_resolver


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Offer)) or 0


def by_external_id(session: Session, external_id: str) -> Offer:
    return session.scalars(select(Offer).where(Offer.external_id == external_id)).one()


def test_france_travail_import_maps_fields_and_reports_rejected_rows(session: Session) -> None:
    report = import_offers(
        session,
        OFFER_FILES / "france_travail.json",
        today=TODAY,
        place_resolver=place_resolver(session),
    )
    assert (report.format, report.read, report.inserted) == ("france_travail", 6, 3)
    rejected = [str(r) for r in report.rejected]
    assert rejected == [
        "#4 (id OLD0001) field 'expires_on': expired on 2024-07-31",
        "#5 (id BAD0001) field 'intitule': required field is missing",
        "#6 (id BAD0002) field 'commune_insee': unknown commune code '99999'",
    ]
    cariste = by_external_id(session, "188XKLM")
    assert (cariste.commune_insee, cariste.epci_code, cariste.departement_code) == (
        "59512",
        "200093201",
        "59",
    )
    assert cariste.contract_type == "interim" and cariste.contract_duration_months == 3
    assert "early" in cariste.schedule_tags.split() and "shifts" in cariste.schedule_tags.split()
    assert cariste.apply_url and cariste.apply_email is None and not cariste.is_demo
    assert cariste.expires_on == dt.date(2025, 2, 25) + dt.timedelta(days=60)
    nurse = by_external_id(session, "188XKLN")
    assert nurse.apply_email == "recrutement@ehpad-test.example" and nurse.contract_type == "cdi"
    assert "night" in nurse.schedule_tags.split()
    # No INSEE code: the commune is found from the postcode and name.
    baker = by_external_id(session, "188XKLP")
    assert baker.commune_insee == "29024" and baker.alternance
    assert baker.contract_type == "apprenticeship" and baker.contract_duration_months == 24


def test_lba_import(session: Session) -> None:
    report = import_offers(
        session, OFFER_FILES / "lba.json", today=TODAY, place_resolver=place_resolver(session)
    )
    assert (report.format, report.inserted) == ("lba", 2)
    assert [r.field for r in report.rejected] == ["workplace_address_city", None]
    assert "no way to apply" in report.rejected[1].message
    seller = by_external_id(session, "La bonne alternance:lba-1")
    assert (seller.commune_insee, seller.alternance, seller.contract_type) == (
        "59599",
        True,
        "apprenticeship",
    )
    assert seller.expires_on == dt.date(2025, 4, 15) and seller.rome_code == "D1211"
    technician = by_external_id(session, "Hellowork:hw-77")
    assert technician.contract_type == "professionalisation" and technician.commune_insee == "94081"


def test_csv_import_and_cross_source_duplicate(session: Session) -> None:
    import_offers(session, OFFER_FILES / "france_travail.json", today=TODAY)
    report = import_offers(
        session, OFFER_FILES / "offers.csv", today=TODAY, place_resolver=place_resolver(session)
    )
    # csv-1 is the France Travail cariste (same title, employer, commune): kept once.
    assert (report.inserted, report.duplicates) == (2, 1)
    assert [str(r) for r in report.rejected] == [
        "line 4 (id csv-3) field 'posted_on': 'pas une date' is not a date (YYYY-MM-DD)"
    ]
    cleaner = by_external_id(session, "csv-2")
    assert cleaner.commune_insee == "59599" and cleaner.contract_type == "cdi"
    assert {"early", "part_time"} <= set(cleaner.schedule_tags.split())
    assert by_external_id(session, "csv-4").contract_type == "seasonal"


def test_reimport_is_idempotent(session: Session) -> None:
    first = import_offers(session, OFFER_FILES / "france_travail.json", today=TODAY)
    second = import_offers(session, OFFER_FILES / "france_travail.json", today=TODAY)
    assert (first.inserted, second.inserted, second.updated) == (3, 0, 3)
    assert count(session) == 3


def test_strict_import_writes_nothing(session: Session) -> None:
    with pytest.raises(OfferImportError) as caught:
        import_offers(session, OFFER_FILES / "france_travail.json", today=TODAY, strict=True)
    assert "3 rejected row(s), nothing imported" in str(caught.value)
    assert count(session) == 0


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        ('{"resultats": [ {"id": "1",, } ]}', "bad.json", "bad.json:1: invalid JSON at column"),
        ('{"something": []}', "odd.json", "cannot tell the format"),
        ('{"resultats": {"id": 1}}', "ft.json", "'resultats' must be a list"),
        ("title;colour\nx;blue\n", "bad.csv", "bad.csv:1: unknown column(s) colour"),
        ("title;employer\nx;y\n", "short.csv", "missing required column(s) external_id"),
    ],
)
def test_malformed_files_are_refused_whole(
    session: Session, tmp_path: Path, content: str, name: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(OfferFileError) as caught:
        import_offers(session, path, today=TODAY)
    assert expected in str(caught.value)
    assert count(session) == 0


def test_expiry_removes_old_offers(session: Session) -> None:
    import_offers(session, OFFER_FILES / "france_travail.json", today=TODAY)
    # The nurse (posted 18 Feb) and the baker (10 Feb) expire after 60 days; the cariste was
    # updated on 25 Feb.
    assert expire_offers(session, dt.date(2025, 4, 20)) == 2
    assert count(session) == 1


def test_demo_set_is_marked_everywhere(session: Session) -> None:
    document = json.loads(DEMO_OFFERS.read_text(encoding="utf-8"))
    assert "DEMONSTRATION" in document["notice"]
    parsed = read_offers_file(DEMO_OFFERS, today=TODAY)
    assert parsed.rejected == [] and len(parsed.records) >= 60
    assert all(r.is_demo and r.source == "demo" for r in parsed.records)
    assert all("démonstration" in (r.employer or "") for r in parsed.records)
    assert all("DÉMONSTRATION" in r.description for r in parsed.records)
    report = import_offers(
        session,
        DEMO_OFFERS,
        today=TODAY,
        strict=True,
        scopes=lambda code: [("commune", code), ("departement", code[:2])],
    )
    assert report.inserted == len(parsed.records)
    hits = search_offers(session, text="cariste", today=TODAY, limit=10)
    assert hits and all(hit.offer.is_demo and "demo:yes" in hit.reasons for hit in hits)


def test_demo_set_spans_the_source_territories() -> None:
    parsed = read_offers_file(DEMO_OFFERS, today=TODAY)
    departements = {r.commune_insee[:2] for r in parsed.records}
    assert {"59", "29", "34", "94"} <= departements
    assert sum(r.alternance for r in parsed.records) >= 10
    titles = " ".join(r.title.lower() for r in parsed.records)
    for word in ("cariste", "aide-soignant", "soudeur"):
        assert word in titles
    night = [r for r in parsed.records if "night" in schedule_tags(r.working_hours)]
    early = [r for r in parsed.records if "early" in schedule_tags(r.working_hours)]
    assert len(night) >= 5 and len(early) >= 5


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("MIS", "interim"),
        ("Contrat à durée indéterminée", "cdi"),
        ("CDD de 6 mois", "cdd"),
        ("Contrat apprentissage", "apprenticeship"),
        ("Travail saisonnier - 2 Mois", "seasonal"),
        ("Cont. professionnalisation", "professionalisation"),
        ("n'importe quoi", None),
    ],
)
def test_contract_vocabulary(label: str, expected: str | None) -> None:
    assert contract_type(label) == expected


@pytest.mark.parametrize(
    ("hours", "tags"),
    [
        ("Travail de nuit 22h-6h", {"night", "atypical"}),
        ("Poste du matin 5h-13h", {"early", "atypical"}),
        ("35H Horaires normaux", {"full_time"}),
        ("Temps partiel, samedis et dimanches", {"weekend", "part_time", "atypical"}),
        ("Horaires coupés", {"split", "atypical"}),
    ],
)
def test_schedule_tags(hours: str, tags: set[str]) -> None:
    assert set(schedule_tags(hours)) == tags


# --- search ------------------------------------------------------------------------


def titles(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [hit.offer.title for hit in hits]


@pytest.mark.parametrize("text", ["cariste", "carist", "CARISTE", "je cherche un poste de cariste"])
def test_offer_text_search_tolerates_typos(loaded: Session, text: str) -> None:
    assert titles(search_offers(loaded, text=text, today=TODAY))[0] == "Cariste H/F"


@pytest.mark.parametrize("text", ["aide soignante", "aide-soignant", "aide soignant nuit"])
def test_offer_text_search_accents_and_gender(loaded: Session, text: str) -> None:
    assert titles(search_offers(loaded, text=text, today=TODAY))[0] == "Aide-soignant de nuit (H/F)"


def test_offers_near_a_commune_first_then_its_epci(loaded: Session) -> None:
    hits = search_offers(loaded, commune_insee="59512", today=TODAY, limit=10)
    assert hits[0].offer.commune_insee == "59512" and "place:commune" in hits[0].reasons
    assert all(hit.offer.commune_insee[:2] == "59" for hit in hits)
    assert {hit.reasons[0] for hit in hits[1:]} == {"place:epci"}
    assert search_offers(loaded, commune_insee="34301", text="cariste", today=TODAY) == []


def test_offer_filters(loaded: Session) -> None:
    alternance = search_offers(loaded, alternance=True, today=TODAY, limit=10)
    assert len(alternance) == 3 and all(hit.offer.alternance for hit in alternance)
    assert all(
        not hit.offer.alternance
        for hit in search_offers(loaded, alternance=False, today=TODAY, limit=10)
    )
    assert titles(search_offers(loaded, contract="CDI", today=TODAY, limit=10)) == [
        "Agent de propreté",
        "Aide-soignant de nuit (H/F)",
    ]
    night = search_offers(loaded, schedule="nuit", today=TODAY, limit=10)
    assert set(titles(night)) == {"Aide-soignant de nuit (H/F)", "Apprenti boulanger"}
    assert "schedule:night" in night[0].reasons
    day = titles(search_offers(loaded, schedule="day", today=TODAY, limit=10))
    assert "Aide-soignant de nuit (H/F)" not in day and "Cariste H/F" not in day


def test_expired_offers_are_never_returned(loaded: Session) -> None:
    later = dt.date(2025, 4, 20)
    assert "Aide-soignant de nuit (H/F)" not in titles(
        search_offers(loaded, text="aide soignant", today=later)
    )
