"""Derived figures over listing history: take-down views and relisting detection.

Views (created by ``ensure_views``, which ``crawler.store.database.ensure_schema`` calls):

- ``listing_history``: every observation of a listing with the previous price and title,
  so changes are visible row by row;
- ``takedown_reports``: every report with its outcome, from later crawls (``removed``,
  ``still online``) unless entered by hand;
- ``takedown_reported``: one row per reported listing (its first report), days to removal;
- ``takedown_figures``: per marketplace: listings reported, removed after report, median
  days to removal, still online after 7 and 30 days, relisted;
- ``relisted_listings``: removed listings that came back (same seller, near-identical title).
"""

from __future__ import annotations

import difflib
import re
import unicodedata

import sqlite_utils

from crawler.store.clock import utcnow
from crawler.store.locking import write_transaction

# Titles at least this similar (difflib ratio of the normalised text) are "near-identical".
RELIST_SIMILARITY = 0.85

_GONE = "('removed', 'sold')"

VIEWS: dict[str, str] = {
    "listing_history": """
select o.listing_id, o.crawl_id, o.seen_at, o.status, o.price, o.currency, o.price_usd, o.title,
  lag(o.price) over w as previous_price,
  lag(o.title) over w as previous_title,
  case when lag(o.crawl_id) over w is null then 'first seen'
       when lag(o.status) over w != o.status then 'status'
       when coalesce(lag(o.price) over w, -1) != coalesce(o.price, -1) then 'price'
       when coalesce(lag(o.title) over w, '') != coalesce(o.title, '') then 'title'
       else '' end as change
from observations o
window w as (partition by o.listing_id order by o.seen_at, o.crawl_id)
""",
    "takedown_reports": f"""
select r.id as report_id, r.listing_id, l.marketplace, r.platform, r.channel, r.reference,
  r.reported_by, r.reported_at, l.status as listing_status, l.removed_at, l.last_seen,
  case when coalesce(r.outcome, '') != '' then r.outcome
       when l.status in {_GONE} and l.removed_at >= r.reported_at then 'removed'
       when l.status in {_GONE} then 'removed before report'
       else 'still online' end as outcome,
  case when coalesce(r.outcome, '') != '' then 'manual' else 'crawl' end as outcome_source,
  case when coalesce(r.outcome, '') != '' then r.outcome_at
       when l.status in {_GONE} then l.removed_at
       else l.last_seen end as outcome_at
from reports r left join listings l on l.id = r.listing_id
""",
    "takedown_reported": """
select t.*,
  case when t.outcome = 'removed' and t.outcome_at is not null
       then round(julianday(t.outcome_at) - julianday(t.reported_at), 6) end as days_to_removal,
  round(julianday('now') - julianday(t.reported_at), 6) as days_since_report
from (
  select takedown_reports.*,
    row_number() over (partition by listing_id order by reported_at, report_id) as nth
  from takedown_reports
) t
where t.nth = 1
""",
    "relisted_listings": """
select r.marketplace, r.removed_listing_id, a.title as removed_title, a.removed_at,
  r.relisted_as, b.title as relisted_title, b.first_seen as relisted_first_seen, r.seller_id,
  r.similarity
from relistings r
left join listings a on a.id = r.removed_listing_id
left join listings b on b.id = r.relisted_as
""",
    "takedown_figures": """
with ranked as (
  select marketplace, days_to_removal as d,
    row_number() over (partition by marketplace order by days_to_removal) as rn,
    count(*) over (partition by marketplace) as n
  from takedown_reported where days_to_removal is not null
),
med as (
  select marketplace, avg(d) as m from ranked where rn in ((n + 1) / 2, (n + 2) / 2)
  group by marketplace
),
rel as (
  select marketplace, count(distinct removed_listing_id) as k from relistings group by marketplace
),
per as (
  select marketplace,
    count(*) as reported,
    sum(outcome = 'removed') as removed,
    sum(days_since_report >= 7) as due_7,
    sum(days_since_report >= 7 and not coalesce(outcome = 'removed' and days_to_removal <= 7, 0))
      as online_7,
    sum(days_since_report >= 30) as due_30,
    sum(days_since_report >= 30 and not coalesce(outcome = 'removed' and days_to_removal <= 30, 0))
      as online_30
  from takedown_reported group by marketplace
)
select m.name as marketplace,
  coalesce(per.reported, 0) as listings_reported,
  coalesce(per.removed, 0) as removed_after_report,
  round(med.m, 6) as median_days_to_removal,
  coalesce(per.due_7, 0) as reported_7_days_ago,
  coalesce(per.online_7, 0) as still_online_after_7_days,
  coalesce(per.due_30, 0) as reported_30_days_ago,
  coalesce(per.online_30, 0) as still_online_after_30_days,
  coalesce(rel.k, 0) as relisted
from marketplaces m
left join per on per.marketplace = m.name
left join med on med.marketplace = m.name
left join rel on rel.marketplace = m.name
""",
}


