"""Who asks for work: a seeker who wants offers, or a newcomer's partner who wants her own job.

"jcherche du taf" or "vous avez du boulot ?" comes from a person to be hired, whatever intent the
NLU chose (its employer intent is drawn by "cherche"): the offer search answers it, and the offer
search gives the support network when nothing matches. "je suis la femme d'un nouveau salarié,
je cherche du boulot" is the very person the spouse CV bank is for, writing about herself: neither
the welcome kit nor a list of schemes. Cue words: ``cues_fr.yml``.
"""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.kb_access import last_bot_response
from actions.schemes_topics import topics_in_text
from actions.understanding.situation import cue, read_situation
from knowledge.text import normalise

OFFERS_ACTION = "action_search_offers"
SPOUSE_CV_ACTION = "action_prefill_spouse_cv"
# Past this length a message says more than "I want a job": the records answer it.
MAX_REQUEST_WORDS = 16
# Needs that are not a line of work: "je cherche du travail et une crèche" asks about schemes,
# while "transport" or "formation" may be the trade itself ("chauffeur de bus").
OTHER_NEEDS = frozenset({"housing", "childcare", "vae_skills", "business_creation"})
# The bot's question "which job, and where?": the next message gives the criteria.
CRITERIA_ASKED = "utter_offers_ask_criteria"


def spouse_seeks_own_work(text: str) -> bool:
    """The partner of someone who moves or starts a job looks for work for herself."""
    plain = normalise(text)
    partner = cue("spouse_self.partner").search(plain)
    return bool(partner and cue("spouse_self.own_work").search(plain))


def _about_schemes(plain: str) -> bool:
    return bool(cue("scheme_words").search(plain) or OTHER_NEEDS & set(topics_in_text(plain)))


def asks_for_work(text: str) -> bool:
    """A request for a job, not a question about aids, a move or an employer's need."""
    plain = normalise(text)
    if len(plain.split()) > MAX_REQUEST_WORDS or not cue("job_request").search(plain):
        return False
    if read_situation(text).is_employer or cue("move").search(plain):
        return False
    return not _about_schemes(plain)


def work_route(text: str) -> str | None:
    """The action for a person asking for work, or None."""
    if spouse_seeks_own_work(text):
        return SPOUSE_CV_ACTION
    if asks_for_work(text):
        return OFFERS_ACTION
    return None


def gives_offer_criteria(tracker: Tracker, text: str) -> bool:
    """ "dans le btp, vers Toulouse" right after "which job, and where?": the offer search goes
    on with these criteria, whatever intent the NLU chose for a message without a verb."""
    plain = normalise(text)
    if last_bot_response(tracker) != CRITERIA_ASKED or len(plain.split()) > MAX_REQUEST_WORDS:
        return False
    return not (read_situation(text).is_employer or _about_schemes(plain))
