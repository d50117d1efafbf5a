"""Normalisation for matching: folding, offsets back to the original, de-obfuscation."""

import pytest

from crawler.normalise.textnorm import fold, fold_term, variants


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("IVORY Bangle", "ivory bangle"),
        ("Ｉｖｏｒｙ　ｂａｎｇｌｅ", "ivory bangle"),  # full-width letters and space
        ("ngà voi chạm khắc", "nga voi cham khac"),  # Vietnamese diacritics
        ("Đồi mồi", "doi moi"),  # đ does not decompose in NFD
        ("Défense d’éléphant", "defense d'elephant"),
        ("Straße", "strasse"),
        ("鶴頂紅 手鐲", "鹤顶红 手镯"),  # Traditional -> Simplified
        ("rhino-horn_cup", "rhino horn cup"),
        ("tab\there\x00nul", "tab here nul"),
        ("งาช้าง", "งาช้าง"),  # Thai marks are kept
    ],
)
def test_fold(raw, folded):
    assert fold(raw).text == folded


@pytest.mark.parametrize(
    ("raw", "needle", "original"),
    [
        ("ﬁne IVORY", "ivory", "IVORY"),  # ligature expands to two characters
        ("i\u200bvory bangle", "ivory", "i\u200bvory"),  # zero-width space removed
        ("Maße: Ivory", "ivory", "Ivory"),  # ß -> ss shifts offsets
        ("ｎｇà voi", "nga voi", "ｎｇà voi"),
    ],
)
def test_offsets_map_back_to_the_original(raw, needle, original):
    folded = fold(raw)
    start = folded.text.index(needle)
    o_start, o_end = folded.span(start, start + len(needle))
    assert raw[o_start:o_end] == original


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("i.v.o.r.y netsuke", "ivory netsuke"),
        ("i v o r y bangle", "ivory bangle"),
        ("象 牙 手 镯", "象牙手镯"),
        ("象*牙手镯", "象牙手镯"),
        ("rhino   horn", "rhino horn"),
        ("1vory bracelet", "ivory bracelet"),
        ("rh1no h0rn", "rhino horn"),
    ],
)
def test_variants_undo_cheap_obfuscations(raw, expected):
    assert expected in [v.text for v in variants(fold(raw))]


@pytest.mark.parametrize(
    "raw", ["Oak table with 6 chairs", "老象牙手镯 包浆自然", "WeChat tiger1101", "iPhone 13", ""]
)
def test_no_variants_for_ordinary_text(raw):
    # spaces between Chinese words and trailing digits of handles are left alone
    assert variants(fold(raw)) == []


def test_variant_offsets_point_at_the_obfuscated_word():
    raw = "Old i.v.o.r.y netsuke"
    (variant,) = variants(fold(raw))
    start = variant.text.index("ivory")
    o_start, o_end = variant.span(start, start + 5)
    assert raw[o_start:o_end] == "i.v.o.r.y"


def test_fold_term_collapses_spaces():
    assert fold_term("  Rhino   Horn ") == "rhino horn"


def test_huge_and_odd_text_does_not_crash():
    text = ("象牙\ud800x\x07" * 50_000) + "ivory"
    assert fold(text).text.endswith("ivory")


def test_cheap_tests_of_ascii_text_miss_no_variant():
    """Folded ASCII is tested on a string of character classes before the patterns run (three
    single letters apart; a swapped digit before a letter of its word); on random text over the
    characters those tests look at, the forms are the ones the patterns give run every time."""
    import random

    from crawler.normalise import textnorm

    rnd = random.Random(26)
    alphabet = "abivoyz0123456789@$ .*+-,'_"
    for _ in range(20_000):
        text = fold("".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 24)))).text
        gaps = []
        for m in textnorm._SPACED_LETTERS.finditer(text):
            gaps.extend((i, i + 1) for i in range(m.start() + 1, m.end(), 2))
        gaps.extend((m.start() + 1, m.end()) for m in textnorm._MULTI_SPACE.finditer(text))
        expected = []
        if gaps:
            kept = [i for i in range(len(text) + 1) if not any(a <= i < b for a, b in gaps)]
            expected.append(("".join(text[i] for i in kept[:-1]), tuple(kept)))
        swapped = textnorm._LEET_WORD.sub(textnorm._swap_digits, text)
        if swapped != text:
            expected.append((swapped, None))
        assert [(v.text, v.origin) for v in variants(fold(text))] == expected, text


