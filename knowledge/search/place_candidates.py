"""Read a message's words as places: codes, exact names, typos, each scored in its context.

Works on an already normalised word list and a ``PlaceIndex``; ``place_rank`` consolidates
and orders what these functions find. Scores start from the quality of the key (official
name 100, alias 95, former commune or compound prefix 85, typo: 100 minus twice the distance)
and move with the context:

- ambiguity: homonyms lose 10, unless one is ten times bigger than the next;
- cues: "à", "habite", "vers"... before a commune +5; "dans", "en"... before an area +5;
- everyday words that are also places ("plaisir", "tours", "la campagne") -40 without a cue;
- a lone word of a sentence naming a village (< 5 000 inhabitants), without a cue, -25.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from knowledge.search.place_index import (
    COMMUNE,
    DEPARTEMENT,
    EPCI,
    SUB_COMMUNE,
    KeyTarget,
    PlaceIndex,
)
from knowledge.search.place_text import (
    ARTICLES,
    CHAT_WORDS,
    COMMON_WORD_AREAS,
    COMMON_WORD_COMMUNES,
    DEPARTEMENT_CUES,
    DOMAIN_WORDS,
    FUNCTION_WORDS,
    LE_NUMBER_CUES,
    NOT_DEPARTEMENT_AFTER,
    PLACE_CUES,
    STOPWORDS,
    STRONG_PLACE_CUES,
)

FUZZY_MIN_RATIO = 85.0
# Below this, a commune named by a lone word of a sentence, with no cue, is not trusted.
LONE_WORD_MIN_POPULATION = 5000
AREA_CUES = frozenset({"dans", "en", "departement", "region", "du"})
_POSTCODE = re.compile(r"^(?:\d{5}|2[ab]\d{3})$")
_SIREN = re.compile(r"^\d{9}$")
_DEPARTEMENT_NUMBER = re.compile(r"^(?:\d{2,3}|2[ab])$")


@dataclass(slots=True)
class Candidate:
    """One reading of the message: a territory, how sure, and which words said so."""

    target: KeyTarget
    score: float
    matched_on: str
    start: int
    end: int
    postcode: str | None = None
    weight: float = field(default=0.0)


def code_candidates(index: PlaceIndex, words: list[str], content: list[int]) -> list[Candidate]:
    found: list[Candidate] = []
    alone = len(words) == 1
    for i, word in enumerate(words):
        if _POSTCODE.match(word):
            word = word.upper()  # Corsican INSEE codes: 2A004
            codes = index.postcodes.get(word, [])
            score = 100 if len(codes) == 1 else 90
            found += [
                Candidate(KeyTarget(COMMUNE, c, 100), score, "postcode", i, i + 1, word)
                for c in codes
            ]
            if not codes:
                current = word if word in index.communes else index.former_codes.get(word)
                if current is not None:
                    found.append(
                        Candidate(KeyTarget(COMMUNE, current, 100), 100, "insee", i, i + 1)
                    )
        elif _SIREN.match(word) and (EPCI, word) in index.areas:
            found.append(Candidate(KeyTarget(EPCI, word, 100), 100, "epci", i, i + 1))
        elif _DEPARTEMENT_NUMBER.match(word) and (DEPARTEMENT, word.upper()) in index.areas:
            after = words[i + 1] if i + 1 < len(words) else ""
            if (alone or _departement_cue(words, i)) and after not in NOT_DEPARTEMENT_AFTER:
                target = KeyTarget(DEPARTEMENT, word.upper(), 100)
                found.append(Candidate(target, 100 if alone else 95, "departement", i, i + 1))
    return found


def _departement_cue(words: list[str], i: int) -> bool:
    """ "dans le 93", "du 59", "en 2A", "le 59" alone; but not "rendez-vous le 15"."""
    before = words[i - 1] if i > 0 else ""
    if before != "le":
        return before in DEPARTEMENT_CUES
    if i == 1:
        return len(words) == 2
    return words[i - 2] in LE_NUMBER_CUES


def name_candidates(index: PlaceIndex, words: list[str], content: list[int]) -> list[Candidate]:
    """Exact keys over word windows, longest first; a matched word is not reused."""
    found: list[Candidate] = []
    consumed = [False] * len(words)
    whole_text = " ".join(words)
    for size in range(min(index.max_key_tokens, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            end = start + size
            if any(consumed[start:end]) or all(w in STOPWORDS for w in words[start:end]):
                # A name made only of function words ("Eu", "Y") counts as the whole message.
                if not (size == len(words) and whole_text in FUNCTION_WORDS):
                    continue
            targets = index.keys.get(" ".join(words[start:end]))
            if not targets:
                continue
            consumed[start:end] = [True] * size
            found += _scored(index, targets, words, content, start, end, "name", 0.0)
    return found


def fuzzy_candidates(index: PlaceIndex, words: list[str], content: list[int]) -> list[Candidate]:
    found: list[Candidate] = []
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            end = start + size
            window = words[start:end]
            if window[0] in STOPWORDS or window[-1] in STOPWORDS:
                continue
            query = " ".join(window)
            if len(query) < 4 or any(w.isdigit() for w in window):
                continue
            if size == 1 and _looks_like_a_word(query):
                continue
            choices = index.fuzzy_choices.get((query[0], len(query)))
            if not choices:
                continue
            whole = start == 0 and end == len(words)
            # A message that is just one misspelt name ("dunkerke") may be further off.
            cutoff = 80.0 if whole and len(query) >= 6 else FUZZY_MIN_RATIO
            cutoff = cutoff if len(query) > 5 else 88.0
            close = process.extract(query, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=5)
            if not close:
                continue
            # Among near-equal spellings, the bigger place is the likelier one.
            key, ratio, _ = max(close, key=lambda item: item[1] + _size_bonus(index, item[0]))
            found += _scored(
                index, index.keys[key], words, content, start, end, "fuzzy", 100.0 - float(ratio)
            )
    return found


_WORDS_LIST = sorted(CHAT_WORDS | DOMAIN_WORDS)


def _looks_like_a_word(query: str) -> bool:
    """ "coucouu", "mercii", "logemnt": a misspelt everyday word, not a misspelt village."""
    return process.extractOne(query, _WORDS_LIST, scorer=fuzz.ratio, score_cutoff=85) is not None


def _size_bonus(index: PlaceIndex, key: str) -> float:
    return math.log10(1 + index.population(index.keys[key][0]))


def _scored(
    index: PlaceIndex,
    targets: list[KeyTarget],
    words: list[str],
    content: list[int],
    start: int,
    end: int,
    matched_on: str,
    penalty: float,
) -> list[Candidate]:
    """Candidates for every target of a key, with ambiguity and context taken into account."""
    communes = [t for t in targets if t.level == COMMUNE]
    dominant = len(communes) > 1 and index.population(communes[0]) >= 10 * max(
        index.population(communes[1]), 1
    )
    only_content = all(start <= i < end for i in content)
    whole_message = all(w in ARTICLES for w in words[:start] + words[end:])
    cue = _previous_word(words, start)
    after_article = start > 0 and words[start - 1] in ARTICLES
    # "les marches", "la campagne": judged as the bare word, article aside.
    bare = (
        words[start + 1 : end] if end - start > 1 and words[start] in ARTICLES else words[start:end]
    )
    key = " ".join(bare)
    found: list[Candidate] = []
    for target in targets:
        score = target.quality - 1.5 * penalty
        if target.level == COMMUNE:
            if len(communes) > 1:
                score -= 0 if dominant and target is communes[0] else 10
            score += _commune_context(
                index, target, key, only_content, whole_message, cue, after_article
            )
            if target.quality == SUB_COMMUNE and len(bare) == 1 and not whole_message:
                score -= 25  # a former village's name inside a sentence: weakest evidence
        elif cue in AREA_CUES:
            score += 5
        elif key in COMMON_WORD_AREAS and not whole_message:
            score -= 40
        if (
            matched_on == "fuzzy"
            and not (whole_message or cue in PLACE_CUES)
            and (index.population(target) < 20000)
        ):
            continue  # a misspelt word inside a sentence is more often a word than a village
        found.append(Candidate(target, score, matched_on, start, end))
    return found


def _commune_context(
    index: PlaceIndex,
    target: KeyTarget,
    key: str,
    only_content: bool,
    whole_message: bool,
    cue: str,
    after_article: bool,
) -> float:
    """Adjust a commune's score to the words around it (see the module docstring)."""
    if whole_message:
        return 0.0
    if key in COMMON_WORD_COMMUNES or key in STOPWORDS:
        # "à Tours" is the town, "à la campagne" is not: an article before means a noun.
        return 5.0 if cue in STRONG_PLACE_CUES and not after_article else -40.0
    if cue in STRONG_PLACE_CUES:
        return 5.0
    if only_content or " " in key or cue in PLACE_CUES:
        return 0.0
    # A lone word of a sentence that happens to name a village is more likely just a word.
    return -25.0 if index.population(target) < LONE_WORD_MIN_POPULATION else 0.0


def _previous_word(words: list[str], start: int) -> str:
    """The word before a window, articles skipped ("à la rochelle" -> "a")."""
    i = start - 1
    while i >= 0 and words[i] in ARTICLES:
        i -= 1
    return words[i] if i >= 0 else ""
