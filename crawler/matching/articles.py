"""An animal of the skin or fur trade named with an article, in any order a title writes them
(article27 and the rounds after it): "burgundy python ballet flats", "sac en python",
"Fuchsmantel", "Parka with natural fox fur", "Driving loafers brown alligator", "pink mink
fendi sandals", "Corral Western Boots Men's Ostrich Black", "Upper Material: Python", a luxury
house or model beside the skin: "Hermes Kelly 28 Niloticus" (``article_animals``,
``skin_articles``). Split from ``names``; part of the matcher's cache
key."""

from __future__ import annotations

import re
from dataclasses import replace

from crawler.matching.finder import TermMatch
from crawler.matching.skin_words import (
    EPITHETS,
    HOUSE_GOODS,
    MATERIAL_FIELD,
    houses_in,
    model_style,
)
from crawler.matching.words import (
    AFTER_BLOCKS,
    ARTICLE_AFTER,
    ARTICLE_BEFORE,
    ARTICLE_BLOCKS,
    ARTICLE_FILLERS,
    ARTICLE_LINKS,
    BOOT_ARTICLE_ANIMALS,
    BOOTS,
    BRACELETS,
    COLOUR_WORDS,
    COMPOUND_TAILS,
    FIN,
    FOOTWEAR_QUALIFIERS,
    FUR_ACCESSORIES,
    FUR_ACCESSORY_ANIMALS,
    FUR_ANIMALS,
    FUR_GARMENTS,
    JEWEL_WORDS,
    LEATHER_ARTICLES,
    LEATHER_FIRST,
    MATERIAL_WORDS,
    SKIN_ANIMALS,
    SKIN_FIRST,
    TOAD_ANIMALS,
    TOAD_GOODS,
    WITH_LINKS,
)
from crawler.normalise.textnorm import fold_term

# (article27) The words of a field, and where a clause ends: an article is looked for in the
# animal's clause only ("Python book | leather bag" is two things).
_WORD = re.compile(r"[^\W\d_]+")
_CLAUSE_END = re.compile(r"[|,;/()\[\]]| - ")
_STOPS = {"leather": LEATHER_ARTICLES, "fur garment": FUR_GARMENTS}
_FIRST = {"leather": LEATHER_FIRST, "fur garment": FUR_GARMENTS}  # named before the animal
_BLOCKING_ROLES = frozenset({"cancel", "negation", "decoy", "replica", "depiction"})
# (article33) "key" before a ring, chain, fob or holder is a cane toad's article (``TOAD_GOODS``:
# "Cane Toad Key Ring").
_KEY_TAIL = re.compile(r"[ -]?(?:rings?|chains?|fobs?|holders?)(?![^\W_])", re.IGNORECASE)


def article_animals(terms) -> dict[str, tuple[str, object]]:
    """(article27) The id of each species term naming an animal of the skin trade (the product
    it names with an article: "leather") or of the fur trade ("fur garment"), with the
    lexicon's phrase entry (a skin or fur product of weight 0.5) of its taxon, in its language
    or English, whose id and so weight the found product carries ("python leather")."""
    phrases = {}  # per taxon and language, per taxon, per first word: the first such entry
    for t in terms:
        if t.kind == "product" and t.taxon_id and t.product in ("skin", "fur") and t.weight == 0.5:
            phrases.setdefault((t.taxon_id, t.lang), t)
            phrases.setdefault(t.taxon_id, t)
            phrases.setdefault(fold_term(t.term).split()[0], t)
    out = {}
    for t in terms:
        if t.kind == "species":
            name = fold_term(t.term)
            if name in SKIN_ANIMALS or name in FUR_ANIMALS:
                product = "leather" if name in SKIN_ANIMALS else "fur garment"
                taxon = t.taxon_id
                phrase = phrases.get((taxon, t.lang)) or phrases.get((taxon, "en"))
                phrase = phrase or phrases.get(taxon) or phrases.get(name)  # "wolf": "wolf pelt"
                if phrase is not None:
                    out[t.id] = (product, phrase)
    return out


