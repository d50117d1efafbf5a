"""Redaction for public releases: seller pseudonyms and contact scrubbing. Pure: no Scrapy.

A public release must not let a reader find a seller. Seller ids and handles
become keyed HMAC-SHA256 pseudonyms (the key never ships, so a pseudonym cannot
be reversed by hashing guessed handles); phone numbers, e-mail addresses and
messaging ids and social handles are cut out of free text by the same contact finder
that fills ``listing_contacts`` during the crawl (``crawler.normalise.contacts``: it folds
disguised text first and treats long digit runs as phone numbers).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from functools import lru_cache

from crawler.normalise.contacts import find_contacts, may_hold_contact

KEY_BYTES = 32
PSEUDONYM_HEX = 16  # 64 bits: no collisions among the sellers of a release in practice

# What replaces a contact in text; brackets make the cut visible to a reader.
CONTACT_MARK = "[contact removed]"


def new_key() -> bytes:
    """A fresh random pseudonym key (one per release unless the user keeps one)."""
    return secrets.token_bytes(KEY_BYTES)


def parse_key(text: str) -> bytes:
    """A key given as hex (64 digits); ``ValueError`` naming the problem otherwise."""
    text = text.strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise ValueError("pseudonym key must be hexadecimal") from None
    if len(key) < 16:
        raise ValueError("pseudonym key must be at least 32 hex digits (128 bits)")
    return key


def pseudonym(key: bytes, value: str | None, prefix: str = "") -> str | None:
    """Keyed pseudonym of ``value``: ``prefix`` + first hex digits of HMAC-SHA256.

    >>> pseudonym(b"k" * 32, "demo-bazaar:anna_ivory", "demo-bazaar:s-")
    'demo-bazaar:s-...'  # doctest: +SKIP
    """
    if value is None or value == "":
        return None
    digest = hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{prefix}{digest[:PSEUDONYM_HEX]}"


def seller_pseudonym(key: bytes, seller_id: str | None) -> str | None:
    """Pseudonym of a seller id ``marketplace:key``, keeping the marketplace readable."""
    if not seller_id:
        return None
    marketplace, _, _ = seller_id.partition(":")
    return pseudonym(key, seller_id, f"{marketplace}:seller-")


def scrub_contacts(
    text: str | None, country: str | None = None, secrets_: Iterable[str] = ()
) -> str | None:
    """``text`` with phone numbers, e-mails, messaging handles and given secrets cut out.

    ``country`` (ISO 3166-1 alpha-2) helps recognise local phone numbers;
    ``secrets_`` are further strings (seller handles, contact ids) to remove
    wherever they occur as whole words, case-insensitively.
    """
    if not text:
        return text
    # The crawl's own finder (crawler.normalise.contacts), which folds disguised text first.
    spans = (
        [(c.start, c.end) for c in find_contacts(text, country)] if may_hold_contact(text) else []
    )
    out = _cut(text, spans)
    pattern = _secrets_pattern(tuple(s for s in secrets_ if s and len(s) >= 3))
    return pattern.sub(CONTACT_MARK, out) if pattern else out


@lru_cache(maxsize=8192)
def _secrets_pattern(found: tuple[str, ...]) -> re.Pattern | None:
    """One case-insensitive whole-word pattern for a seller's identities (cached per seller)."""
    if not found:
        return None
    words = "|".join(re.escape(s) for s in sorted(set(found), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace the (possibly overlapping) spans of ``text`` with ``CONTACT_MARK``."""
    if not spans:
        return text
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts, pos = [], 0
    for start, end in merged:
        parts.append(text[pos:start])
        parts.append(CONTACT_MARK)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)
