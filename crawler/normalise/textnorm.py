"""Text normalisation for matching, with offsets back into the original text.

``fold(text)`` turns listing text into the form the lexicon is compiled to:
Unicode NFKC, case folding, Latin diacritics removed (Vietnamese "ngà voi" ->
"nga voi"), Traditional -> Simplified Chinese (OpenCC ``t2s``, per character,
cached), full-width -> half-width, separators (``-``, ``_``, ``/``, control
characters) -> space, zero-width characters removed.

``variants(folded)`` adds the cheap de-obfuscated forms of a text: letters
spaced or dotted apart ("i.v.o.r.y"), spaces inside Chinese words ("象 牙"),
digit-for-letter swaps ("1vory"), runs of spaces. Every form carries a map from
its characters to positions in the original text, so matches can be
highlighted where the seller wrote them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from opencc import OpenCC

_T2S = OpenCC("t2s")
_SPACE_LIKE = set("-_/\\|·•‐‑‒–—―~")
_DELETE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"}
# Letters that NFD does not decompose but that Latin-script sellers drop anyway.
_LATIN_EXTRA = {"đ": "d", "ø": "o", "ł": "l", "ħ": "h", "ı": "i", "œ": "oe", "æ": "ae"}


def fold_char(ch: str) -> str:
    """The folded form of one character (may be empty or several characters)."""
    if ch in _DELETE:
        return ""
    if ch in _APOSTROPHES:
        return "'"
    if ch in _SPACE_LIKE or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp"):
        return " "
    text = unicodedata.normalize("NFKC", ch).casefold()
    out = []
    for c in unicodedata.normalize("NFD", text):
        if "\u0300" <= c <= "\u036f":  # combining marks used with Latin letters only
            continue
        out.append(_LATIN_EXTRA.get(c, c))
    text = unicodedata.normalize("NFC", "".join(out))
    if text and "\u3400" <= text[0] <= "\u9fff" or text and "\U00020000" <= text[0]:
        text = _T2S.convert(text)
    return "".join(" " if c in _SPACE_LIKE else c for c in text)


class _FoldTable(dict):
    """``str.translate`` table filled on first sight of each character."""

    def __init__(self) -> None:
        super().__init__()
        self.irregular: set[str] = set()  # characters whose folded form is not 1 character
        self._irregular_pattern: re.Pattern | None = None
        self.same: set[str] = set()  # characters that fold to themselves
        self._changing: re.Pattern | None = None
        self._built = 0

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = fold_char(ch)
        if len(folded) != 1:
            self.irregular.add(ch)
            self._irregular_pattern = None
        elif folded == ch:
            self.same.add(ch)
        self[code] = folded
        return folded

    def changing_pattern(self) -> re.Pattern:
        """A character class of the characters not known to fold to themselves: a text it
        does not find folds to itself (half the non-ASCII titles: a search instead of
        ``str.translate``, which looks up each character in this dict). Rebuilt when ``same``
        has grown by a quarter (a class of thousands of Chinese characters compiles in ~10 ms);
        a character seen since is in the class, so a text with one is folded as usual."""
        pattern = self._changing
        if pattern is None or len(self.same) >= self._built * 5 // 4 + 16:
            self._built = len(self.same)
            chars = "".join(re.escape(ch) for ch in sorted(self.same))
            pattern = self._changing = re.compile(f"[^{chars}]")
        return pattern

    def irregular_pattern(self) -> re.Pattern:
        """A character class of ``irregular`` (a search in C; ``set.isdisjoint`` of a text
        made a string of each of its characters)."""
        pattern = self._irregular_pattern
        if pattern is None:
            chars = "".join(re.escape(ch) for ch in sorted(self.irregular))
            pattern = self._irregular_pattern = re.compile(f"[{chars}]" if chars else "(?!)")
        return pattern


_TABLE = _FoldTable()
for _code in range(128):  # warm the ASCII range so the set of irregulars is stable
    _TABLE[_code]
# ASCII folds to ASCII one character for one, so fold() takes it through bytes.translate,
# several times faster than str.translate with a dict.
assert not _TABLE.irregular, "fold()'s ASCII fast path needs a 1:1 fold of ASCII"
_ASCII_BYTES = "".join(map(_TABLE.__getitem__, range(128))).encode("ascii") + bytes(range(128, 256))


@dataclass(frozen=True)
class Folded:
    """A normalised text and where each of its characters came from.

    ``origin[i]`` is the index in the original text of character ``i``;
    ``origin[len(text)]`` is the end of the original text. ``None`` means identity.
    """

    text: str
    origin: tuple[int, ...] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the normalised slice ``text[start:end]``."""
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1 if end > start else self.origin[start]


