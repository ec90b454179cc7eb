"""Rasa's own logs (console and LOG_DIR/rasa.log) never hold what the person wrote.

Rasa is configured exactly as scripts/run-rasa.sh does (its logging config file), in the engine
environment, then logs the events that carry a message: the REST channel's failure event (the
whole message), a warning quoting it, and an exception.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.stack import ROOT

pytestmark = pytest.mark.robustness
EMAIL, PHONE = "rasa.log.person@exemple.fr", "06 55 44 33 22"
SCRIPT = f"""
import logging, structlog
from rasa.utils.common import configure_logging_and_warnings
from rasa.utils.log_utils import configure_structlog
configure_logging_and_warnings(logging_config_file="scripts/rasa-logging.yml")
configure_structlog()
structlog.get_logger().error("rest.message.received.failure", text="je suis {EMAIL}")
logging.getLogger("rasa.core").warning("Parsed an intent 'contact {EMAIL} {PHONE}'")
try:
    raise ValueError("cannot handle {EMAIL}")
except ValueError:
    logging.getLogger("rasa.core").exception("failure for {PHONE}")
"""


def test_rasa_logs_hide_the_message(tmp_path: Path) -> None:
    engine = ROOT / ".venv-engine" / "bin" / "python"
    if not engine.exists():
        pytest.skip("the engine environment is not installed (make engine)")
    log_file = tmp_path / "rasa.log"
    env = {**os.environ, "RASA_LOG_FILE": str(log_file), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [str(engine), "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    written = log_file.read_text(encoding="utf-8")
    assert "rest.message.received.failure" in written and "ValueError" in written
    for text in (written, result.stdout, result.stderr):
        assert EMAIL not in text and PHONE not in text and "rasa.log.person" not in text


ACTIONS_SCRIPT = f"""
import logging
from rasa_sdk import utils
utils.configure_colored_logging("INFO")
utils.configure_file_logging(
    logging.getLogger("rasa_sdk"), None, "INFO", "scripts/actions-logging.yml"
)
try:
    raise ValueError("cannot store {EMAIL}")
except ValueError:
    logging.getLogger("actions.spouse_cv").exception("profile for {PHONE} failed")
"""


def test_the_action_server_logs_hide_contact_details() -> None:
    result = subprocess.run(
        [str(ROOT / ".venv-app" / "bin" / "python"), "-c", ACTIONS_SCRIPT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    output = result.stdout + result.stderr
    assert "ValueError" in output and "profile for" in output
    assert EMAIL not in output and PHONE not in output
