"""Parsing and validation helpers of the employer and newcomer forms."""

from __future__ import annotations

import datetime as dt

import pytest

from actions.validators import (
    Children,
    clean_free_text,
    luhn_is_valid,
    mentions_spouse,
    normalise_email,
    normalise_french_phone,
    normalise_siret,
    parse_children,
    parse_contract,
    parse_count,
    parse_needs,
    parse_start_date,
    spouse_seeks_work,
)

# A Wednesday.
TODAY = dt.date(2026, 1, 14)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("732 829 320 00074", "73282932000074"),
        ("73282932000074", "73282932000074"),
        ("552.100.554.00005", "55210055400005"),
        ("35600000000015", "35600000000015"),  # La Poste: sum of digits, not Luhn
    ],
)
def test_valid_siret_numbers_are_normalised(text: str, expected: str) -> None:
    assert normalise_siret(text) == expected


@pytest.mark.parametrize(
    "text", ["73282932000075", "1234", "7328293200007a", "", "732829320000741", "35600000000013"]
)
def test_invalid_siret_numbers_are_refused(text: str) -> None:
    assert normalise_siret(text) is None


def test_luhn_on_a_siren() -> None:
    assert luhn_is_valid("732829320")
    assert not luhn_is_valid("732829321")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jean.Dupont@Exemple.fr", "jean.dupont@exemple.fr"),
        (" contact@boulangerie-martin.com. ", "contact@boulangerie-martin.com"),
    ],
)
def test_valid_emails(text: str, expected: str) -> None:
    assert normalise_email(text) == expected


@pytest.mark.parametrize(
    "text", ["jean.dupont", "jean@", "@exemple.fr", "a@b", "a..b@c.fr", "x" * 300 + "@a.fr", ""]
)
def test_invalid_emails(text: str) -> None:
    assert normalise_email(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0612345678", "06 12 34 56 78"),
        ("06.12.34.56.78", "06 12 34 56 78"),
        ("+33 6 12 34 56 78", "06 12 34 56 78"),
        ("0033320123456", "03 20 12 34 56"),
        ("03-20-12-34-56", "03 20 12 34 56"),
    ],
)
def test_french_phone_numbers(text: str, expected: str) -> None:
    assert normalise_french_phone(text) == expected


@pytest.mark.parametrize(
    "text", ["061234567", "+44 20 7946 0958", "0012345678", "abc", "06123456789", ""]
)
def test_invalid_phone_numbers(text: str) -> None:
    assert normalise_french_phone(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2", 2),
        ("deux", 2),
        ("on en cherche trois", 3),
        ("vingt-cinq", 25),
        ("vingt et un", 21),
        ("quatre-vingt-dix", 90),
        ("une dizaine", 10),
        ("un seul", 1),
        ("12 postes", 12),
    ],
)
def test_counts_in_digits_or_words(text: str, expected: int) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", ["", "aucune idée", "0", "beaucoup", "5000"])
def test_unusable_counts(text: str) -> None:
    assert parse_count(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lundi prochain", dt.date(2026, 1, 19)),
        ("mercredi", dt.date(2026, 1, 21)),
        ("01/03", dt.date(2026, 3, 1)),
        ("1/3/2026", dt.date(2026, 3, 1)),
        ("01/03/27", dt.date(2027, 3, 1)),
        ("10/01", dt.date(2027, 1, 10)),  # already past this year: next January
        ("début mars", dt.date(2026, 3, 1)),
        ("mi-mars", dt.date(2026, 3, 15)),
        ("fin février", dt.date(2026, 2, 28)),
        ("1er avril", dt.date(2026, 4, 1)),
        ("le 15 septembre 2026", dt.date(2026, 9, 15)),
        ("a partir de mars", dt.date(2026, 3, 1)),
        ("dès que possible", TODAY),
        ("asap", TODAY),
        ("demain", dt.date(2026, 1, 15)),
        ("la semaine prochaine", dt.date(2026, 1, 19)),
        ("le mois prochain", dt.date(2026, 2, 1)),
        ("2026-06-01", dt.date(2026, 6, 1)),
        ("début janvier", TODAY),  # this month: as soon as possible
    ],
)
def test_start_dates(text: str, expected: dt.date) -> None:
    assert parse_start_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["", "je sais pas", "31/02", "01/03/2020", "15 mars 2025"])
