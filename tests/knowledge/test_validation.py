"""The YAML validator: every error names the file, the line, the record and the field."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from knowledge.territories.codes import shipped_codes
from knowledge.validation import KnowledgeValidationError, read_knowledge
from tests.knowledge.conftest import DATA_DIR, TODAY


def shipped(scope: str, code: str) -> bool:
    return code in shipped_codes().get(scope, frozenset())


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def write(data_dir: Path, name: str, text: str) -> Path:
    path = data_dir / "schemes" / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def issues_of(data_dir: Path) -> list[str]:
    with pytest.raises(KnowledgeValidationError) as caught:
        read_knowledge(data_dir, territory_exists=shipped, today=TODAY)
    return [str(issue) for issue in caught.value.issues]


GOOD_RECORD = """
    version: "1"
    theme: orientation
    schemes:
      - id: test-orientation
        name: "Découverte des métiers (test)"
        status: existing
        summary: "Un test."
        audiences: [young]
        territory: {scope: departement, codes: ["59"], label: "Nord"}
        information_date: "2024-01-01"
        review_by: "2024-12-01"
        sources: ["https://www.onisep.fr"]
"""


def test_fixture_data_is_valid() -> None:
    data = read_knowledge(DATA_DIR, territory_exists=shipped, today=TODAY)
    assert len(data.schemes) == 10
    assert {s.theme for s in data.schemes} == {"housing", "childcare", "mobility"}
    mobili = next(s for s in data.schemes if s.record.id == "mobili-jeune")
    assert mobili.line == 4
    assert mobili.file.endswith("schemes/housing.yml")


def test_missing_source_and_date_are_errors_with_line_and_field(data_dir: Path) -> None:
    write(
        data_dir,
        "orientation.yml",
        GOOD_RECORD.replace('        information_date: "2024-01-01"\n', "").replace(
            '        sources: ["https://www.onisep.fr"]\n', ""
        ),
    )
    issues = issues_of(data_dir)
    assert len(issues) == 2
    assert all("orientation.yml:4: record 'test-orientation'" in issue for issue in issues)
    assert any("field 'information_date': required field is missing" in i for i in issues)
    assert any("field 'sources': required field is missing" in i for i in issues)


def test_wrong_value_points_to_its_own_line(data_dir: Path) -> None:
    write(data_dir, "orientation.yml", GOOD_RECORD.replace("status: existing", "status: maybe"))
    [issue] = issues_of(data_dir)
    assert "orientation.yml:6: record 'test-orientation' field 'status'" in issue
    assert "'existing', 'project', 'proposal' or 'ended'" in issue


def test_unquoted_code_is_explained(data_dir: Path) -> None:
    write(data_dir, "orientation.yml", GOOD_RECORD.replace('codes: ["59"]', "codes: [59]"))
    [issue] = issues_of(data_dir)
    assert "field 'territory.codes.0'" in issue and "write INSEE codes in quotes" in issue


def test_unknown_territory_code_is_an_error(data_dir: Path) -> None:
    write(data_dir, "orientation.yml", GOOD_RECORD.replace('codes: ["59"]', 'codes: ["98"]'))
    [issue] = issues_of(data_dir)
    assert "field 'territory.codes': unknown departement code '98'" in issue


def test_code_of_the_wrong_shape_for_its_scope(data_dir: Path) -> None:
    write(data_dir, "orientation.yml", GOOD_RECORD.replace('codes: ["59"]', 'codes: ["59350"]'))
    [issue] = issues_of(data_dir)
    assert "'59350' is not a valid departement code" in issue


def test_broken_organisation_reference(data_dir: Path) -> None:
    text = GOOD_RECORD + "        organisations: [nobody-here]\n"
    write(data_dir, "orientation.yml", text)
    [issue] = issues_of(data_dir)
    assert (
        "record 'test-orientation' field 'organisations': unknown organisation 'nobody-here'"
        in issue
    )


def test_duplicate_id_across_files(data_dir: Path) -> None:
    write(data_dir, "orientation.yml", GOOD_RECORD.replace("test-orientation", "mobili-jeune"))
    [issue] = issues_of(data_dir)
    assert "orientation.yml:4: record 'mobili-jeune' field 'id': duplicate id" in issue
    assert "housing.yml:4" in issue


def test_source_line_beyond_the_file(data_dir: Path) -> None:
    write(
        data_dir,
        "orientation.yml",
        GOOD_RECORD.replace('"https://www.onisep.fr"', '"000_baf36826a7d52287.txt:99999"'),
    )
    [issue] = issues_of(data_dir)
    assert "lines out of range" in issue and "field 'sources'" in issue


def test_malformed_yaml_names_the_line(data_dir: Path) -> None:
    write(
        data_dir, "orientation.yml", GOOD_RECORD.replace('name: "Découverte', 'name: ["Découverte')
    )
    [issue] = issues_of(data_dir)
    assert "orientation.yml:" in issue and "invalid YAML" in issue


def test_duplicate_key_is_refused(data_dir: Path) -> None:
    write(
        data_dir,
        "orientation.yml",
        GOOD_RECORD.replace(
            "        status: existing\n", "        status: existing\n        status: proposal\n"
        ),
    )
    [issue] = issues_of(data_dir)
    assert "orientation.yml:7:" in issue and "duplicate key 'status'" in issue


def test_theme_must_match_the_file_name(data_dir: Path) -> None:
    write(data_dir, "training.yml", GOOD_RECORD)
    [issue] = issues_of(data_dir)
    assert "training.yml:2:" in issue and "does not match file name" in issue


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('summary: "Un test."', 'summary: "Un test."\n        colour: blue'), "unknown field"),
        (("audiences: [young]", "audiences: [martians]"), "field 'audiences.0'"),
        (("audiences: [young]", "audiences: []"), "field 'audiences'"),
        (
            (
                '"2024-01-01"\n        review_by: "2024-12-01"',
                '"2999-01-01"\n        review_by: "2999-12-01"',
            ),
            "information_date is in the future",
        ),
        (('version: "1"', "version: 1"), 'version must be the string "1"'),
        (
            (
                "audiences: [young]",
                "audiences: [young]\n        conditions: {age_min: 30, age_max: 18}",
            ),
            "age_min 30 is above age_max 18",
        ),
        (
            ("audiences: [young]", "audiences: [young]\n        amount: {unit: EUR}"),
            "an amount needs value, min, max or text",
        ),
        (('"https://www.onisep.fr"', '"somewhere"'), "neither 'file.txt:line'"),
        (('summary: "Un test."', 'summary: ""'), "field 'summary'"),
    ],
)
def test_each_rule_is_enforced(data_dir: Path, change: tuple[str, str], expected: str) -> None:
    write(data_dir, "orientation.yml", GOOD_RECORD.replace(*change))
    issues = issues_of(data_dir)
    assert any(expected in issue for issue in issues), issues


def test_good_record_passes(data_dir: Path) -> None:
    write(data_dir, "orientation.yml", GOOD_RECORD)
    data = read_knowledge(data_dir, territory_exists=shipped, today=TODAY)
    assert "test-orientation" in {s.record.id for s in data.schemes}


def test_merged_commune_code_points_to_the_new_one(data_dir: Path) -> None:
    text = GOOD_RECORD.replace(
        '{scope: departement, codes: ["59"], label: "Nord"}',
        '{scope: commune, codes: ["01340"], label: "Une commune fusionnée"}',
    )
    write(data_dir, "orientation.yml", text)
    [issue] = issues_of(data_dir)
    assert "unknown commune code '01340' (merged: the commune is now '01015')" in issue
