"""Logging set-up, called once by each process entry point, and the redaction of log lines."""

from __future__ import annotations

import json
import logging
import re

# What must never reach a log file, whatever code wrote the line: contact details, the
# secrets carried in URLs (conversation ids, kit tokens, the Telegram bot token) and the SQL
# parameters SQLAlchemy appends to database errors (message text, conversation id).
_REDACTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\[parameters: .*?\](?=\n|\Z)", re.DOTALL), "[parameters hidden]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "<e-mail>"),
    (re.compile(r"(?<!\d)(?:\+|00)?33[\s.-]?[1-9](?:[\s.-]?\d{2}){4}(?!\d)"), "<phone>"),
    (re.compile(r"(?<!\d)0[1-9](?:[\s.-]?\d{2}){4}(?!\d)"), "<phone>"),
    (re.compile(r"(/api/chat/)[^/\s?\"']+"), r"\1<session>"),
    (re.compile(r"(/kit/)[^/\s?\"'.]+"), r"\1<token>"),
    (re.compile(r"(/bot)\d+:[\w-]+"), r"\1<token>"),
)


def redact(line: str) -> str:
    """The line with personal data and secrets replaced by placeholders."""
    for pattern, replacement in _REDACTIONS:
        line = pattern.sub(replacement, line)
    return line


class RedactingFormatter(logging.Formatter):
    """Formats as usual (traceback included), then redacts the whole text."""

    def __init__(self, inner: logging.Formatter | None = None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """The inner formatter's text, redacted."""
        return redact(self.inner.format(record))


# Keys of Rasa's structured log events that carry what the person wrote or what was said back.
_PERSONAL_KEYS = (
    "text",
    "response_text",
    "user_text",
    "message",
    "user_message",
    "json_message",
    "parse_data",
    "slots",
    "response",
)


def _hide_personal_keys(message: str) -> str:
    """A structlog JSON line with the values of personal keys hidden; other text unchanged."""
    if not message.startswith("{"):
        return message
    try:
        data = json.loads(message)
    except ValueError:
        return message
    if not isinstance(data, dict):
        return message
    for key in _PERSONAL_KEYS:
        if key in data:
            data[key] = "<hidden>"
    return json.dumps(data, ensure_ascii=False)


class RedactingFilter(logging.Filter):
    """Handler filter for processes whose formatters we do not own (Rasa, via its logging config).

    Hides the personal fields of Rasa's JSON log events (its REST channel logs the person's whole
    message when processing fails), then redacts the line and its traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        record.msg = redact(_hide_personal_keys(record.getMessage()))
        record.args = ()
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def redact_handlers(*logger_names: str) -> None:
    """Wrap the formatter of every handler of these loggers (root: "") in a RedactingFormatter."""
    for name in logger_names:
        for handler in logging.getLogger(name or None).handlers:
            if not isinstance(handler.formatter, RedactingFormatter):
                handler.setFormatter(RedactingFormatter(handler.formatter))


def configure_logging(level: str = "INFO") -> None:
    """Configure the root logger, redact every line, and quiet the chatty HTTP libraries."""
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        level=level.upper(),
    )
    # uvicorn installs its own handlers (not propagating to root) before the app is built.
    redact_handlers("", "uvicorn", "uvicorn.error", "uvicorn.access")
    # httpx logs every request URL at INFO, which would flood the logs (and Telegram URLs hold the token).
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