# A text and its origin map as a plain tuple, as ``Folded`` holds them.
Form = tuple[str, tuple[int, ...] | None]
_new_object = object.__new__
_set_attribute = object.__setattr__


def _form(folded: str, origin: tuple[int, ...] | None) -> Folded:
    """``Folded(folded, origin)``, without the frozen dataclass's per-field ``__init__``."""
    form = _new_object(Folded)
    _set_attribute(form, "__dict__", {"text": folded, "origin": origin})
    return form


def fold_text(text: str) -> Form:
    """``fold(text)`` as ``(text, origin)``, without the ``Folded`` object (the matcher's
    hot path)."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_BYTES).decode("ascii"), None
    if _TABLE.changing_pattern().search(text) is None:
        return text, None
    folded = text.translate(_TABLE)
    irregular = _TABLE.irregular_pattern()
    if irregular.search(text) is None:
        return folded, None
    origin: list[int] = []
    pos = 0
    for m in irregular.finditer(text):  # the others fold to one character each
        index = m.start()
        origin.extend(range(pos, index))
        origin.extend([index] * len(_TABLE[ord(text[index])]))
        pos = index + 1
    origin.extend(range(pos, len(text) + 1))  # and the end of the text
    return folded, tuple(origin)


def fold(text: str) -> Folded:
    """Normalise ``text`` for matching; see the module docstring."""
    return _form(*fold_text(text))


def fold_term(term: str) -> str:
    """Normalise a lexicon term the way listing text is normalised (spaces collapsed)."""
    return " ".join(term.translate(_TABLE).split())


_LETTER = r"[^\W\d_]"
_CJK = r"[\u3400-\u9fff]"
_THAI = r"[\u0e00-\u0e7f]"
_SPACED_LETTERS = re.compile(rf"(?<!\w){_LETTER}([ .*+])(?:{_LETTER}\1)+{_LETTER}(?!\w)")
_CJK_SEP = r"[ .*+,'\"]+"
# A gap next to a lone character ("象 牙", "象*牙手镯"), not between words ("老象牙 手镯"). The
# definition; _gaps finds the same gaps with _GAP (patterns that start with a lookbehind try
# every position of the text: several times slower).
_CJK_GAP = re.compile(
    rf"(?<!{_CJK}{_CJK})(?<={_CJK}){_CJK_SEP}(?={_CJK})|(?<={_CJK}){_CJK_SEP}(?={_CJK}(?!{_CJK}))"
    rf"|(?<={_THAI}){_CJK_SEP}(?={_THAI})"  # Thai has no spaces inside words: join all
)
# _CJK_GAP's gaps, each matched from its first separator: a pattern that starts with a class
# lets sre skip to the separators (one that started with a Chinese character was tried at
# every Chinese character, its candidates then checked in Python). Run on text with a Chinese
# or Thai character only.
_SEP = r"[ .*+,'\"]"
_GAP = re.compile(
    rf"{_SEP}(?:(?<={_CJK}.)(?:(?<!{_CJK}{_CJK}.){_SEP}*(?={_CJK})|{_SEP}*(?={_CJK}(?!{_CJK})))"
    rf"|(?<={_THAI}.){_SEP}*(?={_THAI}))"
)
_CJK_OR_THAI = re.compile(r"[\u3400-\u9fff\u0e00-\u0e7f]")
_MULTI_SPACE = re.compile(r"  +")
# A whole run of [\w@$] characters made of a-z, digits, "@" and "$" only, with both a letter
# and one of the others in it. Without lookaheads: two of them, each scanning the rest of the
# word at every position, made this the costliest step of matching a title with a digit.
_LEET_WORD = re.compile(r"(?<![\w@$])(?:[a-z]+[0-9@$]|[0-9@$]+[a-z])[a-z0-9@$]*(?![\w@$])")
_LEET = str.maketrans("013457@$", "oieastas")
# In folded ASCII (where the words of _LEET_WORD are the runs of a-z, digits, "@" and "$"): a
# run of digits, "@" and "$" followed by a letter. _LEET_WORD's swap changes the characters of
# these runs and no others (it keeps a word's trailing digits), so swapping each run does the
# same, from a search that skips to the digits (a lookbehind first made sre try every position).
_LEET_RUN = re.compile(r"[0-9@$]+(?=[a-z])")
# Cheap tests that _SPACED_LETTERS and _LEET_WORD can match at all (most texts need no
# variant): a separated single letter (".v." in "i.v.o.r.y"), a letter next to a digit.
_SEPARATED_LETTER = re.compile(rf"[ .*+]{_LETTER}[ .*+]")
_LETTER_DIGIT = re.compile(r"[0-9@$](?<=[a-z][0-9@$])|[0-9@$][a-z]")


def _ascii_classes() -> bytes:
    """A ``bytes.translate`` table of ASCII: "a" for a letter (``_LETTER``), "0" for a digit
    that ``_LEET`` swaps, "9" for another digit, "@" for "@" and "$" (not word characters,
    swapped), "s" for a separator of ``_SPACED_LETTERS``, "-" for others. Letters are a-z
    only in folded ASCII (no capitals, "_" is a space)."""
    table = bytearray(b"-" * 256)
    for ch in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        table[ord(ch)] = ord("a")
    for ch in "013457":
        table[ord(ch)] = ord("0")
    for ch in "2689":
        table[ord(ch)] = ord("9")
    for ch in "@$":
        table[ord(ch)] = ord("@")
    for ch in " .*+":
        table[ord(ch)] = ord("s")
    return bytes(table)


# On the classes of folded ASCII: three single letters apart, not next to a word character
# (what every match of _SPACED_LETTERS starts with); a character _LEET swaps with a letter
# after it in its word (a word _LEET_WORD swaps a character of: the word of a-z, digits, "@"
# and "$" holds a letter and one of the others, and its part up to its last letter holds a
# swapped character). Each runs only where a plain ``in`` test found its first characters.
_SPACED_CLASSES = re.compile(r"(?<![a09])asasa(?![a09])")
_LEET_CLASSES = re.compile(r"[0@][09@]*a")
_ASCII_CLASSES = _ascii_classes()
_FOLDED_CLASSES = bytes(_ASCII_CLASSES[b] for b in _ASCII_BYTES)  # of ASCII text unfolded


def _delete_spans(text: str, origin: tuple[int, ...] | None, spans: list[tuple[int, int]]) -> Form:
    """``text`` without the characters in ``spans`` (sorted, disjoint), and its origin map."""
    parts, kept, pos = [], [], 0
    if origin is None:  # identity: positions are their own origin
        for start, end in spans:
            parts.append(text[pos:start])
            kept.extend(range(pos, start))
            pos = end
        kept.extend(range(pos, len(text) + 1))
    else:
        for start, end in spans:
            parts.append(text[pos:start])
            kept.extend(origin[pos:start])
            pos = end
        kept.extend(origin[pos:])
    parts.append(text[pos:])
    return "".join(parts), tuple(kept)


def _collapse(text: str, origin: tuple[int, ...] | None) -> Form:
    """``_delete_spans`` of the runs of spaces of ``text`` but their first space."""
    kept: list[int] = []
    pos = 0
    if origin is None:
        for m in _MULTI_SPACE.finditer(text):
            kept += range(pos, m.start() + 1)
            pos = m.end()
        kept += range(pos, len(text) + 1)
    else:
        for m in _MULTI_SPACE.finditer(text):
            kept += origin[pos : m.start() + 1]
            pos = m.end()
        kept += origin[pos:]
    return _MULTI_SPACE.sub(" ", text), tuple(kept)


def _swap_run(m: re.Match) -> str:
    """``_swap_digits`` of ASCII text, given a run of ``_LEET_RUN``."""
    return m.group().translate(_LEET)


def _swap_digits(m: re.Match) -> str:
    """ "1vory" -> "ivory", but keep trailing digits as they are ("tiger1101", "iphone13")."""
    word = m.group()
    core = word.rstrip("0123456789@$")
    return core.translate(_LEET) + word[len(core) :]


def variants(folded: Folded) -> list[Folded]:
    """De-obfuscated forms of ``folded`` worth matching too (often none)."""
    forms, _ = variant_forms(folded.text, folded.origin)
    return [_form(text, origin) for text, origin in forms[1:]]


def variant_forms(
    text: str, origin: tuple[int, ...] | None, merge: bool = False
) -> tuple[list[Form], bool]:
    """The folded ``text`` (with its ``origin``) and its de-obfuscated forms, first the folded
    form, as ``(forms, merged)``.

    ``merge``: where the only characters a variant deletes are runs of spaces (their first
    space kept), that variant stands in for the folded text (``merged`` is True). A text that
    holds a term with single spaces only (folded terms never hold two) and not next to a
    letter or digit holds it in the collapsed text too, at the same original offsets, with the
    same characters before and after; so the matcher scans one text instead of two."""
    if text.isascii():
        return _ascii_forms(text, origin, text.encode("ascii").translate(_ASCII_CLASSES), merge)
    spaced = _SEPARATED_LETTER.search(text) is not None
    leet = _LETTER_DIGIT.search(text) is not None
    gaps = _gaps(text)  # most separators after Chinese characters are between words
    if not (spaced or leet or gaps or "  " in text):
        return [(text, origin)], False
    return _variants(text, origin, merge, spaced, leet, gaps)


def matching_forms(text: str) -> tuple[list[Form], bool]:
    """``variant_forms(*fold_text(text), merge=True)``: ASCII text is folded and classed
    (``_ASCII_CLASSES``) from one ``encode``."""
    if text.isascii():
        raw = text.encode("ascii")
        folded = raw.translate(_ASCII_BYTES).decode("ascii")
        return _ascii_forms(folded, None, raw.translate(_FOLDED_CLASSES), True)
    return variant_forms(*fold_text(text), merge=True)


def scan_forms(text: str) -> str | tuple[list[Form], bool]:
    """What the matcher scans of ``text``: its folded form as a str where that is its one
    form, with identity offsets (most listing text), else ``matching_forms(text)``; ASCII text
    is encoded, folded and classed once for both tests (_ascii_forms's, which
    tests/test_textnorm.py holds the same)."""
    if not text.isascii():
        return matching_forms(text)
    raw = text.encode("ascii")
    folded = raw.translate(_ASCII_BYTES).decode("ascii")
    classes = raw.translate(_FOLDED_CLASSES).decode("ascii")
    spaced = "asasa" in classes and _SPACED_CLASSES.search(classes) is not None
    leet = (
        "0a" in classes
        or "@a" in classes
        or ("9a" in classes and _LEET_CLASSES.search(classes) is not None)
    )
    if not (spaced or leet or "  " in folded):
        return folded
    return _variants(folded, None, True, spaced, leet, [])


def _ascii_forms(
    text: str, origin: tuple[int, ...] | None, classes: bytes, merge: bool
) -> tuple[list[Form], bool]:
    """``variant_forms`` of folded ASCII ``text``, tested on its ``classes`` (most texts need
    no variant, and three regular expressions cost more than the rest of fold). As str: ``in``
    on bytes is several times slower here."""
    classes = classes.decode("ascii")
    spaced = "asasa" in classes and _SPACED_CLASSES.search(classes) is not None
    # A match of _LEET_CLASSES ends in "0a", "@a" or "9a", and one with "0a" or "@a" is a match.
    leet = (
        "0a" in classes
        or "@a" in classes
        or ("9a" in classes and _LEET_CLASSES.search(classes) is not None)
    )
    if not (spaced or leet or "  " in text):
        return [(text, origin)], False
    return _variants(text, origin, merge, spaced, leet, [])


def _variants(
    text: str,
    origin: tuple[int, ...] | None,
    merge: bool,
    spaced: bool,
    leet: bool,
    gaps: list[tuple[int, int]],
) -> tuple[list[Form], bool]:
    """``variant_forms`` of a text that may need one (``spaced``, ``leet``: the cheap tests of
    the patterns above; ``gaps``: ``_gaps(text)``, added to)."""
    found: list[Form] = [(text, origin)]
    if spaced:
        for m in _SPACED_LETTERS.finditer(text):
            if m.end() - m.start() >= 5:  # at least three letters: "i v o"
                gaps.extend((i, i + 1) for i in range(m.start() + 1, m.end(), 2))
    merged = False
    if "  " in text:
        if merge and not gaps:  # the runs of spaces are the only deletions
            found[0] = _collapse(text, origin)
            merged = True
        else:
            gaps.extend((m.start() + 1, m.end()) for m in _MULTI_SPACE.finditer(text))
    if gaps:
        found.append(_delete_spans(text, origin, sorted(gaps)))
    if leet:
        if text.isascii():
            swapped = _LEET_RUN.sub(_swap_run, text)
        else:
            swapped = _LEET_WORD.sub(_swap_digits, text)
        if swapped != text:
            found.append((swapped, origin))
    return found, merged


def _gaps(text: str) -> list[tuple[int, int]]:
    """The spans of ``_CJK_GAP.finditer(text)``: each is a run of separators between two
    Chinese or two Thai characters (the pattern's lookarounds see past neither end of the run),
    between Chinese ones next to a lone character."""
    if _CJK_OR_THAI.search(text) is None:
        return []
    return [m.span() for m in _GAP.finditer(text)]
