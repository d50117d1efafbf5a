"""``taxa.csv`` of a lexicon folder: its taxa, and the species terms they give.

Scientific names and synonyms become ``la`` species terms (weight 0.5: only the trade and
science write them), multi-word English, French and Spanish common names species terms of
their language (0.3), all citing the CITES index; common names of a domestic animal are left
out (the labelling guide's domestic row). Split from ``lexicon``, which calls it.
"""

from __future__ import annotations

import csv
from pathlib import Path

from crawler.errors import LexiconError
from crawler.matching.entries import Taxon, Term

CITES_SOURCE = "cites-speciesplus-2017"

APPENDICES = {"I", "II", "III", "I/II", "I/III", "II/III", "I/II/III"}
TAXA_COLUMNS = ("id", "scientific_name", "cites_appendix", "taxon_group", "source")
# CITES common names that name a domestic animal, not the wild taxon listed (left24): "Domestic
# Sheep" and "Red Sheep" are common names of Ovis aries in taxa.csv (CITES lists the wild
# mouflon), "Tiger Cat" is also the tabby cat, "Red Dog" and "Blue Dog" a beer and a painting.
DOMESTIC_WORDS = frozenset({"domestic", "domesticated"})
DOMESTIC_COMMON_NAMES = frozenset({"red sheep", "tiger cat", "red dog", "blue dog"})


def read_taxa(path: Path, problems: list[LexiconError]) -> list[Taxon]:
    taxa: list[Taxon] = []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(LexiconError(f"cannot read: {exc}", path=str(path)))
        return taxa
    lines = (line for line in text.splitlines(keepends=True) if not line.startswith("#"))
    reader = csv.DictReader(lines)
    missing = [c for c in TAXA_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        problems.append(LexiconError(f"missing columns: {', '.join(missing)}", path=str(path)))
        return taxa
    seen: set[str] = set()
    for number, row in enumerate(reader, start=3):  # comment line + header
        where = {"path": str(path), "line": number}
        appendix = row.get("cites_appendix") or None
        if not row["id"]:
            problems.append(LexiconError("empty taxon id", **where))
            continue
        if row["id"] in seen:
            problems.append(LexiconError(f"duplicate taxon id {row['id']!r}", **where))
            continue
        if appendix and appendix not in APPENDICES:
            problems.append(LexiconError(f"unknown CITES appendix {appendix!r}", **where))
            continue
        seen.add(row["id"])
        names = {
            lang: tuple(n for n in (row.get(f"common_names_{lang}") or "").split("|") if n)
            for lang in ("en", "fr", "es")
        }
        taxa.append(
            Taxon(
                id=row["id"],
                scientific_name=row["scientific_name"],
                common_name=row.get("common_name") or None,
                cites_appendix=appendix,
                taxon_group=row["taxon_group"] or "other animals",  # plants always have one
                synonyms=tuple(s for s in (row.get("synonyms") or "").split("|") if s),
                source=row["source"],
                rank=row.get("rank") or "species",
                common_names=names,
            )
        )
    return taxa


def taxon_terms(taxa: list[Taxon], curated: set[str]) -> list[Term]:
    """Scientific names, synonyms and multi-word common names as species terms."""
    from crawler.normalise.textnorm import fold_term  # OpenCC's tables: not for seeds

    terms: list[Term] = []
    seen = set(curated)

    def add(name: str, lang: str, taxon: Taxon, weight: float) -> None:
        key = f"{lang}:species:{fold_term(name)}"
        if key in seen or fold_term(name) in curated:
            return
        seen.add(key)
        terms.append(
            Term(
                id=key,
                term=name,
                lang=lang,
                kind="species",
                taxon_id=taxon.id,
                product=None,
                source=CITES_SOURCE,
                weight=weight,
            )
        )

    for taxon in taxa:
        if " " in taxon.scientific_name:
            add(taxon.scientific_name, "la", taxon, 0.5)
            for synonym in taxon.synonyms:
                add(synonym, "la", taxon, 0.5)
        for lang, names in taxon.common_names.items():
            for name in names:
                if len(name.split()) >= 2 and len(name) >= 8 and not _domestic_name(name):
                    add(name, lang, taxon, 0.3)
    return terms


def _domestic_name(name: str) -> bool:
    """Whether a CITES common name names a domestic animal (``DOMESTIC_WORDS``,
    ``DOMESTIC_COMMON_NAMES``): the guide's domestic row, not the listed wild taxon."""
    words = name.lower().split()
    return bool(DOMESTIC_WORDS.intersection(words)) or " ".join(words) in DOMESTIC_COMMON_NAMES
