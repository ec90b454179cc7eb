"""What a person says about themselves: statuses, age, children's ages, working hours, employer.

Read from the words of every message (``cues_fr.yml``) and kept for the whole conversation in
the ``situation`` slot, so that an answer uses everything the person said, not only the last line.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from knowledge.text import normalise

CUES_PATH = Path(__file__).with_name("cues_fr.yml")
_AGE = re.compile(r"\b(\d{1,2}) ?ans?\b")
_AGE_LIST = re.compile(r"\b(\d{1,2})((?: ?(?:,|et) ?\d{1,2})+) ?ans?\b")
CHILD_WINDOW = 28
PERSON_AGE_RANGE = (14, 75)
CHILD_AGE_MAX = 20


@dataclass(frozen=True)
class Cues:
    statuses: dict[str, list[re.Pattern[str]]]
    employer: list[re.Pattern[str]]
    seeker: list[re.Pattern[str]]
    schedules: dict[str, list[re.Pattern[str]]]
    child_words: re.Pattern[str]


@functools.lru_cache(maxsize=1)
def cues() -> Cues:
    raw = yaml.safe_load(CUES_PATH.read_text(encoding="utf-8"))

    def compiled(patterns: list[str]) -> list[re.Pattern[str]]:
        return [re.compile(pattern) for pattern in patterns]

    return Cues(
        statuses={name: compiled(items) for name, items in raw["statuses"].items()},
        employer=compiled(raw["employer"]),
        seeker=compiled(raw["seeker"]),
        schedules={name: compiled(items) for name, items in raw["schedules"].items()},
        child_words=re.compile(rf"\b{raw['child_words']}\b"),
    )


@functools.cache
def cue(path: str) -> re.Pattern[str]:
    """One cue of ``cues_fr.yml`` by its dotted path ("move", "follow_up.start"); a list of
    patterns matches when any of them does."""
    value: Any = yaml.safe_load(CUES_PATH.read_text(encoding="utf-8"))
    for key in path.split("."):
        value = value[key]
    patterns = value if isinstance(value, list) else [value]
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


@dataclass(frozen=True)
class Situation:
    statuses: tuple[str, ...] = ()
    age: int | None = None
    child_ages: tuple[int, ...] = ()
    schedules: tuple[str, ...] = ()
    employer: bool = False
    seeker: bool = False

    @property
    def is_employer(self) -> bool:
        return self.employer and not self.seeker

    @property
    def says_something(self) -> bool:
        """The message states a fact about the person beyond having children."""
        return bool(
            set(self.statuses) - {"parent"}
            or self.age
            or self.schedules
            or self.child_ages
            or self.is_employer
            or self.seeker
        )

    def merged(self, newer: Situation) -> Situation:
        """This situation updated by what the person just said (newer facts win)."""
        statuses = tuple(dict.fromkeys([*self.statuses, *newer.statuses]))
        if "employer" in newer.statuses or newer.is_employer:
            # The one to hire ("un apprenti", "un étudiant") is not the employer's own status.
            statuses = tuple(
                s for s in statuses if s not in ("job_seeker", "apprentice", "student")
            )
        return replace(
            self,
            statuses=statuses,
            age=newer.age if newer.age is not None else self.age,
            child_ages=newer.child_ages or self.child_ages,
            schedules=tuple(dict.fromkeys([*self.schedules, *newer.schedules])),
            employer=newer.employer or (self.employer and not newer.seeker),
            seeker=newer.seeker or (self.seeker and not newer.employer),
        )

    def to_slot(self) -> dict[str, Any]:
        return {
            "statuses": list(self.statuses),
            "age": self.age,
            "child_ages": list(self.child_ages),
            "schedules": list(self.schedules),
            "employer": self.employer,
            "seeker": self.seeker,
        }

    @classmethod
    def from_slot(cls, value: Any) -> Situation:
        if not isinstance(value, dict):
            return cls()
        age = value.get("age")
        return cls(
            statuses=tuple(str(item) for item in value.get("statuses") or ()),
            age=int(age) if isinstance(age, (int, float)) else None,
            child_ages=tuple(int(item) for item in value.get("child_ages") or ()),
            schedules=tuple(str(item) for item in value.get("schedules") or ()),
            employer=bool(value.get("employer")),
            seeker=bool(value.get("seeker")),
        )


def _ages(plain: str, child_words: re.Pattern[str]) -> tuple[int | None, list[int]]:
    person: int | None = None
    children: list[int] = []
    covered: list[tuple[int, int]] = []
    for match in _AGE_LIST.finditer(plain):
        before = plain[max(0, match.start() - CHILD_WINDOW) : match.start()]
        if child_words.search(before):
            children += [int(n) for n in re.findall(r"\d{1,2}", match.group(0))]
            covered.append(match.span())
    for match in _AGE.finditer(plain):
        if any(start <= match.start() < end for start, end in covered):
            continue
        value = int(match.group(1))
        before = plain[max(0, match.start() - CHILD_WINDOW) : match.start()]
        if child_words.search(before) and value <= CHILD_AGE_MAX:
            children.append(value)
        elif PERSON_AGE_RANGE[0] <= value <= PERSON_AGE_RANGE[1]:
            person = value
    return person, children


def read_situation(text: str) -> Situation:
    """The facts about the person that one message states."""
    plain = normalise(text)
    table = cues()
    statuses = [
        name
        for name, patterns in table.statuses.items()
        if any(pattern.search(plain) for pattern in patterns)
    ]
    schedules = [
        name
        for name, patterns in table.schedules.items()
        if any(pattern.search(plain) for pattern in patterns)
    ]
    age, children = _ages(plain, table.child_words)
    if children and "parent" not in statuses:
        statuses.append("parent")
    if "single_parent" in statuses and "parent" not in statuses:
        statuses.append("parent")
    seeker = any(pattern.search(plain) for pattern in table.seeker) or bool(
        cue("job_request").search(plain)
    )
    employer = not seeker and any(pattern.search(plain) for pattern in table.employer)
    if employer:
        # "si je prends un apprenti": the apprentice is the one hired, not the person.
        statuses = [
            s for s in statuses if s not in {"job_seeker", "employee", "apprentice", "student"}
        ]
        statuses.append("employer")
    return Situation(
        statuses=tuple(statuses),
        age=age,
        child_ages=tuple(children),
        schedules=tuple(schedules),
        employer=employer,
        seeker=seeker,
    )
