"""``keywords/taxa.csv`` from a CITES Species+ / Checklist export, as a monitor downloads it.

Two layouts are read:

- the "Index of CITES Species" (``TaxonId, Kingdom, Class, ..., FullName, RankName,
  CurrentListing, SynonymsWithAuthors, EnglishNames, SpanishNames, FrenchNames``), such as
  the bundled 2017-04-21 index (as kept in naturalis/HTS-barcode-checker);
- the Species+ "CITES listings" export (``Id, Kingdom, Phylum, Class, Order, Family, Genus,
  Species, Subspecies, Scientific Name, Author, Rank, Listing, Party, Listed under, Full
  note, ...``): no common names, no synonyms, often one group only (a reptiles export).

``import_taxa`` merges an export into a lexicon: its taxa are added or updated (appendix,
rank, group), the taxa it does not name are kept (an export of reptiles does not remove
the mammals), and names it lacks are kept from the rows before. Species terms derive from
``taxa.csv`` when the lexicon loads (scientific names, synonyms, common names), so they
follow; hand-written terms in ``terms/*.yaml`` are never touched. The export's date is
recorded in ``keywords/taxa_source.yaml``; ``wildcrawl check keywords`` warns when it is
more than two years old.

Keeps the animal taxa listed in Appendix I, II or III and the listed plants of the
groups monitored in trade (``PLANT_RULES``: agarwood, rosewoods, ginseng, guaiac woods,
orchids, cacti and succulents, cycads), strips authors from synonyms, and adds one row per class, order, family and genus so
that lexicon terms can point at a whole group ("Rhinocerotidae", "Manis").
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

CITATION = "Species+ / CITES Checklist, UNEP-WCMC, 2017 (2017 snapshot)"
SOURCE = "cites-speciesplus-2017"  # key of CITATION in keywords/lexicon.yaml
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


def build_rows(reader, source_key: str = SOURCE) -> list[dict[str, str]]:
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
            "source": source_key,
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
            "source": source_key + " (synthesised from listed members)",
        }
    return sorted(rows.values(), key=lambda r: (r["class"], r["order"], r["family"], r["id"]))


# --- import -----------------------------------------------------------------------------------

SOURCE_FILE = "taxa_source.yaml"
MAX_AGE_DAYS = 2 * 365
DOWNLOAD_HINT = (
    "download a current export from https://checklist.cites.org (Index of CITES Species) or "
    "https://speciesplus.net (CITES listings), then run: wildcrawl taxa import FILE"
)
_LISTINGS_EXPORT = ("Scientific Name", "Listing", "Rank")
_INDEX = ("FullName", "CurrentListing", "RankName")


class CitesError(ValueError):
    """The file is not a CITES export wildcrawl can read."""


def _index_row(raw: dict[str, str]) -> dict[str, str]:
    """A "CITES listings" export row in the index's column names."""
    return {
        "Kingdom": raw.get("Kingdom", ""),
        "Class": raw.get("Class", ""),
        "Order": raw.get("Order", ""),
        "Family": raw.get("Family", ""),
        "Genus": raw.get("Genus", ""),
        "FullName": raw.get("Scientific Name", "").strip(),
        "RankName": raw.get("Rank", "").strip().upper(),
        "CurrentListing": raw.get("Listing", ""),
        "SynonymsWithAuthors": "",
        "EnglishNames": "",
        "SpanishNames": "",
        "FrenchNames": "",
    }


