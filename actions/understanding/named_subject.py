"""Is the record a message names its subject, or only part of its context?

"France Travail m'a trouvé une formation à Lyon, je n'ai pas les moyens de payer un loyer là-bas,
comment je fais pour me loger ?" names France Travail, yet asks about housing: answering France
Travail's details (what a name usually deserves) missed the question. The name is taken out of
the message; when what remains is a question of its own (enough meaningful words, records
matching it well) that hardly concerns the named record, the message is answered as a list,
where the named record may still come.
"""

from __future__ import annotations

import re

from actions.kb import kb_call
from actions.understanding.facets import facet_of
from knowledge.search.retriever import retrieve
from knowledge.text import normalise, tokens
from knowledge.views import SchemeView

# Under this many meaningful words left once the name is out, the name is the subject: a
# question about a record with a little context has 5-8 ("visale ça coûte combien si j'ai 35
# ans et un cdi depuis 2 mois ?" has 8), a need of its own 12 and more.
MIN_WORDS_OF_ITS_OWN = 10
# What is left must match records of its own this well (the scale of BM25 in the retriever)...
MIN_SCORE_OF_ITS_OWN = 5.0
# ...and the named record under this share of the best of them.
NAMED_SHARE_OF_BEST = 0.5
# Facets that only a record has ("c'est encore valable", "quels horaires"): asked with a name, the
# name is the subject. "Comment je fais", "payer" and "qui peut m'aider" are said of needs too.
_FACETS_OF_A_RECORD = ("valid", "hours")


def without_name(text: str, scheme: SchemeView) -> str:
    """The message with the record's name and aliases taken out (normalised)."""
    plain = f" {normalise(text)} "
    for name in sorted((scheme.name, *scheme.aliases), key=len, reverse=True):
        typed = normalise(name)
        if typed:
            plain = re.sub(rf" {re.escape(typed)} ", " ", plain)
    return plain.strip()


async def name_is_context(text: str, scheme: SchemeView, commune_insee: str | None) -> bool:
    """True when the message asks about something else than the record it names."""
    if facet_of(text) in _FACETS_OF_A_RECORD:
        return False
    rest = without_name(text, scheme)
    if len([word for word in tokens(rest) if not word.isdigit()]) < MIN_WORDS_OF_ITS_OWN:
        return False
    found = await kb_call(retrieve, rest, commune_insee=commune_insee)
    if found.top_score < MIN_SCORE_OF_ITS_OWN:
        return False
    named = next((hit.score for hit in found.hits if hit.scheme.id == scheme.id), 0.0)
    return named < NAMED_SHARE_OF_BEST * found.top_score
