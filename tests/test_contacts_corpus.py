"""The contact finder against a corpus of the ways sellers hide contacts, and generated ones.

``tests/data/hidden_contacts.jsonl``: one line per text, with the country of its
marketplace, the kind and normalised value expected (``kind`` null: no contact may be
found). The same finder fills ``listing_contacts`` and cuts contacts out of a public
release, so every contact found must also be gone from the scrubbed text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.crawl.pipelines.seller import SellerPipeline
from crawler.normalise.contacts import find_contacts, fold
from crawler.publish.redact import CONTACT_MARK, scrub_contacts

CORPUS = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "hidden_contacts.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip()
]


def _squash(text: str) -> str:
    """Folded, lower-case, letters and digits only: what a reader could still piece together."""
    return re.sub(r"[^0-9a-z@]", "", fold(text)[0].casefold())


def _gone(value: str, scrubbed: str) -> bool:
    if value.startswith("+"):  # a phone: its last 7 digits must not survive
        return value[-7:] not in re.sub(r"\D", "", fold(scrubbed)[0])
    return _squash(value.removeprefix("live:")) not in _squash(scrubbed)


@pytest.mark.parametrize("row", CORPUS, ids=[r["text"][:40] for r in CORPUS])
def test_corpus_is_found(row):
    got = [(c.kind, c.normalized) for c in find_contacts(row["text"], row["country"])]
    if row["kind"] is None:
        assert got == []
    else:
        assert (row["kind"], row["value"]) in got


@pytest.mark.parametrize("row", [r for r in CORPUS if r["kind"]], ids=lambda r: r["text"][:40])
@pytest.mark.parametrize("country", ["given", None, "DE"])
def test_corpus_is_redacted_whatever_the_country(row, country):
    scrubbed = scrub_contacts(row["text"], row["country"] if country == "given" else country)
    assert CONTACT_MARK in scrubbed
    value = row["value"] if row["kind"] != "phone" or country == "given" else row["value"]
    assert _gone(value, scrubbed), scrubbed


@pytest.mark.parametrize("row", [r for r in CORPUS if not r["kind"]], ids=lambda r: r["text"])
def test_corpus_negatives_are_left_alone(row):
    assert scrub_contacts(row["text"], row["country"]) == row["text"]


def test_listing_contacts_come_from_the_same_finder():
    item = {
        "marketplace": "demo-tiaozao",
        "title": "老象牙手镯",
        "description": "私聊发视频，微信lao4294",
        "country_hint": "CN",
    }
    contacts = SellerPipeline().process_item(item)["contacts"]
    assert [(c["kind"], c["normalized"]) for c in contacts] == [("wechat", "lao4294")]


# --- generated obfuscations -----------------------------------------------------------------

HANDLES = st.from_regex(r"[a-z][a-z]{2,6}[_]?[a-z0-9]{2,5}", fullmatch=True)
LABELS = st.sampled_from(
    [
        ("wechat", "微信"),
        ("wechat", "wechat"),
        ("wechat", "VX"),
        ("wechat", "薇信"),
        ("telegram", "telegram"),
        ("line", "line id"),
        ("instagram", "instagram"),
        ("instagram", "IG"),
        ("kakaotalk", "kakaotalk"),
        ("kakaotalk", "카톡"),
        ("skype", "skype"),
    ]
)
SEPARATORS = st.sampled_from([": ", " ", "：", "-", " : ", ""])
FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
CN_DIGITS = dict(zip("0123456789", "零一二三四五六七八九", strict=True))
EN_DIGITS = dict(
    zip("0123456789", "zero one two three four five six seven eight nine".split(), strict=True)
)


def _full_width(text: str) -> str:
    return "".join(FULL_WIDTH.get(ch, ch) for ch in text)


def _spaced(text: str) -> str:
    return " ".join(text)


def _zero_width(text: str) -> str:
    return "\u200b".join(text)


LABEL_DISGUISES = st.sampled_from([str, _full_width, _spaced, _zero_width])
HANDLE_DISGUISES = st.sampled_from([str, _full_width, _zero_width])
CONTEXT = st.sampled_from(
    [
        ("", ""),
        ("老象牙手镯 ", " 详聊"),
        ("Old ivory bangle, ", " for photos"),
        ("Preis 120 €. ", ""),
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HANDLES, LABELS, SEPARATORS, LABEL_DISGUISES, HANDLE_DISGUISES, CONTEXT)
def test_generated_labelled_handles(handle, label, sep, hide_label, hide_handle, context):
    kind, word = label
    if sep == "" and word.isascii():
        sep = " "  # "wechatabc12" is one word; only CJK labels touch the id
    if word in ("telegram", "instagram", "skype") and sep.strip() in ("", "-") and handle.isalpha():
        sep = ": "  # "Telegram about", "line your pan": a plain word after them is no id
    text = f"{context[0]}{hide_label(word)}{sep}{hide_handle(handle)}{context[1]}"
    got = {(c.kind, c.normalized) for c in find_contacts(text)}
    assert (kind, handle) in got, (text, got)
    assert _gone(handle, scrub_contacts(text)), scrub_contacts(text)


USERS = st.from_regex(r"[a-z][a-z0-9._]{2,10}[a-z0-9]", fullmatch=True)
DOMAINS = st.sampled_from(["gmail", "163", "yahoo", "mail", "outlook", "qq"])
TLDS = st.sampled_from(["com", "ru", "de", "cn", "net"])
ATS = st.sampled_from(["@", "(at)", " [at] ", " at ", "艾特", "＠", " (@) ", "{at}"])
DOTS = st.sampled_from([".", "(dot)", " [dot] ", " dot ", "点", "。", "．"])


@settings(max_examples=300, deadline=None)
@given(USERS, DOMAINS, TLDS, ATS, DOTS, CONTEXT)
def test_generated_emails(user, domain, tld, at, dot, context):
    text = f"{context[0]}{user}{at}{domain}{dot}{tld}{context[1]}"
    expected = f"{user}@{domain}.{tld}"
    got = {c.normalized for c in find_contacts(text) if c.kind == "email"}
    # "a.b.c" may be read as spaced letters "abc": the same address for a reader
    assert expected.replace(".", "") in {g.replace(".", "") for g in got}, (text, got)
    assert f"{domain}{tld}" not in _squash(scrub_contacts(text)), scrub_contacts(text)


PL_NUMBERS = st.from_regex(r"[5-8][0-9]{8}", fullmatch=True)
GROUPINGS = st.sampled_from([(3, 3, 3), (9,), (3, 2, 2, 2), (2, 3, 4)])
DIGIT_DISGUISES = st.sampled_from(["plain", "full", "cn", "en", "spaced"])
PHONE_LABELS = st.sampled_from(["tel.", "tel:", "call", "dzwoń", "phone", "电话", "", "WhatsApp"])


@settings(max_examples=300, deadline=None)
@given(PL_NUMBERS, GROUPINGS, DIGIT_DISGUISES, PHONE_LABELS, st.sampled_from(["PL", "DE", None]))
def test_generated_polish_numbers(number, grouping, disguise, label, country):
    parts, pos = [], 0
    for n in grouping:
        parts.append(number[pos : pos + n])
        pos += n
    sep = {"plain": " ", "full": " ", "cn": "", "en": " ", "spaced": " "}[disguise]
    shown = " ".join(parts) if disguise == "plain" else number
    if disguise == "full":
        shown = _full_width(" ".join(parts))
    elif disguise == "cn":
        shown = "".join(CN_DIGITS[d] for d in number)
    elif disguise == "en":
        shown = sep.join(EN_DIGITS[d] for d in number)
    elif disguise == "spaced":
        shown = " ".join(number)
    text = f"Kość słoniowa, {label} {shown} wieczorem"
    found = [c for c in find_contacts(text, country) if c.kind in ("phone", "whatsapp")]
    assert found, text
    scrubbed = scrub_contacts(text, country)
    assert number[-7:] not in re.sub(r"\D", "", unicodedata.normalize("NFKC", fold(scrubbed)[0]))
