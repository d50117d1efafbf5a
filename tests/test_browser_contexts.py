"""Browser contexts recycled every N pages (crawler.browser.contexts) and the crawl's Chromium
launch (crawler.browser.launch): bookkeeping, the middleware on hand-made requests, and one real
Chromium crawl of a local server."""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.browser.contexts import BrowserContextRecycler, ContextGenerations
from crawler.browser.launch import (
    CRAWL_ARGS,
    DRIVER_NODE_OPTIONS,
    PLAYWRIGHT_DISABLED_FEATURES,
    PLAYWRIGHT_ENABLED_FEATURES,
    find_chromium,
)
from crawler.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


# --- bookkeeping ----------------------------------------------------------------------------


def test_generations_rotate_every_n_pages_and_close_only_idle_retired_ones():
    gens = ContextGenerations(3)
    first = [gens.assign("shop") for _ in range(3)]
    assert first == ["shop#0"] * 3
    assert gens.assign("shop") == "shop#1"  # the 4th page starts generation 1
    assert gens.assign("other") == "other#0"  # names are counted apart
    assert gens.done("shop#0") == []  # two pages of generation 0 still open
    assert gens.done("shop#0") == []
    assert gens.done("shop#1") == []  # generation 1 is current: never closed
    assert gens.done("shop#0") == ["shop#0"]  # the last page of a retired generation
    assert gens.done("shop#0") == []  # closed once only
    assert gens.is_retired_name("shop#0")  # re-created by a late page: close it again
    assert not gens.is_retired_name("shop#1")
    assert not gens.is_retired_name("other#0")
    assert not gens.is_retired_name("unknown#0")


def test_generations_reject_zero_pages():
    with pytest.raises(ValueError, match="pages per context must be >= 1"):
        ContextGenerations(0)


def _recycler(**settings) -> BrowserContextRecycler:
    return BrowserContextRecycler.from_crawler(get_crawler(settings_dict=settings))


def test_middleware_renames_playwright_requests_and_keeps_meta_picklable():
    mw = _recycler(WILDCRAWL_CONTEXT_PAGES=2)
    kwargs = {"user_agent": "ua evidence-capture"}
    requests = [
        Request(
            f"http://127.0.0.1/{i}",
            meta={
                "playwright": True,
                "playwright_context": "ev",
                "playwright_context_kwargs": kwargs,
            },
        )
        for i in range(3)
    ]
    for r in requests:
        mw.process_request(r)
    assert [r.meta["playwright_context"] for r in requests] == ["ev#0", "ev#0", "ev#1"]
    assert all(r.meta["playwright_context_kwargs"] == kwargs for r in requests)
    assert requests[0].meta["wildcrawl_context"] == "ev"
    pickle.dumps(requests[0].meta)  # a Redis frontier pickles meta
    # A retry of a request of the retired generation joins the current one.
    mw.process_exception(requests[0], TimeoutError())
    retry = requests[0].replace()
    mw.process_request(retry)
    assert retry.meta["playwright_context"] == "ev#1"
    # Not a browser request, or one whose page the spider keeps: untouched.
    plain = Request("http://127.0.0.1/plain")
    kept = Request("http://127.0.0.1/k", meta={"playwright": True, "playwright_include_page": True})
    mw.process_request(plain)
    mw.process_request(kept)
    assert "playwright_context" not in plain.meta and "playwright_context" not in kept.meta


def test_middleware_gives_new_generations_the_startup_contexts_kwargs():
    mw = _recycler(PLAYWRIGHT_CONTEXTS={"mobile": {"viewport": {"width": 400, "height": 800}}})
    request = Request(
        "http://127.0.0.1/", meta={"playwright": True, "playwright_context": "mobile"}
    )
    mw.process_request(request)
    assert request.meta["playwright_context"] == "mobile#0"
    assert request.meta["playwright_context_kwargs"] == {"viewport": {"width": 400, "height": 800}}
    persistent = Request(
        "http://127.0.0.1/",
        meta={"playwright": True, "playwright_context_kwargs": {"user_data_dir": "/tmp/x"}},
    )
    mw.process_request(persistent)
    assert "playwright_context" not in persistent.meta


def test_middleware_setting():
    with pytest.raises(NotConfigured):
        _recycler(WILDCRAWL_CONTEXT_PAGES=0)
    with pytest.raises(ConfigError, match=r"^setting WILDCRAWL_CONTEXT_PAGES: expected a whole"):
        _recycler(WILDCRAWL_CONTEXT_PAGES="many")
    with pytest.raises(ConfigError, match="got -5"):
        _recycler(WILDCRAWL_CONTEXT_PAGES=-5)


def test_feature_lists_match_the_installed_playwright():
    """Our --enable-features and --disable-features replace Playwright's (Chromium keeps the last
    of each): they must repeat the installed driver's lists, or a Playwright upgrade would
    silently drop a feature (or turn one back on)."""
    import playwright

    bundle = Path(playwright.__file__).parent / "driver" / "package" / "lib" / "coreBundle.js"
    if not bundle.exists():
        pytest.skip(f"Playwright driver bundle not found at {bundle}")
    source = bundle.read_text()
    for pattern, ours, constant in (
        (
            r"enabledFeatures = \(\) => \[(.*?)\]\.filter",
            PLAYWRIGHT_ENABLED_FEATURES,
            "PLAYWRIGHT_ENABLED_FEATURES",
        ),
        (
            r"disabledFeatures = \[(.*?)\]\.filter",
            PLAYWRIGHT_DISABLED_FEATURES,
            "PLAYWRIGHT_DISABLED_FEATURES",
        ),
    ):
        block = re.search(pattern, source, re.DOTALL)
        assert block, f"Playwright's feature list not found: update {constant}"
        names = set(re.findall(r'"([A-Za-z0-9]+)"', re.sub(r"//[^\n]*", "", block.group(1))))
        assert names == set(ours), constant
    args = " ".join(CRAWL_ARGS)
    assert args.count("--enable-features=") == 1 and args.count("--disable-features=") == 1