def read_export(path: Path) -> tuple[str, list[dict[str, str]]]:
    """(layout, rows in the index's column names) of a CITES CSV export (``.gz`` too)."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            fields = set(reader.fieldnames or ())
            if all(c in fields for c in _INDEX):
                return "index", list(reader)
            if all(c in fields for c in _LISTINGS_EXPORT):
                return "listings", [_index_row(r) for r in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CitesError(f"{path}: cannot read ({exc})") from exc
    raise CitesError(
        f"{path}: not a CITES export (expected the columns {', '.join(_INDEX)} of the Index of "
        f"CITES Species, or {', '.join(_LISTINGS_EXPORT)} of a Species+ listings export)"
    )


def export_date(path: Path, given: str | None = None) -> str | None:
    """The export's date: ``given``, else read from the file name (``2017-04-21``,
    ``_07-23`` as month-year), else None."""
    if given:
        return dt.date.fromisoformat(given).isoformat()
    name = path.name
    m = re.search(r"(20\d\d)-(\d\d)-(\d\d)", name)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    m = re.search(r"[_-](\d\d)-(\d\d)(?:\D|$)", name)
    if m and 1 <= int(m[1]) <= 12:
        return dt.date(2000 + int(m[2]), int(m[1]), 1).isoformat()
    return None


def _read_taxa_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return list(csv.DictReader(lines))


def merge_rows(old: list[dict[str, str]], new: list[dict[str, str]]) -> list[dict[str, str]]:
    """``new`` over ``old`` by id; names and synonyms ``new`` lacks are kept from ``old``."""
    merged = {r["id"]: r for r in old}
    for row in new:
        before = merged.get(row["id"])
        if before:
            for column in ("common_name", "common_names_en", "common_names_fr",
                           "common_names_es", "synonyms"):  # fmt: skip
                if not row.get(column):
                    row[column] = before.get(column, "")
            if row["taxon_group"] in ("other animals", "other plants") and before.get(
                "taxon_group"
            ):
                row["taxon_group"] = before["taxon_group"]
        merged[row["id"]] = row
    return sorted(merged.values(), key=lambda r: (r["class"], r["order"], r["family"], r["id"]))


@dataclass
class ImportResult:
    layout: str
    read: int
    added: int
    updated: int
    total: int
    exported: str | None


def write_taxa(target: Path, rows: list[dict[str, str]], note: str) -> None:
    tmp = target.with_suffix(".csv.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        handle.write(f"# {note}\n")
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(target)  # never a half-written taxa.csv


def import_taxa(
    source: Path, lexicon_dir: Path, date: str | None = None, replace: bool = False
) -> ImportResult:
    """Merge the CITES export ``source`` into ``lexicon_dir/taxa.csv`` (``replace``: build it
    from the export alone) and record the export's date."""
    layout, raw = read_export(source)
    exported = export_date(source, date)
    key = f"cites-speciesplus-{exported}" if exported else SOURCE
    rows = build_rows(raw, source_key=key)
    old = [] if replace else _read_taxa_csv(lexicon_dir / "taxa.csv")
    before = {r["id"]: r for r in old}
    merged = merge_rows(old, rows)
    added = sum(1 for r in rows if r["id"] not in before)
    write_taxa(
        lexicon_dir / "taxa.csv",
        merged,
        f"CITES taxa: Species+ / CITES Checklist, UNEP-WCMC; last import {source.name} "
        f"(exported {exported or 'date unknown'}) by wildcrawl taxa import.",
    )
    record = {
        "file": source.name,
        "layout": layout,
        "exported": exported,
        "imported": dt.date.today().isoformat(),
        "source_key": key,
        "citation": f"Species+ / CITES Checklist, UNEP-WCMC, export of {exported or 'unknown date'}",
    }
    (lexicon_dir / SOURCE_FILE).write_text(
        "# The CITES export taxa.csv was last built from (wildcrawl taxa import).\n"
        + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in record.items()),
        encoding="utf-8",
    )
    return ImportResult(layout, len(raw), added, len(rows) - added, len(merged), exported)


def export_age_warning(lexicon_dir: Path, today: dt.date | None = None) -> str | None:
    """A warning when the CITES export behind ``taxa.csv`` is over two years old (or unknown)."""
    path = lexicon_dir / SOURCE_FILE
    exported = None
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("exported:"):
                value = json.loads(line.split(":", 1)[1].strip() or "null")
                exported = dt.date.fromisoformat(value) if value else None
    if exported is None:
        return f"the date of the CITES export behind taxa.csv is not known: {DOWNLOAD_HINT}"
    age = ((today or dt.date.today()) - exported).days
    if age > MAX_AGE_DAYS:
        return (
            f"the CITES export behind taxa.csv is from {exported.isoformat()}, "
            f"{age // 365} years old: listings have changed since; {DOWNLOAD_HINT}"
        )
    return None
