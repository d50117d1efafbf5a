"""Tests of crawler.demo.server: the three demo marketplaces over real HTTP on 127.0.0.1.

The marketplace configs in spiders/marketplaces/demo-*.yaml are applied to served
pages with parsel (and, for the JavaScript site, to a page rendered by Chromium),
and what they extract is compared with the generator's ground truth.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urljoin
from urllib.robotparser import RobotFileParser

import pytest
import yaml
from parsel import Selector

from crawler.demo.catalogue import SITES, search_catalogue
from crawler.demo.server import DemoServer

REPO = Path(__file__).resolve().parents[1]
CONFIGS = REPO / "spiders" / "marketplaces"
CHROMIUM = Path("/usr/bin/chromium")
ZERO_PORTS = {name: 0 for name in SITES}


@pytest.fixture(scope="module")
def server():
    with DemoServer(ports=ZERO_PORTS) as demo:
        yield demo


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def page(url: str) -> tuple[int, Selector]:
    status, headers, body = fetch(url)
    assert headers["Content-Type"] == "text/html; charset=utf-8", url
    text = body.decode("utf-8")  # strict: every page is valid UTF-8
    return status, Selector(text=text)


def config(name: str) -> dict:
    return yaml.safe_load((CONFIGS / f"{name}.yaml").read_text(encoding="utf-8"))


def field_value(node: Selector, spec: str | dict) -> str | None:
    """The config schema's field semantics (CSS, ``xpath:``, ``::text``/``::attr``, regex)."""
    regex = None
    if isinstance(spec, dict):
        regex = spec.get("regex")
        spec = spec.get("css") or ("xpath:" + spec["xpath"] if spec.get("xpath") else "")
    found = node.xpath(spec[6:]) if spec.startswith("xpath:") else node.css(spec)
    if "::text" in spec or "::attr" in spec:
        value = " ".join(found.getall())
    else:
        value = " ".join(
            " ".join(f.xpath(".//text()[not(ancestor::script)]").getall()) for f in found
        )
    value = " ".join(value.split())
    if value and regex:
        m = re.search(regex, value)
        value = m.group(1) if m else ""
    return value or None


def extract(name: str, sel: Selector, page_url: str) -> list[dict]:
    spec = config(name)["listings"]
    rows = []
    for node in sel.css(spec["item"]):
        row = {k: field_value(node, v) for k, v in spec["fields"].items()}
        for key in ("url", "seller_url", "image_url"):
            if row.get(key):
                row[key] = urljoin(page_url, row[key])
        rows.append(row)
    return rows


def detail(name: str, sel: Selector) -> dict:
    return {k: field_value(sel, v) for k, v in config(name)["detail"]["fields"].items()}


def assert_head(sel: Selector) -> None:
    assert sel.css("meta[charset]::attr(charset)").get().lower() == "utf-8"
    assert sel.css("title::text").get().strip()
    assert sel.css('meta[name="description"]::attr(content)').get() is not None


# --- lifecycle, robots, assets --------------------------------------------------------------


def test_port_zero_gives_three_distinct_origins(server):
    urls = [server.base_url(name) for name in SITES]
    assert len(set(urls)) == 3
    assert all(re.fullmatch(r"http://127\.0\.0\.1:\d+", u) and not u.endswith(":0") for u in urls)


def test_default_ports_and_busy_port_error():
    assert {n: m["port"] for n, m in SITES.items()} == {
        "demo-bazaar": 8701,
        "demo-jsmarket": 8702,
        "demo-tiaozao": 8703,
    }
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        demo = DemoServer(ports={"demo-tiaozao": port}, sites=["demo-tiaozao"])
        with pytest.raises(OSError, match=f"cannot serve demo-tiaozao on 127.0.0.1:{port}"):
            demo.start()


def test_unknown_site_is_refused():
    with pytest.raises(ValueError, match="unknown demo site 'demo-ebay'"):
        DemoServer(ports={"demo-ebay": 0})


