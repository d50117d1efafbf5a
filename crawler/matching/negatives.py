"""Negative contexts in the matcher's score (``Matcher.score``): which terms a cancel denies
("tiger" in "Tiger Balm", "Croc Belt" in "Mock Croc Belt": ``denied``), which negatives count
once shields (authenticity claims, taxon-bound products and code words, settings, objects and
part words) and claims have had their say (``counted``; a skin claimed genuine: ``claimed``,
``claimed_negatives``), how much those left lower the risk, one factor per role
(``factors``, ``lowered``), and the explanation's note of the cancelled terms (``ignored``). ``model.lexicon_features`` reads ``denied`` too. Part of the matcher's
cache key."""

from __future__ import annotations

from crawler.matching.finder import TermMatch
from crawler.matching.words import (
    FIN,
    FOSSIL_WORDS,
    FURS,
    MAMMOTH_WORDS,
    MATERIALS,
    MOTIF_MATERIALS,
    NEGATIVE_FACTOR,
    REQUESTS,
    USE_WORDS,
    WALRUS,
    WALRUS_FOSSIL_WORDS,
)

# (leather29) At most this many characters between an authenticity claim and the skin or fur
# it claims ("Genuine Cobra SNAKESKIN", "Real Large Raccoon Fur").
CLAIM_GAP = 12
_CLAIMED = FURS | {"skin", "fur"}


def counted(
    cancels: list[TermMatch],
    maybe_negative: list[TermMatch],
    settings: list[TermMatch],
    authenticity: list[TermMatch],
    crafts: list[TermMatch],
    parts: list[TermMatch],
    scorable: list[TermMatch],
    groups: dict[str, str],
) -> list[TermMatch]:
    """The negatives of a listing that count: ``cancels`` and those of ``maybe_negative``
    (negatives that neither cancel nor set a scene) inside no shield; ``groups``: the
    lexicon's group of each taxon id."""
    # (lead31) A jewel ("necklace", "pendant", "earrings": role motif) lowers an animal named
    # by its name alone as a picture's medium does ("Hammerhead shark pendant sterling
    # silver", "Whale shark earrings"); beside a part, a craft other than the jewel's own word
    # ("pendant" is a craft too, for "ivory pendant") or a product it is what the material is
    # made into ("shark tooth necklace", "carved ivory pendant", "coral beads"), and so it is
    # beside a claim ("Real beetle wing earrings"), inside the animal's own phrase ("Porcupine
    # quill earrings") or beside an animal that is itself the material (``MOTIF_MATERIALS``:
    # a coral, a shell, an insect's wing). No shield holds it back: it is read apart, here.
    motifs = [m for m in maybe_negative if m.role == "motif"]
    if motifs:
        maybe_negative = [m for m in maybe_negative if m.role != "motif"]
        made = [c for c in crafts if not any(inside(c, n) for n in motifs)]
        if (
            parts
            or made
            or authenticity
            or any(m.kind != "species" for m in scorable)
            or any(inside(n, m) for n in motifs for m in scorable)
            or any(groups.get(m.taxon_id) in MOTIF_MATERIALS for m in scorable)
        ):
            motifs = []
    # Shields: authenticity claims and taxon-bound products and code words (made only
    # here, where a negative may need them); a negative inside one does not count.
    shields = authenticity + [
        m for m in scorable if m.taxon_id and (m.kind == "product" or m.kind == "code_word")
    ]
    if settings:
        shields += settings
    # (lead) a request or a lost pet is the title's: a description's "ISO 9001 certified
    # tannery" or "in search of a gift?" asks for nothing
    maybe_negative = [m for m in maybe_negative if m.field == "title" or m.term_id not in REQUESTS]
    if crafts:  # an object holding a decoy's word is the object ("coin purse")
        shields += crafts
    if parts:  # and so is a part word holding one ("fur keychain": lead29)
        shields += parts
    if not shields:
        negatives = cancels + maybe_negative
    else:
        negatives = cancels + [m for m in maybe_negative if not any(inside(m, x) for x in shields)]
    if negatives and any(m.kind == "product" and m.product == "ivory" for m in scorable):
        negatives = fossil_ivory(negatives, scorable)
    if authenticity and claimed(authenticity, scorable + parts):
        # (leather29) a skin or fur claimed genuine is what is sold: no use decoy
        negatives = claimed_negatives(negatives, cancels)
    # (known25) A picture's medium ("watercolour", "drawing", "head study": role
    # depiction) lowers an animal named by its name alone ("Snow Leopard", original
    # watercolour); beside a wildlife material or product it is what the material
    # bears ("portrait miniature, watercolour on ivory", a real bat framed with a
    # drawing) and no negative at all.
    if any(m.kind != "species" for m in scorable):
        negatives = [m for m in negatives if m.role != "depiction"]
    if any(m.kind == "product" and m.product == "coral" for m in scorable):
        # (jewel33) coral named as a jewel's material ("Momo coral", "cabochon de corail"):
        # a colour word that holds none of the listing's terms is the coral's colour told
        # ("Corals glow in colors such as the intense orange of the Pacific Momo coral"), no
        # colourway; "coral pink", holding the coral, still lowers
        negatives = [
            n for n in negatives if n.role != "colour" or any(inside(x, n) for x in scorable)
        ]
    return negatives + motifs


