"""`make run`'s supervisor restarts a crashed process, says so, and leaves the others alone."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.stack import ROOT

pytestmark = pytest.mark.robustness


def test_a_crashed_process_is_restarted_and_the_others_keep_running(tmp_path: Path) -> None:
    procfile = tmp_path / "Procfile"
    procfile.write_text("crash: echo up; sleep 0.2; exit 3\nsteady: echo steady; exec sleep 120\n")
    output = tmp_path / "out.txt"
    supervisor = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "supervise.py"), "-f", str(procfile)],
        stdout=output.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and output.read_text().count("crash started") < 3:
            time.sleep(0.2)
        text = output.read_text()
        assert "crash exited with code 3; restarting in 1 s" in text
        assert "crash exited with code 3; restarting in 2 s" in text
        assert text.count("crash started") >= 3 and text.count("steady started") == 1
        assert supervisor.poll() is None
    finally:
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=30) == 0
    text = output.read_text()
    assert "stopped" in text
    steady_pid = int(text.split("steady started (pid ")[1].split(")")[0])
    assert subprocess.run(["kill", "-0", str(steady_pid)], capture_output=True).returncode != 0
