"""What browser pages get before they navigate (crawler.browser.page_init): off-screen cards skip
layout without changing the HTML the crawl reads; ``block_resources: false`` keeps images."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import sqlite_utils
import yaml
from playwright.async_api import async_playwright

from crawler.browser.launch import crawl_launch_options
from crawler.browser.page_init import OFFSCREEN_META, init_page
from crawler.config import MARKETPLACES_DIR
from tests.conftest import run_cli

SITE = "demo-jsmarket"
READY = '#app[aria-busy="false"]'


class _Request:
    def __init__(self, meta: dict):
        self.meta = meta


async def _render(url: str, meta: dict) -> tuple[list[str], str, int]:
    async with async_playwright() as p:
        browser = await p.chromium.launch(**crawl_launch_options())
        page = await browser.new_page()
        await init_page(page, _Request(meta))
        await page.goto(url, wait_until="domcontentloaded")
        await page.wait_for_selector(READY)
        styles = await page.eval_on_selector_all(
            "div.card", "cards => cards.map(c => getComputedStyle(c).contentVisibility)"
        )
        html = await page.content()
        height = await page.evaluate("document.documentElement.scrollHeight")
        await browser.close()
        return styles, html, height


def test_offscreen_cards_skip_layout_and_the_html_is_unchanged(demo_server):
    url = demo_server.base_url(SITE) + "/search?q=ivory"
    lean_styles, lean_html, lean_height = asyncio.run(_render(url, {OFFSCREEN_META: "div.card"}))
    plain_styles, plain_html, plain_height = asyncio.run(_render(url, {}))
    assert len(lean_styles) == len(plain_styles) >= 10
    assert set(lean_styles) == {"auto"} and "auto" not in plain_styles
    assert lean_html == plain_html  # the crawl reads the same document
    assert lean_height > 1000 and plain_height > 1000  # placeholders keep a size: it scrolls
    # A selector the browser rejects leaves the page as it was.
    bad_styles, bad_html, _ = asyncio.run(_render(url, {OFFSCREEN_META: "div.card[[["}))
    assert bad_styles == plain_styles and bad_html == plain_html


def _crawl(demo_server, tmp_path: Path, name: str, **browser) -> int:
    data = yaml.safe_load((MARKETPLACES_DIR / f"{SITE}.yaml").read_text(encoding="utf-8"))
    data["browser"] = {**data["browser"], **browser}
    data.pop("api")  # the DOM path: every card read from the rendered page
    folder = tmp_path / name
    folder.mkdir()
    config = folder / f"{SITE}.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    db = folder / "wc.db"
    before = demo_server.count_requests(SITE, "/media/")
    result = run_cli(
        "crawl",
        str(config),
        "--db",
        str(db),
        "-k",
        "tusk",
        "--base-url",
        f"{SITE}={demo_server.base_url(SITE)}",
        "-s",
        "WILDCRAWL_EVIDENCE=False",
        "-s",
        "WILDCRAWL_PROGRESS=False",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    listings = sqlite_utils.Database(db).execute("select count(*) from listings").fetchone()[0]
    assert listings == 3 and re.search(r"'wildcrawl/pages/detail': 3", result.stderr)
    return demo_server.count_requests(SITE, "/media/") - before


def test_block_resources_false_lets_a_marketplace_load_its_images(demo_server, tmp_path):
    assert _crawl(demo_server, tmp_path, "blocked") == 0
    assert _crawl(demo_server, tmp_path, "kept", block_resources=False, skip_offscreen=False) >= 3


def test_crawl_browsers_never_request_images_unless_a_marketplace_keeps_them():
    from crawler.browser.launch import NO_IMAGES_ARG, NO_SCREENSHOT_ARGS
    from crawler.config import load_marketplace
    from crawler.crawl.runner import launch_overrides

    assert NO_IMAGES_ARG in crawl_launch_options()["args"]
    assert NO_IMAGES_ARG not in crawl_launch_options(images=True)["args"]  # evidence
    # Without a compositor thread Chromium cannot take screenshots: only the evidence browser
    # keeps it (its screenshots are tested in test_evidence_capture.py).
    evidence = crawl_launch_options(images=True, screenshots=True)["args"]
    assert set(NO_SCREENSHOT_ARGS) <= set(crawl_launch_options()["args"])
    assert not set(NO_SCREENSHOT_ARGS) & set(evidence) and NO_IMAGES_ARG not in evidence
    js = load_marketplace(SITE)
    assert launch_overrides([js]) == {}
    keeps = js.model_copy(
        update={"browser": js.browser.model_copy(update={"block_resources": False})}
    )
    options = launch_overrides([js, keeps])["PLAYWRIGHT_LAUNCH_OPTIONS"]
    assert NO_IMAGES_ARG not in options["args"]
