"""Reading a marketplace's JSON API (config ``api:``): config errors, ``render: api`` over plain
HTTP, and ``render: browser`` reading the JSON the rendered page received (issue 8)."""

from __future__ import annotations

import pickle
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import sqlite_utils
import yaml

from crawler.config import MARKETPLACES_DIR, load_config, load_marketplace, parse_config
from crawler.demo.catalogue import search_catalogue
from crawler.demo.server import DemoServer
from crawler.errors import ConfigError
from crawler.fetch import api
from tests.conftest import ROOT, assert_config_error, crawl_stat, run_cli

SITE = "demo-jsmarket"

API_ONLY = """\
name: tiny
title: Tiny market
base_url: http://127.0.0.1:9999
currency: EUR
render: api
search:
  url: "/search?q={keyword}"
api:
  search:
    url: "/api/search?q={keyword}&offset={offset}&limit={limit}"
    page_size: 10
    items: "data.items"
    total: "data.total"
    fields:
      item_id: "id"
      title: "name"
      price_text: "price.text"
  listing_url: "/item/{item_id}"
  detail:
    url: "/api/item/{item_id}"
    fields:
      description: "body"
  removed:
    path: "error == 'removed'"
  sold:
    path: "state == 'sold'"
"""


# --- config ---------------------------------------------------------------------------------


def test_an_api_only_config_needs_no_dom_listings():
    config = parse_config(API_ONLY)
    assert config.render == "api" and config.listings is None
    assert api.search_url(config, "rhino horn", 3) == (
        "http://127.0.0.1:9999/api/search?q=rhino%20horn&offset=20&limit=10"
    )
    assert api.detail_url(config, "a/1") == "http://127.0.0.1:9999/api/item/a%2F1"
    assert config.with_max_pages(7).api.search.max_pages == 7


@pytest.mark.parametrize(
    "change, line, words",
    [
        (("render: api\n", "render: http\n"), 8, "render: http never reads the 'api'"),
        (("api:\n", "bogus:\n"), 8, "unknown key 'bogus'"),
        (('offset={offset}&limit={limit}"', 'offset={offset}"\n    max_pages: 0'), 11, "max_pages"),
        (("q={keyword}&offset", "q=x&offset"), 10, "api.search.url: url template must contain"),
        (("q={keyword}&offset", "q={keyword}&from={start}&offset"), 10, "placeholder: 'start'"),
        (("    page_size: 10\n", ""), 9, "api.search: url uses {offset} or {limit}: give page_"),
        (('items: "data.items"', 'items: "data.[items"'), 12, "items: JMESPath 'data.[items'"),
        (('title: "name"', 'title: "name["'), 16, "title: JMESPath 'name[' does not parse"),
        (('title: "name"', "title: {css: h1}"), 14, "'title' takes a JMESPath (path:), not"),
        (('      title: "name"\n', ""), 14, "api.search.fields: must include 'title'"),
        (('  listing_url: "/item/{item_id}"\n', ""), 8, "include 'url' (the listing's page)"),
        (('url: "/api/item/{item_id}"', 'url: "/api/item/{id}"'), 20, "must contain {item_id}"),
        (("path: \"state == 'sold'\"", 'path: "state == "'), 26, "api.sold.path: JMESPath"),
        (('  search:\n    url: "/api', '  serch:\n    url: "/api'), 9, "unknown key 'serch'"),
    ],
)
def test_api_config_errors_name_file_line_and_problem(tmp_path: Path, change, line, words):
    assert change[0] in API_ONLY
    assert_config_error(tmp_path / "tiny.yaml", API_ONLY.replace(*change), words, line)


def test_render_api_needs_the_section_and_others_need_listings(tmp_path: Path):
    path = tmp_path / "tiny.yaml"
    text = API_ONLY.split("api:\n")[0]
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="render: api needs an 'api' section"):
        load_config(path)
    path.write_text(API_ONLY.replace("render: api", "render: browser"), encoding="utf-8")
    with pytest.raises(ConfigError, match="missing required key 'listings'"):
        load_config(path)


# --- the pure reading functions ----------------------------------------------------------


