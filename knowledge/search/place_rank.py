"""Candidate places for a message: codes, exact names, typos, and the context rules.

Works on an already normalised word list and a ``PlaceIndex``; ``place.resolve_place`` turns
the best candidate into a ``PlaceMatch``. Scores start from the quality of the key (official
name 100, alias 95, former commune or compound prefix 85, typo: 100 minus twice the distance)
and move with the context:

- ambiguity: homonyms lose 10, unless one is ten times bigger than the next;
- cues: "à", "habite", "vers"... before a commune +5; "dans", "en"... before an area +5;
- everyday words that are also places ("plaisir", "tours", "la campagne") -40 without a cue;
- a lone word of a sentence naming a village (< 5 000 inhabitants), without a cue, -25;
- a wider area named beside a commune that it contains: +15 for that commune, area dropped;
- "métropole de", "agglo de", "communauté de communes de" + commune: that commune's EPCI.
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
    population_weight,
)
from knowledge.search.place_text import (
    ARTICLES,
    CHAT_WORDS,
    COMMON_WORD_AREAS,
    COMMON_WORD_COMMUNES,
    DEPARTEMENT_CUES,
    DOMAIN_WORDS,
    EPCI_TRIGGERS,
    FUNCTION_WORDS,
    LE_NUMBER_CUES,
    NOT_DEPARTEMENT_AFTER,
    PLACE_CUES,
    STOPWORDS,
    STRONG_PLACE_CUES,
)

MIN_SCORE = 70
CANDIDATE_MIN_SCORE = 50
FUZZY_MIN_RATIO = 85.0
# "Saint-Martin dans le Gers": a wider area that contains one homonym outweighs population.
CONFIRMATION_BONUS = 15
# Below this, a commune named by a lone word of a sentence, with no cue, is not trusted.
LONE_WORD_MIN_POPULATION = 5000
AREA_CUES = frozenset({"dans", "en", "departement", "region", "du"})
EPCI_CONNECTORS = frozenset({"de", "du", "d", "des", "la", "le", "l"})
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


def find_candidates(index: PlaceIndex, words: list[str]) -> list[Candidate]:
    if not words:
        return []
    content = [i for i, word in enumerate(words) if word not in STOPWORDS]
    found = _code_candidates(index, words, content)
    named = _name_candidates(index, words, content)
    found += named
    if not any(c.score >= MIN_SCORE for c in found):
        # Nothing convincing: every word, even one weakly matched, may be a misspelt name.
        found += _fuzzy_candidates(index, words, content)
    found = _consolidate(index, _apply_epci_triggers(index, words, found))
    for candidate in found:
        candidate.weight = population_weight(index, candidate.target)
    found.sort(key=lambda c: (c.score, c.weight), reverse=True)
    best: list[Candidate] = []
    seen: set[tuple[str, str]] = set()
    for candidate in found:
        key = (candidate.target.level, candidate.target.code)
        if (
            key in seen
            or candidate.score < CANDIDATE_MIN_SCORE
            or _redundant(index, candidate, best)
        ):
            continue
        seen.add(key)
        best.append(candidate)
    return best


def _redundant(index: PlaceIndex, candidate: Candidate, better: list[Candidate]) -> bool:
    """An area named like a better-ranked commune it contains ("Paris", "Saint-Martin")."""
    if candidate.target.level == COMMUNE:
        return False
    return any(
        other.target.level == COMMUNE
        and (other.start, other.end) == (candidate.start, candidate.end)
        and candidate.target.code in containing(index, other.target.code, candidate.target.level)
        for other in better
    )


def _code_candidates(index: PlaceIndex, words: list[str], content: list[int]) -> list[Candidate]:
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


def _name_candidates(index: PlaceIndex, words: list[str], content: list[int]) -> list[Candidate]:
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


def _fuzzy_candidates(index: PlaceIndex, words: list[str], content: list[int]) -> list[Candidate]:
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


def _apply_epci_triggers(
    index: PlaceIndex, words: list[str], found: list[Candidate]
) -> list[Candidate]:
    """ "métropole de Lille", "agglo de Valenciennes": the commune's EPCI, not the commune."""
    out: list[Candidate] = []
    for c in found:
        entry = index.communes.get(c.target.code) if c.target.level == COMMUNE else None
        i = c.start - 1
        while i >= 0 and words[i] in EPCI_CONNECTORS:
            i -= 1
        if (
            entry
            and entry.epci
            and c.matched_on != "postcode"
            and i >= 0
            and words[i] in EPCI_TRIGGERS
        ):
            c = Candidate(KeyTarget(EPCI, entry.epci, c.target.quality), c.score, "epci", i, c.end)
        out.append(c)
    return out


def _consolidate(index: PlaceIndex, found: list[Candidate]) -> list[Candidate]:
    """A wider area named beside a commune confirms it ("Roubaix dans le Nord", "59100
    Roubaix", "Saint-Martin 97150"): boost that commune and drop the area as a rival."""
    communes = [c for c in found if c.target.level == COMMUNE]
    kept: list[Candidate] = []
    for c in found:
        if c.target.level == COMMUNE:
            kept.append(c)
            continue
        inside = [
            other
            for other in communes
            if (other.end <= c.start or other.start >= c.end)
            and c.target.code in containing(index, other.target.code, c.target.level)
        ]
        for other in inside:
            other.score += CONFIRMATION_BONUS
        if not inside:
            kept.append(c)
    postcodes = {c.postcode for c in communes if c.postcode}
    for c in communes:
        if c.matched_on != "postcode" and postcodes & set(index.communes[c.target.code].postcodes):
            c.score += CONFIRMATION_BONUS
    return kept


def containing(index: PlaceIndex, commune_code: str, level: str) -> tuple[str | None, ...]:
    entry = index.communes[commune_code]
    if level == EPCI:
        return (entry.epci, entry.ept)
    return (entry.departement,) if level == DEPARTEMENT else (entry.region,)
