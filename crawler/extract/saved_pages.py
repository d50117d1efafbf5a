"""Serve saved pages at their original paths from a local HTTP server.

Golden tests and ``wildcrawl try`` crawl a saved marketplace page exactly as
the site served it: same path, same bytes (legacy encodings included), from a
stdlib ``ThreadingHTTPServer`` on 127.0.0.1 and a free port, in a thread.

A route is ``"/path"`` or ``"/path?query"``; a request matches the route with
its exact path and query first, then the first route with the same path, so
``/sch/i.html?_nkw=ivory&_pgn=1`` is answered by the page saved at
``/sch/i.html?_nkw=nike+shoes``.
Anything else is a 404 (``robots.txt`` included: everything is allowed).
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import unquote, urlsplit

DEFAULT_CONTENT_TYPE = "text/html"  # no charset: the page (or the config) decides, as on the site


def _route_key(path_and_query: str) -> tuple[str, str]:
    parts = urlsplit(path_and_query)
    return unquote(parts.path or "/"), parts.query


class SavedPages:
    """A local server answering each route with one saved file's bytes.

    >>> with SavedPages({"/sch/i.html": "ebay.html"}) as site:   # doctest: +SKIP
    ...     site.base_url   # http://127.0.0.1:PORT
    """

    def __init__(
        self,
        routes: dict[str, str | Path],
        host: str = "127.0.0.1",
        port: int = 0,
        content_type: str = DEFAULT_CONTENT_TYPE,
    ):
        self.routes: dict[tuple[str, str], Path] = {}
        for route, file in routes.items():
            path = Path(file)
            if not path.is_file():
                raise FileNotFoundError(f"saved page not found: {path}")
            self.routes[_route_key(route)] = path
        self.content_type = content_type
        self.requests: list[str] = []  # every path asked for, in order (tests read it)
        self._server = ThreadingHTTPServer((host, port), self._handler())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append(self.path)
                file = site.lookup(self.path)
                if file is None:
                    self.send_error(404)
                    return
                body = file.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", site.content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

        return Handler

    def lookup(self, path_and_query: str) -> Path | None:
        """The saved file answering a request path, or None."""
        path, query = _route_key(path_and_query)
        exact = self.routes.get((path, query))
        if exact is not None:
            return exact
        return next((file for (p, _), file in self.routes.items() if p == path), None)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, route: str) -> str:
        return self.base_url + route

    def start(self) -> Self:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
