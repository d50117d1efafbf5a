"""Find lexicon terms in listing text: the automaton over every term and the scan.

One Aho-Corasick pass per form of a text (the folded text and its de-obfuscated variants,
``crawler.normalise.textnorm``) over every term (all languages at once). Space-delimited
scripts need word boundaries (with simple plural suffixes); Chinese and Thai match as
substrings; German terms of five letters or more also match inside compounds (in text that
reads German, or where the rest of the word is German: ``Finder._compound``).
``crawler.matching.matcher.Matcher`` is a ``Finder`` that also scores what it finds.

Speed matters (``bench/bench_matcher.py``): per-term data is precomputed into the
automaton's values, occurrences are collected as tuples and become ``TermMatch`` objects
once, sorted and cut. ``tests/test_matcher_equivalence.py`` holds the results fixed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from crawler.matching.lexicon import Term
from crawler.matching.words import GERMAN_ENDINGS, GERMAN_LONG, GERMAN_PARTS, GERMAN_WORDS
from crawler.normalise.textnorm import (
    fold_term,
    fold_text,
    scan_forms,
    variant_forms,
)

PLURAL_SUFFIXES = {
    "en": ("s", "es", "'s"),
    "fr": ("s", "x"),
    "es": ("s", "es"),
    "pt": ("s", "es"),
    "de": ("e", "en", "n", "s", "er", "es"),
    "la": (),
    "id": ("nya",),
    "ms": ("nya",),
    # Inflected languages: endings after a term's last word, on folded text (diacritics
    # gone: Polish "ów" -> "ow", Turkish "ı" -> "i"). Other case forms are spelled out
    # as variants in terms/<lang>.yaml; Japanese, Korean and Hindi match as substrings
    # (kana, Hangul and Devanagari vowel signs are not word characters here).
    "ru": ("а", "у", "е", "ы", "и", "ом", "ой", "ов", "ей", "ам", "ами", "ах", "ю", "я"),
    "pl": ("a", "y", "i", "e", "u", "ow", "om", "em", "ami", "ach"),
    "tr": ("ler", "lar", "leri", "lari", "i", "u", "in", "un", "den", "dan", "li", "lu"),
    "it": (),
    "nl": ("en", "s", "'s", "n"),
    "ar": (),
}
MAX_TEXT = 100_000  # characters per field; longer text is cut
# A genus (a species term whose ``product`` is ``GENUS``: keywords/terms/la.yaml, latin23)
# written as the first word of a binomial, capitalised and followed by a lower-case epithet
# ("Papilio ulysses", "Conus gloriamaris"), is found with its epithet: the match ends after
# the epithet, and the matcher scores a genus found so at ``matcher.BINOMIAL_WEIGHT``. The
# words dealers and shops put after a genus that are no epithet are not read as one.
# A ``BINOMIAL`` term is a genus that is also an everyday word somewhere ("Conus", Dutch for
# a cone; "Murex", "Voluta"): found only written as a binomial, never alone.
# Its epithet must also end as Latin epithets do ("Conus textile", not Dutch "Conus lampenkap").
GENUS, BINOMIAL = "genus", "binomial"
_GENERA = frozenset((GENUS, BINOMIAL))
LATIN_ENDINGS = ("a", "e", "i", "us", "um", "is", "es", "ns", "x", "or", "er", "on")
# The epithet: a lower-case word of three letters or more, or the trade's "sp." / "spp." (a
# species of the genus not named: "Fulgora sp.", "Delias spp.").
_EPITHET = re.compile(r"[ \t]+(spp?\.|[a-z][a-z-]{2,}(?![^\W_]))", re.ASCII)
# A Title-Case epithet ("Goliathus Orientalis", "Papilio Ulysses"): an upper-case letter and
# two lower-case letters or more, ending as Latin epithets most often do, not an English word
# that shops write after a genus in Title Case (left24).
_TITLE_EPITHET = re.compile(r"[ \t]+([A-Z][a-z-]{2,}(?![^\W_]))", re.ASCII)
TITLE_ENDINGS = ("us", "um", "is", "ae", "ii", "a", "i", "es")
NOT_TITLE_EPITHETS = frozenset(
    """
    species series pieces boxes sizes prices types frames cases glasses dishes pages plates
    images pictures samples sales notes quotes shoes clothes bones horns butterflies
    area camera replica extra idea era data drama opera media formula banana pizza tiara sofa
    vodka gorilla diorama collecta panorama america africa asia india china
    bonus plus status campus virus focus census genus fungus cactus circus chorus surplus
    octopus versus nautilus
    this axis basis analysis tennis crisis paris oasis thesis ibis
    taxi mini maxi bikini alibi safari
    """.split()
)
NOT_EPITHETS = frozenset(
    """
    and with from for the per pcs pair pairs set sets lot lots male males female females
    specimen specimens shell shells seashell seashells sea beetle beetles butterfly butterflies
    moth moths insect insects spider spiders scorpion scorpions snail snails conch conchs
    cowrie cowries cowry cone cones murex volute volutes urchin urchins starfish dried real
    framed frame mounted unmounted spread pinned papered large big giant huge small mini
    rare gem fine quality grade size blue green red gold golden yellow black white brown
    orange purple pink silver cm mm inch inches from form var ssp subsp spp aff type
    """.split()
)


@lru_cache(maxsize=8)
def _reads_german(s: str) -> bool:
    return GERMAN_WORDS.search(s) is not None


MAX_MATCHES = 300  # matches kept per field: enough to score, bounded work on huge texts


@dataclass(frozen=True)
class TermMatch:
    """One occurrence of a term; ``start``/``end`` index the original field text."""

    term_id: str
    term: str
    kind: str
    field: str
    start: int
    end: int
    matched_text: str
    taxon_id: str | None
    product: str | None
    lang: str
    role: str | None = None


# Per automaton key, the terms it stands for: (key length, left check, right check, plural
# suffixes, index of the term in lexicon.terms). left/right: 0 no check, 1 word boundary,
# 2 no digit, and inside a word only as a German compound's part (``Finder._compound``). The
# automaton's value for a key that stands for one term (99 % of them) is a _Single: (key
# length, left check, right check, term index, term id, plural suffixes, the first characters
# of those suffixes: a key followed by any other letter or digit is no match). A key of
# several terms is a _Single with term index -1, no checks and
# in place of the term id its candidates grouped where they check the same ("replica" in four
# languages: checked once), in order: (key length, left check, right check, (term index, ...),
# (plural suffixes, ...), first characters of the suffixes).
_Candidate = tuple[int, int, int, tuple[str, ...], int]
_Group = tuple[int, int, int, tuple[int, ...], tuple[tuple[str, ...], ...], str]
_Single = tuple[int, int, int, int, "str | tuple[_Group, ...]", tuple[str, ...], str]
# A found occurrence before it becomes a TermMatch: (start, -end, order found, term index),
# so that plain tuple order is text order (start, longest first), ties in order found; one
# per (term id, start), the longest of the term's keys found there (a variant "os x mountain
# lion" of "os x": Aho-Corasick reports the shorter first, the longer replaces it).
_Row = tuple[int, int, int, int]
_MAX_FOUND = 4 * MAX_MATCHES  # occurrences collected per field before sorting and cutting


def _is_word_char(ch: str) -> bool:
    """A letter or digit of a space-delimited script (not CJK, not Thai)."""
    return ch.isalnum() and ch < "\u2e80" and not "\u0e00" <= ch <= "\u0e7f"


class _WordChars(dict):
    """``_is_word_char`` per character, computed on first sight (a lookup beats a call)."""

    def __missing__(self, ch: str) -> bool:
        self[ch] = value = _is_word_char(ch)
        return value


_WORD_CHAR = _WordChars()


def _candidate(term: Term, index: int, key: str) -> _Candidate:
    left = int(_is_word_char(key[0]))
    right = int(_is_word_char(key[-1]))
    if term.lang == "de" and len(key) >= 5 and term.kind != "legality":
        left = right = 2  # German compounds: Elfenbeinschnitzerei, Mammutelfenbein
    return len(key), left, right, PLURAL_SUFFIXES.get(term.lang, ()), index


def _template(term: Term) -> dict:
    """The ``TermMatch`` fields of ``term``; ``find`` fills in the occurrence's."""
    return {
        "term_id": term.id,
        "term": term.term,
        "kind": term.kind,
        "field": None,
        "start": 0,
        "end": 0,
        "matched_text": "",
        "taxon_id": term.taxon_id,
        "product": term.product,
        "lang": term.lang,
        "role": term.role,
    }


