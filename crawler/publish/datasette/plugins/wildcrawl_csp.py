"""Content-Security-Policy for both Datasette instances (internal and public release).

Self-contained (imports only Datasette): the public release copies this file into its
``plugins/`` folder, which ``datasette package`` / ``publish`` copy into an image.

Scripts run only from the instance's own origin (``script-src 'self'``) plus the inline
scripts that Datasette and its installed plugins write themselves: each allowed by the
SHA-256 of its exact text, taken from their template files at start-up (a script that a
listing title, a config or a keyword smuggled into a page has no allowed hash and does not
run). The one exception is the internal instance's dashboards (``/-/dashboards``, logged-in
monitors only): Vega needs inline chart specs and ``eval``.

It also answers 404, not 500 with a traceback in the log, for what Datasette 0.65 fails on
when asked for something that does not exist: a POST to an address that is not a writable
query (``AssertionError: You may only POST to a canned query``) and an id too large for
SQLite (``OverflowError``).
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import re
from functools import lru_cache
from pathlib import Path

from datasette import hookimpl
from datasette.utils.asgi import Response

_INLINE = re.compile(r"<script(?:\s+type=\"(?:text/javascript|module)\")?>(.*?)</script>", re.S)
_PACKAGES = ("datasette", "datasette_leaflet", "datasette_auth_passwords", "datasette_dashboards")
BASE = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
DASHBOARD_SCRIPTS = "script-src 'self' 'unsafe-inline' 'unsafe-eval'"


def _sha(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
    return f"'sha256-{digest}'"


@lru_cache(maxsize=1)
def static_scripts() -> tuple[str, ...]:
    """Inline scripts without template code in Datasette's and its plugins' templates."""
    found = {"DATASETTE_ALLOW_FACET = true;", "DATASETTE_ALLOW_FACET = false;"}
    for name in _PACKAGES:
        try:
            folder = Path(importlib.import_module(name).__file__).parent / "templates"
        except ImportError:
            continue
        for path in folder.rglob("*.html"):
            for body in _INLINE.findall(path.read_text(encoding="utf-8")):
                if "{{" not in body and "{%" not in body and body.strip():
                    found.add(body)
    return tuple(sorted(found))


def policy(path: str, body_scripts: tuple[str, ...] = ()) -> str:
    """The Content-Security-Policy header value for a page at ``path``."""
    if path.startswith("/-/dashboards"):
        return f"{BASE}; {DASHBOARD_SCRIPTS}"
    hashes = " ".join(_sha(s) for s in (*static_scripts(), *body_scripts))
    return f"{BASE}; script-src 'self' {hashes}"


@hookimpl
def asgi_wrapper(datasette):
    body_scripts: list[str] = []
    try:  # datasette-leaflet writes one fixed script (its asset URLs) into every page
        from datasette_leaflet import extra_body_script

        script = extra_body_script(datasette)
        if isinstance(script, str):
            body_scripts.append(script)
    except Exception:  # noqa: BLE001 - not installed, or another version: its script is blocked
        pass

    def wrap(app):
        async def with_csp(scope, receive, send):
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            header = policy(scope.get("path", ""), tuple(body_scripts)).encode("latin-1")

            async def send_with_csp(event):
                if event["type"] == "http.response.start":
                    old = event.get("headers", [])
                    mine = (b"content-security-policy", b"x-content-type-options")
                    headers = [(k, v) for k, v in old if k.lower() not in mine]
                    # Evidence files set their own stricter policy ("sandbox"): keep it.
                    own = [v for k, v in old if k.lower() == b"content-security-policy"]
                    headers.append((b"content-security-policy", own[0] if own else header))
                    headers.append((b"x-content-type-options", b"nosniff"))
                    event = {**event, "headers": headers}
                await send(event)

            await app(scope, receive, send_with_csp)

        return with_csp

    return wrap


@hookimpl
def handle_exception(datasette, request, exception):
    not_found = isinstance(exception, OverflowError) or (
        isinstance(exception, AssertionError) and request is not None and request.method == "POST"
    )
    if not not_found:
        return None

    async def inner():
        return Response.html(
            await datasette.render_template(
                "error.html",
                {"ok": False, "error": "Not found", "status": 404, "title": "Not found"},
                request=request,
            ),
            status=404,
        )

    return inner
