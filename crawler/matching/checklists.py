"""Common names of wild mammals and birds from published checklists, as lexicon terms.

The lexicon names the CITES taxa and the animals earlier rounds met; a listing of another
wild animal's skull, mount, pelt or feathers ("Puffin skull", "Taxidermy Jackdaw Case") found
no term. This module turns two open checklists into ``keywords/checklists/en.yaml``, which
``crawler.matching.lexicon`` loads beside ``terms/en.yaml`` (a curated term of the same id wins):

- mammals: the Mammal Diversity Database (MDD) v1.13, CC BY 4.0;
- birds: AviList, the Global Avian Checklist v2025, CC BY 4.0.

Their excerpts (the columns used here) are ``keywords/checklists/sources/*.csv.gz``; the
generated file is a pure function of them, of ``common-words.txt`` beside them and of the
curated lexicon (``python -m crawler.matching.checklists build``;
``tests/test_checklists.py`` checks that the committed file is what it gives).

Every term is a ``species`` term of weight 0.04, as the curated fur and specimen animals
("porcupine", "warthog"), that a part word of the lexicon ("skull", "taxidermy", "mount",
"pelt", "skeleton", "feathers") lifts to 0.54, enough to flag on the lexicon alone. Unlike
a curated name, a checklist name alone (a motif, a toy, a brand: "Viking wolf amulet",
"Osprey backpack") is no term at all (``Matcher._lifted_names``): given a risk and a taxon
group, such listings moved the relevance model and its flag rule (docs/detection-log.md,
names23). To keep the matcher small, a species is named by
its *group name*, the last word of its common names ("Atlantic Puffin" -> "puffin", "Red
Squirrel" -> "squirrel"), bound to the nearest taxon of ``taxa.csv`` that holds every
species of that name. Full names are kept only for the groups whose last word is dropped
(below) but whose species are traded as specimens ("Common Swift", "Eurasian Jay", "Grey
Seal", "Tufted Duck").

Dropped:
- domestic animals and their wild ancestors sold as domestic (``DOMESTIC``; MDD's own
  ``domestic`` flag), deer (``Cervidae``: the labelling guide's common-deer rule), humans,
  extinct species;
- group names that are ordinary words or brands in English or another language the lexicon
  reads: ``common-words.txt`` (Zipf frequency >= 3.0 in wordfreq 3.1.1 for en, fr, de, es,
  it, pt, nl, pl, id, tr, ms, vi or sv; ``python -m crawler.matching.checklists common-words``
  writes it where wordfreq is installed), less the animal words kept on purpose
  (``KEEP_COMMON``), plus ``ORDINARY`` (words the frequency list does not catch);
- names of three letters or fewer, names the curated lexicon already has.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
import sys
from collections import defaultdict
from pathlib import Path

from crawler.paths import KEYWORDS_DIR

CHECKLISTS = "checklists"
SOURCES_DIR = "sources"
WEIGHT = 0.04
MDD = ("mdd-v1.13.csv.gz", "mdd-v1.13", "Mammalia")
AVILIST = ("avilist-v2025.csv.gz", "avilist-v2025", "Aves")
COMMON_WORDS = "common-words.txt"
WORDFREQ_LANGS = ("en", "fr", "de", "es", "it", "pt", "nl", "pl", "id", "tr", "ms", "vi", "sv")
COMMON_ZIPF = 3.0

# Species sold as domestic animals (docs/labelling.md, "Domestic animals and livestock"),
# beyond MDD's own flag: rabbits, lab and pet rodents, the wild forms of poultry and pigeons,
# cage birds the guide names, and Homo sapiens.
DOMESTIC = frozenset(
    {
        "Homo sapiens",
        "Oryctolagus cuniculus",
        "Mus musculus",
        "Rattus norvegicus",
        "Mesocricetus auratus",
        "Meriones unguiculatus",
        "Columba livia",
        "Gallus gallus",
        "Meleagris gallopavo",
        "Cairina moschata",
        "Numida meleagris",
        "Pavo cristatus",
        "Melopsittacus undulatus",
        "Serinus canaria",
        "Coturnix japonica",
        "Anser anser",
        "Anser cygnoides",
        "Anas platyrhynchos",
    }
)
DROPPED_FAMILIES = frozenset({"Cervidae"})  # the common-deer rule

# Group names whose frequency is their animal's: kept although common-words.txt lists them.
KEEP_COMMON = frozenset(
    """
    squirrel wolf crow raven hare hedgehog heron vulture gull starling sparrow antelope koala
    sloth bee-eater eagle-owl hawk-owl hawk-eagle leaf-monkey mole-rat rat-kangaroo
    sparrow-weaver cuckoo-roller painted-snipe whip-poor-will go-away-bird robin-chat
    cock-of-the-rock thick-knee blackbird gibbon chipmunk meerkat loris dik-dik pipit koel
    duiker gelada steenbok mallard
    """.split()
)
# Group names that are ordinary words, names or brands the frequency list lets through.
ORDINARY = frozenset(
    """
    forester booby shredder creeper flier malia topaz right-hander left-hander pinkie
    mountaineer trumpeter thrasher sunbeam screamer grenadier coronet nighthawk rifleman howler
    scrubber woop glutton skimmer calabar jacobin merrin bottlenose reem puna pinyin carib
    mourner saddleback tantalus ifrit darter guar goldeneye razorback noddy eider quetzal
    parakeet gerbil canary emu kiwi snipe gnu teal flamingo pelican wildcat wren rook cuckoo
    yak reindeer hamster stag puma cougar loon condor ibis gazelle bongo vole chamois ibex
    pika kea sambar galah banteng kulan kancil nyala indri serin shag whistler digger sprite
    boomer hermit redhead tyrant mockingbird roadrunner solitaire argus sora ruff stint knot
    jumper cutter monarch comet emerald miner springer mango unicorn ariel mara sapphire
    phoebe brilliant fairy vampire ruby hobby ounce mona jack bishop chat rail bull devil
    fiscal runner euro drill buck puppy roller sack dunes boko toro paraguay ani flicker
    adjutant whitehead organ-grinder cane-cutter racket-tail chat-tyrant tit-tyrant hardhead
    horsehead horsfield cavy peafowl guineafowl bezoar blackeye longtail nanook mochilero
    gallito aterciopelado bluebonnet redwing nutcracker
    """.split()
)
# Groups dropped as words whose full names are kept: their species are traded as specimens.
FULL_NAME_GROUPS = frozenset(
    """
    swift kite crane martin robin cardinal jay tit bunting duck goose dove pigeon hawk eagle
    cat dog seal whale swan finch penguin
    """.split()
)
# Group names that are ordinary words but sell as specimens under the bare name ("Taxidermy
# Jay", "Robin wings"): kept with role ``adjacent``, counted only right beside a part word
# (Matcher._lifted_names; left24). Domestic and feral animals (duck, goose, dove, pigeon, cat,
# dog), words of other trades (seal: a stamp's; hobby, knot, shag; crane: a camera "crane
# mount") and colours of dyed craft feathers (teal, flamingo) stay out.
ADJACENT_GROUPS = frozenset(
    """
    jay robin kite swift martin cardinal bunting finch swan wren rook snipe cuckoo eider loon
    ibis vole ibex chamois pika gazelle pelican wildcat
    """.split()
)
# Full names that are brands or ordinary phrases.
FULL_NAME_DROPPED = frozenset(
    {
        "canada goose", "wild turkey", "blue jay", "blue jays", "house cat", "wild cat",
        "sea dog", "jar seal", "common seal", "counselor seal", "bear cat", "golden dog",
        "yellow bunting", "blue bunting", "grey bunting", "tiger cat",
    }
)  # fmt: skip
SPELLINGS = (("gray", "grey"), ("grey", "gray"))
EXTRA_VARIANTS = {"wolf": ("wolves", "timberwolf", "timberwolves")}


def sources_dir(root: Path | None = None) -> Path:
    return Path(root or KEYWORDS_DIR) / CHECKLISTS / SOURCES_DIR


def read_source(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_common_words(root: Path | None = None) -> frozenset[str]:
    path = sources_dir(root) / COMMON_WORDS
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _group(name: str) -> str:
    return name.split()[-1].lower()


def species_names(root: Path | None = None):
    """(source key, class, order, family, genus, scientific name, [English names]) of every
    wild, extant, non-domestic species of the two checklists."""
    for file, key, klass in (MDD, AVILIST):
        for row in read_source(sources_dir(root) / file):
            if row.get("domestic") == "1" or row["extinct"] == "1":
                continue
            if row["scientific_name"] in DOMESTIC or row["family"] in DROPPED_FAMILIES:
                continue
            names = [n.strip() for n in row["names"].split("|") if n.strip()]
            yield (
                key,
                klass,
                row["order"],
                row["family"],
                row["genus"],
                row["scientific_name"],
                names,
            )


def candidate_groups(root: Path | None = None) -> set[str]:
    """Every group name before any word list is applied (``common-words`` reads these)."""
    return {_group(n) for *_, names in species_names(root) for n in names}


def _nearest(lineage: list[str], taxa_ids: set[str]) -> str:
    for taxon in lineage:
        if taxon in taxa_ids:
            return taxon
    raise ValueError(f"no taxon of {lineage} in taxa.csv")


def _common_lineage(lineages: list[tuple[str, ...]]) -> list[str]:
    """The ranks (genus, family, order, class) every lineage shares, lowest first."""
    shared = []
    for rank in range(4):
        values = {lin[rank] for lin in lineages}
        if len(values) == 1:
            shared.append(next(iter(values)))
    return shared


def build_terms(root: Path | None = None) -> list[dict]:
    """The checklist terms, in a stable order (group names, then full names)."""
    from crawler.matching.lexicon import check_lexicon
    from crawler.normalise.textnorm import fold_term

    root = Path(root or KEYWORDS_DIR)
    lexicon, problems = check_lexicon(root, checklists=False)
    if lexicon is None or problems:
        raise SystemExit(f"the curated lexicon has problems: {problems[:3]}")
    taxa_ids = {t.id for t in lexicon.taxa}
    known = set()
    for term in lexicon.terms:
        if term.lang in ("en", "la"):
            for text in (term.term, *term.variants):
                key = fold_term(text)
                known.update((key, key + "s", key + "es"))
    common = read_common_words(root) - KEEP_COMMON
    dropped = common | ORDINARY

    groups: dict[str, list] = defaultdict(list)  # group -> [(source, lineage)]
    full: dict[str, list] = defaultdict(list)  # full name -> [(source, lineage)]
    for key, klass, order, family, genus, _sci, names in species_names(root):
        lineage = (genus, family, order, klass)
        for name in names:
            group = _group(name)
            groups[group].append((key, lineage))
            if group in FULL_NAME_GROUPS and len(name.split()) >= 2:
                full[name.lower()].append((key, lineage))

    def term(text: str, found: list, role: str | None = None) -> dict | None:
        folded = fold_term(text)
        short = len(folded) <= 3 and role is None  # "jay": only beside its part word
        if folded in known or short or not folded.replace(" ", "").isalpha():
            return None
        lineages = [lin for _, lin in found]
        sources = sorted({src for src, _ in found})
        taxon = _nearest(_common_lineage(lineages), taxa_ids)
        entry = {"term": text, "taxon": taxon, "source": sources[0]}
        if role:
            entry["role"] = role
        variants = list(EXTRA_VARIANTS.get(text, ()))
        for a, b in SPELLINGS:  # MDD writes "Gray Seal", AviList "Grey Heron"
            other = re.sub(rf"\b{a}\b", b, text)
            if other != text and fold_term(other) not in known and other not in full:
                variants.append(other)
                known.add(fold_term(other))
        if variants:
            entry["variants"] = variants
        known.add(folded)
        return entry

    out = []
    for group in sorted(groups):
        if group in ADJACENT_GROUPS:
            if entry := term(group, groups[group], "adjacent"):
                out.append(entry)
            continue
        if group in dropped or group in FULL_NAME_GROUPS or group in FULL_NAME_DROPPED:
            continue
        if entry := term(group, groups[group]):
            out.append(entry)
    for name in sorted(full):
        if name in FULL_NAME_DROPPED or _group(name) not in FULL_NAME_GROUPS:
            continue
        if entry := term(name, full[name]):
            out.append(entry)
    return out


HEADER = """\
# GENERATED by `python -m crawler.matching.checklists build`; do not edit by hand (edit the
# word lists in crawler/matching/checklists.py or the curated terms/en.yaml, and build again).
# Common names of wild mammals and birds as small-risk species terms (weight {weight}: a part
# word such as "skull", "taxidermy", "mount", "pelt", "feathers" lifts one to {lifted}; without
# one the matcher drops the name: Matcher._lifted_names).
# Group names ("puffin", "squirrel") and, for groups whose last word is an ordinary word, full
# names ("common swift"), each bound to the nearest taxa.csv taxon of all its species.
# Role adjacent: a group name that is an ordinary word ("jay", "robin"), counted only right
# beside a part word ("Taxidermy Jay").
# Sources (excerpts in checklists/sources/):
#   mdd-v1.13: Mammal Diversity Database v1.13 (13 July 2024), CC BY 4.0,
#     github.com/mammaldiversity/mammaldiversity.github.io assets/data/MDD.zip at commit
#     3868584093ff153d25d7ffdff6a109b9bc2f7b4d (licence: CITATION.cff, doi 10.5281/zenodo.4139722)
#   avilist-v2025: AviList Core Team (2025) AviList: the Global Avian Checklist v2025 (11 June
#     2025), CC BY 4.0, doi 10.2173/avilist.v2025; species rows of the copy in
#     github.com/dalyanalytics/avilistr data/avilist_2025_short.rda at commit
#     5c1619d29bd75fc65ccbacb6f75ce9459803e8db
# {count} terms.
lang: en
terms:
"""


def render(terms: list[dict]) -> str:
    lines = [HEADER.format(weight=WEIGHT, lifted=WEIGHT + 0.5, count=len(terms))]
    for t in terms:
        variants = f", variants: [{', '.join(t['variants'])}]" if t.get("variants") else ""
        role = f", role: {t['role']}" if t.get("role") else ""
        text = t["term"]
        if "'" in text or ":" in text:
            text = '"' + text + '"'
        lines.append(
            f"  - {{term: {text}, kind: species{role}, taxon: {t['taxon']}, weight: {WEIGHT}"
            f"{variants}, source: {t['source']}}}\n"
        )
    return "".join(lines)


def output_path(root: Path | None = None) -> Path:
    return Path(root or KEYWORDS_DIR) / CHECKLISTS / "en.yaml"


def build(root: Path | None = None) -> str:
    return render(build_terms(root))


def common_words(root: Path | None = None) -> str:
    """``common-words.txt``: the candidate group names that are frequent words (wordfreq)."""
    from wordfreq import zipf_frequency  # a development tool, not a dependency

    words = sorted(
        g
        for g in candidate_groups(root)
        if max(zipf_frequency(g, lang) for lang in WORDFREQ_LANGS) >= COMMON_ZIPF
    )
    head = (
        "# Group names of the checklists (crawler/matching/checklists.py) whose Zipf frequency"
        f" is >= {COMMON_ZIPF}\n# in one of {', '.join(WORDFREQ_LANGS)} (wordfreq 3.1.1:"
        " code Apache-2.0, word frequencies CC BY-SA 4.0;\n# only the yes/no of the threshold"
        " is kept here): dropped unless KEEP_COMMON keeps them.\n"
    )
    return head + "".join(w + "\n" for w in words)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.matching.checklists")
    parser.add_argument("command", choices=("build", "check", "common-words"))
    parser.add_argument("--root", type=Path, default=None, help="lexicon folder (keywords/)")
    args = parser.parse_args(argv)
    if args.command == "common-words":
        (sources_dir(args.root) / COMMON_WORDS).write_text(common_words(args.root), "utf-8")
        return 0
    text = build(args.root)
    path = output_path(args.root)
    if args.command == "check":
        same = path.exists() and path.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{path} differs from what the sources give")
        return 0 if same else 1
    path.write_text(text, encoding="utf-8")
    print(f"{path}: {text.count(chr(10) + '  - ')} terms", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
