"""Text normalisation for place resolution: one function shared by the index and the queries.

Both sides go through ``normalize`` so that "Saint-Étienne", "st etienne" and "ST-ETIENNE" meet
on "saint etienne", "Boulogne s/ Mer" on "boulogne sur mer", "Paris 15ème" on "paris 15".
The word lists are data (French tokens to *ignore*), not user-facing text.
"""

from __future__ import annotations

import re

from unidecode import unidecode

MAX_INPUT_CHARS = 300

_SLASH_SOUS = re.compile(r"\bs\s*/\s*s\b")
_SLASH_SUR = re.compile(r"\bs\s*/\s*")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_LETTER_THEN_DIGIT = re.compile(r"(?<=[a-z])(?=\d)")
_DIGIT_THEN_WORD = re.compile(r"(?<=\d)(?=[a-z]{3,})")
_ORDINAL = re.compile(r"\b(\d{1,2})(?:ieme|eme|em|ere|er|re|nd|e)\b")
_SPLIT_POSTCODE = re.compile(r"\b(\d{2}) (\d{3})\b")

_ABBREVIATIONS = {
    "st": "saint",
    "ste": "sainte",
    "sts": "saints",
    "stes": "saintes",
    "mt": "mont",
    "ss": "sous",
}


def normalize(text: str) -> str:
    """Lower-case ASCII words separated by single spaces (see the module docstring)."""
    ascii_text = unidecode(text[:MAX_INPUT_CHARS]).lower()
    ascii_text = _SLASH_SOUS.sub(" sous ", ascii_text)
    ascii_text = _SLASH_SUR.sub(" sur ", ascii_text)
    ascii_text = _NON_WORD.sub(" ", ascii_text)
    ascii_text = _LETTER_THEN_DIGIT.sub(" ", ascii_text)
    ascii_text = _ORDINAL.sub(r"\1", ascii_text)
    ascii_text = _DIGIT_THEN_WORD.sub(" ", ascii_text)
    ascii_text = _SPLIT_POSTCODE.sub(r"\1\2", ascii_text)
    words = ascii_text.split()
    out: list[str] = []
    for index, word in enumerate(words):
        word = _ABBREVIATIONS.get(word, word)
        if word == "s" and 0 < index < len(words) - 1 and out and out[-1].isalpha():
            # "boulogne s mer": a lone "s" between two words is "sur" shortened.
            word = "sur"
        out.append(word)
    return " ".join(out)


# French function words, chat fillers and words of the bot's domain: never a place on their
# own, even where a commune bears the name ("Y", "Eu", "Bonnes"...). Multi-word names that
# contain them ("la rochelle", "saint jean de luz") still match as a whole.
FUNCTION_WORDS = frozenset(
    """
    a ai aie ais ait as au aux avec avez avoir avons c ca ce ceci cela celle celui ces cet cette
    ceux chez ci comme comment d dans de des du elle elles en encore entre es est et etais etait
    etre eu eux il ils j je jusqu l la le les leur leurs lui m ma mais me meme mes moi mon n ne ni
    nos notre nous o on ont ou par pas peu peut plus pour pres qu quand que quel quelle quels qui
    quelles lequel laquelle lesquels lesquelles dont ou combien pourquoi
    quoi s sa sans se ses si son sont sous suis sur t ta te tes toi ton tout toute tous toutes tres
    tu un une vers via vos votre vous y cote pas bien aussi alors donc puis car sinon ici la bas
    ya yen cest jai jsuis chui jsui jhabite jvis jte ke ki koi pk pcq psk tt tjr dc bcp stp svp
    """.split()
)
CHAT_WORDS = frozenset(
    """
    bonjour bonsoir salut coucou hello hey allo merci mercii oui ouais ouai non nan ok okay dac
    daccord bien super top cool parfait genial bof ben bah euh hein voila aide aider aidez help
    question reponse info infos information informations besoin veux voudrais aimerais souhaite
    cherche recherche trouver trouve savoir connaitre sais habite habiter vis vit vivre reside
    demenage demenager arrive arriver installe installer suis etes sommes merci beaucoup madame
    monsieur mr mme bonne journee soiree au revoir fin rien tout personne quelqu truc machin
    comment pourquoi combien quand maintenant demain hier aujourd hui jour semaine mois an ans
    annee matin soir midi heure heures moment temps fois rendez vous rdv janvier fevrier mars
    avril mai juin juillet aout septembre octobre novembre decembre lundi mardi mercredi jeudi
    vendredi samedi dimanche
    """.split()
)
DOMAIN_WORDS = frozenset(
    """
    emploi emplois travail travailler taf boulot job jobs poste postes metier metiers chomage
    chomeur chomeuse salaire salarie embauche embaucher recrutement recruter entreprise
    entreprises employeur employeurs patron interim cdi cdd contrat contrats stage stages
    alternance apprentissage apprenti apprentie formation formations diplome ecole etudes
    etudiant cv lettre motivation entretien candidature logement logements loyer appartement
    maison hebergement foyer garde enfant enfants creche nounou bebe famille parent parents
    mobilite transport transports voiture permis bus train velo deplacement aides allocation
    allocations argent financement prime primes rsa caf apl pole france travail mission locale
    mairie prefecture service services public accompagnement conseiller conseillere dossier
    inscription inscrire projet creation creer handicap sante medecin ville village commune
    communes quartier region departement metropole agglo agglomeration communaute centre
    jeune jeunes senior retraite femme homme conjoint conjointe epoux epouse mari nouvel nouvelle
    nouveau arrivant arrivants accueil fille fils filles garcon garcons mere pere soeur frere
    mari femme bebes ado ados enfance grossesse enceinte papa maman tante oncle cousin cousine
    commerce vente vendeur vendeuse restauration hotellerie logistique batiment btp industrie
    informatique nettoyage menage agriculture sante social soin soins soignant soignante
    fais faire fait faites font vais va vont veux voudrais peux pouvez dois doit touche touchent
    """.split()
)
STOPWORDS = FUNCTION_WORDS | CHAT_WORDS | DOMAIN_WORDS

