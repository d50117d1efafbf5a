"""Datasette plugin of the internal instance (loaded with ``--plugins-dir``).

- Anonymous visitors to any forbidden page are sent to the login page
  (datasette-auth-passwords' ``/-/login``) instead of a bare 403; anonymous requests
  for data (``.json``, ``.csv``, ``Accept: application/json``) get 401 instead, so a
  script without a token never mistakes the login page for data.
- ``/-/evidence/<database>/<id>`` serves an evidence file to logged-in users
  only; stored paths are relative to the database's folder (plugin setting
  ``base_dir``) and must resolve inside the evidence folder (``evidence_dir``) and HTML
  captures are sandboxed so a captured page's scripts never run on our origin.
- The monitor's workbench (``crawler.publish.datasette.workbench``): ``/`` (home),
  ``/-/review``, ``/-/report``, ``/-/report/outcome``, ``/-/reports`` and the review
  page's script ``/-/wildcrawl/review.js``.
- Templates get ``listing_page(database, listing_id)`` (evidence, history, reviews,
  reports of a listing) for the listing page.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import quote

from datasette import hookimpl
from datasette.utils.asgi import Forbidden, NotFound, Response

from crawler.publish.datasette.workbench import home, listing, reports, review

PLUGIN = "wildcrawl"
STATIC = Path(home.__file__).parent / "static"
DATA_SUFFIXES = (".json", ".csv", ".db")


def wants_data(request) -> bool:
    path = request.path
    return (
        path.endswith(DATA_SUFFIXES)
        or request.args.get("_format") in ("json", "csv")
        or "application/json" in (request.headers.get("accept") or "")
    )


@hookimpl
def forbidden(datasette, request, message):
    if request.actor is None:
        if wants_data(request):
            return Response.json(
                {"ok": False, "error": "log in, or send a token (Authorization: Bearer ...)"},
                status=401,
                headers={"WWW-Authenticate": 'Bearer realm="wildcrawl"'},
            )
        return Response.redirect(datasette.urls.path("/-/login") + "?next=" + quote(request.path))
    return None


async def review_js(request):
    return Response(
        (STATIC / "review.js").read_text(encoding="utf-8"),
        content_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "no-cache"},
    )


@hookimpl
def register_routes():
    return [
        (r"^/-/evidence/(?P<database>[^/]+)/(?P<id>\d+)$", evidence_file),
        (r"^/$", home.home_page),
        (r"^/-/review$", review.review_page),
        (r"^/-/report$", reports.report_page),
        (r"^/-/report/outcome$", reports.outcome_post),
        (r"^/-/reports$", reports.open_reports),
        (r"^/-/wildcrawl/review\.js$", review_js),
    ]


async def evidence_file(datasette, request):
    database = request.url_vars["database"]
    if request.actor is None:
        raise Forbidden("log in to see evidence")
    allowed = await datasette.permission_allowed(
        request.actor, "view-table", resource=(database, "evidence"), default=True
    )
    if not allowed:
        raise Forbidden("evidence is not visible to this account")
    try:
        db = datasette.get_database(database)
    except KeyError:
        raise NotFound("no such database") from None
    evidence_id = int(request.url_vars["id"])
    if evidence_id > 2**63 - 1 or not await db.table_exists("evidence"):
        raise NotFound("no such evidence file")
    rows = (await db.execute("select kind, path from evidence where id = ?", [evidence_id])).rows
    config = datasette.plugin_config(PLUGIN) or {}
    folder, base = config.get("evidence_dir"), config.get("base_dir")
    if not rows or not rows[0]["path"] or not folder or not base:
        raise NotFound("no such evidence file")
    # As crawler.casework.evidence stores them: relative to the database's folder, else absolute.
    root = Path(folder).resolve()
    path = (Path(base) / rows[0]["path"]).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotFound("evidence file missing")
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"}
    if not content_type.startswith("image/"):
        # A captured marketplace page must never run as our origin.
        headers["Content-Security-Policy"] = "sandbox"
        content_type = "text/plain; charset=utf-8" if "html" in content_type else content_type
    return Response(path.read_bytes(), content_type=content_type, headers=headers)


@hookimpl
def extra_template_vars(datasette):
    async def listing_page(database: str, listing_id: str) -> dict:
        return await listing.listing_page(datasette, database, listing_id)

    return {"listing_page": listing_page}


@hookimpl
def permission_allowed(actor, action, resource):
    """A script's token reads; recording verdicts and reports needs a monitor's login."""
    if actor and actor.get("token") and action == "view-query" and resource:
        if resource[1].startswith(("mark_", "report_")):
            return False
    return None