def skin_articles(
    text: str, matches: list[TermMatch], animals: dict[str, tuple[str, object]]
) -> list[TermMatch]:
    """(article27) ``matches`` of one field with each animal of the skin or fur trade
    (``animals``: ``article_animals``, from ``words.SKIN_ANIMALS``, ``FUR_ANIMALS``) named
    with a leather article or a fur garment within a few words also found as that product,
    its match spanning animal and article ("python ... ballet flats", "sac en python",
    "Fuchsmantel": ``_article``) and carrying the id (and weight) of the taxon's phrase entry; the
    species name stays, as it was found. An animal of role ``article`` (a name that is a
    skin-trade word only so: "snake", "croco") is no species name: alone it is dropped."""
    out = []
    for m in matches:
        found = animals.get(m.term_id)
        if found is None:
            out.append(m)
            continue
        if any(n.kind == "product" and n.taxon_id and n.start <= m.start < n.end for n in matches):
            if m.role != "article":  # a phrase of the lexicon's names it ("lizard strap")
                out.append(m)
            continue
        product, phrase = found
        stops = _STOPS[product]
        if _folded_text(m) in TOAD_ANIMALS:  # (article33) "Cane Toad Key Ring"
            stops = stops | TOAD_GOODS
        span = _article(text, m, stops, matches, _FIRST[product], product == "leather")
        if span is None and product == "fur garment":
            span = _fur_accessory(text, m, matches)
        if span is not None:
            start, end = span
            out.append(
                replace(
                    m, term_id=phrase.id, term=phrase.term, lang=phrase.lang, kind="product",
                    product=product, role=None, start=start, end=end, matched_text=text[start:end],
                )
            )  # fmt: skip
        if m.role != "article":
            out.append(m)
    return out


def _folded(w: re.Match) -> str:
    word = w.group().lower()
    return word if word.isascii() else fold_term(word)


def _is_article(word: str, articles: frozenset[str]) -> bool:
    """Whether a folded word is one of ``articles``, or a German compound ending in one
    ("Wintermantel", "Daunenjacke": ``COMPOUND_TAILS``)."""
    if word in articles:
        return True
    return len(word) > 6 and any(word.endswith(t) and t in articles for t in COMPOUND_TAILS)


def _material_after(text: str, m: TermMatch, limit: int) -> bool:
    """(leather29) Whether a fur or skin word follows the animal ``m`` within two words of its
    clause, or ends its compound ("fox ... fur", "Fuchs|pelz", "python skin trim")."""
    end = m.end
    if end < len(text) and text[end].isalpha():  # the rest of a compound: "Fuchspelz"
        rest = _WORD.match(text, end)
        if rest and any(_folded(rest).endswith(w) for w in ("pelz", "fell")):
            return True
    for i, w in enumerate(_WORD.finditer(text, end, limit)):
        if i >= 3:
            break
        if _folded(w) in MATERIAL_WORDS:
            return True
    return False


def _clause_end(text: str, m: TermMatch) -> int:
    """Where the clause of ``m`` ends after it (120 characters at most)."""
    stop = min(len(text), m.end + 120)
    end = _CLAUSE_END.search(text, m.end, stop)
    return end.start() if end else stop


def _clause_start(text: str, low: int, m: TermMatch) -> int:
    """Where the clause of ``m`` starts before it (``low`` at the earliest)."""
    cuts = list(_CLAUSE_END.finditer(text, low, m.start))
    return cuts[-1].end() if cuts else low


def _styled_after(text: str, m: TermMatch, limit: int) -> bool:
    """Whether a word of ``ARTICLE_BLOCKS`` or ``AFTER_BLOCKS`` follows the animal ``m`` within
    two words of its clause ("fox print lining", "crocodile grain", "Ostrich Print")."""
    for i, w in enumerate(_WORD.finditer(text, m.end, limit)):
        if i >= 2:
            return False
        if _folded(w) in ARTICLE_BLOCKS or _folded(w) in AFTER_BLOCKS:
            return True
    return False


def _fur_accessory(text: str, m: TermMatch, matches: list[TermMatch]) -> tuple[int, int] | None:
    """(furacc29) The span from a fur animal ``m`` of ``FUR_ACCESSORY_ANIMALS`` to a shoe or a
    pompom of ``FUR_ACCESSORIES`` named after it, where the animal is the material: the article
    right after it (a word of ``FOOTWEAR_QUALIFIERS`` between: "Mink ankle boots"), or within
    ``ARTICLE_AFTER`` words of its clause when a colour word stands right before the animal
    ("pink mink fendi sandals"); None otherwise, or across a word of ``ARTICLE_BLOCKS`` or a
    negative other than a colour ("mink grey", "faux fur")."""
    if _folded_text(m) not in FUR_ACCESSORY_ANIMALS:
        return None
    words = _WORD.findall(text, max(0, m.start - 40), m.start)
    coloured = bool(words) and fold_term(words[-1]) in COLOUR_WORDS
    limit = _clause_end(text, m)
    span = None
    for i, w in enumerate(_WORD.finditer(text, m.end, limit)):
        word = _folded(w)
        if word in FUR_ACCESSORIES:
            span = (m.start, w.end())
            break
        if word in ARTICLE_BLOCKS or i >= ARTICLE_AFTER:
            break
        if not coloured and word not in FOOTWEAR_QUALIFIERS:
            break
    if span is None or _blocked(span, matches):
        return None
    return span


