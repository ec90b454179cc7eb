"""Readers for offer files: France Travail "offres d'emploi v2" JSON, La bonne
alternance-style JSON (``jobs_partners``), CSV, and our own JSON (the demo set).

A malformed file (not JSON / CSV, wrong structure, missing column) raises
``OfferFileError`` and nothing is loaded. A bad row is rejected with its number, id
and field in the report; the other rows are kept (``strict`` callers refuse them all).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from knowledge.offers.mappers import MAPPERS, PlaceResolver
from knowledge.offers.record import OfferRecord

FORMATS = ("france_travail", "lba", "csv", "native")
CSV_COLUMNS = (
    "external_id",
    "title",
    "employer",
    "commune_insee",
    "postcode",
    "city",
    "contract_type",
    "contract_duration_months",
    "working_hours",
    "alternance",
    "rome_code",
    "description",
    "apply_url",
    "apply_email",
    "apply_phone",
    "posted_on",
    "expires_on",
    "source_url",
)
CSV_REQUIRED = ("external_id", "title", "contract_type", "posted_on")


class OfferFileError(ValueError):
    """The file cannot be read as offers at all."""


@dataclass(frozen=True)
class Rejection:
    row: str
    message: str
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.row} field {self.field!r}" if self.field else self.row
        return f"{where}: {self.message}"


@dataclass
class ParsedOffers:
    format: str
    records: list[OfferRecord] = field(default_factory=list)
    row_labels: list[str] = field(default_factory=list)  # parallel to records
    rejected: list[Rejection] = field(default_factory=list)


def read_offers_file(
    path: Path,
    *,
    file_format: str | None = None,
    resolve_place: PlaceResolver | None = None,
    today: dt.date | None = None,
) -> ParsedOffers:
    """Parse and validate every row of an offer file (nothing is written)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise OfferFileError(f"{path}: not UTF-8 text ({error.reason})") from error
    return parse_offers(text, str(path), file_format, resolve_place, today or dt.date.today())


def parse_offers(
    text: str,
    name: str,
    file_format: str | None,
    resolve_place: PlaceResolver | None,
    today: dt.date,
) -> ParsedOffers:
    if file_format not in (None, *FORMATS):
        raise OfferFileError(f"{name}: unknown format {file_format!r}; one of {', '.join(FORMATS)}")
    if file_format == "csv" or (file_format is None and name.lower().endswith(".csv")):
        rows: list[tuple[str, Any]] = list(_csv_rows(text, name))
        file_format = "csv"
    else:
        document = _json_document(text, name)
        file_format = file_format or _detect_format(document, name)
        rows = [
            (f"#{n}", item) for n, item in enumerate(_json_items(document, file_format, name), 1)
        ]
    mapper = MAPPERS[file_format]
    parsed = ParsedOffers(file_format)
    for row_label, raw in rows:
        _convert(parsed, row_label, raw, lambda raw: mapper(raw, resolve_place, today), today)
    return parsed


def _convert(
    parsed: ParsedOffers,
    row_label: str,
    raw: Any,
    mapper: Callable[[Any], dict[str, Any]],
    today: dt.date,
) -> None:
    identifier = _identifier(raw)
    label = f"{row_label} (id {identifier})" if identifier else row_label
    if not isinstance(raw, dict):
        parsed.rejected.append(Rejection(label, "each offer must be an object"))
        return
    try:
        record = OfferRecord.model_validate(mapper(raw))
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            location = ".".join(str(step) for step in detail["loc"]) or None
            message = str(detail["msg"]).removeprefix("Value error, ")
            parsed.rejected.append(Rejection(label, message, location))
        return
    except (KeyError, TypeError, ValueError) as error:
        parsed.rejected.append(Rejection(label, _mapping_message(error), _mapping_field(error)))
        return
    if record.expires_on < today:
        parsed.rejected.append(Rejection(label, f"expired on {record.expires_on}", "expires_on"))
        return
    parsed.records.append(record)
    parsed.row_labels.append(label)


def _identifier(raw: Any) -> str | None:
    if not isinstance(raw, dict):
        return None
    for key in ("id", "partner_job_id", "external_id", "_id"):
        if raw.get(key):
            return str(raw[key])
    return None


def _mapping_message(error: Exception) -> str:
    if isinstance(error, KeyError):
        return "required field is missing"
    return re.sub(r"^[\w.]+: ", "", str(error))


def _mapping_field(error: Exception) -> str | None:
    if isinstance(error, KeyError):
        return str(error.args[0])
    match = re.match(r"^([\w.]+):", str(error))
    return match.group(1) if match else None


def _json_document(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise OfferFileError(
            f"{name}:{error.lineno}: invalid JSON at column {error.colno}: {error.msg}"
        ) from error


def _detect_format(document: Any, name: str) -> str:
    if isinstance(document, dict):
        if "resultats" in document:
            return "france_travail"
        if "jobs" in document:
            return "lba"
        if "offers" in document:
            return "native"
    if isinstance(document, list) and document and isinstance(document[0], dict):
        first = document[0]
        if "intitule" in first:
            return "france_travail"
        if "offer_title" in first:
            return "lba"
        if "title" in first:
            return "native"
    raise OfferFileError(
        f"{name}: cannot tell the format; expected a France Travail 'resultats' list, "
        "a La bonne alternance 'jobs' list or an 'offers' list (or pass --format)"
    )


def _json_items(document: Any, file_format: str, name: str) -> list[Any]:
    key = {"france_travail": "resultats", "lba": "jobs", "native": "offers"}[file_format]
    items = document.get(key) if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise OfferFileError(f"{name}: '{key}' must be a list of offers")
    return items


def _csv_rows(text: str, name: str) -> Iterable[tuple[str, dict[str, str]]]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    columns = [column.strip() for column in reader.fieldnames or []]
    unknown = [column for column in columns if column not in CSV_COLUMNS]
    if unknown:
        raise OfferFileError(f"{name}:1: unknown column(s) {', '.join(unknown)}")
    missing = [column for column in CSV_REQUIRED if column not in columns]
    if missing:
        raise OfferFileError(f"{name}:1: missing required column(s) {', '.join(missing)}")
    if "commune_insee" not in columns and not {"postcode", "city"} & set(columns):
        raise OfferFileError(f"{name}:1: give commune_insee, or postcode and city")
    reader.fieldnames = columns
    for row in reader:
        if None in row:
            raise OfferFileError(f"{name}:{reader.line_num}: more values than columns")
        yield f"line {reader.line_num}", {k: v.strip() for k, v in row.items() if v is not None}