@pytest.mark.parametrize(
    "name, allowed, disallowed",
    [
        (
            "demo-bazaar",
            ["/search?q=ivory&page=2", "/listing/2401000237", "/user/100001"],
            ["/account/x"],
        ),
        (
            "demo-jsmarket",
            ["/search?q=ivory", "/api/search?q=ivory", "/item/abc", "/api/item/abc"],
            ["/checkout/1"],
        ),
        (
            "demo-tiaozao",
            ["/search?kw=%E8%B1%A1%E7%89%99&p=2", "/goods/1.html", "/u/3000001"],
            ["/my/"],
        ),
    ],
)
def test_robots_allow_search_and_listings(server, name, allowed, disallowed):
    base = server.base_url(name)
    status, headers, body = fetch(base + "/robots.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    robots = RobotFileParser()
    robots.parse(body.decode("utf-8").splitlines())
    for path in allowed:
        assert robots.can_fetch("wildcrawl", base + path), path
    for path in disallowed:
        assert not robots.can_fetch("wildcrawl", base + path), path


@pytest.mark.parametrize(
    "name, css, image",
    [
        ("demo-bazaar", "/static/bazaar.css", "/img/{}.png"),
        ("demo-jsmarket", "/static/market.css", "/media/{}.png"),
        ("demo-tiaozao", "/static/tz.css", "/pic/{}.png"),
    ],
)
def test_css_and_thumbnails(server, name, css, image):
    base = server.base_url(name)
    status, headers, body = fetch(base + css)
    assert status == 200 and headers["Content-Type"].startswith("text/css") and b"{" in body
    item = server.catalogue(name)[5]
    assert item.image_url == image.format(item.item_id)
    status, headers, body = fetch(base + item.image_url)
    assert status == 200 and headers["Content-Type"] == "image/png" and body.startswith(b"\x89PNG")
    assert fetch(base + image.format("999"))[0] == 404


def test_request_log_counts_fetches():
    with DemoServer(ports={"demo-bazaar": 0}, sites=["demo-bazaar"]) as demo:
        base = demo.base_url("demo-bazaar")
        for _ in range(3):
            fetch(base + "/search?q=bike&page=1")
        fetch(base + "/listing/1")
        assert demo.hits[("demo-bazaar", "/search?q=bike&page=1")] == 3
        assert demo.count_requests("demo-bazaar", "/search") == 3
        assert demo.count_requests() == 4
        assert [r.status for r in demo.request_log] == [200, 200, 200, 404]
        demo.clear_log()
        assert demo.count_requests() == 0


# --- demo-bazaar ------------------------------------------------------------------------------


def crawl_bazaar_search(demo: DemoServer, query: str) -> tuple[list[str], int, Selector]:
    """Follow the config's next-page link from page 1; return ids seen, pages, last page."""
    base = demo.base_url("demo-bazaar")
    truth = demo.states["demo-bazaar"].search(query)
    url, seen, pages = f"{base}/search?q={quote(query)}&page=1", [], 0
    while url:
        status, sel = page(url)
        assert status == 200
        assert_head(sel)
        rows = extract("demo-bazaar", sel, url)
        pages += 1
        assert len(rows) == (20 if pages * 20 <= len(truth) else len(truth) % 20)
        seen += [r["item_id"] for r in rows]
        nxt = sel.css(config("demo-bazaar")["search"]["next_page"]).get()
        url = urljoin(url, nxt) if nxt else None
    return seen, pages, sel


@pytest.mark.parametrize("query", ["ivory", "zustand", "shipping", "Versand"])
def test_bazaar_pagination_follows_rel_next_to_the_ground_truth(server, query):
    truth = search_catalogue(server.catalogue("demo-bazaar"), query)
    assert len(truth) > 20, "pick queries that span pages"
    seen, pages, last = crawl_bazaar_search(server, query)
    assert seen == [i.item_id for i in truth]
    assert pages == -(-len(truth) // 20)
    assert last.css("a[rel=prev]") and not last.css("a[rel=next]")


@pytest.mark.parametrize("keep", [20, 40, 41])
def test_bazaar_pagination_at_exact_page_boundaries(keep):
    with DemoServer(ports={"demo-bazaar": 0}, sites=["demo-bazaar"]) as demo:
        for item in demo.states["demo-bazaar"].search("")[keep:]:
            demo.remove("demo-bazaar", item.item_id)
        seen, pages, last = crawl_bazaar_search(demo, "")
        assert len(seen) == keep and pages == -(-keep // 20)
        assert not last.css("a[rel=next]")
        status, sel = page(f"{demo.base_url('demo-bazaar')}/search?q=&page={pages + 1}")
        assert status == 200 and sel.css(".no-results") and not sel.css("article.listing")


def test_bazaar_config_fields_match_ground_truth(server):
    base = server.base_url("demo-bazaar")
    url = f"{base}/search?q=Elfenbein&page=1"
    _, sel = page(url)
    rows = extract("demo-bazaar", sel, url)
    truth = {i.item_id: i for i in search_catalogue(server.catalogue("demo-bazaar"), "Elfenbein")}
    assert rows and len(rows) == min(20, len(truth))
    for row in rows:
        item = truth[row["item_id"]]
        assert row["title"] == " ".join(item.title.split())
        assert row["url"] == f"{base}/listing/{item.item_id}"
        assert row["price_text"] == item.price_text
        assert row["location"] == item.location
        assert row["posted_at"] == item.posted_at
        assert row["image_url"] == base + item.image_url


def test_bazaar_empty_and_out_of_range_pages(server):
    base = server.base_url("demo-bazaar")
    for url in (f"{base}/search?q=zzqx-nothing&page=1", f"{base}/search?q=ivory&page=99"):
        status, sel = page(url)
        assert status == 200
        assert (
            sel.css(".no-results") and not sel.css("article.listing") and not sel.css("a[rel=next]")
        )
    status, sel = page(f"{base}/search?q=&page=1")
    assert len(sel.css("article.listing")) == 20 and sel.css("a[rel=next]")


def test_bazaar_detail_and_profile(server):
    base = server.base_url("demo-bazaar")
    item = next(i for i in server.catalogue("demo-bazaar") if i.category == "wildlife")
    status, sel = page(f"{base}/listing/{item.item_id}")
    assert status == 200
    assert_head(sel)
    assert sel.css("h1.ad-title::text").get() == item.title
    assert sel.css("article.ad .price::text").get() == item.price_text
    got = detail("demo-bazaar", sel)
    assert got == {
        "description": " ".join(item.description.split()),
        "seller_name": item.seller_name,
        "seller_url": f"/user/{item.seller_id}",
        "location": item.location,
        "posted_at": item.posted_at,
    }
    status, sel = page(f"{base}/user/{item.seller_id}")
    assert status == 200 and sel.css("h1.profile-name::text").get() == item.seller_name
    assert item.item_id in sel.css("article.listing::attr(data-id)").getall()
    assert fetch(f"{base}/listing/1")[0] == 404
    assert fetch(f"{base}/user/1")[0] == 404


# --- demo-jsmarket ------------------------------------------------------------------------------


def test_jsmarket_shell_has_no_listings_but_the_api_does(server):
    base = server.base_url("demo-jsmarket")
    truth = search_catalogue(server.catalogue("demo-jsmarket"), "ivory")
    assert len(truth) > 24
    status, sel = page(f"{base}/search?q=ivory")
    assert status == 200
    assert_head(sel)
    html = sel.get()
    assert not sel.css("div.card") and "/static/search.js" in html
    assert not any(i.title in html or i.item_id in html for i in truth)
    status, _, body = fetch(f"{base}/api/search?q=ivory&offset=0&limit=24")
    data = json.loads(body)
    assert status == 200 and data["total"] == len(truth)
    assert [it["id"] for it in data["items"]] == [i.item_id for i in truth[:24]]
    first = data["items"][0]
    assert set(first) >= {
        "id",
        "title",
        "price_text",
        "seller",
        "location",
        "url",
        "image",
        "snippet",
    }
    assert first["title"] == truth[0].title and first["price_text"] == truth[0].price_text
    assert first["seller"] == {
        "handle": truth[0].seller_id,
        "name": truth[0].seller_name,
        "url": f"/seller/{truth[0].seller_id}",
    }


def test_jsmarket_api_offsets_and_errors(server):
    base = server.base_url("demo-jsmarket")
    truth = search_catalogue(server.catalogue("demo-jsmarket"), "ivory")
    ids, offset = [], 0
    while True:
        data = json.loads(fetch(f"{base}/api/search?q=ivory&offset={offset}&limit=24")[2])
        if not data["items"]:
            break
        ids += [it["id"] for it in data["items"]]
        offset += 24
    assert ids == [i.item_id for i in truth] and data["next"] is None
    assert fetch(f"{base}/api/search?q=ivory&offset=x")[0] == 400
    assert fetch(f"{base}/api/search?q=ivory&limit=1000")[0] == 400
    item = truth[0]
    status, _, body = fetch(f"{base}/api/item/{item.item_id}")
    data = json.loads(body)
    assert (
        status == 200
        and data["description"] == item.description
        and data["posted_at"] == item.posted_at
    )
    assert fetch(f"{base}/api/item/nosuchid")[0] == 404
    status, sel = page(f"{base}/item/{item.item_id}")
    assert status == 200 and item.title not in sel.get()
    status, sel = page(f"{base}/seller/{item.seller_id}")
    assert status == 200 and sel.css("h1.seller-name::text").get() == item.seller_name


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_jsmarket_config_on_a_browser_rendered_page(server):
    sync_api = pytest.importorskip("playwright.sync_api")
    cfg = config("demo-jsmarket")
    base = server.base_url("demo-jsmarket")
    truth = search_catalogue(server.catalogue("demo-jsmarket"), "ivory")
    wait_for, load_more = cfg["browser"]["wait_for"], cfg["browser"]["load_more"]
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            tab = browser.new_page()
            url = base + cfg["search"]["url"].format(keyword=quote("ivory"))
            tab.goto(url)
            tab.wait_for_selector(wait_for, timeout=10_000)
            clicks = 0
            while tab.locator(load_more).count() and clicks < cfg["browser"]["max_rounds"]:
                tab.click(load_more)
                clicks += 1
                tab.wait_for_selector(wait_for, timeout=10_000)
            rendered = tab.content()
            tab.goto(f"{base}/item/{truth[0].item_id}")
            tab.wait_for_selector(wait_for, timeout=10_000)
            item_page = tab.content()
        finally:
            browser.close()
    assert clicks == -(-len(truth) // 24) - 1
    rows = extract("demo-jsmarket", Selector(text=rendered), url)
    assert [r["item_id"] for r in rows] == [i.item_id for i in truth]
    for row, item in zip(rows, truth):
        assert row["title"] and row["url"] and row["price_text"]
        assert (row["title"], row["price_text"]) == (item.title, item.price_text)
        assert row["url"] == f"{base}/item/{item.item_id}"
        assert re.search(cfg["listings"]["item_id_regex"], row["url"]).group(1) == item.item_id
        assert row["seller_url"] == f"{base}/seller/{item.seller_id}"
    got = detail("demo-jsmarket", Selector(text=item_page))
    assert got["description"] == " ".join(truth[0].description.split())
    assert got["seller_name"] == truth[0].seller_name and got["posted_at"] == truth[0].posted_at


# --- demo-tiaozao -------------------------------------------------------------------------------


@pytest.mark.parametrize("keyword", ["象牙", "手鐲", "閒置", "穿山甲", "猛犸", "Shark"])
def test_tiaozao_search_with_utf8_keywords_and_next_links(server, keyword):
    base = server.base_url("demo-tiaozao")
    cfg = config("demo-tiaozao")
    truth = search_catalogue(server.catalogue("demo-tiaozao"), keyword)
    assert truth, keyword
    url = base + cfg["search"]["url"].format(keyword=quote(keyword), page=1)
    seen = []
    while url:
        status, sel = page(url)
        assert status == 200
        assert_head(sel)
        rows = extract("demo-tiaozao", sel, url)
        assert all(r["title"] and r["url"] and r["price_text"] for r in rows)
        seen += rows
        nxt = sel.css(cfg["search"]["next_page"]).get()
        assert (nxt is None) == (len(seen) == len(truth))
        url = urljoin(url, nxt) if nxt else None
    assert [r["item_id"] for r in seen] == [i.item_id for i in truth]
    for row, item in zip(seen, truth):
        assert (
            row["title"],
            row["price_text"],
            row["location"],
            row["seller_name"],
            row["posted_at"],
        ) == (item.title, item.price_text, item.location, item.seller_name, item.posted_at)
        assert row["url"] == f"{base}/goods/{item.item_id}.html"
        assert row["seller_url"] == f"{base}/u/{item.seller_id}"


def test_tiaozao_detail_empty_search_and_profile(server):
    base = server.base_url("demo-tiaozao")
    item = next(i for i in server.catalogue("demo-tiaozao") if i.lang == "zh-Hant")
    status, sel = page(f"{base}/goods/{item.item_id}.html")
    assert status == 200 and sel.css("h1.title::text").get() == item.title
    assert detail("demo-tiaozao", sel) == {
        "description": " ".join(item.description.split()),
        "seller_name": item.seller_name,
        "seller_url": f"/u/{item.seller_id}",
        "location": item.location,
        "posted_at": item.posted_at,
    }
    status, sel = page(f"{base}/search?kw={quote('没有这种东西')}&p=1")
    assert status == 200 and sel.css(".empty") and not sel.css("li.goods-item, a.next")
    status, sel = page(f"{base}/u/{item.seller_id}")
    assert status == 200 and item.item_id in sel.css("li.goods-item::attr(data-id)").getall()
    assert fetch(f"{base}/goods/1.html")[0] == 404


# --- take-downs, sales, blocking ------------------------------------------------------------------


def test_removed_sold_and_blocked_pages_match_the_config_selectors():
    with DemoServer(ports=ZERO_PORTS) as demo:
        for name, detail_url in [
            ("demo-bazaar", "/listing/{}"),
            ("demo-tiaozao", "/goods/{}.html"),
        ]:
            cfg, base = config(name), demo.base_url(name)
            gone, sold = demo.catalogue(name)[0], demo.catalogue(name)[1]
            demo.remove(name, gone.item_id)
            demo.mark_sold(name, sold.item_id)
            status, sel = page(base + detail_url.format(gone.item_id))
            assert sel.css(cfg["removed"]["selector"])
            assert (status in cfg["removed"]["status"]) == (name == "demo-bazaar")
            status, sel = page(base + detail_url.format(sold.item_id))
            assert status == 200 and sel.css(cfg["sold"]["selector"])
            assert all(
                gone.item_id not in [i.item_id for i in demo.states[name].search(q)]
                for q in ("", gone.title)
            )
            demo.set_blocked(name)
            status, sel = page(base + detail_url.format(sold.item_id))
            assert sel.css(cfg["blocked"]["selector"]) and not sel.css(cfg["listings"]["item"])
            demo.set_blocked(name, False)
            demo.restore(name, gone.item_id)
            status, sel = page(base + detail_url.format(gone.item_id))
            assert status == 200 and not sel.css(cfg["removed"]["selector"])
        base = demo.base_url("demo-jsmarket")
        gone = demo.catalogue("demo-jsmarket")[0]
        demo.remove("demo-jsmarket", gone.item_id)
        status, _, body = fetch(f"{base}/api/item/{gone.item_id}")
        assert status == 404 and json.loads(body)["error"] == "removed"
        demo.set_blocked("demo-jsmarket")
        assert fetch(f"{base}/api/search?q=x")[0] == 403
        assert page(f"{base}/search?q=x")[1].css(config("demo-jsmarket")["blocked"]["selector"])


# --- configs and the command line -----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SITES))
def test_configs_name_their_site_and_load_with_the_project_loader(name):
    text = (CONFIGS / f"{name}.yaml").read_text(encoding="utf-8")
    assert text.startswith("#") and "LOCAL DEMO" in text.split("\nname:")[0]
    cfg = yaml.safe_load(text)
    assert cfg["name"] == name and cfg["base_url"] == f"http://127.0.0.1:{SITES[name]['port']}"
    assert cfg["currency"] == SITES[name]["currency"]
    from crawler.config import load_config  # the lead engineer's loader validates the schema

    loaded = load_config(CONFIGS / f"{name}.yaml")
    assert loaded.render == ("browser" if name == "demo-jsmarket" else "http")


def _ignore_sigint() -> None:  # what a shell does to a job it starts with ``&``
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("started", ["in the foreground", "in the background by a shell"])
def test_command_line_serves_until_interrupted(started):
    args = [sys.executable, "-m", "crawler.demo.server", "--size", "300"]
    for name in SITES:
        args += [f"--port-{name.removeprefix('demo-')}", "0"]
    proc = subprocess.Popen(
        args,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=_ignore_sigint if "background" in started else None,  # noqa: PLW1509
    )
    try:
        urls = {}
        for _ in SITES:
            line = proc.stdout.readline()
            name, url = line.split()[:2]
            urls[name] = url
        assert set(urls) == set(SITES)
        status, sel = page(urls["demo-tiaozao"] + "search?kw=" + quote("手镯"))
        assert status == 200 and sel.css("li.goods-item")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
