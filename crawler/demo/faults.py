"""Fault modes of the demo marketplaces: what a real site does to a crawler at 3 a.m.

Switched per marketplace at run time::

    server.set_fault("demo-bazaar", "http429", retry_after=2, times=1, path="/search")
    server.clear_faults()

or for manual runs: ``python -m crawler.demo.server --fault demo-bazaar=http503:times=3``.

Kinds (``path``: only requests whose path+query starts with it, default every page
but robots.txt, static files and images; ``times``: how many requests it hits, default
forever):

- ``http429``: 429 with ``Retry-After: <retry_after>`` seconds (default 1);
- ``http500`` / ``http503``: a burst of server errors (use ``times`` for N then recovery);
- ``slow``: answer only after ``delay`` seconds (default 5), past a short download timeout;
- ``drop``: send the headers and half the body, then reset the connection;
- ``truncate``: ``Content-Length`` of the whole page, half the body, then close
  (``declared=False``: the cut body with a matching length, a 200 of broken HTML);
- ``trap``: every results page links a next page, forever (an endless pagination trap);
- ``huge``: the page padded to ``mb`` megabytes (default 20);
- ``never_ready``: scripts stripped from HTML pages, so a JS page never renders.
"""

from __future__ import annotations

import re
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

EARLY_KINDS = ("http429", "http500", "http503", "slow")  # act before the page is built
BODY_KINDS = ("trap", "huge", "never_ready")  # rewrite the page
TRANSPORT_KINDS = ("drop", "truncate")  # break the connection
FAULT_KINDS = (*EARLY_KINDS, *BODY_KINDS, *TRANSPORT_KINDS)
_PARAMS = {
    "http429": {"retry_after": float},
    "http500": {},
    "http503": {"retry_after": float},
    "slow": {"delay": float},
    "drop": {},
    "truncate": {"declared": bool},
    "trap": {},
    "huge": {"mb": float},
    "never_ready": {},
}
_EXEMPT_PREFIXES = ("/robots.txt", "/favicon.ico", "/static/", "/media/")
_PAGE_KEYS = ("page", "p")  # the page number in the demo sites' search URLs
_SCRIPT = re.compile(rb"<script\b.*?</script>", re.IGNORECASE | re.DOTALL)


@dataclass
class Fault:
    """One fault switched on for one site."""

    kind: str
    path: str = ""
    times: int | None = None  # requests still to hit; None: every one
    retry_after: float | None = None
    delay: float = 5.0
    mb: float = 20.0
    declared: bool = True
    hits: int = 0

    def applies_to(self, target: str) -> bool:
        """Whether a request for ``target`` (path plus query) falls under this fault."""
        if self.path:
            return target.startswith(self.path)
        return not target.startswith(_EXEMPT_PREFIXES)


