"""Reports to platforms: the pre-filled report page, outcomes from a choice, open reports."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from datasette.utils.asgi import NotFound, Response

from crawler.publish.datasette.workbench import (
    OUTCOMES,
    actor_id,
    database_name,
    listing_url,
    local_path,
    report_days,
    require_login,
)
from crawler.publish.datasette.workbench.queries import OPEN_REPORTS

CHANNELS = ("report form", "e-mail", "trusted-flagger API", "other")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


async def _listing(db, listing_id: str) -> dict:
    rows = await db.execute(
        "select l.id, l.title, l.url, l.marketplace, l.price_text, l.first_seen, l.explanation, "
        "coalesce(m.title, l.marketplace) as platform from listings l "
        "left join marketplaces m on m.name = l.marketplace where l.id = ?",
        [listing_id],
    )
    if not rows.rows:
        raise NotFound("no such listing")
    return dict(rows.rows[0])


def paste_text(listing: dict, evidence: list[dict]) -> str:
    """The short text a monitor pastes into the platform's report form."""
    lines = [
        "This listing appears to offer a product from a protected wildlife species "
        "(CITES-listed), which may be illegal to trade:",
        listing["url"] or listing["id"],
        f"Title: {listing['title']}",
    ]
    if listing.get("explanation"):
        lines.append(f"Why: {listing['explanation']}")
    if evidence:
        lines.append("Evidence kept (SHA-256):")
        lines += [f"  {e['kind']} {e['captured_at']}: {e['sha256']}" for e in evidence]
    lines.append("Please review and remove it under your prohibited-items policy.")
    return "\n".join(lines)


async def report_page(datasette, request):
    """GET: the pre-filled report of ``listing_id``; POST: record it, back to the listing."""
    login = require_login(datasette, request)
    if login:
        return login
    name = database_name(datasette)
    db = datasette.get_database(name)
    if request.method == "POST":
        reporter = actor_id(request)
        form = await request.post_vars()
        listing = await _listing(db, form.get("listing_id") or "")
        channel = form.get("channel") if form.get("channel") in CHANNELS else "other"
        await db.execute_write(
            "insert into reports (listing_id, reported_at, platform, channel, reference, "
            "reported_by) values (?, ?, ?, ?, ?, ?)",
            [
                listing["id"],
                _now(),
                (form.get("platform") or listing["platform"]).strip()[:200],
                channel,
                (form.get("reference") or "").strip()[:200] or None,
                reporter,
            ],
        )
        return Response.redirect(listing_url(datasette, name, listing["id"]) + "#reports")
    listing = await _listing(db, request.args.get("listing_id") or "")
    evidence = [
        dict(r)
        for r in (
            await db.execute(
                "select kind, sha256, captured_at from evidence where listing_id = ? "
                "order by captured_at, id",
                [listing["id"]],
            )
        ).rows
    ]
    return Response.html(
        await datasette.render_template(
            "wildcrawl_report.html",
            {
                "database": name,
                "listing": listing,
                "listing_href": listing_url(datasette, name, listing["id"]),
                "evidence": evidence,
                "paste": paste_text(listing, evidence),
                "channels": CHANNELS,
            },
            request=request,
        )
    )


def outcome_time(day: str, reported_at: str, today: dt.date | None = None) -> str:
    """The stored time of an outcome observed on ``day`` (YYYY-MM-DD); ValueError when the
    day is not a date, is before the report or is in the future."""
    try:
        date = dt.date.fromisoformat(day)
    except (TypeError, ValueError):
        raise ValueError("give the date the outcome was seen (YYYY-MM-DD)") from None
    today = today or dt.datetime.now(dt.timezone.utc).date()
    if date.isoformat() < (reported_at or "")[:10]:
        raise ValueError(f"the outcome cannot be dated before the report ({reported_at[:10]})")
    if date > today:
        raise ValueError("the outcome cannot be dated in the future")
    if date == today:
        return max(_now(), reported_at)
    return max(f"{date.isoformat()}T12:00:00Z", reported_at)


async def outcome_post(datasette, request):
    """POST ``/-/report/outcome``: the outcome chosen and its date; back to ``next``."""
    login = require_login(datasette, request)
    if login:
        return login
    actor_id(request)
    if request.method != "POST":
        return Response.redirect(datasette.urls.path("/-/reports"))
    form = await request.post_vars()
    name = database_name(datasette)
    db = datasette.get_database(name)
    try:
        report_id = int(form.get("report_id") or "")
    except ValueError:
        raise NotFound("no such report") from None
    rows = (
        await db.execute("select listing_id, reported_at from reports where id = ?", [report_id])
    ).rows
    if not rows:
        raise NotFound("no such report")
    listing_id, reported_at = rows[0]
    outcome = form.get("outcome") or ""
    back = local_path(form.get("next")) or listing_url(datasette, name, listing_id) + "#reports"
    try:
        if outcome not in OUTCOMES:
            raise ValueError("choose an outcome")
        when = outcome_time(form.get("outcome_date") or "", reported_at)
    except ValueError as exc:
        return Response.html(
            await datasette.render_template(
                "wildcrawl_message.html",
                {"title": "Outcome not recorded", "message": str(exc), "back": back},
                request=request,
            ),
            status=400,
        )
    if outcome == "no_answer":  # the report stays open; the crawls go on watching the listing
        values = [None, None, report_id]
    else:
        values = [outcome, when, report_id]
    await db.execute_write("update reports set outcome = ?, outcome_at = ? where id = ?", values)
    return Response.redirect(back)


async def open_reports(datasette, request):
    """GET ``/-/reports``: reports without an answer, oldest first."""
    login = require_login(datasette, request)
    if login:
        return login
    name = database_name(datasette)
    db = datasette.get_database(name)
    reports = [dict(r) for r in (await db.execute(OPEN_REPORTS)).rows]
    for r in reports:
        r["href"] = listing_url(datasette, name, r["listing_id"])
    return Response.html(
        await datasette.render_template(
            "wildcrawl_reports.html",
            {
                "database": name,
                "reports": reports,
                "outcomes": OUTCOMES,
                "today": dt.datetime.now(dt.timezone.utc).date().isoformat(),
                "days": report_days(datasette),
                "next": datasette.urls.path("/-/reports") + "?" + urlencode({"done": 1}),
            },
            request=request,
        )
    )