def test_unusable_or_past_start_dates(text: str) -> None:
    assert parse_start_date(text, TODAY) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CDI", "cdi"),
        ("un cdd de 6 mois", "cdd"),
        ("en alternance", "alternance"),
        ("contrat pro", "professionalisation"),
        ("apprentissage", "apprenticeship"),
        ("intérim", "interim"),
        ("saisonnier", "seasonal"),
        # The NLU's synonym value when a contract entity says "alternance" or "apprentissage".
        ("apprentice", "alternance"),
        ("je ne sais pas", None),
    ],
)
def test_contracts(text: str, expected: str | None) -> None:
    assert parse_contract(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 enfants de 3 et 8 ans", Children(2, (3, 8))),
        ("deux enfants", Children(2, ())),
        ("un bébé", Children(1, (0,))),
        ("non", Children(0, ())),
        ("pas d'enfant", Children(0, ())),
        ("3 enfants : 2 ans, 5 ans et 11 ans", Children(3, (2, 5, 11))),
        ("une fille de 6 ans", Children(1, (6,))),
    ],
)
def test_children(text: str, expected: Children) -> None:
    assert parse_children(text) == expected


def test_children_unclear_answer() -> None:
    assert parse_children("peut-être") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("logement et crèche", ["housing", "childcare"]),
        ("ecole pour les enfants, bus", ["schools", "transport"]),
        ("tout", ["housing", "childcare", "schools", "transport", "leisure", "spouse_job"]),
        ("du boulot pour ma femme et du sport", ["leisure", "spouse_job"]),
        ("rien de spécial", []),
    ],
)
def test_needs(text: str, expected: list[str]) -> None:
    assert parse_needs(text) == expected


def test_spouse_mentions() -> None:
    assert mentions_spouse("je demenage avec ma femme et 2 enfants")
    assert not spouse_seeks_work("je demenage avec ma femme")
    assert spouse_seeks_work("ma copine cherche du travail aussi")
    assert not mentions_spouse("je viens seul")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Boulangerie   Martin ", "Boulangerie Martin"),
        ("<b>Garage</b> du centre", "Garage du centre"),
        ("🙂🙂", None),
        ("", None),
        ("x" * 200, None),
    ],
)
def test_free_text(text: str, expected: str | None) -> None:
    assert clean_free_text(text) == expected


# --- Issue 14: free text read by maintained libraries (dateparser, text2num, phonenumbers) ---

LATE_NOVEMBER = dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dès que possible", LATE_NOVEMBER),
        ("lundi 1er décembre", dt.date(2026, 12, 1)),
        ("au plus tôt en mars", dt.date(2027, 3, 1)),
        ("dans 15 jours", dt.date(2026, 12, 5)),
        ("d'ici 2 semaines", dt.date(2026, 12, 4)),
        ("à partir de février, temps plein", dt.date(2027, 2, 1)),
        ("le 3 janvier", dt.date(2027, 1, 3)),
    ],
)
def test_start_dates_in_free_text(text: str, expected: dt.date) -> None:
    assert parse_start_date(text, LATE_NOVEMBER) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("un cariste et deux manutentionnaires", 3),
        ("trois caristes, un chef d'équipe", 4),
        ("2 postes à 35 heures", 2),
        ("un poste de vendeur", 1),
    ],
)
def test_counts_in_sentences(text: str, expected: int) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+32 470 12 34 56", "+32 470 12 34 56"),  # a Belgian mobile, next to Lille
        ("0032 470 12 34 56", "+32 470 12 34 56"),
        ("+352 621 123 456", "+352 621 123 456"),
        ("0692 12 34 56", "06 92 12 34 56"),
    ],
)
def test_phone_numbers_of_neighbouring_countries(text: str, expected: str) -> None:
    assert normalise_french_phone(text) == expected
