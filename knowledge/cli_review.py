"""Operators' review commands: ``freshness`` and ``check-links`` (see ``knowledge.cli``).

Both read the YAML files (no database needed), so they can run in a cron job or CI.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from knowledge.freshness import ReviewItem, due_for_review, is_stale
from knowledge.links import check_links, collect_links
from knowledge.validation import DEFAULT_DATA_DIR, read_knowledge


def add_review_commands(commands: Any) -> None:
    """Register ``freshness`` and ``check-links`` on the CLI's sub-parsers."""
    fresh = commands.add_parser("freshness", help="records due for review, by territory")
    fresh.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    fresh.add_argument("--within", type=int, default=0, metavar="DAYS", help="also due soon")
    fresh.add_argument("--today", type=dt.date.fromisoformat, help="YYYY-MM-DD (default: today)")
    fresh.add_argument("--json", action="store_true")
    fresh.set_defaults(handler=_freshness)
    links = commands.add_parser("check-links", help="check every web address of the data")
    links.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    links.add_argument("--timeout", type=float, default=10.0, help="seconds per request")
    links.add_argument("--concurrency", type=int, default=8, help="requests at a time")
    links.add_argument("--all", action="store_true", help="list working links too")
    links.add_argument("--json", action="store_true")
    links.set_defaults(handler=_check_links)


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _freshness(args: argparse.Namespace) -> int:
    today = args.today or dt.date.today()
    data = read_knowledge(args.data_dir, sources_dir=None, today=today)
    items = due_for_review(data, today=today, within_days=args.within)
    total = len(data.schemes) + len(data.organisations)
    dates = [entry.record.information_date for entry in data.schemes] + [
        entry.record.information_date for entry in data.organisations
    ]
    stale = sum(1 for date in dates if is_stale(date, today))
    if args.json:
        _out(json.dumps(_freshness_json(items, total, stale, today), ensure_ascii=False, indent=2))
        return 0
    _out(
        f"{len(items)} of {total} records due for review by "
        f"{today + dt.timedelta(days=args.within)}; {stale} show a 'check it' notice "
        f"(information older than 18 months)"
    )
    by_territory: dict[str, list[ReviewItem]] = defaultdict(list)
    for item in items:
        by_territory[item.territory_key].append(item)
    for territory, entries in by_territory.items():
        _out(f"\n{territory}: {len(entries)}")
        for item in entries:
            flag = " [stale]" if item.stale else ""
            _out(
                f"  review by {item.review_by}  {item.kind} {item.id} (information "
                f"{item.information_date}{flag})  {item.file}:{item.line}"
            )
    return 0


def _freshness_json(
    items: list[ReviewItem], total: int, stale: int, today: dt.date
) -> dict[str, Any]:
    by_territory: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        by_territory[item.territory_key].append(
            {
                "kind": item.kind,
                "id": item.id,
                "name": item.name,
                "status": item.status,
                "information_date": item.information_date.isoformat(),
                "review_by": item.review_by.isoformat(),
                "stale": item.stale,
                "where": f"{item.file}:{item.line}",
            }
        )
    return {
        "today": today.isoformat(),
        "records": total,
        "due": len(items),
        "stale": stale,
        "by_territory": dict(by_territory),
    }


def _check_links(args: argparse.Namespace) -> int:
    data = read_knowledge(args.data_dir, sources_dir=None)
    links = collect_links(data)
    results = asyncio.run(check_links(links, timeout=args.timeout, concurrency=args.concurrency))
    broken = [result for result in results if not result.ok]
    if args.json:
        shown = results if args.all else broken
        _out(
            json.dumps(
                [
                    {
                        "url": r.url,
                        "status": r.status,
                        "final_url": r.final_url,
                        "error": r.error,
                        "used_by": list(r.used_by),
                    }
                    for r in shown
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for result in results:
            if result.ok and not args.all:
                continue
            state = str(result.status) if result.status is not None else "unreachable"
            moved = f" -> {result.final_url}" if result.redirected else ""
            error = f" ({result.error})" if result.error else ""
            _out(f"{state:>11}  {result.url}{moved}{error}  used by {', '.join(result.used_by)}")
        _out(f"{len(results)} links checked, {len(broken)} broken")
    return 1 if broken else 0
