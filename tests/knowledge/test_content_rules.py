"""Issue 12 rules: internal notes stay internal, ended means ended, official pages first,
every record has a review date, and the situation fields are consistent."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from knowledge.schema import SchemeRecord
from knowledge.territories.codes import shipped_codes
from knowledge.validation import KnowledgeValidationError, read_knowledge
from knowledge.validation_content import ended_wording_found, internal_note_found
from tests.knowledge.conftest import DATA_DIR, TODAY

RECORD = """
    version: "1"
    theme: housing
    schemes:
      - id: test-record
        name: "Une aide de test"
        status: existing
        summary: "Une aide de test pour payer le loyer."
        details: "Une aide de test."
        audiences: [young]
        territory: {scope: departement, codes: ["59"], label: "Nord"}
        conditions:
          other: ["Avoir moins de 30 ans."]
        amount: {text: "100 € par mois"}
        apply:
          steps: ["Faites la demande en ligne."]
        information_date: "2024-01-01"
        review_by: "2024-12-01"
        sources: ["https://www.service-public.fr/particuliers/vosdroits/F12006"]
"""


def shipped(scope: str, code: str) -> bool:
    return code in shipped_codes().get(scope, frozenset())


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def write(data_dir: Path, text: str) -> None:
    path = data_dir / "schemes" / "housing.yml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def record_of(data_dir: Path) -> SchemeRecord:
    data = read_knowledge(data_dir, territory_exists=shipped, today=TODAY)
    return next(s.record for s in data.schemes if s.record.id == "test-record")


def issues_of(data_dir: Path) -> list[str]:
    with pytest.raises(KnowledgeValidationError) as caught:
        read_knowledge(data_dir, territory_exists=shipped, today=TODAY)
    return [str(issue) for issue in caught.value.issues]


def test_the_record_of_these_tests_is_valid(data_dir: Path) -> None:
    write(data_dir, RECORD)
    assert record_of(data_dir).name == "Une aide de test"


@pytest.mark.parametrize(
    ("field_text", "note"),
    [
        ('summary: "Une aide de test pour payer le loyer."', "Montant inconnu : ne pas en donner."),
        ('details: "Une aide de test."', "Ne pas citer de pourcentage."),
        ('details: "Une aide de test."', "Les sources divergent : ne pas trancher."),
        ('details: "Une aide de test."', "La fiche est masquée (private: true)."),
        ('other: ["Avoir moins de 30 ans."]', "Voir 004_5b6766356ac71934.txt."),
        ('amount: {text: "100 € par mois"}', "cité en 004:4055"),
        ('steps: ["Faites la demande en ligne."]', "Aide absente des documents sources."),
        ('label: "Nord"', "Nord (lignes 12-15)"),
    ],
)
def test_an_internal_note_in_user_text_is_rejected(
    data_dir: Path, field_text: str, note: str
) -> None:
    key, _, value = field_text.partition(": ")
    quoted = value.replace('."', f'. {note}"').replace('par mois"', f'par mois, {note}"')
    if quoted == value:
        quoted = value.replace('"Nord"', f'"{note}"')
    write(data_dir, RECORD.replace(field_text, f"{key}: {quoted}"))
    issues = issues_of(data_dir)
    assert len(issues) == 1 and "internal note in user text" in issues[0], issues


def test_the_same_note_in_internal_notes_is_fine(data_dir: Path) -> None:
    note = "Sources divergentes : ne pas trancher ; voir 004_5b6766356ac71934.txt:4055 (private: true)."
    write(data_dir, RECORD + f'        internal_notes: "{note}"\n')
    assert record_of(data_dir).internal_notes == note


@pytest.mark.parametrize(
    "text",
    [
        "Ne pas être employé par une entreprise publique.",
        "Une navette relie la gare à la zone par la ligne 1 du bus.",
        "Jusqu'au 31 décembre 2025.",
        "Loi du 5 septembre 2018.",
    ],
)
def test_ordinary_sentences_are_not_taken_for_internal_notes(text: str) -> None:
    assert internal_note_found(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Cette aide a pris fin en 2023.",
        "Le dispositif n'existe plus.",
        "L'aide n’existe plus depuis 2023.",
        "L'aide a été supprimée en 2024.",
        "L'expérimentation est terminée : passez par France VAE.",
        "Elle semble arrêtée depuis juin 2023.",
        "Cette aide n'accepte plus de demandes depuis le 30 juin 2023.",
        "Programme terminé en 2022.",
    ],
)
def test_an_existing_record_that_says_it_ended_is_rejected(data_dir: Path, text: str) -> None:
    write(data_dir, RECORD.replace('details: "Une aide de test."', f'details: "{text}"'))
    issues = issues_of(data_dir)
    assert any("the text says the scheme ended" in issue for issue in issues), issues
    assert ended_wording_found(text) is not None


def test_an_ended_record_may_say_so(data_dir: Path) -> None:
    text = RECORD.replace("status: existing", "status: ended").replace(
        'details: "Une aide de test."', 'details: "Cette aide a pris fin en 2023."'
    )
    write(data_dir, text)
    assert read_knowledge(data_dir, territory_exists=shipped, today=TODAY).schemes


@pytest.mark.parametrize(
    "text",
    [
        "Elle remplace depuis le 1er mai 2024 l'AGEPI.",
        "La loi a supprimé les freins à la création de CFA.",
        "Ne pas avoir terminé sa formation initiale.",
    ],
)
def test_ordinary_sentences_do_not_say_a_scheme_ended(text: str) -> None:
    assert ended_wording_found(text) is None


NATIONAL = RECORD.replace(
    '{scope: departement, codes: ["59"], label: "Nord"}',
    '{scope: national, codes: [], label: "France entière"}',
)


@pytest.mark.parametrize(
    "first",
    [
        "https://www.ain.fr/solutions/relais-petite-enfance/",
        "https://www.weka.fr/actualite/emploi/article/aide",
        "https://aide-sociale.fr/dossier-mobili-pass",
        "https://service-public.fr.example.com/F1",
        "004_5b6766356ac71934.txt:4421-4428",
    ],
)
def test_a_national_scheme_cites_an_official_page_first(data_dir: Path, first: str) -> None:
    text = NATIONAL.replace(
        'sources: ["https://www.service-public.fr/particuliers/vosdroits/F12006"]',
        f'sources: ["{first}", "https://www.service-public.fr/particuliers/vosdroits/F12006"]',
    )
    write(data_dir, text)
    issues = issues_of(data_dir)
    assert any("first source must be an official page" in issue for issue in issues), issues


@pytest.mark.parametrize(
    "first",
    [
        "https://www.service-public.fr/particuliers/vosdroits/F12006",
        "https://entreprendre.service-public.gouv.fr/vosdroits/F23556",
        "https://www.caf.fr/allocataires/aides-et-demarches",
        "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000051599839",
        "https://mobilijeune.actionlogement.fr",
        "https://www.pajemploi.urssaf.fr",
    ],
)
def test_official_first_sources_pass(data_dir: Path, first: str) -> None:
    write(
        data_dir,
        NATIONAL.replace("https://www.service-public.fr/particuliers/vosdroits/F12006", first),
    )
    assert record_of(data_dir).sources[0] == first


def test_a_proposal_may_cite_its_report_first(data_dir: Path) -> None:
    text = NATIONAL.replace("status: existing", "status: proposal").replace(
        "https://www.service-public.fr/particuliers/vosdroits/F12006",
        "000_baf36826a7d52287.txt:340-360",
    )
    write(data_dir, text)
    assert record_of(data_dir).status == "proposal"


def test_an_ended_scheme_may_cite_its_report_first(data_dir: Path) -> None:
    text = NATIONAL.replace("status: existing", "status: ended").replace(
        "https://www.service-public.fr/particuliers/vosdroits/F12006",
        "004_5b6766356ac71934.txt:4072",
    )
    write(data_dir, text)
    assert record_of(data_dir).status == "ended"


def test_a_report_missing_from_the_registry_is_rejected(data_dir: Path) -> None:
    write(data_dir, RECORD.replace('sources: ["https:', 'sources: ["999_unknown.txt:1", "https:'))
    issues = issues_of(data_dir)
    assert any("'999_unknown.txt' is not in knowledge/data/sources.yml" in i for i in issues)


@pytest.mark.parametrize(
    ("review_by", "message"),
    [
        (None, "field 'review_by': required field is missing"),
        ('"2023-12-31"', "must be after information_date 2024-01-01"),
        ('"2025-01-02"', "at most 12 months later (2025-01-01)"),
    ],
)
def test_every_record_has_a_review_date_within_a_year(
    data_dir: Path, review_by: str | None, message: str
) -> None:
    line = '        review_by: "2024-12-01"\n'
    write(data_dir, RECORD.replace(line, f"        review_by: {review_by}\n" if review_by else ""))
    issues = issues_of(data_dir)
    assert any(message in issue for issue in issues), issues


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ("{child_age_min: 6, child_age_max: 3}", "child_age_min 6 is above child_age_max 3"),
        ("{statuses: [employee], excluded_statuses: [employee]}", "both required and excluded"),
        ("{alternatives: [{age_max: 30}]}", "one alternative is a plain condition"),
        ("{alternatives: [{}, {age_min: 31}]}", "an alternative needs an age"),
        ("{age_max: 25, alternatives: [{age_max: 30}, {age_min: 31}]}", "cannot hold"),
        ("{excluded_statuses: [astronaut]}", "field 'conditions.excluded_statuses.0'"),
    ],
)
def test_situation_conditions_are_consistent(data_dir: Path, conditions: str, message: str) -> None:
    write(
        data_dir,
        RECORD.replace(
            '        conditions:\n          other: ["Avoir moins de 30 ans."]\n',
            f"        conditions: {conditions}\n",
        ),
    )
    issues = issues_of(data_dir)
    assert any(message in issue for issue in issues), issues


def test_alternatives_schedules_and_for_whom_are_read(data_dir: Path) -> None:
    text = RECORD.replace(
        "        conditions:\n",
        '        for_whom: "Pour les 18-30 ans, et les salariés de plus de 30 ans."\n'
        "        schedules: [night, early_morning, shifts]\n"
        "        conditions:\n"
        "          age_min: 18\n"
        "          child_age_min: 3\n"
        "          excluded_statuses: [student]\n"
        "          alternatives: [{age_max: 30}, {age_min: 31, statuses: [employee]}]\n",
    )
    write(data_dir, text)
    record = record_of(data_dir)
    assert record.schedules == ["night", "early_morning", "shifts"]
    assert [a.statuses for a in record.conditions.alternatives] == [[], ["employee"]]
    assert record.conditions.excluded_statuses == ["student"]


@pytest.mark.parametrize("schedules", ["[nights]", "[night, night]"])
def test_schedules_use_the_vocabulary_once(data_dir: Path, schedules: str) -> None:
    write(
        data_dir,
        RECORD.replace(
            "        conditions:\n", f"        schedules: {schedules}\n        conditions:\n"
        ),
    )
    assert issues_of(data_dir)
