"""Datasette plugin of the internal instance (loaded with ``--plugins-dir``).

- Anonymous visitors to any forbidden page are sent to the login page
  (datasette-auth-passwords' ``/-/login``) instead of a bare 403.
- ``/-/evidence/<database>/<id>`` serves an evidence file to logged-in users
  only; stored paths are relative to the database's folder (plugin setting
  ``base_dir``) and must resolve inside the evidence folder (``evidence_dir``) and HTML captures are sandboxed so a captured page's
  scripts never run on our origin.
- Templates get ``listing_evidence(database, listing_id)`` and
  ``listing_reviews(database, listing_id)`` for the listing page.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import quote

from datasette import hookimpl
from datasette.utils.asgi import Forbidden, NotFound, Response

PLUGIN = "wildcrawl"


@hookimpl
def forbidden(datasette, request, message):
    if request.actor is None:
        return Response.redirect(datasette.urls.path("/-/login") + "?next=" + quote(request.path))
    return None


@hookimpl
def register_routes():
    return [(r"^/-/evidence/(?P<database>[^/]+)/(?P<id>\d+)$", evidence_file)]


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
    async def listing_evidence(database: str, listing_id: str) -> list[dict]:
        db = datasette.get_database(database)
        if not await db.table_exists("evidence"):
            return []
        result = await db.execute(
            "select id, kind, sha256, bytes, captured_at, url from evidence "
            "where listing_id = ? order by captured_at desc, id desc",
            [listing_id],
        )
        return [dict(r) for r in result.rows]

    async def listing_reviews(database: str, listing_id: str) -> list[dict]:
        db = datasette.get_database(database)
        if not await db.table_exists("reviews"):
            return []
        result = await db.execute(
            "select verdict, note, reviewer, reviewed_at from reviews "
            "where listing_id = ? order by id desc",
            [listing_id],
        )
        return [dict(r) for r in result.rows]

    return {"listing_evidence": listing_evidence, "listing_reviews": listing_reviews}
