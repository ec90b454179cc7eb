"""Retention of every store of personal data, run by `make purge` and on a schedule by the gateway.

Stores: the request tables (leads, spouse profiles, welcome kits), the hand-off tables (closed
tickets, messages, notes, call-backs), Rasa's tracker store (every message verbatim) and the log
files in ``LOG_DIR`` (lines older than the retention are cut, old rotated files deleted).

Run by hand: `python -m channels.retention [--days N]` (what `make purge` does).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, inspect
from sqlalchemy.exc import OperationalError

from bot.settings import Settings, get_settings
from knowledge.db import make_engine, make_session_factory
from knowledge.tracker_store import purge_events

# Log lines of Rasa and of our processes start with an ISO date ("2026-12-05 11:30:18...").
_LOG_DATE = re.compile(rb"^(\d{4}-\d{2}-\d{2})[ T]")
T = TypeVar("T")


def cutoff_for(days: int, now: dt.datetime | None = None) -> dt.datetime:
    """The moment before which personal data must be gone."""
    if days < 1:
        raise ValueError("retention must be at least one day")
    return (now or dt.datetime.now(dt.timezone.utc)) - dt.timedelta(days=days)


def purge_log_file(path: Path, cutoff: dt.datetime) -> int:
    """Cut the lines dated before ``cutoff`` from one log file; lines removed.

    The file is rewritten in place (not replaced) because Rasa keeps it open in append mode:
    its next line then lands at the new end of the same file.
    """
    if dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc) < cutoff:
        removed = path.read_bytes().count(b"\n")
        path.unlink()
        return removed
    limit = cutoff.date().isoformat().encode()
    with path.open("r+b") as handle:
        lines = handle.readlines()
        keep_from = 0
        for index, line in enumerate(lines):
            match = _LOG_DATE.match(line)
            if match and match.group(1) >= limit:
                break
            # Undated lines (tracebacks) belong to the dated line above them.
            keep_from = index + 1
        if keep_from == 0:
            return 0
        handle.seek(0)
        handle.writelines(lines[keep_from:])
        handle.truncate()
    return keep_from


def purge_logs(log_dir: Path, cutoff: dt.datetime) -> int:
    """Purge every ``*.log`` and rotated ``*.log.*`` file of ``log_dir``."""
    if not log_dir.is_dir():
        return 0
    removed = 0
    for path in sorted({*log_dir.glob("*.log"), *log_dir.glob("*.log.*")}):
        if path.is_file():
            removed += purge_log_file(path, cutoff)
    return removed


def _purge_console(engine: Engine, days: int) -> int:
    from channels.console.models import Ticket
    from channels.console.retention import purge_personal_data

    if not inspect(engine).has_table(Ticket.__tablename__):
        return 0
    with make_session_factory(engine).begin() as session:
        return purge_personal_data(session, days)


def _retrying(work: Callable[[], T], attempts: int = 4) -> T:
    """Run one store's purge, again after a pause if the database was busy.

    SQLite answers "database is locked" at once, without waiting, when a read transaction of
    another process wants to write at the same time (the gateway's sweeper, Rasa).
    """
    for attempt in range(attempts - 1):
        try:
            return work()
        except OperationalError:
            time.sleep(0.5 * 2**attempt)
    return work()


def purge_all(
    settings: Settings,
    *,
    days: int | None = None,
    engine: Engine | None = None,
    tracker_engine: Engine | None = None,
) -> dict[str, int]:
    """Purge every store; rows (or log lines) deleted per store."""
    from knowledge.purge import purge_personal_data

    days = days or settings.personal_data_retention_days
    cutoff = cutoff_for(days)
    app_engine = engine or make_engine(settings.database_url)
    tracker = tracker_engine or make_engine(
        settings.tracker_store_url.render_as_string(hide_password=False)
    )

    def purge_requests() -> dict[str, int]:
        with make_session_factory(app_engine).begin() as session:
            return purge_personal_data(session, retention_days=days)

    try:
        counts = _retrying(purge_requests)
        counts["console"] = _retrying(lambda: _purge_console(app_engine, days))
        counts["tracker_events"] = _retrying(lambda: purge_events(tracker, older_than=cutoff))
        counts["log_lines"] = purge_logs(Path(settings.log_dir), cutoff)
    finally:
        if engine is None:
            app_engine.dispose()
        if tracker_engine is None:
            tracker.dispose()
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    """`make purge`."""
    parser = argparse.ArgumentParser(prog="python -m channels.retention", description=__doc__)
    parser.add_argument("--days", type=int, help="default: PERSONAL_DATA_RETENTION_DAYS")
    args = parser.parse_args(argv)
    settings = get_settings()
    counts = purge_all(settings, days=args.days)
    days = args.days or settings.personal_data_retention_days
    sys.stdout.write(
        f"personal data older than {days} days deleted: "
        + ", ".join(f"{store} {count}" for store, count in sorted(counts.items()))
        + "\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
