"""The monitor's workbench on the internal Datasette: home, review cards, reports (issue 24).

Plain Datasette routes (``register_routes`` in ``plugins/wildcrawl_internal.py``) rendering
templates from ``crawler/publish/datasette/templates/``; every form is a plain POST that
redirects back (CSRF-checked by Datasette, the reviewer taken from the login, never from
the form); ``static/review.js`` only adds keyboard shortcuts and in-page posting.

- ``queries``: the SQL of the pages;
- ``review``: ``/-/review`` (cards, verdicts);
- ``reports``: ``/-/report`` (report a listing), ``/-/report/outcome``, ``/-/reports``;
- ``home``: ``/`` (what needs attention now).
"""

from __future__ import annotations

from urllib.parse import urlencode

from datasette.utils.asgi import Forbidden, Response

PLUGIN = "wildcrawl"
VERDICTS = {
    "confirmed": "Confirmed wildlife",
    "not_wildlife": "Not wildlife",
    "needs_expert": "Needs expert",
}
OUTCOMES = {
    "removed": "Removed",
    "still_online": "Still online",
    "refused": "Refused",
    "no_answer": "No answer yet",
}
REPORT_DAYS = 14  # a report without an answer for longer is shown on the home page


def database_name(datasette) -> str:
    """The internal instance serves one database: its name."""
    names = [n for n in datasette.databases if n != "_internal"]
    if not names:
        raise Forbidden("no database")
    return names[0]


def actor_id(request) -> str:
    """The logged-in account (scripts' tokens may read, not record verdicts)."""
    actor = request.actor or {}
    if not actor.get("id") or actor.get("token"):
        raise Forbidden("log in to record this")
    return str(actor["id"])


def require_login(datasette, request) -> Response | None:
    if request.actor is None:
        return Response.redirect(
            datasette.urls.path("/-/login") + "?" + urlencode({"next": request.full_path})
        )
    return None


def listing_url(datasette, database: str, listing_id: str) -> str:
    from datasette.utils import tilde_encode

    return datasette.urls.table(database, "listings") + "/" + tilde_encode(listing_id)


def report_days(datasette) -> int:
    config = datasette.plugin_config(PLUGIN) or {}
    return int(config.get("report_days") or REPORT_DAYS)


def local_path(url: str | None) -> str | None:
    """``url`` if it is a path on this site (a form's ``next``), else None (no open redirect)."""
    url = url or ""
    if url.startswith("/") and not url.startswith(("//", "/\\")) and "\\" not in url:
        return url
    return None
