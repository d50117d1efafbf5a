"""Build ``keywords/taxa.csv`` from the CITES Species+ 2017 index.

Source: "Species+ / CITES Checklist, UNEP-WCMC, 2017" (Index_of_CITES_Species
2017-04-21, as kept in naturalis/HTS-barcode-checker). It is a 2017 snapshot:
listing changes since then (e.g. the 2017 move of all pangolins to Appendix I
is there, later ones are not) are missing.

Keeps the animal taxa listed in Appendix I, II or III and the listed plants of the
groups monitored in trade (``PLANT_RULES``: agarwood, rosewoods, ginseng, guaiac woods,
orchids, cacti and succulents, cycads), strips authors from synonyms, and adds one row per class, order, family and genus so that lexicon terms can
point at a whole group ("Rhinocerotidae", "Manis"). Run from the repo root::

    .venv/bin/python keywords/build_taxa.py [path/to/cites_species_2017_slim.csv]
"""

from __future__ import annotations

import csv
import gzip
import os
import sys
from pathlib import Path

CITATION = "Species+ / CITES Checklist, UNEP-WCMC, 2017 (2017 snapshot)"
SOURCE = "cites-speciesplus-2017"  # key of CITATION in keywords/lexicon.yaml
HERE = Path(__file__).resolve().parent
DEFAULT_INPUT = HERE.parents[1] / "shared" / "data" / "cites" / "cites_species_2017_slim.csv"
COLUMNS = [
    "id",
    "scientific_name",
    "rank",
    "class",
    "order",
    "family",
    "genus",
    "cites_appendix",
    "taxon_group",
    "common_name",
    "common_names_en",
    "common_names_fr",
    "common_names_es",
    "synonyms",
    "source",
]
BIG_CAT_GENERA = {"Panthera", "Acinonyx", "Neofelis", "Uncia"}
# First matching rule wins: (column, value, group).
GROUP_RULES = [
    ("family", "Elephantidae", "elephants"),
    ("family", "Rhinocerotidae", "rhinos"),
    ("family", "Manidae", "pangolins"),
    ("family", "Ursidae", "bears"),
    ("family", "Cheloniidae", "sea turtles"),
    ("family", "Dermochelyidae", "sea turtles"),
    ("family", "Bucerotidae", "hornbills"),
    ("genus", "Totoaba", "totoaba"),
    ("genus", "Saiga", "saiga"),
    ("family", "Moschidae", "musk deer"),
    ("family", "Hippopotamidae", "hippos"),
    ("family", "Odobenidae", "walrus"),
    ("family", "Monodontidae", "whales and dolphins"),
    ("order", "Cetacea", "whales and dolphins"),
    ("order", "Primates", "primates"),
    ("order", "Psittaciformes", "parrots"),
    ("order", "Passeriformes", "songbirds"),
    ("order", "Falconiformes", "birds of prey"),
    ("order", "Accipitriformes", "birds of prey"),
    ("order", "Strigiformes", "birds of prey"),
    ("order", "Acipenseriformes", "sturgeons"),
    ("class", "Elasmobranchii", "sharks"),
    ("class", "Anthozoa", "corals"),
    ("class", "Hydrozoa", "corals"),
    ("class", "Reptilia", "reptiles"),
    ("class", "Amphibia", "amphibians"),
    ("class", "Aves", "birds"),
    ("class", "Mammalia", "mammals"),
    ("class", "Insecta", "insects"),
    ("class", "Arachnida", "spiders and scorpions"),
    ("class", "Bivalvia", "molluscs"),
    ("class", "Gastropoda", "molluscs"),
    ("class", "Cephalopoda", "molluscs"),
]
# Plants kept from the index: (column, value, group, keep species rows). The large groups
# (~25,000 orchids, ~1,900 cacti, ~1,200 Euphorbia and Aloe, ~350 cycads) keep only their
# family and genus rows: a lexicon term points at a genus or family, and 30,000 Latin
# species names would double the matcher's automaton for names no seller writes.
PLANT_RULES = [
    ("genus", "Aquilaria", "agarwood", True),
    ("genus", "Gyrinops", "agarwood", True),
    ("genus", "Dalbergia", "rosewoods", True),
    ("genus", "Pterocarpus", "rosewoods", True),
    ("genus", "Panax", "ginseng", True),
    ("genus", "Bulnesia", "guaiac woods", True),
    ("genus", "Guaiacum", "guaiac woods", True),
    ("family", "Orchidaceae", "orchids", False),
    ("family", "Cactaceae", "cacti and succulents", False),
    ("genus", "Euphorbia", "cacti and succulents", False),
    ("genus", "Aloe", "cacti and succulents", False),
    ("order", "Cycadales", "cycads", False),
]


def plant_rule(row: dict[str, str]) -> tuple[str, bool] | None:
    """(group, keep species rows) of a plant in a monitored group, else ``None``."""
    for column, value, group, species in PLANT_RULES:
        if row.get(column) == value:
            return group, species
    return None


def taxon_group(row: dict[str, str]) -> str:
    """The monitoring group of a taxon (``big cats``, ``pangolins``, ``corals``...)."""
    if row.get("kingdom") == "Plantae":
        rule = plant_rule(row)
        return rule[0] if rule else "other plants"
    if row["family"] == "Felidae":
        return "big cats" if row["genus"] in BIG_CAT_GENERA else "cats"
    for column, value, group in GROUP_RULES:
        if row[column] == value:
            return group
    return "other animals"