# --- a real Chromium crawl --------------------------------------------------------------------

PAGE = """<!doctype html><html><body><main id="out"></main>
<img src="/pixel.png"><script>
setTimeout(function () {
  var out = document.getElementById("out");
  out.textContent = navigator.userAgent + " page " + location.pathname;
  out.setAttribute("data-ready", "1");
}, 10);
</script></body></html>"""


class _Pages(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self):
        _Pages.hits.append(self.path)
        body = PAGE.encode() if self.path.startswith("/p/") else b"not found"
        self.send_response(200 if self.path.startswith("/p/") else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def pages_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


CRAWL_SCRIPT = r"""
import asyncio, json, sys
import psutil, scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings
from scrapy_playwright.page import PageMethod

BASE, PAGES, OUT = sys.argv[1], int(sys.argv[2]), sys.argv[3]
seen = {"pages": [], "contexts": [], "left_open": None, "processes": []}


class Pages(scrapy.Spider):
    name = "pages"
    custom_settings = {"ROBOTSTXT_OBEY": False, "ITEM_PIPELINES": {}, "EXTENSIONS": {},
                       "CONCURRENT_REQUESTS": 4, "DOWNLOAD_DELAY": 0, "LOG_LEVEL": "WARNING",
                       "WILDCRAWL_CONTEXT_PAGES": 3}

    async def start(self):
        for i in range(PAGES):
            yield scrapy.Request(f"{BASE}/p/{i}", meta={
                "playwright": True, "playwright_context": "test",
                "playwright_context_kwargs": {"user_agent": "wc-test-agent"},
                "playwright_page_methods": [PageMethod("wait_for_selector", "#out[data-ready]")],
            })

    def parse(self, response):
        seen["pages"].append(response.css("#out::text").get())
        seen["contexts"].append(response.meta["playwright_context"])
        if not seen["processes"]:
            for p in psutil.Process().children(recursive=True):
                seen["processes"].append(p.cmdline())
                if "run-driver" in p.cmdline():
                    seen["driver_node_options"] = p.environ().get("NODE_OPTIONS")

    @classmethod
    def from_crawler(cls, crawler, *a, **kw):
        spider = super().from_crawler(crawler, *a, **kw)
        crawler.signals.connect(spider.on_closed, signal=scrapy.signals.spider_closed)
        return spider

    async def on_closed(self, spider, reason):
        handlers = self.crawler.engine.downloader.handlers._handlers
        for _ in range(100):  # closing a context is asynchronous: give it up to 5 s
            left = sorted(n for h in handlers.values() for n in getattr(h, "context_wrappers", {}))
            if not left:
                break
            await asyncio.sleep(0.05)
        seen["left_open"] = left
        seen["handlers"] = sorted(s for s, h in handlers.items() if hasattr(h, "context_wrappers"))


process = CrawlerProcess(get_project_settings())
crawler = process.create_crawler(Pages)
process.crawl(crawler)
process.start()
seen["stats"] = {k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, int)}
with open(OUT, "w") as f:
    json.dump(seen, f)
"""


@pytest.mark.browser
def test_real_crawl_recycles_contexts_and_loses_no_page(pages_server, tmp_path):
    if not find_chromium():
        pytest.skip("no Chromium found (install Debian's chromium or run playwright install)")
    script, out = tmp_path / "crawl_pages.py", tmp_path / "seen.json"
    script.write_text(CRAWL_SCRIPT)
    pages = 12
    proc = subprocess.run(
        [sys.executable, str(script), pages_server, str(pages), str(out)],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0 and out.exists(), proc.stderr[-3000:]
    seen = json.loads(out.read_text())
    stats = seen["stats"]
    # Every page rendered, each in a context made with the request's kwargs (user agent).
    assert sorted(seen["pages"]) == sorted(f"wc-test-agent page /p/{i}" for i in range(pages))
    # 12 pages, 3 per generation: generations 0..3, each closed once its pages were done.
    assert sorted(set(seen["contexts"])) == ["test#0", "test#1", "test#2", "test#3"]
    assert stats["wildcrawl/browser/contexts_recycled"] == 4
    assert seen["left_open"] == []
    assert stats["playwright/context_count"] == 4
    # The image: never even requested (crawl_launch_options switches images off in Chromium).
    assert "/pixel.png" not in _Pages.hits and any(h.startswith("/p/") for h in _Pages.hits)
    # The browser started with the crawl's switches, under one Playwright driver although
    # there are two download handlers (http, https); the network service is in-process.
    assert seen["handlers"] == ["http", "https"]
    cmdlines = [" ".join(c) for c in seen["processes"]]
    drivers = [c for c in cmdlines if "run-driver" in c]
    assert len(drivers) == 1, drivers
    if "NODE_OPTIONS" not in os.environ:
        assert seen["driver_node_options"] == DRIVER_NODE_OPTIONS
    browser = [c for c in cmdlines if "--remote-debugging-pipe" in c and "--type=" not in c]
    assert len(browser) == 1, cmdlines
    for arg in CRAWL_ARGS:
        assert arg in browser[0]
    assert not [c for c in cmdlines if "--utility-sub-type=network.mojom.NetworkService" in c]
