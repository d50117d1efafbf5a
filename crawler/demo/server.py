"""One process serving the three demo marketplaces, each on its own port of 127.0.0.1.

    python -m crawler.demo.server                      # ports 8701, 8702, 8703
    python -m crawler.demo.server --port-bazaar 0 --size 10000

In tests::

    with DemoServer(ports={"demo-bazaar": 0, "demo-jsmarket": 0, "demo-tiaozao": 0}) as server:
        url = server.base_url("demo-bazaar")
        ...
        server.hits[("demo-bazaar", "/search?q=ivory&page=1")]

Every request is recorded in ``request_log`` (thread-safe) so tests can count fetches.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import parse_qs, urlsplit

from crawler.demo import channels as demo_channels
from crawler.demo import faults as demo_faults
from crawler.demo.assets import png_response
from crawler.demo.catalogue import DEFAULT_SEED, DEFAULT_SIZE, SITES, DemoListing, generate_site
from crawler.demo.sites import bazaar, channels, jsmarket, tiaozao
from crawler.demo.state import ACTIVE, REMOVED, SOLD, SiteState
from crawler.demo.timeline import apply_day, redesign_html
from crawler.demo.weight import LIGHT, WEIGHTS, PageWeight

_SITE_CLASSES = {
    "demo-bazaar": bazaar.Site,
    "demo-jsmarket": jsmarket.Site,
    "demo-tiaozao": tiaozao.Site,
    "demo-channels": channels.Site,  # a channel source (crawler.demo.channels): asked by name
}


@dataclass(frozen=True)
class RequestRecord:
    """One request a demo site answered."""

    site: str
    method: str
    target: str  # path plus query string, as requested
    path: str
    status: int
    at: float
    user_agent: str = ""
    referer: str = ""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address) -> None:
        # Browsers that block images or navigate away close connections mid-answer: not an error.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def _handler_class(demo: DemoServer, site: str, app) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "DemoMarketplace/1.0"
        protocol_version = "HTTP/1.1"
        # TCP_NODELAY, as web servers set it (nginx's tcp_nodelay): the headers and the body
        # go out in two writes, and with Nagle's algorithm the body waited for the client's
        # delayed ACK of the headers, 40 ms on Linux, on every small answer kept alive.
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            self._answer(send_body=True)

        def do_HEAD(self) -> None:
            self._answer(send_body=False)

        def _answer(self, send_body: bool) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            faults = demo.faults.take(site, self.path)  # crawler.demo.faults
            early = demo_faults.early_answer(faults)
            if early is not None:
                demo._record(site, self.command, self.path, parts.path, early.status, self.headers)
                self._send(early.status, early.content_type, early.body, early.headers, send_body)
                return
            try:
                if parts.path == "/favicon.ico":
                    response = png_response(site)
                else:
                    response = app.handle(parts.path, query)
            except Exception as exc:  # noqa: BLE001 - a page bug must not kill the server thread
                print(f"demo server error on {site} {self.path}: {exc!r}", file=sys.stderr)
                demo._record(site, self.command, self.path, parts.path, 500, self.headers)
                self._send(500, "text/plain; charset=utf-8", b"internal error\n", {}, send_body)
                return
            # Record before answering, so a client that has its response sees it counted.
            demo._record(site, self.command, self.path, parts.path, response.status, self.headers)
            body = response.body
            if demo.states[demo.origin[site]].redesigned and response.content_type.startswith(
                "text/html"
            ):
                body = redesign_html(site, body)
            body = demo_faults.rewrite_body(faults, body, self.path, response.content_type)
            if demo_faults.send_broken(
                self,
                faults,
                response.status,
                response.content_type,
                body,
                response.headers,
                send_body,
            ):
                return
            self._send(response.status, response.content_type, body, response.headers, send_body)

        def _send(self, status, content_type, body, headers, send_body) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if send_body:
                self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:
            if demo.verbose:
                super().log_message(format, *args)

    return Handler


class DemoServer:
    """The three demo marketplaces in one process (threads), one port each."""

    def __init__(
        self,
        ports: dict[str, int] | None = None,
        seed: int = DEFAULT_SEED,
        size: int = DEFAULT_SIZE,
        host: str = "127.0.0.1",
        sites: list[str] | None = None,
        verbose: bool = False,
        weight: PageWeight = LIGHT,
        copies: int = 1,
    ):
        known = {**SITES, **demo_channels.SITES}
        names = list(sites or SITES)
        unknown = sorted((set(names) | set(ports or {})) - set(known))
        if unknown:
            raise ValueError(f"unknown demo site {unknown[0]!r}; sites are: {', '.join(known)}")
        self.host = host
        self.seed = seed
        self.size = size
        self.verbose = verbose
        self.weight = weight  # demo-jsmarket's page weight (crawler.demo.weight)
        self.ports = {name: (ports or {}).get(name, known[name]["port"]) for name in names}
        # Copies of a site (``copies`` > 1: "demo-bazaar-2", ... on free ports) serve the same
        # listings under another name and port: many marketplaces for one crawl to carry.
        self.origin = {name: name for name in names}
        for name in names:
            for n in range(2, copies + 1):
                self.origin[f"{name}-{n}"] = name
                self.ports[f"{name}-{n}"] = 0
        self.states: dict[str, SiteState] = {}
        self._generated: dict[str, list[DemoListing]] = {}
        for name in names:
            if name in demo_channels.SITES:
                sellers, listings = demo_channels.generate_channels(seed, size)
            else:
                sellers, listings = generate_site(name, seed, size)
            self._generated[name] = listings
            self.states[name] = SiteState(name, listings, {s.seller_id: s for s in sellers})
        self.day: int | None = None  # no timeline until set_day
        self.faults = demo_faults.FaultBoard()
        self.request_log: list[RequestRecord] = []
        self._log_lock = threading.Lock()
        self._servers: dict[str, _Server] = {}
        self._threads: list[threading.Thread] = []

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Self:
        """Bind every site's port and serve in background threads."""
        try:
            sites: dict[str, object] = {}
            for name, port in self.ports.items():
                origin = self.origin[name]
                if origin not in sites:
                    kwargs = {"weight": self.weight} if origin == "demo-jsmarket" else {}
                    sites[origin] = _SITE_CLASSES[origin](self.states[origin], **kwargs)
                site = sites[origin]
                handler = _handler_class(self, name, site)
                try:
                    server = _Server((self.host, port), handler)
                except OSError as exc:
                    raise OSError(
                        exc.errno, f"cannot serve {name} on {self.host}:{port}: {exc.strerror}"
                    ) from exc
                self._servers[name] = server
                thread = threading.Thread(
                    target=server.serve_forever,
                    kwargs={"poll_interval": 0.1},
                    name=f"{name}-http",
                    daemon=True,
                )
                thread.start()
                self._threads.append(thread)
        except Exception:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop serving and release the ports."""
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def base_url(self, site: str) -> str:
        """``http://127.0.0.1:<port>`` of a started site (the real port when 0 was asked)."""
        if site not in self._servers:
            raise KeyError(
                f"{site} is not being served (serving: {', '.join(self._servers) or 'nothing'})"
            )
        return f"http://{self.host}:{self._servers[site].server_address[1]}"

    # --- ground truth and world changes ---------------------------------------------------------

    def catalogue(self, site: str) -> list[DemoListing]:
        """Every generated listing of a site (including removed ones)."""
        return list(self.states[site].listings)

    def remove(self, site: str, item_id: str) -> None:
        """Take a listing down: gone from search, detail page says so."""
        self.states[site].set_status(item_id, REMOVED)

    def mark_sold(self, site: str, item_id: str) -> None:
        """Mark a listing sold: still listed, detail page shows the sold notice."""
        self.states[site].set_status(item_id, SOLD)

    def set_day(self, day: int) -> None:
        """Put every site in its state of ``day`` (crawler.demo.timeline); day 1 is the start."""
        if day < 1:
            raise ValueError(f"day must be at least 1, got {day}")
        for name, state in self.states.items():
            apply_day(state, self._generated[name], day)
        self.day = day

    def restore(self, site: str, item_id: str) -> None:
        self.states[site].set_status(item_id, ACTIVE)

    def set_blocked(self, site: str, blocked: bool = True) -> None:
        """Answer pages of ``site`` with a captcha challenge (robots.txt and assets stay up)."""
        self.states[site].blocked = blocked

    def set_fault(self, site: str, kind: str, **params) -> None:
        """Switch a fault mode on for ``site`` (kinds and parameters: crawler.demo.faults)."""
        if site not in self.states:
            raise KeyError(f"{site} is not a site of this server ({', '.join(self.states)})")
        self.faults.set(site, demo_faults.make_fault(kind, **params))

    def clear_faults(self, site: str | None = None) -> None:
        """Switch every fault mode off (of ``site``, or of every site)."""
        self.faults.clear(site)

    # --- request accounting ----------------------------------------------------------------------

    def _record(
        self, site: str, method: str, target: str, path: str, status: int, headers=None
    ) -> None:
        user_agent = (headers.get("User-Agent") or "") if headers is not None else ""
        referer = (headers.get("Referer") or "") if headers is not None else ""
        record = RequestRecord(site, method, target, path, status, time.time(), user_agent, referer)
        with self._log_lock:
            self.request_log.append(record)

    @property
    def hits(self) -> Counter:
        """Requests per ``(site, path-with-query)``, a snapshot."""
        with self._log_lock:
            return Counter((r.site, r.target) for r in self.request_log)

    def count_requests(self, site: str | None = None, prefix: str = "") -> int:
        """How many requests (of ``site``, whose path+query starts with ``prefix``) were served."""
        with self._log_lock:
            return sum(
                1
                for r in self.request_log
                if (site is None or r.site == site) and r.target.startswith(prefix)
            )

    def clear_log(self) -> None:
        with self._log_lock:
            self.request_log.clear()


