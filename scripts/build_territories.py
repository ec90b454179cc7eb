#!/usr/bin/env python3
"""Build the shipped territory file from the official npm package.

    python scripts/build_territories.py            # fetch the pinned version with `npm pack`
    python scripts/build_territories.py --tarball etalab-decoupage-administratif-6.0.0.tgz

Writes ``knowledge/data/territories/territories.json.gz`` and ``SOURCE.md``. The product only
reads the committed file, so installing and running need no network; this script is for the
maintainers who move to a new vintage (bump ``PACKAGE_VERSION``). The output is deterministic:
same package version, same bytes (sorted rows, compact JSON, gzip mtime 0).

What the file keeps, and why:
- communes actuelles (code, name, département, région, population, postcodes, EPCI, EPT,
  former INSEE codes) — the unit the bot reasons with;
- arrondissements municipaux of Paris, Lyon and Marseille, linked to their commune, so that
  "Paris 15" or "13008" resolve to the arrondissement *and* to the commune;
- communes déléguées and associées as name aliases of their parent commune (their INSEE code may
  equal the parent's, so they are not communes of their own here);
- EPCI à fiscalité propre (CC, CA, CU, METRO, MET69) and the EPT of the Métropole du Grand Paris;
- départements and régions, including the overseas collectivities the package lists.
Arrondissements départementaux (sub-prefecture districts) are left out: no scheme is scoped to them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

PACKAGE_NAME = "@etalab/decoupage-administratif"
PACKAGE_VERSION = "6.0.0"
FORMAT_VERSION = 1

REPO_ROOT = Path(__file__).resolve().parent.parent
OUTPUT_DIR = REPO_ROOT / "knowledge" / "data" / "territories"
DATA_FILE = "territories.json.gz"

Json = Any


def fetch_tarball(workdir: Path) -> Path:
    """Download the pinned package tarball with the ordinary npm client."""
    if shutil.which("npm") is None:
        sys.exit("npm is required to fetch the package (or pass --tarball)")
    spec = f"{PACKAGE_NAME}@{PACKAGE_VERSION}"
    subprocess.run(
        ["npm", "pack", spec, "--pack-destination", str(workdir), "--silent"],
        check=True,
        cwd=workdir,
        stdout=subprocess.DEVNULL,
    )
    tarballs = sorted(workdir.glob("*.tgz"))
    if len(tarballs) != 1:
        sys.exit(f"expected one tarball from npm pack, found {tarballs}")
    return tarballs[0]


def read_package(tarball: Path) -> dict[str, Json]:
    """Read package.json, LICENSE and the data JSON files straight from the tarball."""
    wanted = {
        "package/package.json": "package",
        "package/LICENSE": "license",
        "package/data/communes.json": "communes",
        "package/data/epci.json": "epci",
        "package/data/ept.json": "ept",
        "package/data/departements.json": "departements",
        "package/data/regions.json": "regions",
    }
    found: dict[str, Json] = {}
    with tarfile.open(tarball, "r:gz") as archive:
        for member in archive.getmembers():
            key = wanted.get(member.name)
            if key is None:
                continue
            handle = archive.extractfile(member)
            if handle is None:
                continue
            raw = handle.read().decode("utf-8")
            found[key] = raw if key == "license" else json.loads(raw)
    missing = sorted(set(wanted.values()) - set(found))
    if missing:
        sys.exit(f"package is missing {missing}")
    if found["package"]["version"] != PACKAGE_VERSION:
        sys.exit(f"tarball is version {found['package']['version']}, expected {PACKAGE_VERSION}")
    return found


def membership(groups: list[Json]) -> dict[str, str]:
    """Commune INSEE code -> SIREN of the group (EPCI or EPT) that lists it as a member."""
    owner: dict[str, str] = {}
    for group in groups:
        for member in group["membres"]:
            previous = owner.setdefault(member["code"], group["code"])
            if previous != group["code"]:
                sys.exit(f"commune {member['code']} is in two groups: {previous}, {group['code']}")
    return owner


def build_rows(package: dict[str, Json]) -> dict[str, Json]:
    """Turn the package JSON into compact, sorted row lists (see the module docstring)."""
    epci_of = membership(package["epci"])
    ept_of = membership(package["ept"])
    rows: dict[str, list[list[Json]]] = {
        "regions": [],
        "departements": [],
        "epci": [],
        "communes": [],
        "arrondissements": [],
        "sub_communes": [],
    }
    for region in package["regions"]:
        rows["regions"].append([region["code"], region["nom"], region["zone"], region["chefLieu"]])
    for dep in package["departements"]:
        rows["departements"].append(
            [dep["code"], dep["nom"], dep["region"], dep["zone"], dep["chefLieu"]]
        )
    for group in [*package["epci"], *package["ept"]]:
        population = group.get("populationMunicipale") or None
        rows["epci"].append([group["code"], group["nom"], group["type"], population])
    for item in package["communes"]:
        kind = item["type"]
        if kind == "commune-actuelle":
            code = item["code"]
            rows["communes"].append(
                [
                    code,
                    item["nom"],
                    item["departement"],
                    item["region"],
                    item.get("population"),
                    sorted(set(item.get("codesPostaux", []))),
                    epci_of.get(code),
                    ept_of.get(code),
                    sorted(item.get("anciensCodes", [])),
                    item["zone"],
                ]
            )
        elif kind == "arrondissement-municipal":
            rows["arrondissements"].append(
                [
                    item["code"],
                    item["nom"],
                    item["commune"],
                    item.get("population"),
                    sorted(set(item.get("codesPostaux", []))),
                ]
            )
        elif kind in ("commune-deleguee", "commune-associee"):
            short = "deleguee" if kind == "commune-deleguee" else "associee"
            rows["sub_communes"].append([item["code"], item["nom"], short, item["chefLieu"]])
        else:
            sys.exit(f"unknown commune type {kind!r}")
    for table in rows.values():
        table.sort(key=lambda row: [str(cell) for cell in row])
    check_references(rows)
    return rows


def check_references(rows: dict[str, Json]) -> None:
    """Fail the build rather than ship a file with dangling codes."""
    regions = {row[0] for row in rows["regions"]}
    departements = {row[0] for row in rows["departements"]}
    groups = {row[0] for row in rows["epci"]}
    communes = {row[0] for row in rows["communes"]}
    problems = [
        f"departement {r[0]} -> region {r[2]}" for r in rows["departements"] if r[2] not in regions
    ]
    for row in rows["communes"]:
        if row[2] not in departements or row[3] not in regions:
            problems.append(f"commune {row[0]} -> {row[2]}/{row[3]}")
        for group in (row[6], row[7]):
            if group is not None and group not in groups:
                problems.append(f"commune {row[0]} -> group {group}")
    problems += [
        f"arrondissement {r[0]} -> {r[2]}" for r in rows["arrondissements"] if r[2] not in communes
    ]
    problems += [
        f"sub-commune {r[0]} -> {r[3]}" for r in rows["sub_communes"] if r[3] not in communes
    ]
    if problems:
        sys.exit("dangling references:\n" + "\n".join(problems[:20]))


def write_outputs(package: dict[str, Json], rows: dict[str, Json], tarball: Path) -> Path:
    """Write the gzip data file and SOURCE.md; return the data file path."""
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    integrity = hashlib.sha256(tarball.read_bytes()).hexdigest()
    document = {
        "format": FORMAT_VERSION,
        "source": {
            "package": PACKAGE_NAME,
            "version": PACKAGE_VERSION,
            "licence": package["package"]["license"],
            "tarball_sha256": integrity,
        },
        **rows,
    }
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    target = OUTPUT_DIR / DATA_FILE
    with (
        target.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz,
    ):
        gz.write(payload.encode("utf-8"))
    (OUTPUT_DIR / "SOURCE.md").write_text(
        source_markdown(package, rows, integrity, target.stat().st_size), encoding="utf-8"
    )
    return target


def build_date() -> str:
    # SOURCE_DATE_EPOCH (reproducible-builds convention) pins the date for byte-identical output.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (
        dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        if epoch
        else dt.datetime.now(dt.timezone.utc)
    )
    return when.date().isoformat()


def source_markdown(package: dict[str, Json], rows: dict[str, Json], sha: str, size: int) -> str:
    counts = ", ".join(f"{len(rows[name])} {name}" for name in sorted(rows))
    return f"""# Territories data: source and licence