@dataclass
class EarlyAnswer:
    """An answer sent instead of the page (429, 500, 503)."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/plain; charset=utf-8"


def make_fault(kind: str, **params) -> Fault:
    """A validated ``Fault``; unknown kinds or parameters raise ``ValueError`` naming them."""
    if kind not in FAULT_KINDS:
        raise ValueError(f"unknown fault {kind!r}; faults are: {', '.join(FAULT_KINDS)}")
    allowed = {"path", "times", *_PARAMS[kind]}
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise ValueError(
            f"fault {kind} takes no {unknown[0]!r} (takes: {', '.join(sorted(allowed))})"
        )
    times = params.get("times")
    if times is not None and int(times) < 1:
        raise ValueError(f"fault {kind}: times must be at least 1, got {times}")
    fault = Fault(kind, **params)
    if kind == "http429" and fault.retry_after is None:
        fault.retry_after = 1.0
    return fault


def parse_fault_arg(text: str) -> tuple[str, Fault]:
    """``SITE=KIND[:name=value,...]`` (the server's ``--fault``) as ``(site, Fault)``."""
    site, sep, spec = text.partition("=")
    if not sep or not site or not spec:
        raise ValueError(f"expected SITE=KIND[:name=value,...], got {text!r}")
    kind, _, rest = spec.partition(":")
    params: dict[str, object] = {}
    for pair in filter(None, rest.split(",")):
        name, eq, value = pair.partition("=")
        if not eq:
            raise ValueError(f"fault parameter {pair!r} is not name=value")
        params[name] = _convert(kind, name, value)
    return site, make_fault(kind, **params)


def _convert(kind: str, name: str, value: str) -> object:
    if name == "path":
        return value
    if name == "times":
        return int(value)
    kind_type = _PARAMS.get(kind, {}).get(name, str)
    if kind_type is bool:
        return value.lower() in ("1", "true", "yes", "on")
    return kind_type(value)


class FaultBoard:
    """The faults switched on, per site; thread-safe (the server answers in threads)."""

    def __init__(self) -> None:
        self._faults: dict[str, list[Fault]] = {}
        self._lock = threading.Lock()

    def set(self, site: str, fault: Fault) -> None:
        """Switch ``fault`` on for ``site`` (it replaces a fault of the same kind)."""
        with self._lock:
            kept = [f for f in self._faults.get(site, []) if f.kind != fault.kind]
            self._faults[site] = [*kept, fault]

    def clear(self, site: str | None = None) -> None:
        """Switch every fault off (of ``site``, or of all sites)."""
        with self._lock:
            if site is None:
                self._faults.clear()
            else:
                self._faults.pop(site, None)

    def active(self, site: str) -> list[Fault]:
        with self._lock:
            return list(self._faults.get(site, []))

    def take(self, site: str, target: str) -> list[Fault]:
        """The faults hitting this request, counting it against their ``times``."""
        hit = []
        with self._lock:
            for fault in self._faults.get(site, []):
                if fault.times is not None and fault.hits >= fault.times:
                    continue
                if fault.applies_to(target):
                    fault.hits += 1
                    hit.append(fault)
        return hit


# --- what the faults do to one answer ---------------------------------------------------------


def early_answer(faults: list[Fault]) -> EarlyAnswer | None:
    """An error answer replacing the page, if a fault asks for one; sleeps for ``slow``."""
    for fault in faults:
        if fault.kind == "slow":
            time.sleep(fault.delay)
    for fault in faults:
        if fault.kind in ("http429", "http500", "http503"):
            status = int(fault.kind.removeprefix("http"))
            headers = {}
            if fault.retry_after is not None:
                headers["Retry-After"] = str(round(fault.retry_after))
            return EarlyAnswer(status, f"demo fault: {status}\n".encode(), headers)
    return None


def next_page_target(target: str) -> str:
    """``target`` with its page number plus one (``page=`` or ``p=``; ``page=2`` when absent)."""
    parts = urlsplit(target)
    query = parse_qsl(parts.query, keep_blank_values=True)
    keys = [k for k, _ in query]
    key = next((k for k in _PAGE_KEYS if k in keys), "page")
    current = next((v for k, v in query if k == key), "1")
    number = int(current) + 1 if current.isdigit() else 2
    query = [(k, v) for k, v in query if k != key] + [(key, str(number))]
    return f"{parts.path}?{urlencode(query)}"


def trap_html(body: bytes, target: str) -> bytes:
    """Add a next-page link (``a[rel=next]``, ``a.next``) to the page following ``target``."""
    href = next_page_target(target).replace("&", "&amp;")
    link = f'<a rel="next" class="next" href="{href}">next</a>'.encode()
    # Remove the page's own next links first, so the trap's link is the one a crawler sees.
    body = re.sub(rb'<a\b[^>]*(?:rel="next"|class="next")[^>]*>.*?</a>', b"", body, flags=re.DOTALL)
    if b"</body>" in body:
        return body.replace(b"</body>", link + b"</body>", 1)
    return body + link


def pad_html(body: bytes, mb: float) -> bytes:
    """The page grown to ``mb`` megabytes by an HTML comment before ``</body>``."""
    missing = int(mb * 1024 * 1024) - len(body) - len(b"<!---->")
    if missing <= 0:
        return body
    padding = b"<!--" + b"x" * missing + b"-->"
    if b"</body>" in body:
        return body.replace(b"</body>", padding + b"</body>", 1)
    return body + padding


def strip_scripts(body: bytes) -> bytes:
    """The page without its scripts: a JS shell that will never render."""
    return _SCRIPT.sub(b"", body)


def rewrite_body(faults: list[Fault], body: bytes, target: str, content_type: str) -> bytes:
    """The page as the body-changing faults (trap, huge, never_ready) make it."""
    if not content_type.startswith("text/html"):
        return body
    for fault in faults:
        if fault.kind == "trap":
            body = trap_html(body, target)
        elif fault.kind == "never_ready":
            body = strip_scripts(body)
    for fault in faults:
        if fault.kind == "huge":
            body = pad_html(body, fault.mb)
    return body


def send_broken(
    handler,
    faults: list[Fault],
    status: int,
    content_type: str,
    body: bytes,
    headers: dict[str, str],
    send_body: bool,
) -> bool:
    """Answer with a dropped or truncated connection if a fault asks for it; True if it did."""
    fault = next((f for f in faults if f.kind in TRANSPORT_KINDS), None)
    if fault is None:
        return False
    half = body[: len(body) // 2]
    declared = len(half) if fault.kind == "truncate" and not fault.declared else len(body)
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(declared))
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    if send_body:
        handler.wfile.write(half)
    handler.wfile.flush()
    handler.close_connection = True
    if fault.kind == "drop":
        # SO_LINGER 0: closing sends a reset, as a crashed proxy or a dropped line does.
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    return True