def main(argv: list[str] | None = None) -> int:
    """Serve the demo marketplaces until Ctrl-C."""
    parser = argparse.ArgumentParser(
        prog="python -m crawler.demo.server",
        description="Serve the three local demo marketplaces (wildcrawl).",
        epilog="example: python -m crawler.demo.server --port-bazaar 9001 --size 10000",
    )
    for name in SITES:
        short = name.removeprefix("demo-")
        parser.add_argument(
            f"--port-{short}",
            type=int,
            default=SITES[name]["port"],
            metavar="N",
            help=f"port of {name} (default {SITES[name]['port']}; 0 picks a free one)",
        )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="catalogue seed")
    parser.add_argument(
        "--size", type=int, default=DEFAULT_SIZE, help="listings per site (default 360)"
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    parser.add_argument(
        "--weight",
        default=LIGHT.name,
        choices=sorted(WEIGHTS),
        help="what demo-jsmarket's pages load besides their listings: light (default) or "
        "the median web page's images, scripts, fonts and CSS (crawler.demo.weight)",
    )
    parser.add_argument(
        "--day",
        type=int,
        help="serve the timeline's day N (crawler.demo.timeline; default: no timeline)",
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="SITE=KIND[:k=v,...]",
        help="switch a fault mode on, e.g. demo-bazaar=http429:retry_after=5 (crawler.demo.faults)",
    )
    args = parser.parse_args(argv)
    try:
        faults = [demo_faults.parse_fault_arg(text) for text in args.fault]
    except (ValueError, TypeError) as exc:
        parser.error(f"--fault: {exc}")
    if args.size < 1:
        parser.error("--size must be at least 1")
    ports = {name: getattr(args, f"port_{name.removeprefix('demo-')}") for name in SITES}
    server = DemoServer(
        ports,
        seed=args.seed,
        size=args.size,
        host=args.host,
        verbose=args.verbose,
        weight=WEIGHTS[args.weight],
    )
    if args.day is not None:
        if args.day < 1:
            parser.error("--day must be at least 1")
        server.set_day(args.day)
    for site, fault in faults:
        if site not in server.states:
            parser.error(f"--fault: unknown demo site {site!r}")
        server.faults.set(site, fault)
    try:
        server.start()
    except OSError as exc:
        print(f"error: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for name in SITES:
        print(
            f"{name:14} {server.base_url(name)}/  ({len(server.catalogue(name))} listings)",
            flush=True,
        )
    print("Serving the demo marketplaces; press Ctrl-C to stop.", flush=True)
    # A shell that starts this in the background (``... &`` in a script) hands it SIGINT
    # ignored, so Python installs no Ctrl-C handler: take SIGINT back, to stop as promised.
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