def lowered(
    risk: float,
    why: str,
    negatives: list[TermMatch],
    authenticity: list[TermMatch],
    context: list[TermMatch],
    weights: dict[str, float],
) -> tuple[float, str]:
    """``risk`` times each factor ``factors`` finds, and ``why`` saying so."""
    found = factors(negatives, authenticity, context, weights)
    for _, _, factor in found:
        risk *= factor
    if found:
        why += "; lowered by " + ", ".join(
            f"{role} '{text}' (x{factor:g})" for role, text, factor in found
        )
    return risk, why


def factors(
    negatives: list[TermMatch],
    authenticity: list[TermMatch],
    context: list[TermMatch],
    weights: dict[str, float],
) -> list[tuple[str, str, float]]:
    """One (role, text, factor) per role of negative context that applies: the role's
    factor, or a term's own ``weight`` ("toupee", "MNH": 0, the listing is never a wildlife
    product); per role the lowest factor found, the first of equal ones."""
    out: dict[str, tuple[str, str, float]] = {}
    for m in negatives:
        role = m.role or "decoy"
        if role == "cancel":
            continue
        if role in ("replica", "negation") and authenticity:
            continue  # "faux ivory ... Schreger lines visible": cover, not a replica
        if role == "colour" and context:
            continue  # "ivory bangle, cream colour": a crafted object, not a colour
        factor = weights.get(m.term_id)
        if factor is None:
            factor = NEGATIVE_FACTOR[role]
        if role not in out or factor < out[role][2]:
            out[role] = (role, m.matched_text, factor)
    return list(out.values())


def ignored(cancels: list[TermMatch], matches: list[TermMatch], wild: frozenset[str]) -> str:
    """The explanation's note of the cancelling terms that deny another term, or ""."""
    cancelled = [m for m in cancels if any(denied(x, m, wild) for x in matches if x is not m)]
    if not cancelled:
        return ""
    texts = dict.fromkeys(m.matched_text for m in cancelled)  # once, though two terms match it
    return "; ignored: " + ", ".join(f"'{t}'" for t in list(texts)[:3])


def inside(m: TermMatch, outer: TermMatch) -> bool:
    return m.field == outer.field and outer.start <= m.start and m.end <= outer.end


def denied(m: TermMatch, cancel: TermMatch, wild: frozenset[str]) -> bool:
    """Whether a cancel denies a term: it holds it ("tiger" in "Tiger Balm"), or it holds
    the first words of a material's term ("Mock Croc" of "Croc Belt" in "Mock Croc Belt":
    the animal word the belt's term starts with is the one the cancel denies). Other terms
    it only overlaps stay ("shark preserved" in "Baby shark preserved in jar"), as do those
    of a wild look-alike ("shark tooth" in "tiger shark tooth": a shark's tooth)."""
    if m.role == "craft" and cancel.product is not None and m.product == cancel.product:
        return True  # "libation cup" of the listing's "buffalo horn", in either field
    if cancel.product == FIN and m.product == FIN and m.field == cancel.field:
        return True  # (jewel33) "Shark Fin Signal Receiver Antenna": a car part's fin
    if m.field != cancel.field or m.start < cancel.start:
        return False
    if m.end <= cancel.end:
        return True
    return m.start < cancel.end and m.product in MATERIALS and cancel.term_id not in wild


def claimed(authenticity: list[TermMatch], scorable: list[TermMatch]) -> bool:
    """(leather29) Whether an authenticity claim stands right before a skin or fur product,
    or before a skin or fur part word ("... Costume Crafts Boy Scouts Genuine skin": lead29)."""
    for a in authenticity:
        for x in scorable:
            if x.kind == "product" and x.product in _CLAIMED and x.field == a.field:
                if a.start <= x.start and x.start - a.end <= CLAIM_GAP:  # or "REAL FUR"
                    return True
    return False


def claimed_negatives(negatives: list[TermMatch], cancels: list[TermMatch]) -> list[TermMatch]:
    """(leather29) ``negatives`` of a listing whose skin or fur is claimed genuine
    (``claimed``: "Genuine snake skin hide ... Costume Crafts", "Python Print Genuine Cobra
    SNAKESKIN"): what is sold is the skin, so a decoy naming its use ("costume": ``USE_WORDS``)
    or inside a cancel that denied another animal ("Python Print") does not lower it."""
    return [
        n
        for n in negatives
        if n.role != "decoy"
        or not (n.matched_text.lower() in USE_WORDS or any(inside(n, c) for c in cancels))
    ]


def fossil_ivory(negatives: list[TermMatch], scorable: list[TermMatch]) -> list[TermMatch]:
    """(fossil31) ``negatives`` of a listing that names walrus ivory, or an ivory and a
    mammoth, without the words that date or place a fossil (``FOSSIL_WORDS``: "Pleistocene",
    "fossilisé", "化石"): fossil walrus and mammoth ivory are sold as ivory (docs/labelling.md),
    those words are decoys of fossil shark teeth and ray plates only. Beside walrus ivory the
    replica word "fossil" goes too ("Fossil walrus hummingbird pendant ... fossilized walrus
    tusk"), as it does inside the walrus terms' own variants ("fossil walrus ivory"); the
    mammoth word itself still lowers (the lexicon's choice, docs/labelling.md). A bare "ivory"
    keeps its decoys: beside a period's name it is as often a colour ("Jurassic World ivory
    bedding set")."""
    if any(m.taxon_id == WALRUS and m.product == "ivory" for m in scorable):
        drop = FOSSIL_WORDS | WALRUS_FOSSIL_WORDS
    elif any(n.term_id in MAMMOTH_WORDS for n in negatives):
        drop = FOSSIL_WORDS
    else:
        return negatives
    return [n for n in negatives if n.term_id not in drop]
