"""Run the processes of a Procfile, restart any that crashes and say so (what `make run` uses).

honcho stops every process as soon as one exits, so one crash (the gateway killed by a full
disk, say) took the whole assistant down. Here a process that exits on its own is restarted
after a pause that doubles up to 30 s (reset once it has run for a minute), with a line saying
which one, how it ended and when it comes back. Ctrl-C or SIGTERM stops them all.

Usage: python scripts/supervise.py [-f Procfile]   (standard library only)
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

STOP_GRACE_SECONDS = 20.0
MAX_BACKOFF_SECONDS = 30.0
STABLE_AFTER_SECONDS = 60.0


def say(line: str) -> None:
    """One line of the supervisor itself."""
    sys.stdout.write(f"{time.strftime('%H:%M:%S')} supervisor | {line}\n")
    sys.stdout.flush()


def read_procfile(path: Path) -> dict[str, str]:
    """`name: command` lines (blank lines and # comments skipped)."""
    entries: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#") and ":" in line:
            name, command = line.split(":", 1)
            entries[name.strip()] = command.strip()
    return entries


class Child:
    """One supervised process and its restart policy."""

    def __init__(self, name: str, command: str, width: int) -> None:
        self.name, self.command, self.width = name, command, width
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.backoff = 1.0
        self.restart_at: float | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command,
            shell=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started_at = time.monotonic()
        self.restart_at = None
        say(f"{self.name} started (pid {self.process.pid})")
        threading.Thread(target=self._relay, args=(self.process,), daemon=True).start()

    def _relay(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            sys.stdout.write(f"{time.strftime('%H:%M:%S')} {self.name:<{self.width}} | {line}\n")
            sys.stdout.flush()

    def check(self, now: float) -> None:
        """Restart a process that ended, after its pause."""
        if self.process is not None and self.process.poll() is not None:
            code = self.process.returncode
            how = f"killed by signal {-code}" if code < 0 else f"exited with code {code}"
            if now - self.started_at >= STABLE_AFTER_SECONDS:
                self.backoff = 1.0
            say(f"{self.name} {how}; restarting in {self.backoff:.0f} s")
            self.process = None
            self.restart_at = now + self.backoff
            self.backoff = min(self.backoff * 2, MAX_BACKOFF_SECONDS)
        if self.process is None and self.restart_at is not None and now >= self.restart_at:
            self.start()

    def signal(self, sig: int) -> None:
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-f", "--procfile", default="Procfile", type=Path)
    args = parser.parse_args()
    entries = read_procfile(args.procfile)
    width = max(len(name) for name in entries)
    children = [Child(name, command, width) for name, command in entries.items()]
    stopping = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopping.set())
    for child in children:
        child.start()
    while not stopping.wait(0.5):
        now = time.monotonic()
        for child in children:
            child.check(now)
    say("stopping every process")
    for child in children:
        child.signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children:
        while child.process is not None and child.process.poll() is None:
            if time.monotonic() > deadline:
                child.signal(signal.SIGKILL)
                child.process.wait()
                break
            time.sleep(0.1)
    say("stopped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
