"""The first week of a family's kit: what to do, where (a contact the kit knows for the
commune, else the official finder of the service) and the date of that contact."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

YOUTH_ONLY = frozenset({"apprentice", "student", "young"})
YOUTH_AGE_MAX = 30
SCHOOL_AGES = range(3, 18)
# Organisation kinds (knowledge base) that answer each step, most useful first.
STEP_KINDS: dict[str, tuple[str, ...]] = {
    "town_hall": ("commune",),
    "school": ("commune",),
    "childcare": (),  # monenfant.fr, the Caf's finder, lists every crèche and childminder
    "caf": ("caf",),
    "job": ("france_travail",),
    # The national finder: "public_service" records are agencies (ADEME, Bpifrance), not desks.
    "france_services": (),
}
# National agencies are no place to go for a family's questions.
NOT_NEARBY_KINDS = frozenset({"public_service", "company", "other", "chamber"})


def fits_family(item: dict[str, Any]) -> bool:
    """An item a family can get: not reserved to apprentices, students or young people.

    Kits stored before ``statuses`` was kept are judged on their age limit alone.
    """
    statuses = set(item.get("statuses") or ())
    audiences = set(item.get("audiences") or ())
    if statuses and statuses <= YOUTH_ONLY or audiences and audiences <= YOUTH_ONLY:
        return False
    age_max = item.get("age_max")
    return age_max is None or age_max >= YOUTH_AGE_MAX


def _organisations(content: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from content.get("support") or []
    for section in content.get("sections") or []:
        yield from section.get("organisations") or []


def useful_nearby(organisation: dict[str, Any]) -> bool:
    """A structure a family can go to or call: local, or national with a contact, not an agency."""
    national = organisation.get("scope") == "national"
    if national and organisation.get("kind") in NOT_NEARBY_KINDS:
        return False
    # "France Travail (agences locales)" without an address or a phone sends nobody anywhere.
    return not national or _reachable(organisation)


def _reachable(organisation: dict[str, Any]) -> bool:
    return any(organisation.get(key) for key in ("phone", "url", "email", "address"))


def _known(content: dict[str, Any], kinds: tuple[str, ...]) -> dict[str, Any] | None:
    """A structure of these kinds with a contact; otherwise the official finder is better."""
    for organisation in _organisations(content):
        if organisation.get("kind") in kinds and _reachable(organisation):
            return organisation
    return None


def steps_for(household: dict[str, Any]) -> list[str]:
    """The steps that apply to this household, in the order of a first week."""
    ages = [int(age) for age in household.get("ages") or []]
    steps = ["town_hall"]
    if any(age in SCHOOL_AGES for age in ages) or (household.get("children") and not ages):
        steps.append("school")
    if any(age < 3 for age in ages):
        steps.append("childcare")
    steps.append("caf")
    if household.get("spouse_seeks_work"):
        steps.append("job")
    steps.append("france_services")
    return steps


def first_week(
    content: dict[str, Any], words: dict[str, Any], contact_line: Any, date_text: Any
) -> list[dict[str, str | None]]:
    """Each step worded, with where to go and, for a known organisation, its date."""
    commune = content["commune"]["name"]
    household = content.get("household") or {}
    ages = ", ".join(str(age) for age in household.get("ages") or []) or "?"
    found: list[dict[str, str | None]] = []
    for step in steps_for(household):
        organisation = _known(content, STEP_KINDS[step])
        if organisation is not None:
            where = contact_line(organisation)
            date = date_text(organisation["information_date"])
        else:
            where, date = words["finders"][step].format(commune=commune), None
        found.append(
            {
                "what": words["week"][step].format(commune=commune, ages=ages),
                "where": words["week_where"].format(where=where),
                "date": date,
            }
        )
    return found