def strip_author(synonym: str) -> str:
    """``"Manis longicaudata (Brisson, 1756)"`` -> ``"Manis longicaudata"``."""
    words = synonym.split()
    kept = words[:1]
    for word in words[1:]:
        if not word[:1].islower() or not word.replace("-", "").isalpha():
            break
        kept.append(word)
    return " ".join(kept)


def split_names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def appendix(listing: str) -> str | None:
    """``"I/II/NC"`` -> ``"I/II"``; ``None`` when not in any appendix."""
    parts = [p for p in listing.split("/") if p in ("I", "II", "III")]
    return "/".join(parts) or None


def merge_appendices(values: list[str]) -> str:
    return "/".join(a for a in ("I", "II", "III") if any(a in v.split("/") for v in values))


def _higher_group(rank: str, members: list[dict[str, str]]) -> str:
    """The group shared by all members, else the group of the rank name itself."""
    groups = {m["taxon_group"] for m in members}
    if len(groups) == 1:
        return groups.pop()
    return taxon_group({**members[0], "genus": "", **({} if rank != "class" else {"order": ""})})


def build_rows(reader: csv.DictReader) -> list[dict[str, str]]:
    """The rows of ``taxa.csv``: listed animal taxa, the monitored plants (``PLANT_RULES``)
    plus synthesised class/order/family/genus rows."""
    rows: dict[str, dict[str, str]] = {}
    kingdoms: dict[str, str] = {}
    for raw in reader:
        listed = appendix(raw["CurrentListing"])
        if not listed or raw["Kingdom"] not in ("Animalia", "Plantae"):
            continue
        if raw["Kingdom"] == "Plantae":
            rule = plant_rule(
                {"order": raw["Order"], "family": raw["Family"], "genus": raw["Genus"]}
            )
            if rule is None or (not rule[1] and raw["RankName"] not in ("FAMILY", "GENUS")):
                continue
        english = split_names(raw["EnglishNames"])
        synonyms = []
        for syn in split_names(raw["SynonymsWithAuthors"]):
            name = strip_author(syn)
            if " " in name and name != raw["FullName"] and name not in synonyms:
                synonyms.append(name)
        row = {
            "id": raw["FullName"],
            "scientific_name": raw["FullName"],
            "rank": raw["RankName"].lower(),
            "class": raw["Class"],
            "order": raw["Order"],
            "family": raw["Family"],
            "genus": raw["Genus"],
            "cites_appendix": listed,
            "common_name": english[0] if english else "",
            "common_names_en": "|".join(english),
            "common_names_fr": "|".join(split_names(raw["FrenchNames"])),
            "common_names_es": "|".join(split_names(raw["SpanishNames"])),
            "synonyms": "|".join(synonyms),
            "source": SOURCE,
        }
        row["taxon_group"] = taxon_group({**row, "kingdom": raw["Kingdom"]})
        rows[row["id"]] = row
        kingdoms[row["id"]] = raw["Kingdom"]
    members: dict[tuple[str, str], list[dict[str, str]]] = {}
    for row in rows.values():
        for rank in ("class", "order", "family", "genus"):
            if row[rank]:
                members.setdefault((rank, row[rank]), []).append(
                    {**row, "kingdom": kingdoms[row["id"]]}
                )
    for (rank, name), group in members.items():
        if name in rows:
            # An animal group's name wins over a plant genus of the same spelling
            # (Pholidota: the pangolins' order and an orchid genus).
            if not (kingdoms[name] == "Plantae" and group[0]["kingdom"] == "Animalia"):
                continue
            print(f"{name}: the animal {rank} replaces the plant genus", file=sys.stderr)
        first = group[0]
        rows[name] = {
            "id": name,
            "scientific_name": name,
            "rank": rank,
            "class": first["class"],
            "order": first["order"] if rank in ("order", "family", "genus") else "",
            "family": first["family"] if rank in ("family", "genus") else "",
            "genus": first["genus"] if rank == "genus" else "",
            "cites_appendix": merge_appendices([r["cites_appendix"] for r in group]),
            "taxon_group": _higher_group(rank, group),
            "common_name": "",
            "common_names_en": "",
            "common_names_fr": "",
            "common_names_es": "",
            "synonyms": "",
            "source": SOURCE + " (synthesised from listed members)",
        }
    return sorted(rows.values(), key=lambda r: (r["class"], r["order"], r["family"], r["id"]))


def main(argv: list[str]) -> int:
    source = Path(
        argv[1] if len(argv) > 1 else os.environ.get("WILDCRAWL_CITES_CSV", DEFAULT_INPUT)
    )
    if not source.exists():
        print(f"{source}: not found (give the Species+ CSV as the first argument)", file=sys.stderr)
        return 1
    opener = gzip.open if source.suffix == ".gz" else open
    with opener(source, "rt", encoding="utf-8", newline="") as handle:
        rows = build_rows(csv.DictReader(handle))
    target = HERE / "taxa.csv"
    with open(target, "w", encoding="utf-8", newline="") as handle:
        handle.write(f"# Generated by keywords/build_taxa.py from {source.name}. {CITATION}.\n")
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} taxa to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
