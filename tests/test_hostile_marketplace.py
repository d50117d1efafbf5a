"""A hostile marketplace, crawled, served to monitors and published (issue 20).

A local site whose cards carry scripts and event handlers in every field, ``javascript:``
links, NUL bytes, invalid UTF-8, a 1 MB title and impossible prices. Every listing is kept,
no impossible price is stored as a number, and no script runs in a real Chromium on any
page of the internal instance or of the public release.
"""

from __future__ import annotations

import html
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlite_utils
from test_datasette_browser import _login, both_instances

from crawler.browser.launch import find_chromium
from crawler.publish.release import publish
from tests.conftest import run_cli

pytestmark = pytest.mark.browser

# Each payload both opens a dialog and sets a flag, so a script that ran is seen either way.
SCRIPT = "<script>window.__pwned=1;alert('pwned-script')</script>"
IMG = "<img src=x onerror=\"window.__pwned=1;alert('pwned-img')\">"
SVG = "<svg onload=\"window.__pwned=1;alert('pwned-svg')\">"
ATTR = '" onmouseover="window.__pwned=1" x="'
JS_LINK = "javascript:window.__pwned=1;alert('pwned-link')"

CONFIG = """\
name: hostile
title: "Hostile <script>alert('pwned-config')</script>"
base_url: http://127.0.0.1:1
languages: [en]
currency: EUR
render: http
search: {url: "/search?q={keyword}&page={page}", max_pages: 1}
listings:
  item: "div.ad"
  fields:
    item_id: "::attr(data-id)"
    url: "a.title::attr(href)"
    title: "a.title"
    price_text: ".price"
    location: ".where"
detail:
  fields:
    description: "#desc"
    seller_name: ".seller"
    seller_url: ".seller::attr(href)"
politeness: {download_delay: 0.0, concurrency: 4, obey_robots: true}
"""

# (title, price as shown, link): each card a different attack.
CARDS = [
    (f"Ivory carving {SCRIPT}", "120 €", "/ad/0"),
    (f"Rhino horn cup {IMG}", "1e308 €", "/ad/1"),
    (f"Tiger claw {SVG}", "-5 €", "/ad/2"),
    (f"Pangolin scales {ATTR}", "123456789012345678901234567 €", "/ad/3"),
    ("Ivory bangle, link is a script", "80 €", JS_LINK),
    ("Ivory netsuke \x00 with a NUL", "90 €", "/ad/5"),
    ("Ivory " + "long title " * 100_000, "70 €", "/ad/6"),  # about 1 MB
    ("Ivory beads, invalid UTF-8 follows: ", "60 €", "/ad/7"),
    ("Shark fin, data link", "50 €", "data:text/html,<script>alert('pwned-data')</script>"),
]
INVALID_UTF8 = b"\xff\xfe\xc3\x28"


def _card(i: int, title: str, price: str, link: str) -> bytes:
    text = html.escape(title).encode("utf-8")
    if i == 7:
        text += INVALID_UTF8
    return (
        f'<div class="ad" data-id="{i}"><a class="title" href="{html.escape(link)}">'.encode()
        + text
        + f'</a><span class="price">{html.escape(price)}</span>'
        f'<span class="where">{html.escape(SCRIPT)} Berlin</span></div>'.encode()
    )


def _detail(i: int) -> bytes:
    return (
        f'<div id="desc">Genuine old piece {i} {html.escape(SCRIPT)} {html.escape(IMG)} '
        f'WeChat: pwn{i}x</div><a class="seller" href="/user/{i}">'
        f"{html.escape(SVG)} seller{i}</a>"
    ).encode()


