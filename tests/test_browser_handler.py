"""crawler.browser.handler: browser pages navigate without a Python route, resources are
blocked inside Chromium, the crawl's identity still goes with every request.

Crawls of the demo JS market served at the median web page's weight (crawler.demo.weight:
24 scripts, 3 extra stylesheets, 2 web fonts, 18 images of ~58 KB per page), in a real
Chromium, read through the demo server's request log.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
import sqlite_utils

from crawler.demo.catalogue import search_catalogue
from crawler.demo.server import DemoServer
from crawler.demo.weight import ALMANAC_2024
from crawler.settings import USER_AGENT
from tests.conftest import crawl_stat, run_cli

SITE = "demo-jsmarket"
KEYWORD = "tusk"


@pytest.fixture(scope="module")
def heavy_site():
    with DemoServer(ports={SITE: 0}, sites=[SITE], weight=ALMANAC_2024) as server:
        yield server


def _crawl(server, db: Path, *settings: str, config: str = SITE, env: dict | None = None) -> str:
    server.clear_log()
    args = ["crawl", config, "--db", str(db), "-k", KEYWORD, "--base-url",
            f"{SITE}={server.base_url(SITE)}", "-s", "WILDCRAWL_EVIDENCE=False",
            "-s", "WILDCRAWL_PROGRESS=False"]  # fmt: skip
    for setting in settings:
        args += ["-s", setting]
    result = run_cli(*args, timeout=300, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


def _rows(db: Path) -> list[dict]:
    return list(
        sqlite_utils.Database(db).query(
            "select item_id, url, title, description, price_text, price, seller_id, location, "
            "posted_at, status from listings order by item_id"
        )
    )


def _page_requests(log: list) -> list:
    """The navigations of a request log: results and item pages (not their resources)."""
    return [r for r in log if re.fullmatch(r"/(search|item/[a-z0-9]+)", r.path)]


@pytest.fixture(scope="module")
def crawls(heavy_site, tmp_path_factory):
    """The same crawl with direct navigation (the default) and with scrapy-playwright's route."""
    folder = tmp_path_factory.mktemp("handler")
    direct_db, routed_db = folder / "direct.db", folder / "routed.db"
    # Playwright's client logs each of its API calls (page.route, page.goto, ...) to stderr.
    api_log = {"DEBUG": "pw:api"}
    direct_err = _crawl(heavy_site, direct_db, env=api_log)
    direct_log = list(heavy_site.request_log)
    routed_err = _crawl(heavy_site, routed_db, "WILDCRAWL_DIRECT_NAVIGATION=False", env=api_log)
    routed_log = list(heavy_site.request_log)
    return {
        "direct": (direct_db, direct_err, direct_log),
        "routed": (routed_db, routed_err, routed_log),
    }


def test_same_rows_with_and_without_the_route(heavy_site, crawls):
    expected = {i.item_id for i in search_catalogue(heavy_site.catalogue(SITE), KEYWORD)}
    direct, routed = _rows(crawls["direct"][0]), _rows(crawls["routed"][0])
    assert {r["item_id"] for r in direct} == expected and len(expected) >= 3
    assert direct == routed
    assert all(r["posted_at"] and r["description"] for r in direct)  # item pages rendered


def test_pages_navigate_directly_and_resources_never_reach_the_server(heavy_site, crawls):
    db, stderr, log = crawls["direct"]
    pages = len(_page_requests(log))
    assert pages == 1 + len(_rows(db))
    assert crawl_stat(stderr, "wildcrawl/browser/direct_navigations") == pages
    assert "playwright/request_count" not in stderr  # no Python hop per sub-request
    blocked = [
        r.path
        for r in log
        if re.fullmatch(
            r"/static/(w/site\d+|market)\.css|/static/w/font\d+\.woff2|/static/w/img\d+\.png"
            r"|/media/[a-z0-9]+\.png",
            r.path,
        )
    ]
    assert blocked == []  # stylesheets, fonts and images blocked inside Chromium
    # Scripts still run (the pages need them) and come from the browser's cache after the
    # first page of a context: far fewer downloads than pages.
    scripts = [r for r in log if r.path == "/static/w/lib0.js"]
    assert 1 <= len(scripts) < pages / 2


def _api_calls(stderr: str, call: str) -> int:
    return stderr.count(f"pw:api => {call} started")


def test_direct_pages_never_get_a_route(crawls):
    # Not set then removed either: each route change switches the page's request interception
    # and HTTP cache in the browser (docs/performance-log.md, "No route on direct pages").
    db, stderr, _log = crawls["direct"]
    assert _api_calls(stderr, "Page.goto") == 1 + len(_rows(db))
    assert _api_calls(stderr, "Page.route") == 0 and _api_calls(stderr, "Page.unroute") == 0
    _db, routed, _log = crawls["routed"]
    assert _api_calls(routed, "Page.route") >= _api_calls(routed, "Page.goto") > 0


def test_detail_pages_read_from_their_json_do_not_wait_for_load(crawls):
    """No wait for ``load`` on a detail page read from its JSON: scrapy-playwright waited
    after every page method, and answers_first's own wait (Playwright's waiter, three
    messages to the driver) is the page's load event now. (Playwright's log does not show
    its internal calls: the headers of each response of a navigation and the TLS details of
    an HTTP page, no longer asked for, are counted in the commit that stopped them.)"""
    db, stderr, _log = crawls["direct"]
    assert len(_rows(db)) >= 3
    assert crawl_stat(stderr, "wildcrawl/browser/served_html") == len(_rows(db))
    # The results page only: scrapy-playwright's wait after each of its (at most 4) methods.
    assert stderr.count("Page.wait_for_load_state succeeded") <= 4