def _blocked(span: tuple[int, int], matches: list[TermMatch]) -> bool:
    """Whether a negative other than a colour lies in ``span``; the car-part words that deny
    only a shark fin (product ``FIN``: jewel33) block no other skin ("river otter car coat")."""
    start, end = span
    return any(
        n.kind == "negative"
        and n.role in _BLOCKING_ROLES
        and n.product != FIN
        and n.start < end
        and start < n.end
        for n in matches
    )


def _article(
    text: str,
    m: TermMatch,
    articles: frozenset[str],
    matches: list[TermMatch],
    first: frozenset[str] | None = None,
    reverse: bool = False,
) -> tuple[int, int] | None:
    """The span from the animal ``m`` to an article of ``articles`` in its clause: the rest of
    its compound ("Fuchs|mantel") or one of the next ``ARTICLE_AFTER`` words with no word of
    ``ARTICLE_BLOCKS`` before it ("fox print scarf"), or the article named before the animal
    across linking words ("borsa in pelle di pitone"), what the skin is ("with natural fox":
    ``ARTICLE_FILLERS``) and, beside a fur or skin word, "with" ("Parka with natural fox or
    bluefrost fur", "Jacke mit Echtpelz Waschbär": ``WITH_LINKS``; ``first``: the articles
    read there, "Collar Pump in Python"); None if there is none, if a word of
    ``ARTICLE_BLOCKS`` follows an animal named after its article ("coat with fox print
    lining"), or if a negative context other than a colour lies in the span ("python print
    flats", "croc-embossed"). (furacc29) Colour words count as fillers ("jacket in dyed
    black cross mink"); with ``reverse`` (a skin's articles) an article of ``first`` or
    ``SKIN_FIRST`` named first needs no link, colour words at most between ("Apple Watch band
    lizard", "Driving loafers brown alligator"); a bracelet is no leather article in a field of
    ``JEWEL_WORDS`` or of an animal of role ``article`` ("Snake Chain Bracelet", "Charm
    bracelet crocodile motif"). (specifics29) A material field's label right before the
    animal ("Upper Material: Python": ``_material_field``) is taken as its article too."""
    span = None
    limit = _clause_end(text, m)
    previous = ""
    for i, w in enumerate(_WORD.finditer(text, m.end, limit)):
        word = _folded(w)
        if word in articles or (
            word == "key"
            and _folded_text(m) in TOAD_ANIMALS
            and _KEY_TAIL.match(text, w.end(), limit)
        ):
            if i <= 1 or word not in BRACELETS:  # "Stingray Medical Alert Bracelet"
                span = (m.start, w.end())
            break
        if i >= ARTICLE_AFTER or (word in ARTICLE_BLOCKS and not model_style(word, [previous])):
            break
        previous = word
    if span is None:
        low = max(0, m.start - 80)
        words = _WORD.findall(text, low, m.start)
        last = fold_term(words[-1]) if words else ""
        named = first or articles
        if last in ARTICLE_LINKS or last in ARTICLE_FILLERS or last in WITH_LINKS:
            span = _article_before(text, m, named, low, limit)
        elif reverse and (last in COLOUR_WORDS or _is_article(last, named | SKIN_FIRST)):
            span = _article_before(text, m, named | SKIN_FIRST, low, limit, bare=True)
            if span is None and last in COLOUR_WORDS:  # (brand31) "handbag in beige python"
                span = _article_before(text, m, named, low, limit)
        if span is None:
            before = text[low : m.start]
            if ":" in before or "：" in before:  # (specifics29) "Upper Material: Python"
                span = _material_field(text, m, low, limit)
        if span is None and reverse and (m.role != "article" or _boot_animal(m)):
            span = _boot_span(text, m, low, limit)
        if span is None and reverse and (m.role != "article" or _folded_text(m) in EPITHETS):
            span = _house_span(text, m, low, limit)
    if span is None or _blocked(span, matches):
        return None
    start, end = span
    if any(_folded(w) in BRACELETS for w in _WORD.finditer(text, start, end)):
        if m.role == "article" or any(_folded(w) in JEWEL_WORDS for w in _WORD.finditer(text)):
            return None
    return span


def _boot_animal(m: TermMatch) -> bool:
    """Whether ``m``, of role ``article``, names a boot's skin (``BOOT_ARTICLE_ANIMALS``)."""
    return _folded_text(m) in BOOT_ARTICLE_ANIMALS


def _folded_text(m: TermMatch) -> str:
    """The text ``m`` matched, folded as the word lists are."""
    return fold_term(m.matched_text)


