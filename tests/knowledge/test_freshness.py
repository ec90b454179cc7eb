"""Freshness: the 'information de <année>, à vérifier auprès de …' notice and the review queue."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from knowledge.cli import main
from knowledge.freshness import due_for_review, freshness_notice, is_stale
from knowledge.schema import add_months
from knowledge.territories.codes import shipped_codes
from knowledge.validation import read_knowledge
from knowledge.views import organisation_view, scheme_view
from tests.knowledge.conftest import DATA_DIR


def shipped(scope: str, code: str) -> bool:
    return code in shipped_codes().get(scope, frozenset())


def views(today: dt.date) -> tuple[dict[str, object], dict[str, object]]:
    data = read_knowledge(DATA_DIR, territory_exists=shipped, today=today)
    schemes = {
        s.record.id: scheme_view(s.theme, s.record.model_dump(mode="json")) for s in data.schemes
    }
    orgs = {
        o.record.id: organisation_view(o.record.model_dump(mode="json")) for o in data.organisations
    }
    return schemes, orgs


def test_stale_means_older_than_eighteen_months() -> None:
    today = dt.date(2026, 12, 5)
    assert not is_stale(dt.date(2025, 6, 5), today)
    assert is_stale(dt.date(2025, 6, 4), today)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2024, 12, 15), 12, dt.date(2025, 12, 15)),
        (dt.date(2026, 12, 5), -18, dt.date(2025, 6, 5)),
        (dt.date(2024, 3, 31), -1, dt.date(2024, 2, 29)),
    ],
)
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_old_information_names_its_year_and_who_to_check_with() -> None:
    today = dt.date(2026, 1, 1)
    schemes, orgs = views(today)
    roubaix = schemes["test-garde-horaires-atypiques-roubaix"]
    notice = freshness_notice(
        roubaix,  # type: ignore[arg-type]
        organisations=[orgs["test-mission-locale-roubaix"]],  # type: ignore[list-item]
        today=today,
    )
    assert notice is not None and notice.year == 2023
    assert notice.check_with == orgs["test-mission-locale-roubaix"].name  # type: ignore[attr-defined]


def test_without_organisation_the_official_publisher_is_named() -> None:
    today = dt.date(2026, 1, 1)
    schemes, _ = views(today)
    notice = freshness_notice(schemes["test-aide-garde-parent-isole"], today=today)  # type: ignore[arg-type]
    assert notice is not None and notice.year == 2024
    assert notice.check_with == "Service-Public.fr"
    assert notice.url == "https://www.service-public.fr/particuliers/vosdroits/F1814"


def test_recent_information_has_no_notice() -> None:
    today = dt.date(2025, 3, 1)
    schemes, _ = views(today)
    assert freshness_notice(schemes["test-aide-garde-parent-isole"], today=today) is None  # type: ignore[arg-type]


def test_review_queue_lists_what_is_due_by_territory() -> None:
    today = dt.date(2025, 3, 1)
    data = read_knowledge(DATA_DIR, territory_exists=shipped, today=today)
    due = due_for_review(data, today=today)
    assert due and all(item.review_by <= today for item in due)
    later = due_for_review(data, today=today, within_days=3650)
    assert len(later) == len(data.schemes) + len(data.organisations)
    assert [item.scope == "national" for item in later] == sorted(
        (item.scope == "national" for item in later), reverse=True
    )


def test_cli_freshness(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["freshness", "--data-dir", str(DATA_DIR), "--today", "2025-03-01", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["due"] > 0 and report["today"] == "2025-03-01"
    assert main(["freshness", "--data-dir", str(DATA_DIR), "--today", "2025-03-01"]) == 0
    text = capsys.readouterr().out
    assert "due for review" in text and "review by" in text


def test_every_real_record_can_be_checked_for_freshness() -> None:
    data = read_knowledge()
    for located in data.schemes:
        view = scheme_view(located.theme, located.record.model_dump(mode="json"))
        notice = freshness_notice(view, today=dt.date(2030, 1, 1))
        assert notice is not None and notice.year == view.information_date.year
