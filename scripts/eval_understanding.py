"""Understanding evaluation through the real running assistant (Rasa + actions + gateway).

    .venv-app/bin/python scripts/eval_understanding.py [--set FILE ...] [--report PATH] [--limit N]
                                                       [--url http://127.0.0.1:8000] [--workers N]

Plays every case of each conversation set (format of tests/blind/*.yml) in a fresh chat session,
answering the place question with the profile's commune, and scores the replies after the last turn
(scripts/eval/cases.py). Without --url it starts one stack (tests/stack.py: free ports, temporary
database with the full knowledge base) for all sets. Prints aggregates only; writes them to the JSON
report. Per-case details are written only for development sets (tests/dev/), never for blind sets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.eval.cases import Case, CaseScore, aggregate, load_set, score_case  # noqa: E402
from scripts.eval.play import Chat, http_chat, play, project_matcher  # noqa: E402
from scripts.eval.scoring import FlowRules, ResponseMatcher  # noqa: E402

DEFAULT_SETS = sorted((ROOT / "tests" / "blind").glob("*.yml")) + sorted(
    (ROOT / "tests" / "dev").glob("*.yml")
)
DEFAULT_REPORT = ROOT / "results" / "eval" / "understanding.json"
DETAILS_DIR = ROOT / "results" / "eval" / "details"
DEV_DIR = ROOT / "tests" / "dev"


def details_allowed(path: Path) -> bool:
    """Per-case results may be kept for development sets only (blind results are never looked at)."""
    return path.resolve().is_relative_to(DEV_DIR.resolve())


def model_hash() -> str:
    result = subprocess.run(
        [str(ROOT / "scripts" / "model-hash.sh")], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


@contextmanager
def started_stack() -> Iterator[str]:
    """One real stack for the whole run; yields the gateway URL."""
    from tests.stack import _environment, _prepare_database, _start, wait_until_healthy

    workdir = Path(tempfile.mkdtemp(prefix="eval-stack-"))
    env = _environment(workdir)
    print("starting Rasa, the action server and the gateway...", flush=True)
    _prepare_database(env, workdir)
    stack = _start(env, workdir)
    try:
        wait_until_healthy(stack)
        yield stack.base_url
    finally:
        stack.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def run_set(
    path: Path,
    chat: Chat,
    matcher: ResponseMatcher,
    rules: FlowRules,
    limit: int | None,
    workers: int,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Aggregates of one set, and its per-case rows (kept only for development sets)."""
    _, cases = load_set(path)
    cases = cases[:limit] if limit else cases

    def one(case: Case) -> tuple[CaseScore, list[Any]]:
        try:
            exchanges = play(case, chat, matcher, rules)
        except Exception:  # noqa: BLE001 - a failed case is counted as an error, the run goes on
            return CaseScore(False, False, False, False, (), error=True), []
        return score_case(case, exchanges, rules), exchanges

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(one, cases))
    rows = [
        {
            "id": case.id,
            "flow": case.flow,
            "right": score.right,
            "national_wait": score.national_wait,
            "not_understood": score.not_understood,
            "rejected": score.rejected,
            "error": score.error,
            "flows": list(score.flows),
            "exchanges": [
                {"sent": e.sent, "kind": e.kind, "names": e.names, "texts": e.texts}
                for e in exchanges
            ],
        }
        for case, (score, exchanges) in zip(cases, results, strict=True)
    ]
    return aggregate(cases, [s for s, _ in results]), rows


def _summary(name: str, figures: dict[str, Any]) -> str:
    parts = [f"{name}: {figures['cases']} cases"]
    for key in ("right", "national_wait", "not_understood", "rejected", "rejected_overlap"):
        if key in figures and figures[key]["rate"] is not None:
            f = figures[key]
            parts.append(f"{key} {f['rate']:.3f} ({f['count']}/{f['of']})")
    if figures["errors"]:
        parts.append(f"ERRORS {figures['errors']}")
    return "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--set", dest="sets", action="append", type=Path, help="conversation set (repeatable)"
    )
    parser.add_argument("--report", type=Path, default=DEFAULT_REPORT)
    parser.add_argument("--limit", type=int, default=None, help="first N cases of each set")
    parser.add_argument("--url", default=None, help="a running gateway instead of starting one")
    parser.add_argument("--workers", type=int, default=3, help="conversations played at once")
    args = parser.parse_args(argv)
    sets = list(args.sets or DEFAULT_SETS)
    missing = [str(p) for p in sets if not p.is_file()]
    if missing or not sets:
        print(f"no such set: {', '.join(missing) or '(none given)'}", file=sys.stderr)
        return 2
    rules = FlowRules.load(ROOT / "scripts" / "eval" / "flows.yml")
    matcher = project_matcher(ROOT)
    report: dict[str, Any] = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "model": model_hash() if args.url is None else f"running at {args.url}",
        "sets": {},
    }
    with started_stack() if args.url is None else _given(args.url) as url:
        chat = http_chat(url)
        for path in sets:
            figures, rows = run_set(path, chat, matcher, rules, args.limit, args.workers)
            key = (
                str(path.resolve().relative_to(ROOT))
                if path.resolve().is_relative_to(ROOT)
                else str(path)
            )
            report["sets"][key] = figures
            print(_summary(key, figures), flush=True)
            if details_allowed(path):
                DETAILS_DIR.mkdir(parents=True, exist_ok=True)
                out = DETAILS_DIR / f"{path.stem}.json"
                out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"report: {args.report}")
    return 1 if any(f["errors"] for f in report["sets"].values()) else 0


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url


if __name__ == "__main__":
    sys.exit(main())
