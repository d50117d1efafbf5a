"""``/``: the monitor's home, what needs attention now."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from datasette.utils.asgi import Response

from crawler.publish.datasette.workbench import database_name, report_days, require_login
from crawler.publish.datasette.workbench.queries import (
    BAD_CRAWLS,
    NEW_FLAGGED,
    OPEN_REPORTS,
    WAITING,
)


async def home_page(datasette, request):
    login = require_login(datasette, request)
    if login:
        return login
    name = database_name(datasette)
    db = datasette.get_database(name)
    listings = datasette.urls.table(name, "listings")
    since = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    new_flagged = [
        {
            "marketplace": r["marketplace"],
            "n": r["n"],
            "href": listings
            + "?"
            + urlencode({"flagged": 1, "marketplace": r["marketplace"], "first_seen__gte": since}),
        }
        for r in (await db.execute(NEW_FLAGGED, {"since": since})).rows
    ]
    crawls = [
        {**dict(r), "href": datasette.urls.table(name, "crawls") + f"/{r['id']}"}
        for r in (await db.execute(BAD_CRAWLS)).rows
    ]
    days = report_days(datasette)
    old_reports = [
        dict(r) for r in (await db.execute(OPEN_REPORTS)).rows if (r["days"] or 0) > days
    ]
    return Response.html(
        await datasette.render_template(
            "wildcrawl_home.html",
            {
                "database": name,
                "waiting": (await db.execute(WAITING)).rows[0][0],
                "new_flagged": new_flagged,
                "since": since[:16].replace("T", " "),
                "bad_crawls": crawls,
                "old_reports": old_reports,
                "days": days,
                "listings_href": listings,
            },
            request=request,
        )
    )