- Package: `{PACKAGE_NAME}` version `{PACKAGE_VERSION}` (npm registry), vintage 2026
  (Code officiel géographique of INSEE, EPCI list of the DGCL, EPT list of INSEE, legal
  populations of INSEE, postcodes of La Poste's official base).
- Package tarball SHA-256: `{sha}`
- Built on: {build_date()} by `scripts/build_territories.py`
- File: `{DATA_FILE}` ({size} bytes): {counts}.
- Package code licence: {package["package"]["license"]} (text below). Data licence stated by the
  package README: Licence Ouverte / Open Licence (Etalab), which requires attribution:
  "Source : Etalab, découpage administratif (INSEE, DGCL, La Poste), {PACKAGE_VERSION}".

## What is kept

Communes actuelles, arrondissements municipaux (Paris, Lyon, Marseille), communes déléguées and
associées (as aliases of their parent commune), EPCI à fiscalité propre, EPT of the Métropole du
Grand Paris, départements and régions. See the docstring of the build script for the reasons.

## How to rebuild

```sh
# bump PACKAGE_VERSION in scripts/build_territories.py for a new vintage, then:
.venv-app/bin/python scripts/build_territories.py
# reproducible date:  SOURCE_DATE_EPOCH=$(date +%s) ...
.venv-app/bin/python -m pytest tests/knowledge/test_territories.py -q
```

The script runs `npm pack {PACKAGE_NAME}@{PACKAGE_VERSION}` in a temporary directory (no
`npm install`, no package scripts run) and reads the JSON files from the tarball.

## Licence text of the package

```
{package["license"].strip()}
```
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help="use this package tarball instead of npm")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="territories-") as tmp:
        tarball = args.tarball.resolve() if args.tarball else fetch_tarball(Path(tmp))
        package = read_package(tarball)
        rows = build_rows(package)
        target = write_outputs(package, rows, tarball)
    counts = {name: len(table) for name, table in rows.items()}
    print(f"wrote {target.relative_to(REPO_ROOT)} ({target.stat().st_size} bytes): {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
