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
