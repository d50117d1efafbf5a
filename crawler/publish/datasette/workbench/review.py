"""``/-/review``: one card per flagged listing, verdict buttons, filters (works without JS)."""

from __future__ import annotations

from urllib.parse import urlencode

from datasette.utils.asgi import Response

from crawler.publish.datasette.workbench import (
    VERDICTS,
    actor_id,
    database_name,
    listing_url,
    local_path,
    require_login,
)
from crawler.publish.datasette.workbench.queries import (
    FILTER_CHOICES,
    REVIEW_CARDS,
    WAITING,
    highlight,
    title_spans,
)

FILTERS = ("marketplace", "taxon_group", "verdict")
VERDICT_FILTER = {"waiting": "Waiting for a verdict", **VERDICTS, "": "Any verdict"}
PAGE = 30


def _filters(values) -> dict[str, str]:
    found = {k: (values.get(k) or "").strip() for k in FILTERS}
    if "verdict" not in values:
        found["verdict"] = "waiting"
    return found


async def review_page(datasette, request):
    login = require_login(datasette, request)
    if login:
        return login
    if request.method == "POST":
        return await record_verdict(datasette, request)
    name = database_name(datasette)
    db = datasette.get_database(name)
    filters = _filters(request.args)
    rows = await db.execute(REVIEW_CARDS, {**filters, "limit": PAGE})
    cards = [dict(r) for r in rows.rows]
    spans = await title_spans(db, [c["id"] for c in cards])
    for card in cards:
        card["title_html"] = highlight(card["title"], spans.get(card["id"], []))
        card["href"] = listing_url(datasette, name, card["id"])
        card["seller_href"] = (
            datasette.urls.table(name, "listings")
            + "?"
            + urlencode({"seller_id": card["seller_id"], "flagged": 1})
            if card["seller_id"]
            else None
        )
    choices = {}
    for key, sql in FILTER_CHOICES.items():
        choices[key] = [dict(r) for r in (await db.execute(sql)).rows]
    waiting = (await db.execute(WAITING)).rows[0][0]
    done = request.args.get("done")
    return Response.html(
        await datasette.render_template(
            "wildcrawl_review.html",
            {
                "database": name,
                "cards": cards,
                "filters": filters,
                "choices": choices,
                "verdict_filter": VERDICT_FILTER,
                "verdicts": VERDICTS,
                "waiting": waiting,
                "done": done,
                "done_verdict": VERDICTS.get(request.args.get("verdict_done") or ""),
                "done_href": listing_url(datasette, name, done) if done else None,
            },
            request=request,
        )
    )


async def record_verdict(datasette, request):
    """Insert a review (reviewer = the login) and go back to the queue, or answer JSON."""
    reviewer = actor_id(request)
    form = await request.post_vars()
    listing_id, verdict = form.get("listing_id") or "", form.get("verdict") or ""
    note = (form.get("note") or "").strip()[:2000] or None
    wants_json = "application/json" in (request.headers.get("accept") or "")
    name = database_name(datasette)
    db = datasette.get_database(name)
    exists = (await db.execute("select 1 from listings where id = ?", [listing_id])).rows
    if verdict not in VERDICTS or not exists:
        message = "unknown verdict" if verdict not in VERDICTS else "no such listing"
        if wants_json:
            return Response.json({"ok": False, "error": message}, status=400)
        return Response.text(message, status=400)
    await db.execute_write(
        "insert into reviews (listing_id, verdict, note, reviewer, reviewed_at) "
        "values (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        [listing_id, verdict, note, reviewer],
    )
    if wants_json:
        return Response.json({"ok": True, "listing_id": listing_id, "verdict": verdict})
    back_to = local_path(form.get("next"))
    if back_to:  # the listing page
        return Response.redirect(back_to)
    # The queue's filters come back as f_<name> (``verdict`` is the button's value).
    back = {k: form.get(f"f_{k}") or "" for k in FILTERS if f"f_{k}" in form}
    back.update({"done": listing_id, "verdict_done": verdict})
    return Response.redirect(datasette.urls.path("/-/review") + "?" + urlencode(back))
