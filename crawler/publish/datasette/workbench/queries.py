"""The SQL of the monitor's pages (read-only; the writes are in ``review`` and ``reports``)."""

from __future__ import annotations

from markupsafe import Markup, escape

LATEST_REVIEW = (
    "left join reviews r on r.id = (select max(id) from reviews r2 where r2.listing_id = l.id)"
)

# One card per flagged listing: waiting for a verdict first; among them the ones the
# relevance model is least sure about (relevance nearest 0.5), then by risk.
REVIEW_CARDS = f"""
select l.id, l.marketplace, coalesce(m.title, l.marketplace) as marketplace_title, l.url,
  l.title, l.price_text, l.price_usd, l.currency, l.risk, l.relevance, l.model,
  l.explanation, l.first_seen, l.last_seen, l.status, l.seller_id,
  coalesce(s.name, s.handle, l.seller_id) as seller,
  (select count(*) from listings o
    where o.seller_id = l.seller_id and o.flagged = 1 and o.id != l.id) as seller_other_flagged,
  r.verdict, r.reviewer, r.reviewed_at, r.note,
  (select e.id from evidence e where e.listing_id = l.id and e.kind = 'screenshot'
    order by e.captured_at desc, e.id desc limit 1) as screenshot_id
from listings l
left join marketplaces m on m.name = l.marketplace
left join sellers s on s.id = l.seller_id
{LATEST_REVIEW}
where l.flagged = 1
  and (:marketplace = '' or l.marketplace = :marketplace)
  and (:verdict = '' or coalesce(r.verdict, 'waiting') = :verdict)
  and (:taxon_group = '' or exists (
    select 1 from matches mt join taxa t on t.id = mt.taxon_id
    where mt.listing_id = l.id and t.taxon_group = :taxon_group))
order by r.id is not null,
  case when l.relevance is not null then abs(l.relevance - 0.5)
       else 0.5 + (1 - coalesce(l.risk, 0)) / 2 end,
  l.risk desc, l.first_seen desc, l.id
limit :limit
"""

WAITING = f"select count(*) from listings l {LATEST_REVIEW} where l.flagged = 1 and r.id is null"

NEW_FLAGGED = """
select marketplace, count(*) as n from listings
where flagged = 1 and first_seen >= :since
group by marketplace order by n desc, marketplace
"""

# The latest crawl of each marketplace that failed, broke, was interrupted, or found nothing.
BAD_CRAWLS = """
select c.id, c.marketplace, c.status, c.started_at, c.message, c.listings_seen
from crawls c
where c.id = (select max(id) from crawls c2 where c2.marketplace = c.marketplace)
  and (c.status in ('failed', 'broken', 'interrupted')
       or (c.status = 'finished' and coalesce(c.listings_seen, 0) = 0))
order by c.started_at desc
"""

OPEN_REPORTS = """
select p.id, p.listing_id, p.reported_at, p.platform, p.channel, p.reference, p.reported_by,
  p.outcome, p.outcome_at, l.title, l.status as listing_status, l.url,
  cast(julianday('now') - julianday(p.reported_at) as integer) as days
from reports p left join listings l on l.id = p.listing_id
where coalesce(p.outcome, '') in ('', 'no_answer')
order by p.reported_at, p.id
"""

FILTER_CHOICES = {
    "marketplace": "select name as value, coalesce(title, name) as label from marketplaces "
    "where name in (select marketplace from listings where flagged = 1) order by label",
    "taxon_group": "select distinct taxon_group as value, taxon_group as label from taxa "
    "where taxon_group is not null and id in (select taxon_id from matches) order by 1",
}


def highlight(text: str | None, spans: list[tuple[int, int]]) -> Markup:
    """``text`` escaped, with the character ranges ``spans`` in ``<mark>`` (overlaps merged)."""
    text = text or ""
    merged: list[list[int]] = []
    for start, end in sorted(s for s in spans if s[0] is not None and s[1] is not None):
        start, end = max(0, int(start)), min(len(text), int(end))
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        out.append(escape(text[pos:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


async def title_spans(db, listing_ids: list[str]) -> dict[str, list[tuple[int, int]]]:
    """The matched-term spans in each listing's title."""
    if not listing_ids:
        return {}
    marks = ",".join("?" * len(listing_ids))
    rows = await db.execute(
        f"select listing_id, start, [end] from matches where field = 'title' "
        f"and kind != 'negative' and listing_id in ({marks})",
        listing_ids,
    )
    spans: dict[str, list[tuple[int, int]]] = {}
    for r in rows.rows:
        spans.setdefault(r[0], []).append((r[1], r[2]))
    return spans
