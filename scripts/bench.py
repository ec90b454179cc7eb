"""`make bench`: reply latency and throughput through the gateway and directly against Rasa.

Starts the real three processes (as the end-to-end tests do), plays scripted French
conversations at concurrency 1 and 8, through the gateway and against Rasa's REST endpoint in
the same run, and prints p50/p95 latency, messages per second, the gateway overhead ratio, each
process's resident memory and the last training time. Figures are also written to
bench-results/bench.json.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.stack import Stack, _environment, _prepare_database, _start, wait_until_healthy  # noqa: E402

CONVERSATIONS: list[list[str]] = [
    ["bonjour", "tu sers a quoi", "merci"],
    ["slt", "jcherche un logement pour mon alternance a lille", "la deuxième", "merci au revoir"],
    ["bonjour", "garde d'enfant la nuit je bosse en 3x8 a roubaix", "merci"],
    ["aide pour passer le permis jsuis apprenti", "j'habite à Tourcoing", "merci"],
    ["c koi la vae", "merci"],
    ["vous avez des offres de cariste vers roubaix ?", "merci"],
    ["c'est quoi un geiq", "combien ça coute", "merci"],
    ["quel temps fait il demain", "au revoir"],
]
ROUNDS = 3


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


async def play(
    client: httpx.AsyncClient, url: str, direct: bool, messages: list[str]
) -> list[float]:
    """One conversation; latency of each message in ms."""
    session = uuid.uuid4().hex
    latencies = []
    for text in messages:
        body = (
            {"sender": f"web:{session}", "message": text}
            if direct
            else {"session_id": session, "text": text}
        )
        start = time.perf_counter()
        response = await client.post(url, json=body)
        response.raise_for_status()
        latencies.append((time.perf_counter() - start) * 1000)
    return latencies


async def run(url: str, direct: bool, concurrency: int) -> dict[str, float]:
    """Play every conversation ROUNDS times with `concurrency` conversations at once."""
    semaphore = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=32)) as client:

        async def guarded(messages: list[str]) -> list[float]:
            async with semaphore:
                return await play(client, url, direct, messages)

        start = time.perf_counter()
        results = await asyncio.gather(*(guarded(c) for _ in range(ROUNDS) for c in CONVERSATIONS))
        elapsed = time.perf_counter() - start
    latencies = [value for conversation in results for value in conversation]
    return {
        "messages": len(latencies),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "messages_per_s": round(len(latencies) / elapsed, 2),
    }


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    total_kb = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total_kb += int(
                next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))
            )
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (FileNotFoundError, StopIteration, ProcessLookupError):
            continue
        pending.extend(int(child) for child in children)
    return round(total_kb / 1024, 1)


def bench_stack(stack: Stack) -> dict[str, object]:
    """Latency runs, alternating direct and gateway so both see the same machine load."""
    gateway_url = f"{stack.base_url}/api/chat"
    rasa_url = f"{stack.env['RASA_URL']}/webhooks/rest/webhook"
    asyncio.run(run(gateway_url, False, 2))  # warm-up: first calls load lazily built indexes
    figures: dict[str, object] = {}
    for concurrency in (1, 8):
        figures[f"direct_c{concurrency}"] = asyncio.run(run(rasa_url, True, concurrency))
        figures[f"gateway_c{concurrency}"] = asyncio.run(run(gateway_url, False, concurrency))
    for concurrency in (1, 8):
        gateway = figures[f"gateway_c{concurrency}"]
        direct = figures[f"direct_c{concurrency}"]
        assert isinstance(gateway, dict) and isinstance(direct, dict)
        figures[f"p95_ratio_c{concurrency}"] = round(gateway["p95_ms"] / direct["p95_ms"], 3)
    figures["rss_mb"] = {name: rss_mb(process.pid) for name, process in stack.processes.items()}
    return figures


def main() -> int:
    """Start the stack, measure, print, write JSON."""
    import tempfile

    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    env = _environment(workdir)
    _prepare_database(env, workdir)
    stack = _start(env, workdir)
    try:
        wait_until_healthy(stack)
        figures = bench_stack(stack)
    finally:
        stack.stop()
    hash_file = sorted((ROOT / "models").glob("*.train-seconds"), key=lambda p: p.stat().st_mtime)
    figures["training_seconds"] = int(hash_file[-1].read_text()) if hash_file else None
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "bench.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print(json.dumps(figures, indent=2))
    ok = figures["p95_ratio_c1"] <= 1.10 and figures["p95_ratio_c8"] <= 1.25  # type: ignore[operator]
    print(
        "targets (gateway p95 <= 1.10x direct at c=1, <= 1.25x at c=8):", "met" if ok else "MISSED"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
