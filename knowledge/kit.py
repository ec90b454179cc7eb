"""Welcome kit content: what the knowledge base knows for a destination commune and a household.

``build_kit_content`` returns a JSON-able snapshot stored with the kit, so that the page
and the PDF show what was true when the kit was made, with dates and sources.
Wording lives in ``channels/kit/labels_fr.yml`` and the template; here only data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from knowledge.search import organisations_for, search_schemes
from knowledge.search.scopes import commune_scopes
from knowledge.views import OrganisationView, SchemeView

# Each section: the themes searched, words that focus the search, organisation kinds to list.
SECTIONS: dict[str, dict[str, Any]] = {
    "welcome": {"themes": ("welcome",), "text": None, "kinds": ("commune", "epci")},
    "housing": {"themes": ("housing",), "text": None, "kinds": ("action_logement",)},
    "childcare": {"themes": ("childcare",), "text": None, "kinds": ("caf",)},
    "schools": {
        "themes": ("childcare", "welcome"),
        "text": "ecole scolaire periscolaire cantine",
        "kinds": (),
    },
    "transport": {"themes": ("mobility",), "text": None, "kinds": ()},
    "leisure": {"themes": ("welcome",), "text": "loisirs sport culture association", "kinds": ()},
    "spouse_job": {
        "themes": ("welcome", "insertion_support"),
        "text": "conjoint emploi travail",
        "kinds": ("france_travail", "mission_locale", "cap_emploi", "plie"),
        # Few records speak of spouses: the general job-search support is the honest fallback.
        "fallback_themes": ("insertion_support",),
    },
}
# Three per section keeps a family's kit to 2-4 pages (issue 14); the most local come first.
ITEMS_PER_SECTION = 3
# With more sections than this, two items each (a family asking for everything).
MANY_SECTIONS = 4
# Schemes only for these people are not for a family moving in (Mobili-Jeune, the
# apprentices' driving-licence aid…): the kit never offers what the family cannot get.
YOUTH_ONLY = frozenset({"apprentice", "student", "young"})
YOUTH_AGE_MAX = 30
# Below this many local items in the whole kit, the territory is said to have little.
THIN_TERRITORY = 2


@dataclass(frozen=True)
class Household:
    """Who moves: children's ages (possibly fewer than the count) and the spouse's job search."""

    children: int
    ages: tuple[int, ...]
    spouse_seeks_work: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form stored with the kit."""
        return {
            "children": self.children,
            "ages": list(self.ages),
            "spouse_seeks_work": self.spouse_seeks_work,
        }


def scheme_item(scheme: SchemeView) -> dict[str, Any]:
    """A scheme as shown in a kit (everything needed to act, with dates and sources)."""
    return {
        "id": scheme.id,
        "name": scheme.name,
        "status": scheme.status,
        "summary": scheme.summary,
        "details": scheme.details,
        "amount": scheme.amount.text if scheme.amount and scheme.amount.text else None,
        "statuses": list(scheme.conditions.statuses),
        "audiences": list(scheme.audiences),
        "age_min": scheme.conditions.age_min,
        "age_max": scheme.conditions.age_max,
        "conditions": list(scheme.conditions.other),
        "steps": list(scheme.apply.steps),
        "url": scheme.apply.url,
        "phone": scheme.apply.phone,
        "email": scheme.apply.email,
        "office": scheme.apply.office,
        "scope": scheme.territory.scope,
        "territory": scheme.territory.label,
        "information_date": scheme.information_date.isoformat(),
        # What a person can use (official page, report title); never internal notes or file names.
        "sources": [citation.text for citation in scheme.citations],
    }


def organisation_item(organisation: OrganisationView) -> dict[str, Any]:
    """An organisation with its contacts exactly as printed, and their date."""
    contacts = organisation.contacts
    return {
        "id": organisation.id,
        "name": organisation.name,
        "kind": organisation.kind,
        "territory": organisation.territory.label,
        "scope": organisation.territory.scope,
        "url": contacts.url,
        "phone": contacts.phone,
        "email": contacts.email,
        "address": contacts.address,
        "information_date": organisation.information_date.isoformat(),
        "sources": [citation.text for citation in organisation.citations],
    }