def test_paging_by_offset_stops_at_total_short_batch_or_max_pages():
    config = parse_config(API_ONLY)
    url = "http://127.0.0.1:9999/api/search?q=x&offset=0&limit=10"
    full = {"data": {"total": 25, "items": [{"id": str(i), "name": "n"} for i in range(10)]}}
    assert api.next_url(config, full, url, "x", 1, 10) == (api.search_url(config, "x", 2), False)
    assert api.next_url(config, full, url, "x", 2, 10) == (api.search_url(config, "x", 3), False)
    assert api.next_url(config, full, url, "x", 3, 10) == (None, False)  # 30 >= total 25
    assert api.next_url(config, {"data": {"items": []}}, url, "x", 1, 9) == (None, False)
    few = config.with_max_pages(2)
    assert api.next_url(few, full, url, "x", 2, 10) == (None, True)  # cut off, and said so
    found = api.api_listings(config, full, url)
    assert [r["url"] for r in found.listings][:2] == [
        "http://127.0.0.1:9999/item/0",
        "http://127.0.0.1:9999/item/1",
    ]
    assert found.missing == {"price_text": 10}


def test_json_states():
    config = parse_config(API_ONLY)
    assert api.api_state(config, 200, {"state": "sold"}) == "sold"
    assert api.api_state(config, 200, {"error": "removed"}) == "removed"
    assert api.api_state(config, 410, None) == "removed"
    assert api.api_state(config, 200, {"state": "active"}) == "ok"
    assert api.parse_json("<html>")[1].startswith("the answer is not JSON")


def test_a_captured_answer_is_parsed_once(monkeypatch):
    # drop_cards (in the browser step) and the spider both read a captured answer as JSON: a
    # "Load more" page's hundreds of answers are parsed the first time only.
    from crawler.browser import api_capture

    calls = []
    monkeypatch.setattr(
        api_capture, "parse_json", lambda body: calls.append(body) or api.parse_json(body)
    )
    good = {"url": "http://x/api?page=2", "status": 200, "body": b'{"items": [{"id": 1}]}'}
    bad = {"url": "http://x/api?page=3", "status": 200, "body": b"<html>"}
    assert api_capture._readable(good) and not api_capture._readable(bad)
    assert api_capture.answer_json(good) == ({"items": [{"id": 1}]}, None)
    assert api_capture.answer_json(bad)[1].startswith("the answer is not JSON")
    assert len(calls) == 2


def test_a_page_keeps_one_capture_listener_whatever_it_serves():
    # Adding or removing a "request" listener is a round trip to Playwright's driver: a reused
    # tab keeps one listener, which reads the pattern of the request the tab serves now.
    import asyncio
    from types import SimpleNamespace

    from crawler.browser import api_capture

    class Tab:
        def __init__(self):
            self.calls = []

        def on(self, event, handler):
            self.calls.append(("on", event))
            if event == "request":
                self.handler = handler

        def remove_listener(self, event, handler):
            self.calls.append(("remove", event))

    def sub_request(url):
        async def response():
            return None

        return SimpleNamespace(url=url, method="GET", failure="gone", response=response)

    async def serve() -> tuple[list, list]:
        tab, got = Tab(), []
        for pattern, url in (
            (r"/api/item/1$", "http://x/api/item/1"),
            (r"/api/item/2$", "http://x/api/item/1"),  # not this page's
            (None, "http://x/api/item/2"),
        ):
            meta = {api_capture.CAPTURE_META: pattern} if pattern else {}
            await api_capture.start(tab, SimpleNamespace(meta=meta))
            tab.handler(sub_request(url))
            got.append([a["url"] for a in await api_capture.collect(tab, 1000)])
        return tab.calls, got

    calls, got = asyncio.run(serve())
    # "load" is not one of the events Playwright's client subscribes to (no driver message).
    assert calls == [("on", "load"), ("on", "request")]
    assert got == [["http://x/api/item/1"], [], []]


def test_requests_stay_picklable_for_the_redis_frontier():
    from crawler.fleet.redis_frontier import dumps, loads
    from spiders.marketplace import MarketplaceSpider

    browser = MarketplaceSpider(marketplace=load_marketplace(SITE), keywords=["ivory"])
    config = load_marketplace(SITE).model_copy(update={"render": "api"})
    over_http = MarketplaceSpider(marketplace=config, keywords=["ivory"])
    listing = {"item_id": "abc", "url": "http://127.0.0.1:8702/item/abc", "title": "t"}
    for spider in (browser, over_http):
        for request in (spider.search_request("ivory", 1), spider.detail_request(listing)):
            back = loads(dumps(request.to_dict(spider=spider)))
            assert pickle.dumps(back)
    request = over_http.detail_request(listing)
    assert request.url == "http://127.0.0.1:8702/api/item/abc"
    assert request.meta["listing"]["url"] == listing["url"]  # the page for people stays


# --- crawls of the demo JS market ------------------------------------------------------------

KEYWORDS = ["horn", "tusk"]  # 31 listings (two "Load more" batches) + 3


@pytest.fixture(scope="module")
def site():
    with DemoServer(ports={SITE: 0}, sites=[SITE]) as server:
        yield server