# Characters of folded listing text, most frequent first (counted in the titles and
# descriptions of keywords/labelled/real_listings.jsonl; seen 30 times or more), then the rest
# of printable ASCII. pyahocorasick finds a node's next character by a linear search of its
# children, in the order they were added, and a character that starts no term (the space,
# digits, punctuation, most Chinese characters) searched the root's ~500 children in full:
# ~145 ns a character, half of a title's scan. Keys are added in this order, so that every
# node's children are searched most frequent first, and these characters get a root child
# each through a key that cannot occur (folded text has no NUL). The matches found, and their
# order, are the same.
_FREQUENT = (
    " eaitonrslcdhumpbygfvw,k.01x2z53j46q)(:8!7\"#9×*'&+;装][%?=$@<>\\^`{|}~"
    "书包儿机¢童小版电大‚水宝具手品花卡新”用¬女玩子生正€家通男套游中款学▬车邮人°戏防“色加£物器毛式国★礼动全猫保衣金"
    "美木白工高仿饰带图长鞋可头面皮件服一单孩天料冬桌绒秋线真公外球体光型古婚画棉气片香双台架日发三口垫护年无店挂韩元纯鱼上„"
    "盘婴季士籍销厚笔原脑特暖安号本纸点能印法幼出耳音袋黑布超山室石海内专热胶背英茶代配意定爱文制自盒风油拉精力管板智时床合成"
    "形行墙老红主多柜字影艺创牛草表充节乐视】黄克马"
)
_RANK = {ch: rank for rank, ch in enumerate(_FREQUENT)}
_UNREACHABLE = "\x00"  # fold() turns control characters into spaces


