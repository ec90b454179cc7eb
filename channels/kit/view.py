"""The welcome kit as shown: the stored snapshot worded with the French labels (page and PDF)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from channels.kit.first_week import first_week, fits_family, useful_nearby
from knowledge.citations import citation_for

LABELS_FILE = Path(__file__).with_name("labels_fr.yml")
# A kit a family keeps: short items (issue 14); the details are on the organisation's page.
MAX_CONDITIONS = 1
MAX_STEPS = 1


@lru_cache(maxsize=1)
def labels() -> dict[str, Any]:
    """The French labels of the kit."""
    with LABELS_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def _date(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")


def _safe_href(url: str | None) -> str | None:
    # Only web links become clickable: a stored value can never inject a script URL.
    return url if url and url.startswith(("https://", "http://")) else None


def _contacts(item: dict[str, Any]) -> list[dict[str, str | None]]:
    words = labels()
    found: list[dict[str, str | None]] = []
    if item.get("phone"):
        found.append({"label": words["phone"], "value": item["phone"], "href": None})
    if item.get("email"):
        found.append({"label": words["email"], "value": item["email"], "href": None})
    if item.get("url"):
        found.append(
            {"label": words["website"], "value": item["url"], "href": _safe_href(item["url"])}
        )
    if item.get("office"):
        found.append({"label": words["office"], "value": item["office"], "href": None})
    if item.get("address"):
        found.append({"label": words["address"], "value": item["address"], "href": None})
    return found


def _conditions(item: dict[str, Any]) -> list[str]:
    words = labels()
    found = []
    if item.get("age_min") is not None and item.get("age_max") is not None:
        found.append(words["age_between"].format(low=item["age_min"], high=item["age_max"]))
    elif item.get("age_max") is not None:
        found.append(words["age_max"].format(high=item["age_max"]))
    elif item.get("age_min") is not None:
        found.append(words["age_min"].format(low=item["age_min"]))
    return found + list(item.get("conditions") or [])


def _scheme(item: dict[str, Any]) -> dict[str, Any]:
    words = labels()
    warning = {"project": words["status_project"], "proposal": words["status_proposal"]}.get(
        item["status"]
    )
    return {
        "name": item["name"],
        "badge": words["national_badge"] if item["scope"] == "national" else words["local_badge"],
        "warning": warning,
        "text": item["summary"] or item.get("details") or "",
        "amount": words["amount"].format(amount=item["amount"]) if item.get("amount") else None,
        "conditions": _conditions(item)[:MAX_CONDITIONS],
        "steps": (item.get("steps") or [])[:MAX_STEPS],
        "contacts": _contacts(item),
        "territory": item["territory"],
        "date": words["information_date"].format(date=_date(item["information_date"])),
        "sources": [
            _short_source(text, item.get("url"))
            for text in _citations(item.get("sources") or [])[:1]
        ],
    }


def _short_source(citation: str, url: str | None) -> str:
    """ "Caf : https://…" is only "Caf" when the item's contact already gives that page."""
    publisher, _, cited_url = citation.partition(" : ")
    return publisher if url and cited_url == url else citation


def _citations(sources: list[str]) -> list[str]:
    # Kits stored before citations existed hold raw "file.txt:line" references: never print them.
    citations = (citation_for(source) for source in sources)
    return list(dict.fromkeys(citation.text for citation in citations if citation is not None))


def _contact_line(item: dict[str, Any]) -> str:
    words = labels()
    contacts = (
        " · ".join(f"{c['label']} : {c['value']}" for c in _contacts(item)) or words["no_contact"]
    )
    return f"{item['name']} ({item['territory']}) – {contacts}"


def _date_line(iso: str) -> str:
    return str(labels()["information_date"].format(date=_date(iso)))


def _organisation(item: dict[str, Any]) -> dict[str, str]:
    return {"line": f"{_contact_line(item)} – {_date_line(item['information_date'])}"}


def _household(household: dict[str, Any]) -> list[str]:
    words = labels()
    count, ages = household.get("children", 0), household.get("ages") or []
    if not count:
        lines = [words["household_children_none"]]
    elif ages:
        lines = [
            words["household_children_ages"].format(
                count=count, ages=", ".join(str(a) for a in ages)
            )
        ]
    else:
        lines = [words["household_children"].format(count=count)]
    lines.append(
        words[
            "household_spouse_yes" if household.get("spouse_seeks_work") else "household_spouse_no"
        ]
    )
    return lines


def _section(section: dict[str, Any], commune: str) -> dict[str, Any]:
    words = labels()
    need = section["need"]
    entries = [_scheme(item) for item in section["items"] if fits_family(item)]
    note = None
    if not entries:
        note = words["section_empty_schools" if need == "schools" else "section_empty"].format(
            commune=commune
        )
    elif not section["local_count"]:
        note = words["section_national_only"].format(commune=commune)
    return {
        "title": words["sections"].get(need, need),
        "anchor": f"section-{need}",
        "note": note,
        "entries": entries,
        "organisations": [
            _organisation(org) for org in section.get("organisations") or [] if useful_nearby(org)
        ],
    }


def _listed_organisations(content: dict[str, Any]) -> set[str]:
    return {
        str(org.get("id"))
        for section in content.get("sections") or []
        for org in section.get("organisations") or []
    }


def kit_view(content: dict[str, Any], *, pdf_url: str) -> dict[str, Any]:
    """Everything the template and the PDF print, already worded."""
    words = labels()
    commune = content["commune"]["name"]
    sections = [_section(section, commune) for section in content["sections"]]
    support = [
        _organisation(org)
        for org in content.get("support") or []
        if org.get("id") not in _listed_organisations(content) and useful_nearby(org)
    ]
    return {
        "labels": words,
        "title": words["title"].format(commune=commune),
        "intro": words["intro"].format(commune=commune),
        "generated_on": words["generated_on"].format(date=_date(content["generated_on"])),
        "thin_territory": words["thin_territory"].format(commune=commune)
        if content.get("thin_territory")
        else None,
        "household": _household(content.get("household") or {}),
        "first_week": first_week(content, words, _contact_line, _date_line),
        "sections": sections,
        "toc": [
            {"title": words["first_week_title"], "anchor": words["first_week_anchor"]},
            *({"title": s["title"], "anchor": s["anchor"]} for s in sections),
            *(
                [{"title": words["support_title"], "anchor": words["support_anchor"]}]
                if support
                else []
            ),
        ],
        # The nearest structures, except those a section already lists.
        "support": support,
        "pdf_url": pdf_url,
    }