def ensure_views(db: sqlite_utils.Database) -> None:
    """Create (or update, when their SQL changed) the take-down views and ``relistings``."""
    if not db["relistings"].exists():
        db["relistings"].create(
            {
                "removed_listing_id": str,
                "relisted_as": str,
                "marketplace": str,
                "seller_id": str,
                "similarity": float,
                "detected_at": str,
            },
            pk=("removed_listing_id", "relisted_as"),
        )
    current = {
        name: sql
        for name, sql in db.execute("select name, sql from sqlite_master where type='view'")
    }
    for name, body in VIEWS.items():
        sql = f"CREATE VIEW {name} AS {body.strip()}"
        if current.get(name) == sql:
            continue
        with write_transaction(db):
            db.execute(f"DROP VIEW IF EXISTS {name}")
            db.execute(sql)


# --- relistings ---------------------------------------------------------------------------

_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


def title_key(title: str | None) -> str:
    """Comparison form of a title: NFKC, case-folded, punctuation and emoji dropped."""
    text = unicodedata.normalize("NFKC", title or "").casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


def title_similarity(a: str | None, b: str | None) -> float:
    """0..1: how alike two listing titles are once normalised (1.0 = the same words)."""
    ka, kb = title_key(a), title_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    return difflib.SequenceMatcher(None, ka, kb, autojunk=False).ratio()


def find_relistings(
    removed: list[dict], candidates: list[dict], threshold: float = RELIST_SIMILARITY
) -> list[dict]:
    """Pairs (removed listing, later listing of the same seller with a near-identical title).

    Rows carry ``id``, ``seller_id``, ``title`` and ``removed_at`` (removed) or
    ``first_seen`` (candidates). A candidate must have appeared at or after the removal.
    """
    by_seller: dict[str, list[dict]] = {}
    for c in candidates:
        if c.get("seller_id"):
            by_seller.setdefault(c["seller_id"], []).append(c)
    pairs = []
    for r in removed:
        for c in by_seller.get(r.get("seller_id") or "", ()):
            if c["id"] == r["id"] or (c.get("first_seen") or "") < (r.get("removed_at") or ""):
                continue
            score = title_similarity(r.get("title"), c.get("title"))
            if score >= threshold:
                pairs.append(
                    {
                        "removed_listing_id": r["id"],
                        "relisted_as": c["id"],
                        "seller_id": r["seller_id"],
                        "similarity": round(score, 3),
                    }
                )
    return pairs


def refresh_relistings(db: sqlite_utils.Database) -> int:
    """Recompute the ``relistings`` table from the listings; return how many pairs it holds."""
    ensure_views(db)
    removed = list(
        db.query(
            f"select id, marketplace, seller_id, title, removed_at from listings "
            f"where status in {_GONE} and seller_id is not null and removed_at is not null"
        )
    )
    rows = []
    for market in sorted({r["marketplace"] for r in removed}):
        candidates = list(
            db.query(
                "select id, seller_id, title, first_seen from listings where marketplace = ? "
                "and seller_id in (select seller_id from listings where marketplace = ? and status in "
                f"{_GONE})",
                [market, market],
            )
        )
        mine = [r for r in removed if r["marketplace"] == market]
        for pair in find_relistings(mine, candidates):
            rows.append({**pair, "marketplace": market, "detected_at": utcnow()})
    with write_transaction(db):  # a savepoint of the caller's, never a commit of it
        db.execute("delete from relistings")
        if rows:
            db["relistings"].insert_all(rows, pk=("removed_listing_id", "relisted_as"))
    return len(rows)