def _insertion_order(key: str) -> list[int]:
    size = len(_FREQUENT)
    return [_RANK.get(ch, size + ord(ch)) for ch in key]


def build_automaton(terms: tuple[Term, ...]) -> tuple[ahocorasick.Automaton, int]:
    """One automaton over every folded term and variant; its values are ``_Single`` tuples."""
    buckets: dict[str, list[_Candidate]] = {}
    for index, term in enumerate(terms):
        for text in (term.term, *term.variants):
            key = fold_term(text)
            for k in (key, *_plural_variants(key, term.lang)):
                buckets.setdefault(k, []).append(_candidate(term, index, k))
    words = [(key, _value(candidates, terms)) for key, candidates in buckets.items()]
    starts = {key[0] for key in buckets}
    nothing = (2, 0, 0, -1, (), (), "")  # several terms' value with no candidate
    words += [(ch + _UNREACHABLE, nothing) for ch in _FREQUENT if ch not in starts]
    words.sort(key=lambda word: _insertion_order(word[0]))
    automaton = ahocorasick.Automaton()
    for key, value in words:
        automaton.add_word(key, value)
    automaton.make_automaton()
    return automaton, len(buckets)


def _value(candidates: list[_Candidate], terms: tuple[Term, ...]) -> _Single:
    if len(candidates) == 1:
        length, left, right, suffixes, index = candidates[0]
        return length, left, right, index, terms[index].id, suffixes, _starts(suffixes)
    return candidates[0][0], 0, 0, -1, _groups(candidates), (), ""


def _starts(suffixes: tuple[str, ...]) -> str:
    return "".join(sorted({suffix[0] for suffix in suffixes if suffix}))


def _groups(candidates: list[_Candidate]) -> tuple[_Group, ...]:
    groups: list[tuple[int, int, int, list[int], list[tuple[str, ...]]]] = []
    for length, left, right, suffixes, index in candidates:
        if not groups or groups[-1][:3] != (length, left, right):
            groups.append((length, left, right, [], []))
        groups[-1][3].append(index)
        groups[-1][4].append(suffixes)
    return tuple(
        (a, b, c, tuple(d), tuple(e), _starts(tuple(x for y in e for x in y)))
        for a, b, c, d, e in groups
    )


def _plural_variants(key: str, lang: str) -> list[str]:
    if lang == "en" and len(key) > 3 and key[-1] == "y" and key[-2] not in "aeiou":
        return [key[:-1] + "ies"]
    return []