class _Site(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/ad/"):
            body = _detail(int(path.rsplit("/", 1)[-1]))
        elif path == "/search":
            body = b"".join(_card(i, *card) for i, card in enumerate(CARDS))
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"<html><body>" + body + b"</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    if not find_chromium():
        pytest.skip("no Chromium found (install Debian's chromium or run playwright install)")
    root = tmp_path_factory.mktemp("hostile")
    site = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    config = root / "hostile.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    db_path = root / "wc.db"
    result = run_cli(
        "crawl",
        str(config),
        "--db",
        str(db_path),
        "-k",
        "ivory",
        "--base-url",
        f"hostile=http://127.0.0.1:{site.server_address[1]}",
        "-s",
        "WILDCRAWL_EVIDENCE=False",
        "-s",
        "WILDCRAWL_PROGRESS=False",
        "--model",
        "none",
    )
    site.shutdown()
    release = publish(db_path, root / "public", key=bytes(32))
    with both_instances(db_path, release.out_dir, root) as (internal_base, public_base):
        yield {
            "crawl": result,
            "db": db_path,
            "release": release,
            "internal": internal_base,
            "public": public_base,
        }


def test_every_hostile_listing_is_kept(hostile):
    result = hostile["crawl"]
    assert result.returncode == 0, result.stderr[-3000:]
    db = sqlite_utils.Database(hostile["db"])
    rows = {r["item_id"]: r for r in db.query("select * from listings")}
    assert sorted(rows, key=int) == [str(i) for i in range(len(CARDS))]
    assert "\x00" not in rows["5"]["title"]
    assert len(rows["6"]["title"]) > 500_000
    assert not rows["4"]["url"].startswith("javascript:")
    assert not rows["8"]["url"].startswith("data:")
    crawl = next(db.query("select status, error_kinds from crawls"))
    assert crawl["status"] == "finished" and "bad_link" in crawl["error_kinds"]


def test_no_impossible_price_is_stored_as_a_number(hostile):
    db = sqlite_utils.Database(hostile["db"])
    prices = {r["item_id"]: r for r in db.query("select item_id, price, price_kind from listings")}
    for item in ("1", "2", "3"):  # 1e308, -5, 27 digits
        assert prices[item]["price"] is None and prices[item]["price_kind"] == "impossible"
    assert prices["0"]["price"] == 120


HOVER_ALL = """() => {
    for (const el of document.querySelectorAll('*'))
        for (const type of ['mouseover', 'mouseenter', 'mousemove', 'focus'])
            el.dispatchEvent(new MouseEvent(type, {bubbles: true}));
}"""


def _visit(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    # Every element gets the pointer events an injected handler would wait for (an inline
    # handler runs for a dispatched event as for a real hover, and CSP blocks both alike).
    page.evaluate(HOVER_ALL)
    flag = page.evaluate("() => window.__pwned === undefined ? null : window.__pwned")
    assert flag is None, f"a script ran on {url}"
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))], url


def _pages(base: str, database: str, db_path, release: bool) -> list[str]:
    db = sqlite_utils.Database(db_path)
    ids = [r[0] for r in db.execute("select id from listings")]
    quote = lambda i: urllib.parse.quote(i.replace(":", "~3A"), safe="~")  # noqa: E731
    urls = [
        f"{base}/",
        f"{base}/{database}",
        f"{base}/{database}/listings",
        f"{base}/{database}/listings?_search=ivory",
        f"{base}/{database}/sellers",
        f"{base}/{database}/marketplaces",
        f"{base}/{database}/crawls",
    ]
    urls += [f"{base}/{database}/listings/{quote(i)}" for i in ids]
    if not release:
        urls += [
            f"{base}/{database}/review_queue?verdict=",
            f"{base}/{database}/flagged_newest",
            f"{base}/-/dashboards/monitor",
        ]
    return urls


def test_no_script_runs_on_any_page_of_either_instance(hostile, browser):
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _login(page, hostile["internal"])
    db_name = hostile["db"].stem
    for url in _pages(hostile["internal"], db_name, hostile["db"], release=False):
        _visit(page, url)
    release = hostile["release"]
    for url in _pages(hostile["public"], release.db_path.stem, release.db_path, release=True):
        _visit(page, url)
    context.close()
    assert dialogs == []
