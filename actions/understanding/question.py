"""Does the message ask something, or only state a need or a fact?

"on peut toucher l'aide ?", "c'est quoi un geiq", "qui paye la formation" ask; "je cherche un
soudeur tig, cdi" (a post to fill) and "on déménage à Rumilly" (a move) state.
"""

from __future__ import annotations

import re

from knowledge.text import normalise

_ASKS = re.compile(
    r"\b(combien|comment|quoi|quel(le)?s?|pourquoi|est ce|ya t il|y a t il|ya des?|y a des?|"
    r"aides?|droit|possible|legal|qui (paye|paie|finance)|peut on|on peut|je peux|puis je|"
    r"on m aide|dispositifs?|demarches?)\b"
    # A problem to solve is a question too: "ils trouvent aucun logement, on perd des candidats".
    r"|\b(trouvent? (pas|aucun|aucune|personne|rien)|impossible|probleme|soucis|galere|on perd)\b"
)


def asks_a_question(text: str) -> bool:
    """The message asks something or states a problem, rather than only a post to fill."""
    return "?" in text or bool(_ASKS.search(normalise(text)))
