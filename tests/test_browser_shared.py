"""One Chromium for a crawl of several browser marketplaces (crawler.browser.provider): two
crawlers of one process, each with its own download handlers and browser contexts, share one
Playwright driver and one browser; a cookie one site sets is not sent to the other; a killed
browser is relaunched once and counted by both crawls."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from crawler.browser.launch import find_chromium

ROOT = Path(__file__).resolve().parents[1]

PAGE = """<!doctype html><html><body><main id="out"></main><script>
setTimeout(function () {
  var out = document.getElementById("out");
  out.textContent = "page " + location.pathname + " cookies [" + document.cookie + "]";
  out.setAttribute("data-ready", "1");
}, 10);
</script></body></html>"""


class _Site(BaseHTTPRequestHandler):
    """A site on its own port: each page sets a cookie named after the port; every request's
    Cookie header is kept."""

    seen: ClassVar[list[tuple[int, str, str]]] = []

    def do_GET(self):
        port = self.server.server_address[1]
        _Site.seen.append((port, self.path, self.headers.get("Cookie") or ""))
        ok = self.path.startswith("/p/")
        body = PAGE.encode() if ok else b"not found"
        self.send_response(200 if ok else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if ok:
            self.send_header("Set-Cookie", f"site{port}=1; Path=/")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def two_sites():
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), _Site) for _ in range(2)]
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    _Site.seen.clear()
    yield [s.server_address[1] for s in servers]
    for server in servers:
        server.shutdown()
        server.server_close()


# Two crawlers in one CrawlerProcess, with the project's settings (the download handler and
# browser provider of every wildcrawl crawl), as ``wildcrawl crawl A B`` builds them. Site B
# starts once site A's first page has set its cookie; the browser is killed once both sites
# have rendered two pages.
CRAWL_SCRIPT = r"""
import asyncio, json, sys
import psutil, scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings
from scrapy_playwright.page import PageMethod

from crawler.browser.provider import browsers_launched

PORTS, PAGES, OUT = [int(p) for p in sys.argv[1].split(",")], int(sys.argv[2]), sys.argv[3]
seen = {"pages": {}, "browser_processes": [], "drivers": [], "killed": 0}
started = {}


def browser_processes():
    mains, drivers = [], []
    for p in psutil.Process().children(recursive=True):
        try:
            cmd = " ".join(p.cmdline())
        except psutil.Error:
            continue
        if "--remote-debugging-pipe" in cmd and "--type=" not in cmd:
            mains.append(p)
        if "run-driver" in cmd:
            drivers.append(p)
    return mains, drivers


class Site(scrapy.Spider):
    name = "site"
    custom_settings = {"ROBOTSTXT_OBEY": False, "ITEM_PIPELINES": {}, "LOG_LEVEL": "WARNING",
                       "EXTENSIONS": {"crawler.browser.watch.BrowserWatch": 510},
                       "CONCURRENT_REQUESTS": 1, "DOWNLOAD_DELAY": 0.2,
                       "RANDOMIZE_DOWNLOAD_DELAY": False}

    def __init__(self, port, first, **kw):
        super().__init__(**kw)
        self.port, self.first = port, first
        seen["pages"][str(port)] = []

    async def start(self):
        if not self.first:  # after the first site's cookie is set in its context
            while not seen["pages"][str(PORTS[0])]:
                await asyncio.sleep(0.05)
        for i in range(PAGES):
            yield scrapy.Request(f"http://127.0.0.1:{self.port}/p/{i}", meta={
                "playwright": True, "playwright_context": "same-name",
                "playwright_page_methods": [PageMethod("wait_for_selector", "#out[data-ready]")],
            })

    def parse(self, response):
        seen["pages"][str(self.port)].append(response.css("#out::text").get())
        mains, drivers = browser_processes()
        seen["browser_processes"].append(len(mains))
        seen["drivers"].append(len(drivers))
        if not seen["killed"] and all(len(v) >= 2 for v in seen["pages"].values()):
            for p in mains:
                p.kill()
            seen["killed"] = len(mains)
            seen["killed_at"] = len(seen["drivers"])


process = CrawlerProcess(get_project_settings())
crawlers = []
for n, port in enumerate(PORTS):
    crawler = process.create_crawler(Site)
    crawlers.append(crawler)
    process.crawl(crawler, port=port, first=(n == 0))
process.start()
seen["launched"] = browsers_launched()
seen["stats"] = [{k: v for k, v in c.stats.get_stats().items() if isinstance(v, int)}
                 for c in crawlers]
seen["left"] = len(browser_processes()[0])
with open(OUT, "w") as f:
    json.dump(seen, f)
"""


@pytest.mark.browser
def test_two_browser_crawls_share_one_chromium_with_isolated_contexts(two_sites, tmp_path):
    if not find_chromium():
        pytest.skip("no Chromium found (install Debian's chromium or run playwright install)")
    script, out = tmp_path / "crawl_two.py", tmp_path / "seen.json"
    script.write_text(CRAWL_SCRIPT)
    pages = 6
    port_a, port_b = two_sites
    proc = subprocess.run(
        [sys.executable, str(script), f"{port_a},{port_b}", str(pages), str(out)],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "PYTHONPATH": str(ROOT)},  # this checkout's crawler, not another's
    )
    assert proc.returncode == 0 and out.exists(), proc.stderr[-3000:]
    seen = json.loads(out.read_text())
    # Every page of both sites rendered, the browser's kill notwithstanding.
    for port in (port_a, port_b):
        rendered = sorted(t.split(" cookies")[0] for t in seen["pages"][str(port)])
        assert rendered == sorted(f"page /p/{i}" for i in range(pages)), seen["pages"]
    # Never more than one Chromium, one driver at every page of both crawls (before: one
    # browser each). A page parsed between the kill and the relaunch sees none; the killed
    # browser's driver may still be exiting when the relaunch starts its own (a page then
    # sees two, once), and is gone by the end.
    assert max(seen["browser_processes"]) == 1, seen["browser_processes"]
    assert seen["browser_processes"][:2] == [1, 1], seen["browser_processes"]
    drivers, killed_at = seen["drivers"], seen["killed_at"]
    assert set(drivers[:killed_at]) == {1}, drivers
    assert max(drivers) <= 2 and drivers[-1] == 1, drivers
    assert seen["killed"] == 1
    # Killed once, relaunched once (not once per crawl), counted by each crawl, closed at the end.
    assert seen["launched"] == 2
    for stats in seen["stats"]:
        assert stats["wildcrawl/errors/browser_disconnected"] == 1, stats
    assert seen["left"] == 0
    # Contexts stay per marketplace: site A's cookie (same host, other port) never reaches B,
    # while A's own later pages send it back.
    a_cookie, b_cookie = f"site{port_a}=1", f"site{port_b}=1"
    a_requests = [c for port, path, c in _Site.seen if port == port_a and path.startswith("/p/")]
    b_requests = [c for port, path, c in _Site.seen if port == port_b and path.startswith("/p/")]
    assert len(b_requests) >= pages and len(a_requests) >= pages
    assert any(a_cookie in c for c in a_requests[1:])
    assert not any(a_cookie in c for c in b_requests), b_requests
    assert any(b_cookie in c for c in b_requests[1:])
    assert not any(b_cookie in c for c in a_requests), a_requests
