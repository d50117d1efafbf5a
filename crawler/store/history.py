"""Listing history: status transitions, the broken-crawl guard, re-checks of unseen listings.

A listing changes status only on evidence from its own page: a detail page that
answers 404/410 or matches the config's ``removed``/``sold`` matcher. A listing
that a search simply did not show is re-checked on its detail page first, and a
crawl that looks broken (far fewer listings than the previous crawls of the
same marketplace and keywords, or block pages) re-checks nothing, so a
redesign or a captcha never reads as a wave of take-downs.

Pure functions here; the spider and the store call them. No Scrapy import.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from crawler.store import schema

ACTIVE, REMOVED, SOLD = "active", "removed", "sold"
GONE = (REMOVED, SOLD)

# A crawl extracting fewer than this share of the median of recent crawls is broken.
BROKEN_RATIO = 0.3
# How many previous finished crawls (same marketplace and keywords) form the baseline.
BASELINE_CRAWLS = 3


@dataclass(frozen=True)
class Transition:
    """The status a listing gets from one observation, and whether it just went away."""

    status: str
    removed_at: str | None
    last_seen: str | None
    went_away: bool  # active -> removed/sold in this observation


def transition(
    previous_status: str | None,
    previous_removed_at: str | None,
    previous_last_seen: str | None,
    page_state: str | None,
    seen_at: str,
) -> Transition:
    """Apply what a page said (``ok``/None, ``removed``, ``sold``) to a listing's stored status.

    ``removed_at`` is the time of the first observation that found the listing gone and
    stays put while it stays gone; a listing that is back online is active again.
    ``last_seen`` is the last time the listing was seen online.
    """
    state = page_state if page_state in GONE else ACTIVE
    if state == ACTIVE:
        return Transition(ACTIVE, None, seen_at, False)
    if previous_status == state and previous_removed_at:
        return Transition(state, previous_removed_at, previous_last_seen, False)
    if previous_status in GONE and previous_removed_at:
        # sold -> removed (or back): the listing left the market at the first of the two.
        return Transition(state, previous_removed_at, previous_last_seen, False)
    last_seen = previous_last_seen if previous_status is not None else None
    # A listing seen sold on its first visit has been online until now.
    return Transition(state, seen_at, last_seen or seen_at, previous_status in (None, ACTIVE))


def broken_reason(
    extracted: int,
    previous: Sequence[int],
    blocked_pages: int = 0,
    ratio: float = BROKEN_RATIO,
    redirect_loops: int = 0,
) -> str | None:
    """Why a crawl must not be trusted to say what disappeared, or None when it looks sound.

    ``extracted``: distinct listings this crawl's results pages gave; ``previous``: the
    same count for the last finished crawls of the marketplace with the same keywords;
    ``redirect_loops``: results pages lost in a redirect loop (the site, not the selectors).
    """
    if blocked_pages:
        return f"{blocked_pages} block/captcha page(s) served; the results are incomplete"
    if redirect_loops:
        return (
            f"{redirect_loops} results page(s) ended in a redirect loop; the results are incomplete"
        )
    baseline = [n for n in previous[:BASELINE_CRAWLS] if n is not None]
    if not baseline:
        return None
    median = statistics.median(baseline)
    if median > 0 and extracted < ratio * median:
        return (
            f"extracted {extracted} listings, under {ratio:.0%} of the median {median:g} of the "
            f"last {len(baseline)} crawl(s) with the same keywords (selectors no longer match?)"
        )
    return None


def keywords_key(keywords: Iterable[str]) -> str:
    """The canonical JSON of a crawl's keyword list (as stored in ``crawls.keywords``)."""
    return json.dumps(sorted(set(keywords)), ensure_ascii=False)


def previous_counts(
    conn: sqlite3.Connection, marketplace: str, keywords: Iterable[str], before_id: int | None
) -> list[int]:
    """Listings extracted by the last finished crawls of a marketplace with the same keywords."""
    want = keywords_key(keywords)
    rows = conn.execute(
        "select id, keywords, coalesce(listings_extracted, listings_seen) from crawls "
        "where marketplace = ? and status = 'finished' and id < ? order by id desc",
        (marketplace, before_id if before_id is not None else 2**62),
    ).fetchall()
    counts = []
    for _id, kw, n in rows:
        try:
            same = keywords_key(json.loads(kw or "[]")) == want
        except ValueError:
            same = False
        if same:
            counts.append(n or 0)
        if len(counts) == BASELINE_CRAWLS:
            break
    return counts


# Derived from the listing schema: every field a re-check starts from (none is dropped).
RECHECK_SQL = schema.RECHECK_SQL


def recheck_candidates(
    conn: sqlite3.Connection, marketplace: str, keywords: Iterable[str], seen_item_ids: set[str]
) -> list[dict]:
    """Active listings found by these keywords before, that this crawl's searches did not show."""
    keywords = set(keywords)
    if not conn.execute("select 1 from sqlite_master where name = 'listings'").fetchone():
        return []  # a first crawl into a new file
    conn.row_factory = sqlite3.Row
    try:
        rows = [dict(r) for r in conn.execute(RECHECK_SQL, (marketplace,))]
    finally:
        conn.row_factory = None
    return [
        r
        for r in rows
        if r["item_id"] not in seen_item_ids and (not keywords or r["keyword"] in keywords)
    ]


def price_or_title_changed(previous: dict | None, title: str | None, price: float | None) -> bool:
    """True for a listing never stored before, or whose title or price differs from the store."""
    if previous is None:
        return True
    if (previous.get("title") or "") != (title or ""):
        return True
    old = previous.get("price")
    if old is None or price is None:
        return (old is None) != (price is None)
    return abs(float(old) - float(price)) > 1e-9