def test_the_route_when_switched_off_aborts_in_python_and_loads_scripts_every_page(crawls):
    db, stderr, log = crawls["routed"]
    pages = 1 + len(_rows(db))
    assert "wildcrawl/browser/direct_navigations" not in stderr
    assert crawl_stat(stderr, "playwright/request_count/aborted") >= pages * 4  # 4 stylesheets each
    assert len([r for r in log if r.path == "/static/w/lib0.js"]) == pages  # no HTTP cache


def test_identity_and_referer_go_with_the_browser_requests(crawls):
    _db, _stderr, log = crawls["direct"]
    page_requests = _page_requests(log)
    others = [r for r in log if r.path.startswith(("/api/", "/static/"))]
    assert page_requests and others
    assert {r.user_agent for r in page_requests + others} == {USER_AGENT}
    results = [r for r in page_requests if r.path == "/search"]
    items = [r for r in page_requests if r.path.startswith("/item/")]
    assert results[0].referer == ""
    assert items and all(r.referer.endswith(results[0].target) for r in items)


def test_a_marketplace_that_keeps_its_resources_gets_them(heavy_site, tmp_path):
    """browser.block_resources: false: nothing is blocked (the browser is launched with images)."""
    import yaml

    from crawler.config import MARKETPLACES_DIR

    data = yaml.safe_load((MARKETPLACES_DIR / f"{SITE}.yaml").read_text(encoding="utf-8"))
    data["browser"]["block_resources"] = False
    config = tmp_path / f"{SITE}.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _crawl(heavy_site, tmp_path / "keep.db", config=str(config))
    paths = {r.path for r in heavy_site.request_log}
    assert {"/static/w/site0.css", "/static/w/font0.woff2", "/static/w/img0.png"} <= paths
    assert any(p.startswith("/media/") for p in paths)


def test_a_script_that_holds_back_the_load_event_does_not_hold_a_detail_page(heavy_site):
    """A slow third-party script (async) delays a page's ``load`` event; the page's JSON is
    in long before, and ``api_capture.answers_first`` reads it then: it waits for the first
    answer or ``load``, whichever comes first, not for ``load``."""
    import asyncio
    import time

    from playwright.async_api import async_playwright

    from crawler.browser import api_capture
    from crawler.browser.block import block_resources
    from crawler.browser.launch import crawl_launch_options
    from crawler.config import load_marketplace
    from crawler.fetch.api import capture_pattern

    config = load_marketplace(SITE)
    item = search_catalogue(heavy_site.catalogue(SITE), KEYWORD)[0].item_id
    url = f"{heavy_site.base_url(SITE)}/item/{item}"

    class Request:
        def __init__(self):
            self.meta = {api_capture.CAPTURE_META: capture_pattern(config.api.detail.url)}

    async def read() -> tuple:
        async with async_playwright() as p:
            browser = await p.chromium.launch(**crawl_launch_options())
            page = await browser.new_page()
            await block_resources(page)
            await api_capture.start(page, Request())
            started = time.monotonic()
            await page.goto(url, wait_until="domcontentloaded")
            answers = await api_capture.answers_first(page, config.browser.detail_wait_for, 3_000)
            seconds = time.monotonic() - started
            state = await page.evaluate("document.readyState")
            served = api_capture.served_html(page)
            await browser.close()
            return answers, seconds, state, served

    heavy_site.set_fault(SITE, "slow", delay=6, path="/static/w/lib0.js")  # an async script
    try:
        answers, seconds, state, served = asyncio.run(read())
    finally:
        heavy_site.clear_faults(SITE)
    assert served and [a["status"] for a in answers] == [200]
    assert api_capture.answer_json(answers[0])[0]["id"] == item
    assert state != "complete"  # the load event had not come
    assert seconds < 3  # well before the 6 s script (and the 3 s the method may wait)


@pytest.mark.parametrize(
    ("log_level", "user_level", "expected"),
    [
        ("INFO", None, logging.INFO),  # the crawl's default: no per-request page logging
        ("WARNING", None, logging.WARNING),
        ("DEBUG", None, logging.NOTSET),  # debug output asked for: scrapy-playwright logs it
        ("INFO", logging.DEBUG, logging.DEBUG),  # a level the user set stays
    ],
)
def test_page_request_logging_follows_the_log_level(log_level, user_level, expected):
    # scrapy-playwright subscribes every page to a debug line per request and response when its
    # logger's effective level allows it, each asking the driver for a header first; Scrapy
    # leaves loggers at NOTSET, so it always did, for lines LOG_LEVEL=INFO then dropped.
    from scrapy.settings import Settings

    from crawler.browser.handler import quiet_page_logs

    logger, root = logging.getLogger("scrapy-playwright"), logging.getLogger()
    saved = logger.level, root.level
    try:
        root.setLevel(logging.NOTSET)  # as Scrapy leaves it (its handler filters)
        logger.setLevel(user_level or logging.NOTSET)
        quiet_page_logs(Settings({"LOG_LEVEL": log_level}))
        assert logger.level == expected
        # scrapy-playwright's own test before it subscribes a page's loggers:
        subscribes = logger.getEffectiveLevel() <= logging.DEBUG
        assert subscribes == (log_level == "DEBUG" or user_level == logging.DEBUG)
        if user_level is None:  # a later crawl of the process at DEBUG gets its lines back
            quiet_page_logs(Settings({"LOG_LEVEL": "DEBUG"}))
            assert logger.level == logging.NOTSET
    finally:
        logger.setLevel(saved[0])
        root.setLevel(saved[1])
        logger.__dict__.pop("_wildcrawl_level", None)
