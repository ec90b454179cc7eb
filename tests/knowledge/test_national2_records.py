"""Issue 12, second batch of national records (``knowledge/data/schemes/*_national2.yml``) and the
national records improved with them, on the real data files.

Each record must be found with the words people type, cite an official page first, and say
only what its sources say: the figures read in those sources are checked in
``test_national2_facts.py``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from knowledge.search import find_scheme_by_name
from tests.knowledge.national_support import (
    batch_file_names,
    batch_records,
    check_national_record,
    check_official_first,
    check_shown_as_old,
    schemes,
    searched,
)

NEW_RECORDS = {
    "are-allocation-chomage": "insertion_support",
    "cumul-allocation-chomage-salaire": "insertion_support",
    "contrat-securisation-professionnelle": "insertion_support",
    "conge-de-reclassement": "insertion_support",
    "rupture-conventionnelle-chomage": "insertion_support",
    "service-civique": "insertion_support",
    "rqth-reconnaissance-travailleur-handicape": "insertion_support",
    "territoires-zero-chomeur-longue-duree": "insertion_support",
    "conges-apprenti-et-temps-au-cfa": "apprenticeship",
    "mediateur-apprentissage": "apprenticeship",
    "carte-etudiant-des-metiers": "apprenticeship",
    "tarif-creche-bareme-caf": "childcare",
    "paje-allocation-de-base": "childcare",
    "aeeh-allocation-education-enfant-handicape": "childcare",
    "asf-allocation-soutien-familial": "childcare",
    "demande-logement-social": "housing",
    "action-logement-logement-social-salaries": "housing",
    "residence-sociale-logement-temporaire": "housing",
    "plan-developpement-competences": "training",
    "abondement-cpf-employeur": "training",
    "prevention-desinsertion-professionnelle": "training",
    "apec-cadres-jeunes-diplomes": "training",
    "cours-francais-contrat-integration-republicaine": "welcome",
    "changement-adresse-en-ligne": "welcome",
    "carte-grise-changement-adresse": "welcome",
    "aide-forfaitaire-employeur-contrat-pro": "hiring_geiq",
    "rgdu-reduction-generale-cotisations": "hiring_geiq",
    "aide-embauche-premier-salarie-tpe": "hiring_geiq",
    "plan-mobilite-employeur": "mobility",
}
ENDED = {"aide-embauche-premier-salarie-tpe"}
# Existing national records completed in the same pass (issue 12): same checks of first source.
IMPROVED = {
    "rsa-revenu-solidarite-active",
    "prime-activite",
    "cej",
    "pmsmp",
    "contrat-apprentissage",
    "conseil-en-evolution-professionnelle",
    "bilan-de-competences",
}


def test_the_second_batch_lives_in_its_own_files_and_holds_exactly_the_new_records() -> None:
    assert batch_file_names("national2") == [
        "apprenticeship_national2.yml",
        "childcare_national2.yml",
        "hiring_national2.yml",
        "housing_national2.yml",
        "insertion_national2.yml",
        "mobility_national2.yml",
        "training_national2.yml",
        "welcome_national2.yml",
    ]
    assert batch_records("national2") == NEW_RECORDS
    assert len(NEW_RECORDS) + len(IMPROVED) >= 30


@pytest.mark.parametrize("scheme_id", sorted(NEW_RECORDS))
def test_new_record_is_national_official_and_documented(scheme_id: str) -> None:
    check_national_record(scheme_id, status="ended" if scheme_id in ENDED else "existing")


@pytest.mark.parametrize("scheme_id", sorted(IMPROVED))
def test_improved_record_cites_an_official_page_first(scheme_id: str) -> None:
    scheme = schemes()[scheme_id]
    assert scheme.status == "existing" and scheme.territory.scope == "national"
    check_official_first(scheme)


# No official page of 2024 or later was found for these: they keep their real date and the person
# is told "information de <année>, à vérifier" (the internal notes say why).
OLDER_THAN_2024 = {
    "cumul-allocation-chomage-salaire",
    "conge-de-reclassement",
    "rupture-conventionnelle-chomage",
    "rqth-reconnaissance-travailleur-handicape",
    "mediateur-apprentissage",
    "carte-etudiant-des-metiers",
    "tarif-creche-bareme-caf",
    "aeeh-allocation-education-enfant-handicape",
    "plan-developpement-competences",
    "prevention-desinsertion-professionnelle",
    "apec-cadres-jeunes-diplomes",
    "plan-mobilite-employeur",
}


@pytest.mark.parametrize("scheme_id", sorted(set(NEW_RECORDS) - ENDED - OLDER_THAN_2024))
def test_new_record_relies_on_information_of_2024_or_later(scheme_id: str) -> None:
    assert schemes()[scheme_id].information_date >= dt.date(2024, 1, 1)


@pytest.mark.parametrize("scheme_id", sorted(OLDER_THAN_2024))
def test_older_information_is_shown_as_old(scheme_id: str) -> None:
    check_shown_as_old(scheme_id)


QUERIES = [
    ("j'ai droit au chomage ?", "are-allocation-chomage"),
    ("comment toucher l'allocation chomage apres un cdd", "are-allocation-chomage"),
    ("allocation d'aide au retour a l'emploi conditions", "are-allocation-chomage"),
    (
        "je retrouve un petit boulot est ce que je garde mon chomage",
        "cumul-allocation-chomage-salaire",
    ),
    ("cumul chomage et salaire", "cumul-allocation-chomage-salaire"),
    ("travailler a temps partiel en touchant le chomage", "cumul-allocation-chomage-salaire"),
    ("csp licenciement economique", "contrat-securisation-professionnelle"),
    (
        "mon patron me propose un contrat de securisation professionnelle",
        "contrat-securisation-professionnelle",
    ),
    (
        "licencie economique dans une petite entreprise que faire",
        "contrat-securisation-professionnelle",
    ),
    ("conge de reclassement", "conge-de-reclassement"),
    ("plan social dans une grande entreprise accompagnement", "conge-de-reclassement"),
    ("difference entre csp et conge de reclassement", "conge-de-reclassement"),
    ("rupture conventionnelle et chomage", "rupture-conventionnelle-chomage"),
    ("quitter mon cdi d'un commun accord", "rupture-conventionnelle-chomage"),
    ("est ce que j'ai le chomage si je fais une rupture co", "rupture-conventionnelle-chomage"),
    ("service civique", "service-civique"),
    ("combien on touche en service civique", "service-civique"),
    ("mission d'interet general pour les jeunes indemnisee", "service-civique"),
    ("rqth", "rqth-reconnaissance-travailleur-handicape"),
    (
        "comment obtenir la reconnaissance travailleur handicape",
        "rqth-reconnaissance-travailleur-handicape",
    ),
    ("dossier mdph pour le travail", "rqth-reconnaissance-travailleur-handicape"),
    ("territoire zero chomeur", "territoires-zero-chomeur-longue-duree"),
    (
        "entreprise a but d'emploi cdi chomeur de longue duree",
        "territoires-zero-chomeur-longue-duree",
    ),
    ("combien de conges en apprentissage", "conges-apprenti-et-temps-au-cfa"),
    ("jours de revision avant l'examen apprenti", "conges-apprenti-et-temps-au-cfa"),
    ("est ce que le temps au cfa est du temps de travail", "conges-apprenti-et-temps-au-cfa"),
    ("mediateur de l'apprentissage", "mediateur-apprentissage"),
    ("conflit avec mon patron d'apprentissage", "mediateur-apprentissage"),
    ("je veux demissionner de mon apprentissage", "mediateur-apprentissage"),
    ("carte etudiant des metiers", "carte-etudiant-des-metiers"),
    ("reductions etudiantes pour les apprentis", "carte-etudiant-des-metiers"),
    ("age limite pour l'apprentissage", "contrat-apprentissage"),
    ("peut on faire un apprentissage apres 30 ans", "contrat-apprentissage"),
    ("creche prix", "tarif-creche-bareme-caf"),
    ("combien coute une place en creche", "tarif-creche-bareme-caf"),
    ("tarif creche selon mes revenus", "tarif-creche-bareme-caf"),
    ("paje", "paje-allocation-de-base"),
    ("allocation de base pour un bebe de moins de 3 ans", "paje-allocation-de-base"),
    ("aide de la caf pour mon nouveau-ne", "paje-allocation-de-base"),
    ("aeeh", "aeeh-allocation-education-enfant-handicape"),
    ("aide pour un enfant handicape", "aeeh-allocation-education-enfant-handicape"),
    ("allocation education enfant handicape mdph", "aeeh-allocation-education-enfant-handicape"),
    ("allocation de soutien familial", "asf-allocation-soutien-familial"),
    ("mon ex ne paie pas la pension alimentaire", "asf-allocation-soutien-familial"),
    ("maman solo aide caf pension", "asf-allocation-soutien-familial"),
    ("demande hlm", "demande-logement-social"),
    ("faire une demande de logement social", "demande-logement-social"),
    ("renouveler ma demande de logement social", "demande-logement-social"),
    ("logement social par mon employeur", "action-logement-logement-social-salaries"),
    (
        "action logement trouver un logement social salarie",
        "action-logement-logement-social-salaries",
    ),
    ("residence sociale", "residence-sociale-logement-temporaire"),
    ("logement temporaire en attendant un hlm", "residence-sociale-logement-temporaire"),
    ("je travaille mais je n'ai pas de logement", "residence-sociale-logement-temporaire"),
    ("plan de developpement des competences", "plan-developpement-competences"),
    ("mon employeur peut il payer ma formation", "plan-developpement-competences"),
    ("formation obligatoire pendant le temps de travail", "plan-developpement-competences"),
    ("abondement cpf employeur", "abondement-cpf-employeur"),
    ("mon employeur peut completer mon cpf", "abondement-cpf-employeur"),
    ("mon cpf ne suffit pas pour ma formation", "abondement-cpf-employeur"),
    ("visite de pre-reprise", "prevention-desinsertion-professionnelle"),
    (
        "en arret maladie depuis longtemps peur de perdre mon travail",
        "prevention-desinsertion-professionnelle",
    ),
    ("inapte a mon poste que faire", "prevention-desinsertion-professionnelle"),
    ("apec", "apec-cadres-jeunes-diplomes"),
    ("je suis cadre et je cherche du travail", "apec-cadres-jeunes-diplomes"),
    ("accompagnement jeune diplome bac+5", "apec-cadres-jeunes-diplomes"),
    ("cours de francais gratuits", "cours-francais-contrat-integration-republicaine"),
    ("contrat d'integration republicaine", "cours-francais-contrat-integration-republicaine"),
    (
        "apprendre le francais en arrivant en france",
        "cours-francais-contrat-integration-republicaine",
    ),
    ("changement d'adresse en ligne", "changement-adresse-en-ligne"),
    ("je demenage qui dois je prevenir", "changement-adresse-en-ligne"),
    ("declarer ma nouvelle adresse a la caf et aux impots", "changement-adresse-en-ligne"),
    ("carte grise changement d'adresse", "carte-grise-changement-adresse"),
    ("j'ai demenage que faire pour ma carte grise", "carte-grise-changement-adresse"),
    ("aide embauche contrat de professionnalisation", "aide-forfaitaire-employeur-contrat-pro"),
    (
        "aide pour embaucher un demandeur d'emploi de plus de 26 ans",
        "aide-forfaitaire-employeur-contrat-pro",
    ),
    ("afe france travail", "aide-forfaitaire-employeur-contrat-pro"),
    ("rgdu", "rgdu-reduction-generale-cotisations"),
    ("reduction des cotisations patronales 2026", "rgdu-reduction-generale-cotisations"),
    ("reduction fillon", "rgdu-reduction-generale-cotisations"),
    ("plan de mobilite employeur", "plan-mobilite-employeur"),
    ("organiser le covoiturage pour mes salaries", "plan-mobilite-employeur"),
    ("obligation mobilite entreprise de 50 salaries", "plan-mobilite-employeur"),
    ("rsa 15 heures d'activite", "rsa-revenu-solidarite-active"),
    ("heures obligatoires au rsa", "rsa-revenu-solidarite-active"),
    ("prime d'activite pour un apprenti", "prime-activite"),
    ("je suis en alternance ai je droit a la prime d'activite", "prime-activite"),
    ("contrat d'engagement jeune", "cej"),
    ("argent pour les jeunes qui cherchent du travail", "cej"),
    ("immersion en entreprise", "pmsmp"),
    ("stage quand on est au chomage", "pmsmp"),
    ("conseiller gratuit pour une reconversion", "conseil-en-evolution-professionnelle"),
    ("conseil en evolution professionnelle", "conseil-en-evolution-professionnelle"),
    ("bilan de competences cpf 2026", "bilan-de-competences"),
    ("payer un bilan de competences avec mon cpf", "bilan-de-competences"),
]


def test_every_offered_new_or_improved_record_has_queries() -> None:
    asked = {scheme_id for _, scheme_id in QUERIES}
    assert asked == (set(NEW_RECORDS) - ENDED) | IMPROVED


@pytest.mark.parametrize(("text", "scheme_id"), QUERIES)
def test_people_find_the_record_in_their_words(
    national_kb: Session, text: str, scheme_id: str
) -> None:
    found = searched(national_kb, text)
    assert scheme_id in found, found


def test_the_ended_first_employee_aid_is_never_offered_but_explained(national_kb: Session) -> None:
    found = searched(national_kb, "aide embauche premier salarie", limit=10)
    assert "aide-embauche-premier-salarie-tpe" not in found
    named = find_scheme_by_name(national_kb, "aide embauche premier salarie")
    assert named is not None and named.id == "aide-embauche-premier-salarie-tpe"
    assert named.is_ended
    assert "31 décembre 2016" in named.summary
