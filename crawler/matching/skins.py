"""What a skin, leather or stone word in a listing names besides the animal's skin: a pattern,
a finish or a technology ("Snake Skin" tyres, trading-card parallels: ``pattern_skins``,
``pattern_terms``; known29), an animal's shape carved in a stone ("hand carved crystal snake
skull": ``stone_shapes``; known29), or an article's material
(``material_skins``; leather29), or the value of a marketplace's
pattern, theme or character field ("Pattern: Snakeskin", "Theme: Sharks": ``pattern_fields``;
specifics29). Part of the matcher's cache key."""

from __future__ import annotations

from dataclasses import replace

from crawler.matching.finder import TermMatch
from crawler.matching.skin_words import (
    FIELD_END,
    FIELD_VALUE,
    NOT_SKIN_OBJECTS,
    PATTERN_CANCEL,
    PATTERN_FIELD,
    PATTERN_SKINS,
    REAL_SKIN,
    SHAPE_WORDS,
    STONE_ANCHORS,
    STONE_CARVED,
    STONE_DECOY,
    STONE_SPARED,
    STONE_WORD,
    STYLE_AFTER,
    STYLE_CANCEL,
    STYLED,
    model_style,
)
from crawler.matching.words import SKIN_MATERIAL_WEIGHT
from crawler.normalise.textnorm import fold_term


def material_skins(terms, default: float) -> frozenset[str]:
    """(leather29) The ids of the skins named by their trade name at ``SKIN_MATERIAL_WEIGHT``
    or more ("bison leather", "python bag", "karung": product ``skin``; ``default``, the
    product kind's weight where a term has none): an article's material, as a fur is
    (``words.FURS``), so a colour word beside one is the article's."""
    return frozenset(
        t.id
        for t in terms
        if t.kind == "product"
        and t.product == "skin"
        and t.taxon_id
        and (t.weight if t.weight is not None else default) >= SKIN_MATERIAL_WEIGHT
    )


def _negative(m: TermMatch, term, start: int, end: int, text: str) -> TermMatch:
    """A match of the lexicon's negative ``term`` over ``text[start:end]`` of ``m``'s field."""
    return replace(
        m, term_id=term.id, term=term.term, lang=term.lang, kind="negative", product=None,
        role=term.role, taxon_id=None, start=start, end=end, matched_text=text[start:end],
    )  # fmt: skip


def pattern_terms(terms) -> tuple[frozenset[str], frozenset[str], object, object, object]:
    """(known29) The ids of the generic snakeskin terms (``skin_words.PATTERN_SKINS``) and of the
    skin, leather and fur products a style word may follow (``STYLED``), and the lexicon's
    pattern cancel, style cancel and stone decoy: the terms ``pattern_skins`` and
    ``stone_shapes`` read and give. Without either cancel in the lexicon, no pattern rule."""
    negatives = {(t.term, t.lang): t for t in terms if t.kind == "negative"}
    cancel = negatives.get((PATTERN_CANCEL, "en"))
    style = negatives.get((STYLE_CANCEL, "en"))
    patterns = styled = frozenset()
    if cancel is not None and style is not None:
        patterns = frozenset(
            t.id for t in terms if t.kind == "product" and fold_term(t.term) in PATTERN_SKINS
        )
        styled = frozenset(
            t.id for t in terms if t.kind == "product" and t.taxon_id and t.product in STYLED
        )
    return patterns, styled, cancel, style, negatives.get((STONE_DECOY, "en"))


def pattern_skins(
    text: str, matches: list[TermMatch], patterns: frozenset[str], cancel, styled, style
) -> list[TermMatch]:
    """(known29) ``matches`` of one field with a cancel over each skin-trade phrase that names
    a pattern, a finish or a technology, not a skin: a generic snakeskin term (``patterns``:
    ``skin_words.PATTERN_SKINS``) where the field names a thing no skin article can be (a tyre, a
    stencil, a trading card, sunglasses, a phone case, nail wraps, fabric, wallpaper, a stone:
    ``skin_words.NOT_SKIN_OBJECTS``) and does not say the skin is real (``REAL_SKIN``); and a skin,
    leather or fur product (``styled``) followed by a style word ("crocodile leather style",
    "croc leather look": ``STYLE_AFTER``), the cancel ``style`` spanning both. The cancels deny
    the terms they hold (``negatives.denied``), as "snakeskin print" does."""
    out = None
    folded = None
    for m in matches:
        if m.term_id in patterns:
            if folded is None:
                folded = fold_term(text)
                objects = NOT_SKIN_OBJECTS.search(folded) and not REAL_SKIN.search(folded)
            if objects:
                out = (out or []) + [_negative(m, cancel, m.start, m.end, text)]
                continue
        if m.term_id in styled:
            after = STYLE_AFTER.match(text, m.end, m.end + 20)
            if after and not _model_style(m, after.group()):
                out = (out or []) + [_negative(m, style, m.start, after.end(), text)]
    return matches if out is None else matches + out