def _house_span(text: str, m: TermMatch, low: int, limit: int) -> tuple[int, int] | None:
    """(brand31) The span from the animal ``m`` to a luxury house or model name of its clause
    (``skin_words.houses_in``), before or after it, any words but those of ``ARTICLE_BLOCKS``
    between ("Louis Vuitton Alligator Speedy 30", "Hermes Kelly 28 Niloticus", "Jimmy Choo
    Python"): the house's skin article. None if there is none, if a word of ``ARTICLE_BLOCKS``
    or ``AFTER_BLOCKS`` follows the animal within two words ("Gucci Python Print"), or if the
    clause names one of the houses' goods that is no skin article (``skin_words.HOUSE_GOODS``:
    "Hermes silk scarf Crocodiles", "Gucci crocodile T-shirt")."""
    if _styled_after(text, m, limit):
        return None
    words = list(_WORD.finditer(text, _clause_start(text, low, m), limit))
    folded = [_folded(w) for w in words]
    if any(w in HOUSE_GOODS for w in folded):
        return None
    at = next((k for k, w in enumerate(words) if w.start() >= m.start), len(words))
    after = next((k for k, w in enumerate(words) if w.start() >= m.end), len(words))
    for first, last in houses_in(folded):
        if last <= at and not any(w in ARTICLE_BLOCKS for w in folded[last:at]):
            return words[first].start(), m.end
        if first >= after and not any(w in ARTICLE_BLOCKS for w in folded[after:first]):
            return m.start, words[last - 1].end()
    return None


def _boot_span(text: str, m: TermMatch, low: int, limit: int) -> tuple[int, int] | None:
    """(boots29) The span from the animal ``m`` to a boot of ``BOOTS`` named anywhere in its
    clause, before or after it, any words but those of ``ARTICLE_BLOCKS`` between ("Corral
    Western Boots Men's Ostrich Black", "Ostrich Tony Lama Mens 10.5 D Western Cowboy Boots");
    None if there is none, or if a word of ``ARTICLE_BLOCKS`` or ``AFTER_BLOCKS`` follows the
    animal within two words ("Boots Ostrich Print", "Cowboy Boots Lizard Look")."""
    if _styled_after(text, m, limit):
        return None
    for w in reversed(list(_WORD.finditer(text, _clause_start(text, low, m), m.start))):
        word = _folded(w)
        if _is_article(word, BOOTS):
            return w.start(), m.end
        if word in ARTICLE_BLOCKS:
            break
    for w in _WORD.finditer(text, m.end, limit):
        word = _folded(w)
        if _is_article(word, BOOTS):
            return m.start, w.end()
        if word in ARTICLE_BLOCKS:
            break
    return None


def _material_field(text: str, m: TermMatch, low: int, limit: int) -> tuple[int, int] | None:
    """(specifics29) The span from a material field's label to the animal ``m`` named right
    after it ("Upper Material: Python", "Exotic Leather Type: Ostrich", "Materiale: pelle di
    pitone": ``skin_words.MATERIAL_FIELD``), None if there is none or a word of ``ARTICLE_BLOCKS``
    follows the animal within two words ("Material: Python Print")."""
    found = MATERIAL_FIELD.search(text, low, m.start)
    if found is None:
        return None
    for i, w in enumerate(_WORD.finditer(text, m.end, limit)):
        if i >= 2:
            break
        if _folded(w) in ARTICLE_BLOCKS:
            return None
    return found.start(), m.end


def _article_before(
    text: str, m: TermMatch, articles: frozenset[str], low: int, limit: int, bare: bool = False
) -> tuple[int, int] | None:
    """The span from an article named before the animal ``m`` to it (``_article``); ``bare``:
    colour words at most between, no link."""
    before = list(_WORD.finditer(text, _clause_start(text, low, m), m.start))
    material = None  # whether a fur or skin word stands beside the animal (read once)
    links = fillers = colours = 0
    for j, w in enumerate(reversed(before)):
        word = _folded(w)
        if (j or bare) and _is_article(word, articles):
            if bare and word in BRACELETS:  # "Medical alert bracelet stingray"
                return None
            if _styled_after(
                text, m, limit
            ):  # "coat with fox print lining", "band crocodile grain"
                return None
            return w.start(), m.end
        if bare and word not in COLOUR_WORDS:
            return None
        if word in ARTICLE_LINKS:
            links += 1
        elif word in WITH_LINKS:
            if material is None:
                material = _material_after(text, m, limit) or any(
                    _folded(x) in MATERIAL_WORDS for x in before[len(before) - j :]
                )
            if not material:
                return None
            links += 1
        elif word in ARTICLE_FILLERS or word in MATERIAL_WORDS:
            fillers += 1
        elif word in COLOUR_WORDS:
            colours += 1
        else:
            return None
        if links > ARTICLE_BEFORE or fillers > 2 or colours > 2:
            return None
    return None