# Leading articles of commune names: "le havre" is also known as "havre" in chat.
ARTICLES = frozenset({"le", "la", "les", "l"})

# Words announcing an intercommunality; "métropole de Lille" means Lille's EPCI.
EPCI_TRIGGERS = frozenset(
    {
        "metropole",
        "metro",
        "eurometropole",
        "agglo",
        "agglomeration",
        "communaute",
        "interco",
        "intercommunalite",
        "cc",
        "ca",
        "cu",
        "cda",
    }
)

# Words that, placed before a number, make it a département ("dans le 93", "le 59").
DEPARTEMENT_CUES = frozenset({"dans", "du", "en", "departement", "dept", "dpt", "dep"})
# "le 59" is a département only after these ("j'habite le 59"), else it is usually a date.
LE_NUMBER_CUES = frozenset({"dans", "habite", "vis", "vers", "sur", "de", "suis", "pour"})
# Words that, placed after a number, make it something else ("le 25 mars", "25 ans").
NOT_DEPARTEMENT_AFTER = frozenset(
    """
    ans an mois jours jour semaines semaine heures heure h min minutes euros euro eur e km
    kilometres metres m2 pourcent pour janvier fevrier mars avril mai juin juillet aout septembre
    octobre novembre decembre enfants personnes fois ieme
    """.split()
)
# Words before a place: they make a fuzzy match more believable ("j'habite à roubaic").
PLACE_CUES = frozenset(
    {
        "a",
        "au",
        "aux",
        "habite",
        "jhabite",
        "vis",
        "vers",
        "sur",
        "dans",
        "de",
        "pres",
        "cote",
        "region",
        "secteur",
        "ville",
        "commune",
        "arrive",
        "demenage",
        "installe",
        "depuis",
    }
)


def tokens(text: str) -> list[str]:
    """``normalize(text).split()``."""
    return normalize(text).split()


# Everyday French words that are also place names or name variants ("avec plaisir", "un tour
# de France", "la rue"): a place only after a strong cue ("à Tours", "habite Nice") or as the
# whole message. Found by intersecting a list of ~600 everyday words with the index keys.
COMMON_WORD_COMMUNES = frozenset(
    """
    aigle aime aire allez allons anse appelle ars aucun avant baie bain bar basse belle blanc
    blanche bois bonne bouge bouquet bourg bout bras bruyere buisson camps cases cerise chaise
    chambre champs chapelle charge chateau chef chemin chene cher cheval coeur cognac coin
    colline contre cour cours croix ecole ecot eglise espere etain etang etoile falaise faux
    ferte fontaine force foret forge fort fosse four gap grand grange grenier gros ham haut
    haute haye hopital iles jardin joue landes lay lent lieu long longue lot loue maisons
    marais marche mas mer merle mesnil mont monte motte mouche moulin mouton murs neuve
    neuville nice nord noyer oie orange paille parc pars passage pays perche petite peux pied
    pierre pin pire place plaisir plan plessis pointe poisson pommier pont ponts port porte
    poule puits puy quint rang ris riviere roche rocher rouge rue saint salles salon sens sept
    serpent simple source sure table temple terre tilleul tour tours val vallee vaux ver
    verger vert vieille vienne viens vieux vignes ville vins vue campagne montagne marches touche
    """.split()
)
# Département names that are everyday words ("c'est trop cher", "en somme").
COMMON_WORD_AREAS = frozenset({"cher", "lot", "manche", "somme", "var", "nord"})
STRONG_PLACE_CUES = frozenset(
    {"a", "au", "habite", "jhabite", "vis", "vers", "sur", "pres", "cote"}
)
