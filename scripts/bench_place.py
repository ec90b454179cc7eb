#!/usr/bin/env python3
"""Benchmark of the territory layer: load time of the whole of France, place resolution latency.

    .venv-app/bin/python scripts/bench_place.py [--queries 3000] [--json bench-results/place.json]

Loads the shipped territory file into a temporary SQLite file, then times ``resolve_place`` over
a deterministic mix of queries generated from the data (names as typed in chat, postcodes,
typos, sentences, EPCI/département/région names, ordinary messages that are not places).
Targets (issue 3): loading under 30 s, resolution p95 under 5 ms. Exits 1 when one is missed.
Accuracy per query kind is printed for information.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from unidecode import unidecode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from knowledge.db import make_engine, make_session_factory  # noqa: E402
from knowledge.models.base import Base  # noqa: E402
from knowledge.models.territory import (  # noqa: E402
    Commune,
    CommuneAlias,
    CommunePostcode,
    Departement,
    Epci,
    Region,
)
from knowledge.search.place import get_place_index, resolve_place  # noqa: E402
from knowledge.search.place_text import normalize  # noqa: E402
from knowledge.territories.data import CommuneRow, shipped_territories  # noqa: E402
from knowledge.territories.loader import load_territories  # noqa: E402

Query = tuple[str, str, set[str]]  # kind, text, acceptable codes (empty: not a place)
LOAD_TARGET_S = 30.0
P95_TARGET_MS = 5.0
SEED = 20250101

NOT_PLACES = [
    "bonjour",
    "merci beaucoup",
    "oui",
    "non merci",
    "je cherche un emploi",
    "aide au logement",
    "je veux parler à un conseiller",
    "j'ai 24 ans",
    "je suis au RSA depuis 2 ans",
    "comment faire une VAE",
    "je cherche une place en crèche pour ma fille",
    "quelles aides pour passer le permis",
    "mon contrat d'apprentissage se termine le 30 juin",
    "c'est trop cher pour moi",
    "avec plaisir",
    "je prends le bus tous les jours",
    "ok",
    "je suis maman solo avec 2 enfants",
    "je voudrais créer mon entreprise",
]
TEMPLATES = [
    "j'habite à {}",
    "jhabite a {}",
    "je cherche du travail vers {}",
    "{}",
    "je vis sur {}",
    "je suis de {} et je cherche une formation",
    "salut, je viens d'arriver à {}",
]
AREA_TEMPLATES = ["{}", "dans {}", "je cherche un emploi en {}", "la {}"]


def typo(rng: random.Random, word: str) -> str:
    position = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:
        return word[:position] + word[position + 1 :]
    return word[:position] + rng.choice("aeioulnrst") + word[position + 1 :]


def commune_queries(rng: random.Random, communes: list[CommuneRow], count: int) -> list[Query]:
    """Names as typed; any commune of the same name is a right answer (homonyms)."""
    homonyms: dict[str, set[str]] = defaultdict(set)
    for commune in communes:
        homonyms[normalize(commune.name)].add(commune.code)
    queries: list[Query] = []
    for commune in rng.sample(communes, count):
        name = commune.name
        variant = rng.choice(
            [
                name,
                name.lower(),
                unidecode(name).lower().replace("-", " "),
                name.replace("Saint-", "St-").replace("Sainte-", "Ste-"),
            ]
        )
        queries.append(
            ("name", rng.choice(TEMPLATES).format(variant), homonyms[normalize(commune.name)])
        )
    return queries


def build_queries(total: int) -> list[Query]:
    """(kind, text, acceptable commune or area codes); an empty set means "not a place"."""
    rng = random.Random(SEED)
    data = shipped_territories()
    communes = [c for c in data.communes if c.postcodes]
    towns = [c for c in communes if (c.population or 0) >= 10_000]
    share = max(total // 10, 1)
    queries = commune_queries(rng, communes, share * 3)
    queries += commune_queries(rng, towns, share)
    for commune in rng.sample(communes, share * 2):
        postcode = rng.choice(commune.postcodes)
        text = rng.choice(
            [postcode, f"{postcode[:2]} {postcode[2:]}", f"mon code postal {postcode}"]
        )
        same = {c.code for c in communes if postcode in c.postcodes}
        queries.append(("postcode", text, same))
    for commune in rng.sample(towns, share):
        word = unidecode(commune.name).lower()
        if len(word) >= 7 and " " not in word and "-" not in word:
            queries.append(
                (
                    "typo",
                    rng.choice(["{}", "j'habite a {}"]).format(typo(rng, word)),
                    {commune.code},
                )
            )
    areas = [(d.code, d.name) for d in data.departements] + [(r.code, r.name) for r in data.regions]
    areas += [(e.code, e.name) for e in data.epci if e.kind in ("METRO", "CU", "CA", "EPT")]
    for code, name in rng.choices(areas, k=share):
        queries.append(("area", rng.choice(AREA_TEMPLATES).format(name), {code}))
    queries += [("not_place", rng.choice(NOT_PLACES), set()) for _ in range(share)]
    rng.shuffle(queries)
    return queries[:total]


def load_france(path: Path) -> tuple[float, float, dict[str, int]]:
    engine = make_engine(f"sqlite:///{path}")
    tables = [
        m.__table__ for m in (Region, Departement, Epci, Commune, CommunePostcode, CommuneAlias)
    ]
    Base.metadata.create_all(engine, tables=tables)
    sessions = make_session_factory(engine)
    start = time.perf_counter()
    with sessions() as session:
        counts = load_territories(session)
        session.commit()
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    with sessions() as session:
        get_place_index(session)
    return load_s, time.perf_counter() - start, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="territory load and place resolution benchmark")
    parser.add_argument("--queries", type=int, default=3000)
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-place-") as tmp:
        db = Path(tmp) / "france.db"
        load_s, index_s, counts = load_france(db)
        queries = build_queries(args.queries)
        durations: list[float] = []
        hits: dict[str, list[bool]] = defaultdict(list)
        with make_session_factory(make_engine(f"sqlite:///{db}"))() as session:
            get_place_index(session)
            for kind, text, expected in queries:
                start = time.perf_counter()
                match = resolve_place(session, text)
                durations.append((time.perf_counter() - start) * 1000)
                area = match is not None and match.level in ("departement", "region")
                codes = (
                    set()
                    if match is None
                    else {
                        match.commune_insee,
                        match.arrondissement_insee,
                        match.epci_code,
                        match.departement_code if area else None,
                        match.region_code if area else None,  # "La Réunion": région or département
                    }
                )
                hits[kind].append(bool(codes & expected) if expected else match is None)
    durations.sort()
    figures = {
        "rows": counts,
        "load_seconds": round(load_s, 2),
        "index_build_seconds": round(index_s, 2),
        "queries": len(durations),
        "p50_ms": round(statistics.median(durations), 3),
        "p95_ms": round(durations[int(len(durations) * 0.95) - 1], 3),
        "p99_ms": round(durations[int(len(durations) * 0.99) - 1], 3),
        "max_ms": round(durations[-1], 3),
        "accuracy": {kind: round(sum(ok) / len(ok), 3) for kind, ok in sorted(hits.items())},
    }
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    missed = []
    if load_s + index_s >= LOAD_TARGET_S:
        missed.append(f"load {load_s + index_s:.1f} s >= {LOAD_TARGET_S} s")
    if figures["p95_ms"] >= P95_TARGET_MS:
        missed.append(f"p95 {figures['p95_ms']} ms >= {P95_TARGET_MS} ms")
    if missed:
        print("TARGET MISSED: " + "; ".join(missed), file=sys.stderr)
        return 1
    print(
        f"targets met: load+index {load_s + index_s:.1f} s < {LOAD_TARGET_S} s, "
        f"p95 {figures['p95_ms']} ms < {P95_TARGET_MS} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
