"""The held-out NLU examples (tests/nlu) are neither copies nor near-copies of training lines.

Case, accents, punctuation, spacing and entity markup do not make a new example: texts are
normalised first, then compared with rapidfuzz's ratio. At 85 or more, an example is a paraphrase
the model has practically seen, and it inflates the held-out F1 (mostly the short conversational
intents). Fix a finding by rewriting the held-out example, never by editing training to dodge it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from tests.factories import NLU_DIR, ROOT

HELD_OUT_DIR = ROOT / "tests" / "nlu"
SIMILARITY_THRESHOLD = 85
_MARKUP = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Example:
    path: Path
    intent: str
    text: str


def normalise(text: str) -> str:
    """Entity markup kept as its words, lower-cased, accents and punctuation removed."""
    plain = unicodedata.normalize("NFKD", _MARKUP.sub(r"\1", text).lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def examples(folder: Path) -> list[Example]:
    found = []
    for path in sorted(folder.rglob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" not in block:
                continue
            for line in str(block.get("examples", "")).splitlines():
                if line.strip().startswith("- "):
                    found.append(Example(path, str(block["intent"]), line.strip()[2:]))
    return found


def near_copies(
    held_out: list[Example], training: list[Example]
) -> list[tuple[Example, Example, float]]:
    """Each held-out example with its most similar training line, when at or over the threshold."""
    queries = [normalise(e.text) for e in held_out]
    choices = [normalise(e.text) for e in training]
    scores = process.cdist(
        queries, choices, scorer=fuzz.ratio, score_cutoff=SIMILARITY_THRESHOLD, workers=1
    )
    found = []
    for i, row in enumerate(scores):
        best = int(row.argmax())
        if row[best] >= SIMILARITY_THRESHOLD:
            found.append((held_out[i], training[best], float(row[best])))
    return found


def test_normalisation_ignores_case_accents_punctuation_and_markup() -> None:
    assert normalise("Je suis [AU RSA](user_status) depuis… 1 an !") == "je suis au rsa depuis 1 an"
    assert normalise('C\'est à [60 km]{"entity": "distance"} d\'ici') == "c est a 60 km d ici"


def test_the_check_catches_planted_copies_and_spares_new_wordings(tmp_path: Path) -> None:
    training = [
        Example(tmp_path, "stop", "laisse tomber"),
        Example(tmp_path, "inform", "je suis [au rsa](user_status) depuis 1 an"),
        Example(tmp_path, "ask_more", "d'autres aides ?"),
    ]
    held_out = [
        Example(tmp_path, "stop", "Laissez tomber !"),  # 96 after normalisation
        Example(tmp_path, "inform", "je suis au RSA depuis un an"),  # 94
        Example(tmp_path, "ask_more", "il vous reste des aides à proposer ?"),
    ]
    assert [h.text for h, _, _ in near_copies(held_out, training)] == [
        "Laissez tomber !",
        "je suis au RSA depuis un an",
    ]


def test_held_out_examples_are_not_near_copies_of_training_lines() -> None:
    held_out, training = examples(HELD_OUT_DIR), examples(NLU_DIR)
    assert len(held_out) > 700 and len(training) > 1000, "the readers found almost nothing"
    found = near_copies(held_out, training)
    assert not found, (
        f"{len(found)} held-out examples are near-copies of training lines (rewrite them in tests/nlu):\n"
        + "\n".join(
            f"  {h.path.name} {h.intent}: {h.text!r} ~ {t.intent}: {t.text!r} ({score:.0f})"
            for h, t, score in found[:40]
        )
    )
