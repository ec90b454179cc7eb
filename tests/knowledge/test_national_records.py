"""National records in their own files: a theme may span several files, and people find them."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from knowledge.territories.codes import shipped_codes
from knowledge.validation import (
    KnowledgeValidationError,
    read_knowledge,
    theme_matches_file_name,
)
from tests.knowledge.conftest import DATA_DIR, TODAY


def shipped(scope: str, code: str) -> bool:
    return code in shipped_codes().get(scope, frozenset())


PART_RECORD = """
    version: "1"
    theme: {theme}
    schemes:
      - id: {record_id}
        name: "Un dispositif national (test)"
        status: existing
        summary: "Un test."
        audiences: [any]
        territory: {{scope: national, codes: [], label: "France entière"}}
        information_date: "2025-01-01"
        sources: ["https://www.service-public.fr"]
"""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def write_part(data_dir: Path, name: str, theme: str, record_id: str) -> None:
    text = textwrap.dedent(PART_RECORD).lstrip().format(theme=theme, record_id=record_id)
    (data_dir / "schemes" / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("theme", "stem", "expected"),
    [
        ("mobility", "mobility", True),
        ("mobility", "mobility_national", True),
        ("hiring_geiq", "hiring_national", True),
        ("hiring_geiq", "hiring_geiq_national", True),
        ("insertion_support", "insertion_national", True),
        ("vae_skills", "vae_skills", True),
        ("mobility", "mobility_", False),
        ("mobility", "mobilitynational", False),
        ("training", "mobility_national", False),
        ("hiring_geiq", "hiring", False),
    ],
)
def test_theme_matches_its_file_or_a_part_of_it(theme: str, stem: str, expected: bool) -> None:
    assert theme_matches_file_name(theme, stem) is expected


def test_a_theme_spread_over_two_files_loads_both(data_dir: Path) -> None:
    write_part(data_dir, "mobility_national.yml", "mobility", "test-part-mobilite")
    write_part(data_dir, "hiring_national.yml", "hiring_geiq", "test-part-embauche")
    data = read_knowledge(data_dir, territory_exists=shipped, today=TODAY)
    themes = {s.record.id: (s.theme, s.file) for s in data.schemes}
    assert themes["test-part-mobilite"][0] == "mobility"
    assert themes["test-part-mobilite"][1].endswith("schemes/mobility_national.yml")
    assert themes["test-part-embauche"][0] == "hiring_geiq"
    # The theme's main file is still read.
    assert sum(1 for theme, _ in themes.values() if theme == "mobility") >= 2


def test_a_part_of_another_theme_is_refused(data_dir: Path) -> None:
    write_part(data_dir, "training_national.yml", "mobility", "test-part-mobilite")
    with pytest.raises(KnowledgeValidationError) as caught:
        read_knowledge(data_dir, territory_exists=shipped, today=TODAY)
    [issue] = [str(issue) for issue in caught.value.issues]
    assert "training_national.yml:2:" in issue and "does not match file name" in issue


def test_ids_stay_unique_across_the_parts_of_a_theme(data_dir: Path) -> None:
    write_part(data_dir, "housing_national.yml", "housing", "mobili-jeune")
    with pytest.raises(KnowledgeValidationError) as caught:
        read_knowledge(data_dir, territory_exists=shipped, today=TODAY)
    [issue] = [str(issue) for issue in caught.value.issues]
    assert "housing_national.yml:4: record 'mobili-jeune' field 'id': duplicate id" in issue
