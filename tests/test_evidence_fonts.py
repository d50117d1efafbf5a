"""Evidence that shows nothing is refused: a page whose text the browser cannot draw (no font
for its script, every character an empty box) is not recorded (issue 20 item 3), and
``wildcrawl doctor`` names the scripts without a font."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from crawler.casework.capture import capture_pending, count_pending
from crawler.store.database import ensure_schema, open_database

pytestmark = pytest.mark.browser

SITE = "demo-tiaozao"  # Chinese pages
UA = "wildcrawl/0.1 (wildlife-trade monitoring; +https://example.org) tests"


def _latin_only_fonts(tmp_path: Path) -> Path:
    """A fontconfig file with only DejaVu (Latin, Greek, Cyrillic, Arabic; no CJK, Thai,
    emoji): the browser of a machine without CJK fonts."""
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if not dejavu.is_dir():
        pytest.skip("DejaVu fonts not installed")
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{dejavu}</dir>\n  <cachedir>{tmp_path / 'fc-cache'}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


def _queue(db_path: Path, demo_server, n: int) -> list[str]:
    base = demo_server.base_url(SITE)
    items = [i.item_id for i in demo_server.catalogue(SITE)[:n]]
    db = open_database(db_path)
    ensure_schema(db)
    for item_id in items:
        db["listings"].insert(
            {"id": f"{SITE}:{item_id}", "marketplace": SITE, "item_id": item_id, "flagged": 1},
            pk="id",
        )
        db["evidence_queue"].insert(
            {
                "listing_id": f"{SITE}:{item_id}",
                "url": f"{base}/goods/{item_id}.html",
                "marketplace": SITE,
                "item_id": item_id,
                "crawl_id": 1,
                "queued_at": "2026-11-29T00:00:00Z",
                "attempts": 0,
            },
            pk="listing_id",
        )
    db.close()
    return items


def _has_cjk_font() -> bool:
    import subprocess

    try:
        out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30)
    except OSError:
        return False
    return bool(out.stdout.strip())


def test_chinese_page_without_cjk_fonts_is_refused_and_stays_queued(
    demo_server, tmp_path, monkeypatch
):
    db_path = tmp_path / "wc.db"
    _queue(db_path, demo_server, 2)
    monkeypatch.setenv("FONTCONFIG_FILE", str(_latin_only_fonts(tmp_path)))
    result = capture_pending(db_path, user_agent=UA)
    assert result.captured == 0 and result.failed == 2, result.errors
    assert all("no font" in e and "CJK" in e and "fonts-noto-cjk" in e for e in result.errors)
    db = sqlite_utils.Database(db_path)
    assert db.execute("select count(*) from evidence").fetchone()[0] == 0
    queue = list(db["evidence_queue"].rows)
    # Still queued, no attempt spent: installing the fonts is the fix, not retrying.
    assert all(r["done_at"] is None and r["attempts"] == 0 for r in queue)
    assert "empty boxes" in queue[0]["last_error"]
    assert count_pending(db_path) == 2


def test_chinese_page_with_cjk_fonts_is_recorded(demo_server, tmp_path):
    if not _has_cjk_font():
        pytest.skip("no CJK font on this machine (make setup installs fonts-noto-cjk)")
    db_path = tmp_path / "wc.db"
    _queue(db_path, demo_server, 2)
    result = capture_pending(db_path, user_agent=UA)
    assert result.captured == 2, result.errors
    kinds = [r[0] for r in sqlite_utils.Database(db_path).execute("select kind from evidence")]
    assert sorted(kinds) == ["html", "html", "screenshot", "screenshot"]


def test_doctor_names_the_scripts_without_a_font(tmp_path, monkeypatch):
    from crawler.cli.doctor_cmd import check_fonts

    monkeypatch.setenv("FONTCONFIG_FILE", str(_latin_only_fonts(tmp_path)))
    check = check_fonts()
    assert check.ok is None, check
    assert "no font for CJK" in check.found and "emoji" in check.found
    assert "Arabic" not in check.found.split("(draws")[0]  # DejaVu draws Arabic
    assert "fonts-noto-cjk" in check.fix and "fonts-noto-color-emoji" in check.fix


def test_doctor_says_cjk_is_drawn_when_a_cjk_font_is_installed():
    from crawler.cli.doctor_cmd import check_fonts

    if not _has_cjk_font():
        pytest.skip("no CJK font on this machine")
    check = check_fonts()
    # What it says is missing comes before "draws" (all fonts installed: "draws CJK, ...").
    assert "CJK" not in check.found.split("draws")[0], check


def test_a_latin_page_with_an_emoji_is_readable_without_an_emoji_font(tmp_path, monkeypatch):
    import asyncio

    from playwright.async_api import async_playwright

    from crawler.browser.fonts import page_text_unreadable
    from crawler.browser.launch import launch_options

    monkeypatch.setenv("FONTCONFIG_FILE", str(_latin_only_fonts(tmp_path)))

    async def check(html):
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(**launch_options())
            page = await browser.new_page()
            await page.set_content(html)
            why = await page_text_unreadable(page)
            await browser.close()
            return why

    assert asyncio.run(check("<h1>Elfenbein Schnitzerei 🐘 antik, 120 €</h1>")) is None
    assert "CJK" in asyncio.run(check("<h1>象牙雕刻 老物件 包邮 可小刀 穿山甲片</h1>"))


def test_characters_drawn_on_earlier_pages_are_not_drawn_again_and_decide_the_same(
    tmp_path, monkeypatch
):
    """A capture run passes the characters its browser already drew: they are counted, not
    drawn again, so a page is refused or accepted exactly as when every character is drawn."""
    import asyncio

    from playwright.async_api import async_playwright

    from crawler.browser.fonts import PAGE_TOFU_JS, page_text_unreadable
    from crawler.browser.launch import launch_options

    monkeypatch.setenv("FONTCONFIG_FILE", str(_latin_only_fonts(tmp_path)))

    async def check():
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(**launch_options())
            page = await browser.new_page()
            drawable: set[str] = set()
            await page.set_content("<h1>Ivory carving, antique</h1>")
            latin = await page_text_unreadable(page, drawable)
            after_latin = set(drawable)
            await page.set_content("<h1>象牙 ivory</h1>")  # 2 of 7 characters without a font
            counts = await page.evaluate(PAGE_TOFU_JS, "".join(sorted(drawable)))
            mixed = await page_text_unreadable(page, drawable)
            mixed_alone = await page_text_unreadable(page)
            await browser.close()
            return latin, after_latin, counts["page"], mixed, mixed_alone

    latin, after_latin, counts, mixed, mixed_alone = asyncio.run(check())
    assert latin is None and set("Ivorycarntique") <= after_latin
    assert "象" not in after_latin
    assert counts == [7, 2, ""]  # ivory's letters counted, not drawn; 象 and 牙 drawn as tofu
    assert mixed is not None and "CJK" in mixed and mixed == mixed_alone
