"""An employer asking what it can do for its staff's childcare gets the employer record
(``knowledge/data/schemes/childcare_employers.yml``): crèche places, Cesu préfinancé, CIFAM."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from knowledge.citations import registry
from tests.knowledge.national_support import data, record, retrieved, schemes

SCHEME_ID = "employeur-garde-enfants-salaries-creche-cesu"


def test_the_record_loads_is_national_for_employers_and_cites_an_official_page_first() -> None:
    found = [s for s in data().schemes if s.record.id == SCHEME_ID]
    assert len(found) == 1
    assert found[0].theme == "childcare"
    scheme = schemes()[SCHEME_ID]
    assert scheme.territory.scope == "national"
    assert "employer" in scheme.audiences
    assert registry().is_official(scheme.sources[0]), scheme.sources[0]
    assert all(registry().is_official(url) for url in scheme.sources)
    assert scheme.apply.url and registry().is_official(scheme.apply.url)
    assert record(SCHEME_ID).internal_notes


@pytest.mark.parametrize(
    "text",
    [
        "je suis gérant, comment aider mes salariés à faire garder leurs enfants ?",
        "nos salariées ont des soucis de garde à cause des horaires (3x8), qu'est-ce qu'on "
        "peut mettre en place en tant qu'employeur ?",
    ],
)
def test_an_employer_asking_about_staff_childcare_gets_the_record_in_the_top_three(
    national_kb: Session, text: str
) -> None:
    hits = retrieved(national_kb, text)
    assert SCHEME_ID in hits[:3], hits[:5]
