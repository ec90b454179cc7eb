"""The external evaluation sets (../shared/eval-data) never leak into the training data."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.external_eval import (
    EvalDataMissing,
    describe,
    eval_utterances,
    leaks,
    snips_rows,
    training_examples,
    xrisawoz_turns,
)


@pytest.fixture(scope="module")
def held_out() -> set[str]:
    try:
        return eval_utterances()
    except EvalDataMissing as missing:
        pytest.fail(str(missing))


def test_eval_sets_are_read_whole(held_out: set[str]) -> None:
    # Guards the parsers: an empty or truncated read would make the leak check pass vacuously.
    assert len(snips_rows()) == 691
    assert len(xrisawoz_turns()) == 659
    assert len(held_out) > 691 + 600


def test_no_training_example_is_an_eval_utterance(held_out: set[str]) -> None:
    examples = list(training_examples())
    assert len(examples) > 1000, "the training data reader found almost nothing"
    found = leaks(examples, held_out)
    assert not found, (
        "training examples copied from ../shared/eval-data (held out, remove them):\n"
        + "\n".join(map(describe, found))
    )


def test_the_check_catches_a_planted_copy(tmp_path: Path, held_out: set[str]) -> None:
    snips = snips_rows()[0]
    turn = xrisawoz_turns()[0]
    planted = tmp_path / "nlu.yml"
    # Case, spacing and entity markup must not hide a copy; an unrelated line must not be flagged.
    planted.write_text(
        'version: "3.1"\nnlu:\n  - intent: out_of_scope\n    examples: |\n'
        f"      - {snips.clean.upper().replace(' ', '   ')}\n"
        f"      - {snips.noisy}\n"
        f'      - [{turn.text}]{{"entity": "x"}}\n'
        "      - je cherche une alternance à Lyon\n",
        encoding="utf-8",
    )
    found = leaks(training_examples(tmp_path), held_out)
    assert [(example.path, example.line) for example in found] == [
        (planted, 5),
        (planted, 6),
        (planted, 7),
    ]


def test_missing_eval_data_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EvalDataMissing, match="eval-data"):
        eval_utterances(tmp_path)