def _config(tmp_path: Path, name: str, render: str, **api_changes) -> str:
    data = yaml.safe_load((MARKETPLACES_DIR / f"{SITE}.yaml").read_text(encoding="utf-8"))
    data["render"] = render
    for section, values in api_changes.items():
        data["api"][section] = {**data["api"][section], **values}
    folder = tmp_path / name
    folder.mkdir()
    path = folder / f"{SITE}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def _args(site, config: str, db: Path, evidence: bool) -> list[str]:
    return [
        "crawl", config, "--db", str(db), "-k", ",".join(KEYWORDS), "--max-pages", "50",
        "--base-url", f"{SITE}={site.base_url(SITE)}",
        "-s", f"WILDCRAWL_EVIDENCE={evidence}", "-s", "WILDCRAWL_PROGRESS=False",
    ]  # fmt: skip


def _crawl(site, config: str, db: Path, evidence: bool = False) -> str:
    result = run_cli(*_args(site, config, db, evidence), timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


COLUMNS = (
    "item_id", "url", "title", "description", "price_text", "price", "seller_id", "location",
    "posted_at", "image_url", "status",
)  # fmt: skip


def _rows(db: Path) -> dict[str, dict]:
    rows = sqlite_utils.Database(db).query(
        f"select {', '.join(COLUMNS)} from listings where marketplace = ?", [SITE]
    )
    return {r["item_id"]: r for r in rows}


def _truth(site) -> dict[str, dict]:
    base = site.base_url(SITE)
    out = {}
    for kw in KEYWORDS:
        for i in search_catalogue(site.catalogue(SITE), kw):
            out[i.item_id] = {
                "url": f"{base}/item/{i.item_id}",
                "title": i.title,
                "description": " ".join(i.description.split()),
                "price_text": i.price_text,
                "seller_id": f"{SITE}:{i.seller_id}",
                "location": i.location,
                "posted_at": i.posted_at,
            }
    return out


def _chromium_seen(proc: subprocess.Popen) -> bool:
    seen = False
    while proc.poll() is None:
        try:
            children = psutil.Process(proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            break
        for child in children:
            try:
                seen = seen or "chrom" in child.name().lower()
            except psutil.NoSuchProcess:
                pass
        time.sleep(0.02)
    return seen


def test_render_api_crawls_the_endpoints_and_stores_what_the_pages_show(site, tmp_path):
    config = _config(tmp_path, "api", "api")
    db = tmp_path / "api.db"
    truth = _truth(site)

    # 1. Evidence on: the crawl reads JSON over HTTP; flagged listings are still captured in
    #    the browser from their page for people.
    before = site.count_requests(SITE)
    stderr = _crawl(site, config, db, evidence=True)
    rows = _rows(db)
    assert set(rows) == set(truth)
    for item_id, want in truth.items():
        got = {k: rows[item_id][k] for k in want}
        assert got == want, item_id
    assert all(r["status"] == "active" for r in rows.values())
    log = site.request_log[before:]
    assert not any(r.path.startswith("/search") for r in log)  # no results page rendered
    assert crawl_stat(stderr, "wildcrawl/pages/results") == 3  # horn: 24 + 7, tusk: 3
    # Item pages for people were opened only to capture evidence of flagged listings, after
    # the crawl (the queue is empty again).
    pages = [r for r in log if r.path.startswith("/item/")]
    queued = crawl_stat(stderr, "wildcrawl/evidence/queued")
    assert 1 <= len(pages) == queued
    assert f"{queued} evidence screenshots in " in stderr
    shots = list(sqlite_utils.Database(db).query("select url, kind from evidence"))
    assert sum(r["kind"] == "screenshot" for r in shots) == queued
    assert {r["url"] for r in shots} <= {r["url"] for r in rows.values()}

    # 2. One listing taken down, one sold; evidence off: no browser at all. The removed one
    #    is gone from the search and re-checked at its detail endpoint.
    horn = sorted(i.item_id for i in search_catalogue(site.catalogue(SITE), "horn"))
    gone, sold = horn[0], horn[1]
    site.remove(SITE, gone)
    site.mark_sold(SITE, sold)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", *_args(site, config, db, False)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            chromium = _chromium_seen(proc)
            _, stderr = proc.communicate(timeout=300)
        finally:
            if proc.poll() is None:
                proc.kill()
    finally:
        site.restore(SITE, gone)
        site.restore(SITE, sold)
    assert proc.returncode == 0, stderr[-3000:]
    assert not chromium
    assert "playwright/" not in stderr  # scrapy-playwright's handler never loaded
    rows = _rows(db)
    assert rows[gone]["status"] == "removed"
    assert rows[sold]["status"] == "sold"
    assert crawl_stat(stderr, "wildcrawl/recheck/removed") == 1


def test_browser_reads_the_json_the_page_received_and_falls_back_to_the_dom(site, tmp_path):
    captured_db, dom_db = tmp_path / "captured.db", tmp_path / "dom.db"
    stderr = _crawl(site, _config(tmp_path, "browser", "browser"), captured_db)
    assert crawl_stat(stderr, "wildcrawl/api/captured/results") == len(KEYWORDS)
    assert crawl_stat(stderr, "wildcrawl/api/captured_answers/results") == 3  # every batch
    truth = _truth(site)
    assert crawl_stat(stderr, "wildcrawl/api/captured/detail") == len(truth)
    assert "wildcrawl/api/dom_fallback" not in stderr
    # Detail pages were read from their JSON once it was in, without waiting for the DOM.
    assert crawl_stat(stderr, "wildcrawl/browser/served_html") == len(truth)

    # Capture patterns that match nothing: every page is read from the DOM, and counted.
    never = {"capture": "^never$"}
    fallback = _config(tmp_path, "dom", "browser", search=never, detail=never)
    stderr = _crawl(site, fallback, dom_db)
    assert crawl_stat(stderr, "wildcrawl/api/dom_fallback/results") == len(KEYWORDS)
    assert crawl_stat(stderr, "wildcrawl/api/dom_fallback/detail") == len(truth)
    assert "wildcrawl/api/captured/" not in stderr
    assert "wildcrawl/browser/served_html" not in stderr

    from_json, from_dom = _rows(captured_db), _rows(dom_db)
    assert set(from_json) == set(truth)
    assert from_json == from_dom


def _run_watching_chromium(site, config: str, db: Path) -> tuple[str, bool]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", *_args(site, config, db, False)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    chromium = _chromium_seen(proc)
    stderr = proc.communicate(timeout=300)[1]
    assert proc.returncode == 0, stderr[-3000:]
    return stderr, chromium


def test_auto_moves_to_the_json_endpoints_before_the_browser_and_remembers(site, tmp_path):
    """render: auto with an api section: the empty static pages send each page kind to its
    JSON endpoint over HTTP (no browser), and the next crawl goes there directly."""
    config, db = _config(tmp_path, "auto", "auto"), tmp_path / "auto.db"
    truth = _truth(site)
    before = len(site.request_log)
    stderr, chromium = _run_watching_chromium(site, config, db)
    assert not chromium
    rows = _rows(db)
    assert set(rows) == set(truth)
    for item_id, want in truth.items():
        assert {k: rows[item_id][k] for k in want} == want, item_id
    assert "'wildcrawl/auto/decision/results': 'api'" in stderr
    assert "'wildcrawl/auto/decision/detail': 'api'" in stderr
    assert "browser_fallback" not in stderr
    decisions = {
        r["page_kind"]: r["render"] for r in sqlite_utils.Database(db)["render_decisions"].rows
    }
    assert decisions == {"results": "api", "detail": "api"}
    first = site.request_log[before:]
    assert any(r.path == "/search" for r in first)  # tried the page for people first

    # Remembered: the next crawl asks the endpoints directly, no page for people at all.
    before = len(site.request_log)
    stderr, chromium = _run_watching_chromium(site, config, db)
    assert not chromium
    again = site.request_log[before:]
    assert not any(r.path == "/search" or r.path.startswith("/item/") for r in again)
    assert any(r.path.startswith("/api/item/") for r in again)
    assert "'wildcrawl/auto/remembered/results': 'api'" in stderr
    assert set(_rows(db)) == set(truth)


def test_auto_goes_to_the_browser_when_the_endpoint_does_not_answer_as_described(site, tmp_path):
    """An api section whose items path matches nothing: the results pages go to the browser."""
    config = _config(tmp_path, "autobad", "auto", search={"items": "nothing.here"})
    db = tmp_path / "autobad.db"
    stderr, chromium = _run_watching_chromium(site, config, db)
    assert chromium
    assert "'wildcrawl/auto/decision/results': 'browser'" in stderr
    assert set(_rows(db)) == set(_truth(site))


def test_auto_detail_endpoint_that_answers_nothing_sends_detail_pages_to_the_browser(
    site, tmp_path
):
    nothing = {
        "fields": {
            k: "no.such.path"
            for k in ("description", "seller_name", "seller_url", "location", "posted_at")
        }
    }
    config = _config(tmp_path, "autodetail", "auto", detail=nothing)
    db = tmp_path / "autodetail.db"
    stderr, chromium = _run_watching_chromium(site, config, db)
    assert chromium
    assert "'wildcrawl/auto/decision/results': 'api'" in stderr
    assert "'wildcrawl/auto/decision/detail': 'browser'" in stderr
    rows, truth = _rows(db), _truth(site)
    assert set(rows) == set(truth)
    assert all(rows[i]["posted_at"] == t["posted_at"] for i, t in truth.items())


def test_browser_tabs_are_reused_and_change_nothing_read(site, tmp_path):
    """crawler.browser.pages (WILDCRAWL_REUSE_PAGES, on by default): detail pages reuse the tabs
    of earlier ones, and every 4th use of a tab collects its renderer's garbage; the same rows
    as a crawl with a new tab per request (WILDCRAWL_REUSE_PAGES=False), each page's own JSON
    read once."""
    config = _config(tmp_path, "reuse", "browser")
    reused_db, fresh_db = tmp_path / "reused.db", tmp_path / "fresh.db"
    result = run_cli(*_args(site, config, reused_db, False), timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    stderr = result.stderr
    truth = _truth(site)
    reused = crawl_stat(stderr, "wildcrawl/browser/pages_reused")
    opened = crawl_stat(stderr, "playwright/page_count")
    assert reused >= len(truth) - 8 and opened + reused == len(KEYWORDS) + len(truth)
    # Kept tabs: the detail pages' (results pages close theirs); one collection per 4 uses.
    collections = crawl_stat(stderr, "wildcrawl/browser/garbage_collections")
    assert (len(truth) - 4 * opened) // 4 <= collections <= len(truth) // 4
    assert crawl_stat(stderr, "wildcrawl/api/captured_answers/detail") == len(truth)
    result = run_cli(
        *_args(site, config, fresh_db, False), "-s", "WILDCRAWL_REUSE_PAGES=False", timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "wildcrawl/browser/pages_reused" not in result.stderr
    assert "wildcrawl/browser/garbage_collections" not in result.stderr
    assert crawl_stat(result.stderr, "playwright/page_count") == len(KEYWORDS) + len(truth)
    assert _rows(reused_db) == _rows(fresh_db) and set(_rows(reused_db)) == set(truth)


def test_detail_json_read_without_waiting_for_the_dom_changes_nothing_read(site, tmp_path):
    """``api_capture.answers_first`` (WILDCRAWL_JSON_FIRST, on): a detail page whose JSON is in
    by its load event is read from it, not rendered; the same rows as waiting for the DOM.
    JSON whose detail paths find nothing sends the page round again, its DOM awaited; a
    taken-down page (its endpoint answers 404) is read from its DOM; a sold one from JSON."""
    config = _config(tmp_path, "json-first", "browser")
    waited_db, empty_db = tmp_path / "waited.db", tmp_path / "empty.db"
    truth = _truth(site)
    result = run_cli(
        *_args(site, config, waited_db, False), "-s", "WILDCRAWL_JSON_FIRST=False", timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "wildcrawl/browser/served_html" not in result.stderr
    waited = _rows(waited_db)
    assert set(waited) == set(truth)

    nothing = {"fields": {"description": "nope", "posted_at": "nope.either"}}
    stderr = _crawl(site, _config(tmp_path, "empty", "browser", detail=nothing), empty_db)
    assert crawl_stat(stderr, "wildcrawl/browser/served_html") == len(truth)
    assert crawl_stat(stderr, "wildcrawl/api/dom_refetch/detail") == len(truth)
    assert crawl_stat(stderr, "wildcrawl/api/dom_fallback/detail") == len(truth)
    assert crawl_stat(stderr, "wildcrawl/pages/detail") == len(truth)
    assert _rows(empty_db) == waited

    horn = sorted(i.item_id for i in search_catalogue(site.catalogue(SITE), "horn"))
    gone, sold = horn[0], horn[1]
    site.remove(SITE, gone)
    site.mark_sold(SITE, sold)
    try:
        stderr = _crawl(site, config, waited_db)
    finally:
        site.restore(SITE, gone)
        site.restore(SITE, sold)
    rows = _rows(waited_db)
    assert rows[gone]["status"] == "removed" and rows[sold]["status"] == "sold"
    assert crawl_stat(stderr, "wildcrawl/recheck/removed") == 1
    assert crawl_stat(stderr, "wildcrawl/browser/served_html") == len(truth) - 1
    assert {k: v for k, v in rows.items() if k not in (gone, sold)} == {
        k: v for k, v in waited.items() if k not in (gone, sold)
    }