def _fits_children(scheme: SchemeView, household: Household) -> bool:
    # A childcare scheme for under-3s is noise for a family whose children are all older.
    conditions = scheme.conditions
    if not household.ages:
        return True
    low, high = conditions.child_age_min, conditions.child_age_max
    return (high is None or min(household.ages) <= high) and (
        low is None or max(household.ages) >= low
    )


def fits_family(scheme: SchemeView) -> bool:
    """False for a scheme reserved to apprentices, students or young people."""
    conditions = scheme.conditions
    if conditions.statuses and set(conditions.statuses) <= YOUTH_ONLY:
        return False
    if scheme.audiences and set(scheme.audiences) <= YOUTH_ONLY:
        return False
    return conditions.age_max is None or conditions.age_max >= YOUTH_AGE_MAX


def _section_schemes(
    session: Session, need: str, commune_insee: str, household: Household, limit: int
) -> list[SchemeView]:
    spec = SECTIONS[need]
    found: dict[str, SchemeView] = {}
    for theme in spec["themes"]:
        for hit in search_schemes(
            session, text=spec["text"], theme=theme, commune_insee=commune_insee, limit=20
        ):
            scheme = hit.scheme
            fits = _fits_children(scheme, household) and fits_family(scheme)
            if scheme.id not in found and fits:
                found[scheme.id] = scheme
    if not found:
        for theme in spec.get("fallback_themes", ()):
            for hit in search_schemes(
                session, theme=theme, commune_insee=commune_insee, limit=ITEMS_PER_SECTION
            ):
                if fits_family(hit.scheme):
                    found.setdefault(hit.scheme.id, hit.scheme)
    ranked = sorted(
        found.values(), key=lambda s: (s.territory.scope == "national", s.status != "existing")
    )
    return ranked[:limit]


def _section_organisations(
    session: Session, kinds: Sequence[str], commune_insee: str
) -> list[OrganisationView]:
    if not kinds:
        return []
    return organisations_for(session, commune_insee=commune_insee, kinds=kinds)[:3]


def build_kit_content(
    session: Session,
    *,
    commune_insee: str,
    commune_name: str,
    household: Household,
    needs: Sequence[str],
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The kit for a destination: one section per need (plus general welcome), local first."""
    wanted = ["welcome", *[need for need in needs if need in SECTIONS and need != "welcome"]]
    sections = []
    local_items = 0
    limit = ITEMS_PER_SECTION if len(wanted) <= MANY_SECTIONS else ITEMS_PER_SECTION - 1
    for need in wanted:
        schemes = _section_schemes(session, need, commune_insee, household, limit)
        local = sum(1 for scheme in schemes if scheme.territory.scope != "national")
        local_items += local
        sections.append(
            {
                "need": need,
                "local_count": local,
                "items": [scheme_item(scheme) for scheme in schemes],
                "organisations": [
                    organisation_item(org)
                    for org in _section_organisations(
                        session, SECTIONS[need]["kinds"], commune_insee
                    )
                ],
            }
        )
    return {
        "commune": {
            "insee": commune_insee,
            "name": commune_name,
            "scopes": [list(s) for s in commune_scopes(session, commune_insee)],
        },
        "household": household.as_dict(),
        "needs": list(wanted[1:]),
        "generated_on": (today or dt.date.today()).isoformat(),
        "thin_territory": local_items < THIN_TERRITORY,
        "sections": sections,
        "support": [organisation_item(org) for org in _nearest_support(session, commune_insee)],
    }


def _nearest_support(session: Session, commune_insee: str) -> list[OrganisationView]:
    # The structures that can help on everything, most local first.
    kinds = (
        "france_travail",
        "mission_locale",
        "cap_emploi",
        "caf",
        "epci",
        "commune",
        "public_service",
    )
    return organisations_for(session, commune_insee=commune_insee, kinds=kinds)[:5]
