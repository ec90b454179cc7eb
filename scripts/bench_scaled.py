"""`make bench-scaled`: many concurrent conversations through the HAProxy of `make run-scaled`.

Each conversation is a multi-turn script from scripts/bench.py played with its own cookie jar
(HAProxy's sticky cookie, as a browser would). A turn that fails (HTTP error, time-out, or the
gateway's "service unavailable" reply) is sent again after a pause, as a person would, for up
to --retry-seconds: with the same `message_id` after an HTTP error or time-out (as the widget
does), with a new one after an answer. At the end every conversation's Rasa tracker
(PostgreSQL, read through the Rasa load balancer) must hold each user message exactly once and
in order, each followed by a bot reply: lost, duplicated and reordered messages are counted,
not guessed.

--kill-rasa SIGKILLs the first Rasa replica after --kill-after seconds (its pid file is written
by scripts/run-scaled.sh; the supervisor restarts it). Figures go to
bench-results/bench_scaled.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench import CONVERSATIONS  # noqa: E402  (multi-turn scripts without a hand-off)

from channels.texts import text as gateway_text  # noqa: E402


@dataclass
class Figures:
    """What the run saw, turn by turn."""

    latencies_ms: list[float] = field(default_factory=list)
    attempts_failed: dict[str, int] = field(default_factory=dict)
    turns_retried: int = 0
    turns_given_up: int = 0

    def failed(self, kind: str) -> None:
        self.attempts_failed[kind] = self.attempts_failed.get(kind, 0) + 1


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


async def send_turn(
    client: httpx.AsyncClient, session: str, message: str, figures: Figures, retry_for: float
) -> bool:
    """One turn, resent after failures; True once the assistant answered it."""
    unavailable = gateway_text("service_unavailable")
    deadline = time.monotonic() + retry_for
    pause, retried = 1.0, False
    # As the widget: the same message id on a resend after a time-out or a 5xx (the gateway
    # answers it from the turn already made); a new one after an answer (a person retyping).
    message_id = uuid.uuid4().hex
    while True:
        start = time.perf_counter()
        kind = ""
        try:
            body = {"session_id": session, "text": message, "message_id": message_id}
            response = await client.post("/api/chat", json=body)
            if response.status_code != 200:
                kind = f"http_{response.status_code}"
            elif any(m.get("text") == unavailable for m in response.json().get("messages", [])):
                kind = "service_unavailable"
            elif not response.json().get("messages"):
                kind = "empty"
        except httpx.HTTPError as error:
            kind = type(error).__name__
        if not kind:
            figures.latencies_ms.append((time.perf_counter() - start) * 1000)
            figures.turns_retried += retried
            return True
        figures.failed(kind)
        if kind in ("service_unavailable", "empty"):
            message_id = uuid.uuid4().hex
        if time.monotonic() + pause > deadline:
            figures.turns_given_up += 1
            return False
        retried = True
        await asyncio.sleep(pause)
        pause = min(pause * 2, 8.0)


async def play(
    base_url: str, number: int, figures: Figures, retry_for: float
) -> tuple[str, list[str]]:
    """One conversation with its own cookies; its session id and the messages sent."""
    session = f"bench-{uuid.uuid4().hex}"
    script = CONVERSATIONS[number % len(CONVERSATIONS)]
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        for message in script:
            await send_turn(client, session, message, figures, retry_for)
    return session, script


def _every_user_message_answered(events: list[dict[str, Any]]) -> bool:
    waiting = False
    for event in events:
        if event.get("event") == "user" and not str(event.get("text") or "").startswith("/"):
            if waiting:
                return False
            waiting = True
        elif event.get("event") == "bot":
            waiting = False
    return not waiting


def check_tracker(tracker: dict[str, Any], sent: list[str]) -> str:
    """`ok`, `lost`, `duplicated`, `reordered` or `unanswered` for one conversation."""
    events = tracker.get("events") or []
    said = [
        e.get("text")
        for e in events
        if e.get("event") == "user" and not str(e.get("text") or "").startswith("/")
    ]
    if said == sent:
        return "ok" if _every_user_message_answered(events) else "unanswered"
    if len(said) > len(sent) or len(set(said)) < len(said):
        return "duplicated"
    if sorted(said) == sorted(sent):
        return "reordered"
    return "lost"


async def verify(rasa_url: str, token: str, played: list[tuple[str, list[str]]]) -> dict[str, int]:
    """Read every tracker back and classify the conversations."""
    params = {"include_events": "ALL", **({"token": token} if token else {})}
    counts: dict[str, int] = {}
    semaphore = asyncio.Semaphore(16)
    async with httpx.AsyncClient(base_url=rasa_url, timeout=60) as client:

        async def one(session: str, sent: list[str]) -> None:
            async with semaphore:
                response = await client.get(f"/conversations/web:{session}/tracker", params=params)
            verdict = (
                check_tracker(response.json(), sent) if response.status_code == 200 else "lost"
            )
            counts[verdict] = counts.get(verdict, 0) + 1

        await asyncio.gather(*(one(session, sent) for session, sent in played))
    return counts


def kill_rasa_replica(pid_file: Path) -> int:
    """SIGKILL one Rasa replica (the supervisor restarts it); its pid."""
    pid = int(pid_file.read_text().strip())
    os.kill(pid, signal.SIGKILL)
    return pid


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """Play the conversations (killing a replica when asked), then verify the trackers."""
    figures = Figures()
    killed: dict[str, Any] = {}

    async def killer() -> None:
        await asyncio.sleep(args.kill_after)
        killed["pid"] = kill_rasa_replica(args.pid_file)
        killed["at_s"] = round(time.perf_counter() - start, 1)

    start = time.perf_counter()
    kill_task = asyncio.create_task(killer()) if args.kill_rasa else None
    played = await asyncio.gather(
        *(play(args.url, i, figures, args.retry_seconds) for i in range(args.conversations))
    )
    elapsed = time.perf_counter() - start
    if kill_task is not None and not kill_task.done():
        kill_task.cancel()
    verdicts = await verify(args.rasa_url, os.environ.get("RASA_API_TOKEN", ""), played)
    turns = sum(len(sent) for _, sent in played)
    latencies = figures.latencies_ms
    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "conversations": args.conversations,
        "turns": turns,
        "turns_answered": len(latencies),
        "turns_retried": figures.turns_retried,
        "turns_given_up": figures.turns_given_up,
        "failed_attempts": figures.attempts_failed,
        "trackers": verdicts,
        "wall_s": round(elapsed, 1),
        "turns_per_s": round(len(latencies) / elapsed, 2),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "killed_rasa": killed or None,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options (defaults match scripts/run-scaled.sh)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('SCALED_PORT', 8100)}")
    parser.add_argument(
        "--rasa-url", default=f"http://127.0.0.1:{os.environ.get('SCALED_RASA_PORT', 5100)}"
    )
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--retry-seconds", type=float, default=120.0)
    parser.add_argument("--kill-rasa", action="store_true", help="SIGKILL Rasa replica 1 mid-run")
    parser.add_argument("--kill-after", type=float, default=10.0)
    parser.add_argument("--pid-file", type=Path, default=ROOT / "var/scaled/rasa1.pid")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results/bench_scaled.json")
    return parser.parse_args(argv)


def main() -> int:
    """Run, print and write the figures; exit 1 when a conversation is not intact."""
    args = parse_args()
    figures = asyncio.run(run(args))
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    intact = figures["trackers"].get("ok", 0) == args.conversations
    return 0 if intact and not figures["turns_given_up"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
