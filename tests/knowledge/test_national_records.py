"""National records in their own files: a theme may span several files, and people find them."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

import knowledge.models.offer
import knowledge.models.scheme
import knowledge.models.territory  # noqa: F401 - registers every table on Base.metadata
from knowledge.db import make_engine, make_session_factory
from knowledge.loader import write_knowledge
from knowledge.models.base import Base
from knowledge.search import organisations_for, search_schemes
from knowledge.territories.codes import shipped_codes
from knowledge.validation import (
    DEFAULT_DATA_DIR,
    KnowledgeData,
    KnowledgeValidationError,
    LocatedScheme,
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
        review_by: "2026-01-01"
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


# --- The national records themselves (knowledge/data/schemes/*_national.yml) -----------------

NATIONAL_FILES = sorted((DEFAULT_DATA_DIR / "schemes").glob("*_national.yml"))


@pytest.fixture(scope="module")
def real_data() -> KnowledgeData:
    # Territory codes and source lines are checked by `python -m knowledge validate`; here only
    # the records and their search matter, so the local records of every territory load too.
    return read_knowledge(DEFAULT_DATA_DIR, territory_exists=None, sources_dir=None)


@pytest.fixture(scope="module")
def real_session(
    real_data: KnowledgeData, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Session]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('national') / 'kb.db'}")
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as session:
        write_knowledge(session, real_data)
        session.commit()
        yield session
    engine.dispose()


def national_records(data: KnowledgeData) -> list[LocatedScheme]:
    return [s for s in data.schemes if s.file.endswith("_national.yml")]


def test_at_least_45_national_records_in_their_own_files(real_data: KnowledgeData) -> None:
    assert [path.name for path in NATIONAL_FILES] == [
        "hiring_national.yml",
        "insertion_national.yml",
        "mobility_national.yml",
        "training_national.yml",
        "welcome_national.yml",
    ]
    records = national_records(real_data)
    assert len(records) >= 45
    for located in records:
        record = located.record
        assert record.territory.scope == "national", record.id
        assert record.status == "existing", record.id
        assert record.sources[0].startswith(("http://", "https://")), record.id
        assert record.information_date <= record.review_by, record.id
        assert record.internal_notes, f"{record.id}: say where each fact comes from"
        assert record.aliases and len(record.keywords) >= 3, record.id


def test_every_scheme_in_the_search_test_is_a_national_record(real_data: KnowledgeData) -> None:
    national = {s.record.id for s in national_records(real_data)}
    asked = {scheme_id for _, scheme_id in QUERIES}
    assert asked == national


QUERIES = [
    ("passer le permis avec mon cpf", "cpf-permis-voiture"),
    ("je veux payer mon permis B avec mon compte formation", "cpf-permis-voiture"),
    ("cpf permi b chomeur", "cpf-permis-voiture"),
    ("permis poids lourd avec le cpf", "cpf-permis-poids-lourd-et-transport"),
    ("devenir chauffeur de bus formation permis D", "cpf-permis-poids-lourd-et-transport"),
    ("financer permis camion", "cpf-permis-poids-lourd-et-transport"),
    ("passer le caces cariste", "cpf-caces-habilitations-conduite"),
    ("formation chariot elevateur cpf", "cpf-caces-habilitations-conduite"),
    ("caces nacelle financement", "cpf-caces-habilitations-conduite"),
    ("mon employeur doit rembourser mon abonnement de bus", "prise-en-charge-abonnement-transport"),
    ("remboursement navigo par le patron", "prise-en-charge-abonnement-transport"),
    ("50% abonnement train travail", "prise-en-charge-abonnement-transport"),
    ("forfait mobilite durable velo", "forfait-mobilites-durables"),
    ("aller au travail a velo prime employeur", "forfait-mobilites-durables"),
    ("indemnite covoiturage employeur fmd", "forfait-mobilites-durables"),
    ("plateforme de mobilite solidaire", "plateformes-mobilite-solidaire"),
    ("je n'ai pas de voiture pour aller travailler", "plateformes-mobilite-solidaire"),
    ("conseiller mobilite insertion", "plateformes-mobilite-solidaire"),
    ("microcredit pour acheter une voiture", "microcredit-personnel-mobilite"),
    ("la banque refuse mon credit pour une voiture", "microcredit-personnel-mobilite"),
    ("micro credit reparer ma voiture", "microcredit-personnel-mobilite"),
    ("location voiture interimaire pas chere", "fastt-location-voiture-interimaires"),
    ("fastt voiture", "fastt-location-voiture-interimaires"),
    ("je suis interimaire sans voiture", "fastt-location-voiture-interimaires"),
    ("location scooter interim", "fastt-location-deux-roues-interimaires"),
    ("mobylette pour aller a ma mission d'interim", "fastt-location-deux-roues-interimaires"),
    ("liste des aides au permis pour les jeunes", "un-jeune-un-permis-plateforme"),
    ("un jeune un permis", "un-jeune-un-permis-plateforme"),
    ("aide mobilite parcoursup", "aide-mobilite-parcoursup"),
    ("je pars etudier dans une autre academie aide", "aide-mobilite-parcoursup"),
    ("aide a la mobilite en master", "aide-mobilite-master"),
    ("demenager pour mon master aide", "aide-mobilite-master"),
    ("abonnement train apprenti sncf", "abonnement-sncf-eleves-etudiants-apprentis"),
    ("train pas cher pour aller au cfa", "abonnement-sncf-eleves-etudiants-apprentis"),
    ("aif pole emploi", "aif-aide-individuelle-formation"),
    ("france travail peut payer ma formation", "aif-aide-individuelle-formation"),
    ("financer une formation quand on est au chomage", "aif-aide-individuelle-formation"),
    ("etre paye pendant ma formation", "remuneration-formation-demandeur-emploi"),
    ("aref", "remuneration-formation-demandeur-emploi"),
    ("remuneration formation france travail rfft", "remuneration-formation-demandeur-emploi"),
    ("transition pro reconversion salarie", "projet-transition-professionnelle"),
    ("changer de metier en gardant mon salaire", "projet-transition-professionnelle"),
    ("projet de transition professionnelle", "projet-transition-professionnelle"),
    ("demissionner pour me reconvertir et toucher le chomage", "demission-reconversion"),
    ("demission reconversion", "demission-reconversion"),
    ("quitter mon cdi pour une formation chomage", "demission-reconversion"),
    ("epide", "epide-insertion-jeunes"),
    ("internat pour jeune sans diplome trouver un travail", "epide-insertion-jeunes"),
    ("point information jeunesse", "information-jeunesse"),
    ("crij", "information-jeunesse"),
    ("ou se renseigner quand on est jeune", "information-jeunesse"),
    ("onisep", "onisep-information-orientation"),
    ("quelle formation apres la 3e", "onisep-information-orientation"),
    ("aide grande ecole du numerique", "aide-grande-ecole-du-numerique"),
    ("bourse formation developpeur gen", "aide-grande-ecole-du-numerique"),
    ("aide caf pour le bafa", "aide-caf-bafa"),
    ("financer mon bafa", "aide-caf-bafa"),
    ("devenir animateur formation aide", "aide-caf-bafa"),
    ("demission pour suivre mon mari", "demission-legitime-suivi-conjoint"),
    ("mon conjoint est mute est ce que j'ai droit au chomage", "demission-legitime-suivi-conjoint"),
    ("demission legitime suivi de conjoint", "demission-legitime-suivi-conjoint"),
    ("avf accueil des villes francaises", "avf-accueil-villes-francaises"),
    ("association pour les nouveaux arrivants", "avf-accueil-villes-francaises"),
    ("je ne connais personne dans ma nouvelle ville", "avf-accueil-villes-francaises"),
    ("france services", "france-services-demarches"),
    ("aide pour mes demarches administratives en ligne", "france-services-demarches"),
    ("maison france service", "france-services-demarches"),
    ("inscrire mon enfant a l'ecole apres un demenagement", "inscription-ecole-apres-demenagement"),
    ("inscription ecole mairie nouvelle ville", "inscription-ecole-apres-demenagement"),
    (
        "inscrire mon fils au college apres demenagement",
        "inscription-college-lycee-apres-demenagement",
    ),
    ("changer de lycee demenagement", "inscription-college-lycee-apres-demenagement"),
    ("exeat", "inscription-college-lycee-apres-demenagement"),
    ("allocation de rentree scolaire", "allocation-rentree-scolaire"),
    ("prime de rentree caf", "allocation-rentree-scolaire"),
    ("bourse de college", "bourse-college"),
    ("aide pour le college petits revenus", "bourse-college"),
    ("bourse de lycee", "bourse-lycee"),
    ("bourse lyceen", "bourse-lycee"),
    ("aide agefiph embauche handicape", "agefiph-aide-accueil-integration"),
    ("embaucher une personne handicapee aide employeur", "agefiph-aide-accueil-integration"),
    ("parcours emploi competences", "pec-parcours-emploi-competences"),
    ("contrat aide association", "pec-parcours-emploi-competences"),
    ("pec cae", "pec-parcours-emploi-competences"),
    ("deposer une offre d'alternance", "la-bonne-alternance-recruteurs"),
    ("recruter un apprenti gratuitement", "la-bonne-alternance-recruteurs"),
    ("la bonne alternance recruteur", "la-bonne-alternance-recruteurs"),
    ("combien coute un salarie", "simulateur-cout-embauche-urssaf"),
    ("simulateur cout embauche urssaf", "simulateur-cout-embauche-urssaf"),
    ("calculer les charges patronales", "simulateur-cout-embauche-urssaf"),
    ("trouver un geiq dans mon secteur", "geiq-trouver-le-bon-geiq"),
    ("annuaire des geiq", "geiq-trouver-le-bon-geiq"),
    ("quel geiq pour mon metier", "geiq-trouver-le-bon-geiq"),
    ("pass iae en ligne", "emplois-inclusion-employeurs-solidaires"),
    ("publier un poste siae", "emplois-inclusion-employeurs-solidaires"),
    ("trouver une alternance", "la-bonne-alternance-candidats"),
    ("je cherche une entreprise pour mon apprentissage", "la-bonne-alternance-candidats"),
    ("emplois de l'inclusion", "emplois-inclusion-candidats"),
    ("trouver un chantier d'insertion", "emplois-inclusion-candidats"),
    ("prime d'activite", "prime-activite"),
    ("je travaille mais je gagne peu aide caf", "prime-activite"),
    ("rsa", "rsa-revenu-solidarite-active"),
    ("demander le rsa", "rsa-revenu-solidarite-active"),
    ("je n'ai plus de revenus", "rsa-revenu-solidarite-active"),
    ("allocation de solidarite specifique", "ass-allocation-solidarite-specifique"),
    ("fin de droits chomage", "ass-allocation-solidarite-specifique"),
    ("complementaire sante solidaire", "complementaire-sante-solidaire"),
    ("pas de mutuelle petits revenus", "complementaire-sante-solidaire"),
    ("c2s", "complementaire-sante-solidaire"),
    ("domiciliation ccas", "domiciliation-sans-domicile-stable"),
    ("je n'ai pas d'adresse pour recevoir mon courrier", "domiciliation-sans-domicile-stable"),
    ("aah", "aah-allocation-adultes-handicapes"),
    ("allocation adulte handicape", "aah-allocation-adultes-handicapes"),
    ("1jeune1solution", "un-jeune-une-solution"),
    ("site pour les jeunes qui cherchent un job", "un-jeune-une-solution"),
]


@pytest.mark.parametrize(("text", "scheme_id"), QUERIES)
def test_people_find_the_national_record_in_their_words(
    real_session: Session, text: str, scheme_id: str
) -> None:
    found = [hit.scheme.id for hit in search_schemes(real_session, text=text, limit=3)]
    assert scheme_id in found, found


FINDERS = {
    "france_travail": "trouver-une-agence-france-travail",
    "mission_locale": "trouver-une-mission-locale",
    "caf": "trouver-sa-caf",
    "public_service": "trouver-un-espace-france-services",
    "commune": "trouver-sa-mairie",
}


@pytest.mark.parametrize("commune", ["59512", "29024", "97411"])
@pytest.mark.parametrize(("kind", "finder_id"), sorted(FINDERS.items()))
def test_the_national_finders_are_offered_for_any_commune(
    real_session: Session, commune: str, kind: str, finder_id: str
) -> None:
    found = {o.id: o for o in organisations_for(real_session, commune_insee=commune, kinds=[kind])}
    assert finder_id in found
    finder = found[finder_id]
    assert finder.contacts.url and finder.contacts.url.startswith(("http://", "https://"))
    assert finder.contacts.address is None, "a finder never holds a local address"