def _model_style(m: TermMatch, after: str) -> bool:
    """(brand31) Whether a style word follows a product ending in a model name: "Lizard Kelly
    Style" is a Kelly-shaped bag of lizard (``skin_words.shaped``), not a lizard look."""
    return model_style(after.strip(" -\u2010").lower(), fold_term(m.matched_text).split())


def stone_shapes(
    title: str | None, description: str | None, matches: list[TermMatch], decoy
) -> list[TermMatch]:
    """(known29) ``matches`` with the lexicon's stone ``decoy`` (weight 0) added where a field
    names a stone carving (``skin_words.STONE_CARVED``: a stone and a carving word, "hand carved
    crystal snake skull", jadeite elephants "with protruding tusks", or a stone always carved:
    pounamu, a "crystal skull"): the animal, its skull or tooth is the stone's shape. Only
    when the lexicon named a wild taxon; not when a wildlife material is named (ivory, horn,
    shell, coral: ``STONE_SPARED``; "tusks" alone is a shape), an authenticity claim or a
    code word of a wildlife material ("golden jade", a hornbill casque's cover name)."""
    taxa = False
    for m in matches:
        if m.role == "authenticity" or (m.kind == "code_word" and m.taxon_id is not None):
            return matches  # "Real ...", or a trade's own name for a material ("golden jade")
        if m.kind == "product" and m.product in STONE_SPARED:
            if fold_term(m.matched_text) not in SHAPE_WORDS:
                return matches
        if m.taxon_id is not None:
            taxa = True
    if not taxa:
        return matches
    for field, text in (("title", title), ("description", description)):
        if not text:
            continue
        low = text.lower()  # the regex only where one of its anchor words is written
        if not any(word in low for word in STONE_ANCHORS):
            continue
        found = STONE_CARVED.search(text)
        if found:
            found = STONE_WORD.search(text) or found
            m = matches[0]
            return matches + [
                replace(_negative(m, decoy, found.start(), found.end(), text), field=field)
            ]
    return matches


def pattern_fields(text: str, matches: list[TermMatch], cancel) -> list[TermMatch]:
    """(specifics29) ``matches`` of one field with a ``cancel`` over each wildlife term in the
    value of a pattern, print, theme or character field (``skin_words.PATTERN_FIELD``: "Pattern:
    Snakeskin", "Theme: Sharks", "Character: Shark", "Muster: Leopard"), from the label to the
    last such term of the value (the last colon before the term, ``FIELD_VALUE`` characters at
    most, ends the label; no ``FIELD_END`` between): the article shows the animal, it is not
    made of it. The cancel (the known29 pattern cancel, ``pattern_terms``) denies the terms it
    holds (``negatives.denied``); the listing's
    other terms stay ("Pattern: Snakeskin Upper Material: Python")."""
    spans: dict[int, int] = {}  # label start: end of the value's last wildlife term
    for m in matches:
        if m.taxon_id is None or m.kind == "negative":
            continue
        low = max(0, m.start - FIELD_VALUE)
        colon = max(text.rfind(":", low, m.start), text.rfind("：", low, m.start))
        if colon < 0 or FIELD_END.search(text, colon + 1, m.start):
            continue
        label = PATTERN_FIELD.search(text, max(0, colon - 40), colon + 1)
        if label is not None and m.end > spans.get(label.start(), -1):
            spans[label.start()] = m.end
    if not spans:
        return matches
    return matches + [_negative(matches[0], cancel, a, b, text) for a, b in spans.items()]
