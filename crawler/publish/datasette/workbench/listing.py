"""What the listing page (``templates/row.html``) shows of one listing, first things first."""

from __future__ import annotations

import datetime as dt

from crawler.publish.datasette.workbench import OUTCOMES, VERDICTS
from crawler.publish.datasette.workbench.queries import highlight, title_spans

# The facts a monitor reads first; every other column is folded away on the page.
FACTS = (
    "title",
    "price_text",
    "price_usd",
    "status",
    "risk",
    "relevance",
    "explanation",
    "seller_id",
    "first_seen",
    "last_seen",
)


async def _rows(db, sql: str, params: list) -> list[dict]:
    return [dict(r) for r in (await db.execute(sql, params)).rows]


async def listing_page(datasette, database: str, listing_id: str) -> dict:
    db = datasette.get_database(database)
    found = await _rows(
        db,
        "select l.*, coalesce(m.title, l.marketplace) as platform, "
        "coalesce(s.name, s.handle) as seller_name, s.profile_url as seller_url, "
        "(select count(*) from listings o where o.seller_id = l.seller_id and o.flagged = 1 "
        "and o.id != l.id) as seller_other_flagged "
        "from listings l left join marketplaces m on m.name = l.marketplace "
        "left join sellers s on s.id = l.seller_id where l.id = ?",
        [listing_id],
    )
    if not found:
        return {}
    listing = found[0]
    spans = await title_spans(db, [listing_id])
    from datasette.utils import tilde_encode

    return {
        "listing": listing,
        "seller_href": datasette.urls.table(database, "sellers")
        + "/"
        + tilde_encode(listing["seller_id"] or ""),
        "title_html": highlight(listing["title"], spans.get(listing_id, [])),
        "evidence": await _rows(
            db,
            "select id, kind, sha256, bytes, captured_at, url from evidence "
            "where listing_id = ? order by captured_at desc, id desc",
            [listing_id],
        ),
        "observations": await _rows(
            db,
            "select crawl_id, seen_at, price, currency, price_usd, title, status "
            "from observations where listing_id = ? order by seen_at desc, crawl_id desc",
            [listing_id],
        ),
        "reviews": await _rows(
            db,
            "select verdict, note, reviewer, reviewed_at from reviews "
            "where listing_id = ? order by id desc",
            [listing_id],
        ),
        "reports": await _rows(
            db,
            "select id, reported_at, platform, channel, reference, reported_by, outcome, "
            "outcome_at from reports where listing_id = ? order by id desc",
            [listing_id],
        ),
        "verdicts": VERDICTS,
        "outcomes": OUTCOMES,
        "today": dt.datetime.now(dt.timezone.utc).date().isoformat(),
    }