def test_matching_forms_are_fold_and_variants_with_runs_of_spaces_merged():
    from crawler.normalise.textnorm import fold_text, matching_forms, variant_forms

    for raw in [
        "ivory  bangle",
        "Straße  Elfenbein",
        "i v o r y  x",
        "1vory   b@ngle",
        "象 牙  x",
        "",
    ]:
        forms, merged = matching_forms(raw)
        assert (forms, merged) == variant_forms(*fold_text(raw), merge=True)
        unmerged, _ = variant_forms(*fold_text(raw))
        # merged: the collapsed text stands in for the folded one, else the forms are the same
        assert forms == ([unmerged[1], *unmerged[2:]] if merged else unmerged)
    assert matching_forms("rhino  horn")[1] and not matching_forms("r h i n o  horn")[1]


def test_scan_forms_is_the_folded_text_where_it_is_the_one_matching_form():
    """``scan_forms`` (what the matcher scans) gives the folded text as a str only where
    ``matching_forms`` gives that text alone, with identity offsets, and does for ASCII text
    that no cheap test sets off; else it gives ``matching_forms``'s forms."""
    import random

    from crawler.normalise.textnorm import fold_text, matching_forms, scan_forms

    rnd = random.Random(26)
    alphabet = "abivoyzAB0123456789@$ .*+-,'_é象"
    texts = ["Carved Ivory Bangle", "10pcs ivory", "i v o r y", "rhino  horn", "象牙", "2pcs x"]
    texts += [
        "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 24))) for _ in range(20_000)
    ]
    plain = 0
    for text in texts:
        folded = fold_text(text)[0]
        forms = scan_forms(text)
        if isinstance(forms, str):
            assert forms == folded and matching_forms(text) == ([(folded, None)], False)
            plain += 1
        else:
            assert forms == matching_forms(text), text
            if text.isascii() and not any(c in folded for c in "0134579@$.*+ "):
                raise AssertionError(f"{text!r}: no variant possible, yet not plain")
    assert plain > 3000


def test_chinese_and_thai_gaps_are_those_of_the_pattern():
    """``_gaps`` finds the spans ``_CJK_GAP`` (lookbehinds at every position) finds, from the
    candidates of a pattern that starts with a character class."""
    import random

    from crawler.normalise import textnorm

    rnd = random.Random(26)
    alphabet = "象牙犀角老手 .*+,'\"ก้าxa1"
    for _ in range(50_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 14)))
        assert textnorm._gaps(text) == [m.span() for m in textnorm._CJK_GAP.finditer(text)]


def test_text_of_characters_that_fold_to_themselves_is_not_translated():
    """Non-ASCII text whose characters are all known to fold to themselves is returned as it
    is; a character first seen after the class was built is folded as usual."""
    import random

    from crawler.normalise import textnorm
    from crawler.normalise.textnorm import fold_char, fold_text

    def reference(text: str) -> str:
        return "".join(fold_char(ch) for ch in text)

    rnd = random.Random(26)
    alphabet = "象牙犀角舊鐲éÉßﬁ…\u200bka -" + "".join(chr(0x4E00 + i) for i in range(0, 400, 7))
    for _ in range(5_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 12)))
        assert fold_text(text)[0] == reference(text), text
    assert textnorm._TABLE.changing_pattern().search("象牙 ka") is None  # no translate
    assert textnorm._TABLE.changing_pattern().search("舊") is not None  # Traditional
    unseen = "\u9fa0\u9fa1"  # not in the alphabet: not yet known to fold to themselves
    assert textnorm._TABLE.changing_pattern().search(unseen) is not None
    assert fold_text(unseen) == (reference(unseen), None)