def _binomial_end(text: str, start: int, end: int, latin: bool = False) -> int:
    """Where a genus found at ``text[start:end]`` ends with its epithet, or ``end`` when it is
    not written as the first word of a binomial (see ``GENUS``); ``latin``: the epithet must
    end as a Latin one does (``BINOMIAL`` terms). A Title-Case epithet ("Goliathus
    Orientalis", shop titles) counts when it ends as a Latin one does (``TITLE_ENDINGS``) and
    is no English word of the shops (``NOT_TITLE_EPITHETS``)."""
    if not text[start].isupper():
        return end
    epithet = _EPITHET.match(text, end)
    if epithet is None:
        if end >= len(text) or not text[start + 1 : end].islower():
            return end  # "GOLIATHUS ORIENTALIS": capitals read no epithet
        title = _TITLE_EPITHET.match(text, end)
        if title is None:
            return end
        word = title.group(1).lower()
        if word in NOT_EPITHETS or word in NOT_TITLE_EPITHETS or not word.endswith(TITLE_ENDINGS):
            return end
        return title.end()
    word = epithet.group(1)
    if word in NOT_EPITHETS or (latin and word[-1] != "." and not word.endswith(LATIN_ENDINGS)):
        return end
    return epithet.end()


# Frozen dataclasses set each field through object.__setattr__ in __init__, the largest
# cost per match; setting the instance __dict__ at once (through its descriptor: faster
# than object.__setattr__) gives an equal object.
_new_object = object.__new__
_set_dict = TermMatch.__dict__["__dict__"].__set__


class Finder:
    """The finding half of ``Matcher``: needs ``_automaton`` (``build_automaton``'s), the
    lexicon's ``_terms``, their ``_ids`` and a ``_templates`` dict."""

    _automaton: ahocorasick.Automaton
    _terms: tuple[Term, ...]
    _ids: tuple[str, ...]
    _templates: dict[int, dict]

    def find(self, text: str | None, field: str = "title") -> list[TermMatch]:
        """Every term occurrence in ``text`` (normalised, de-obfuscated), in text order."""
        if not text:
            return []
        if len(text) > MAX_TEXT:
            text = text[:MAX_TEXT]
        found: dict[tuple[str, int], _Row] = {}
        forms = scan_forms(text)
        if forms.__class__ is str:  # the text's one form, identity offsets: most text
            self._scan(forms, None, found)
        else:
            scan = self._scan
            forms, merged = forms
            for form, origin in forms:
                scan(form, origin, found)
            if merged and len(found) >= _MAX_FOUND:  # the cut depends on the order found
                found = {}
                for form, origin in variant_forms(*fold_text(text))[0]:
                    scan(form, origin, found)
        if not found:
            return []
        rows = sorted(found.values()) if len(found) > 1 else found.values()
        if len(rows) > MAX_MATCHES:
            del rows[MAX_MATCHES:]
        matches = []
        append = matches.append
        templates = self._templates
        for start, end, _, index in rows:
            end = -end
            template = templates.get(index)
            if template is None:
                template = templates[index] = _template(self._terms[index])
            fields = template.copy()
            product = template["product"]
            if product in _GENERA:
                binomial = _binomial_end(text, start, end, product == BINOMIAL)
                if binomial == end and product == BINOMIAL:
                    continue
                end = binomial
            fields["field"] = field
            fields["start"] = start
            fields["end"] = end
            fields["matched_text"] = text[start:end]
            match = _new_object(TermMatch)
            _set_dict(match, fields)
            append(match)
        return matches

    def _scan(self, s: str, origin, found: dict[tuple[str, int], _Row]) -> None:
        """Add the occurrences in the form ``s`` (``origin``: its offsets' map, None: identity)."""
        n = len(s)
        word = _WORD_CHAR
        for last, (length, left, right, index, term_id, suffixes, starts) in self._automaton.iter(
            s
        ):
            start = last + 1 - length
            if left and start:
                before = s[start - 1]
                if left == 2:
                    if before.isdigit() or word[before] and not self._compound(s, start, last + 1):
                        continue
                elif word[before]:
                    continue
            if right and last + 1 < n:
                after = s[last + 1]
                if right == 2:
                    if after.isdigit() or word[after] and not self._compound(s, start, last + 1):
                        continue
                elif word[after]:  # a plural suffix, or no match
                    if after in starts:
                        self._suffixed(s, origin, found, start, last + 1, index, term_id, suffixes)
                    continue
            if index < 0:  # a key of several terms
                self._several(s, origin, found, last + 1, term_id)
                continue
            if origin is None:
                o_start, o_end = start, -1 - last
            else:
                o_start, o_end = origin[start], -1 - origin[last]
            key = (term_id, o_start)
            row = found.get(key)
            if row is None:
                count = len(found)
                if count < _MAX_FOUND:
                    found[key] = (o_start, o_end, count, index)
            elif o_end < row[1]:  # a longer key of the same term: it ends later
                found[key] = (o_start, o_end, row[2], index)

    def _several(self, s, origin, found, end, groups) -> None:
        """``_scan`` of a key of several terms (``groups``: its ``_Group`` tuples)."""
        n = len(s)
        word = _WORD_CHAR
        ids = self._ids
        for length, left, right, indexes, suffix_sets, suffix_starts in groups:
            start = end - length
            if left and start > 0:
                before = s[start - 1]
                if left == 2:
                    if before.isdigit() or word[before] and not self._compound(s, start, end):
                        continue
                elif word[before]:
                    continue
            if right and end < n:
                after = s[end]
                if right == 2:
                    if after.isdigit() or word[after] and not self._compound(s, start, end):
                        continue
                elif word[after]:
                    if after in suffix_starts:
                        for index, suffixes in zip(indexes, suffix_sets):
                            self._suffixed(
                                s, origin, found, start, end, index, ids[index], suffixes
                            )
                    continue
            if origin is None:
                o_start, o_end = start, -end
            else:
                o_start, o_end = origin[start], -origin[end - 1] - 1
            for index in indexes:
                key = (ids[index], o_start)
                row = found.get(key)
                if row is None:
                    count = len(found)
                    if count < _MAX_FOUND:
                        found[key] = (o_start, o_end, count, index)
                elif o_end < row[1]:
                    found[key] = (o_start, o_end, row[2], index)

    _german: frozenset[str] | None = None  # the folded German keys, made on first need

    def _compound(self, s: str, start: int, end: int) -> bool:
        """Whether a German term found at ``s[start:end]`` inside a word is a compound's part:
        it ends the word, or only a German plural ending follows it ("Bengal|tiger",
        "Fuchs|schädel", "Figur|en"), or the term is long (``GERMAN_LONG``), or the rest of
        the word starts with a German term ("Elfenbein|figur", "Fuchs|schädel"); or the text
        reads German."""
        word = _WORD_CHAR
        b, n = end, len(s)
        while b < n and word[s[b]]:
            b += 1
        tail = s[end:b]
        if not tail or tail in GERMAN_ENDINGS:
            return True
        if end - start >= GERMAN_LONG and len(tail) >= 4:
            return True
        keys = self._german
        if keys is None:
            keys = self._german = (
                frozenset(
                    key
                    for term in self._terms
                    if term.lang == "de"
                    for key in map(fold_term, (term.term, *term.variants))
                    if len(key) >= 4
                )
                | GERMAN_PARTS
            )
        if any(tail[:j] in keys for j in range(4, len(tail) + 1)):
            return True
        return _reads_german(s)

    def _suffixed(self, s, origin, found, start, end, index, term_id, suffixes) -> None:
        """``_scan`` of a key followed by a letter or digit: the term's plural suffixes."""
        n = len(s)
        word = _WORD_CHAR
        for suffix in suffixes:
            e = end + len(suffix)
            if s.startswith(suffix, end) and (e >= n or not word[s[e]]):
                break
        else:
            return
        if origin is None:
            o_start, o_end = start, -e
        else:
            o_start, o_end = origin[start], -origin[e - 1] - 1
        key = (term_id, o_start)
        row = found.get(key)
        if row is None:
            count = len(found)
            if count < _MAX_FOUND:
                found[key] = (o_start, o_end, count, index)
        elif o_end < row[1]:
            found[key] = (o_start, o_end, row[2], index)
