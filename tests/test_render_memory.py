"""render: auto decides per page kind (results, detail) and remembers it across crawls."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlite_utils
import yaml

from crawler.config import MARKETPLACES_DIR
from crawler.crawl.render_memory import load_decisions, save_decisions
from crawler.demo.server import DemoServer
from crawler.store.database import ensure_schema, open_database
from tests.conftest import run_cli

SITE = "demo-jsmarket"


def test_decisions_are_saved_read_back_and_expire(tmp_path: Path):
    db_path = tmp_path / "w.db"
    db = open_database(db_path)
    ensure_schema(db)
    assert load_decisions(str(db_path), "m") == {}
    save_decisions(db, "m", {"results": ("browser", "empty static page")}, 1)
    save_decisions(db, "m", {"detail": ("http", "fields found")}, 1)
    save_decisions(db, "other", {"results": ("http", "x")}, 2)
    assert load_decisions(str(db_path), "m") == {"results": "browser", "detail": "http"}
    with db.conn:
        db.execute("update render_decisions set decided_at = '2020-01-01T00:00:00Z' "
                   "where page_kind = 'results'")  # fmt: skip
    assert load_decisions(str(db_path), "m") == {"detail": "http"}  # too old: tried again
    assert load_decisions(str(tmp_path / "missing.db"), "m") == {}
    db.close()


def _stat(stderr: str, key: str) -> str | None:
    m = re.search(rf"'{re.escape(key)}': '?([\w]+)'?", stderr)
    return m.group(1) if m else None


@pytest.fixture(scope="module")
def site():
    with DemoServer(ports={SITE: 0}, sites=[SITE]) as server:
        yield server


def test_auto_learns_each_page_kind_once_and_remembers_it(site, tmp_path: Path):
    data = yaml.safe_load((MARKETPLACES_DIR / f"{SITE}.yaml").read_text(encoding="utf-8"))
    data["render"] = "auto"
    # Without its api section (tests/test_json_api.py has auto with one): the browser path.
    data.pop("api")
    config = tmp_path / f"{SITE}.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    db = tmp_path / "auto.db"
    args = [
        "crawl", str(config), "--db", str(db), "-k", "tusk", "--base-url",
        f"{SITE}={site.base_url(SITE)}", "-s", "WILDCRAWL_EVIDENCE=False",
        "-s", "WILDCRAWL_PROGRESS=False",
    ]  # fmt: skip

    def crawl() -> tuple[str, list]:
        before = len(site.request_log)
        result = run_cli(*args, timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stderr, site.request_log[before:]

    # 1. The static search page and the first static item page are empty shells: each kind
    #    switches to the browser once, and the decisions are stored.
    stderr, log = crawl()
    assert _stat(stderr, "wildcrawl/auto/browser_fallback") == "1"
    # (item pages already on their way when the first came back empty fall back too)
    static_items = int(_stat(stderr, "wildcrawl/auto/browser_fallback_detail") or 0)
    assert 1 <= static_items <= 3
    assert len([r for r in log if r.path == "/search"]) == 2  # static, then the browser
    assert len([r for r in log if r.path.startswith("/item/")]) == 3 + static_items
    rows = {r["page_kind"]: r for r in sqlite_utils.Database(db)["render_decisions"].rows}
    assert {k: r["render"] for k, r in rows.items()} == {"results": "browser", "detail": "browser"}
    assert "had no listings" in rows["results"]["reason"]
    stored = sqlite_utils.Database(db).execute("select count(posted_at) from listings").fetchone()
    assert stored[0] == 3  # every detail read in the browser

    # 2. The next crawl starts in the browser for both kinds: no static attempt at all.
    stderr, log = crawl()
    assert _stat(stderr, "wildcrawl/auto/remembered/results") == "browser"
    assert _stat(stderr, "wildcrawl/auto/remembered/detail") == "browser"
    assert _stat(stderr, "wildcrawl/auto/browser_fallback") is None
    assert _stat(stderr, "wildcrawl/auto/browser_fallback_detail") is None
    assert len([r for r in log if r.path == "/search"]) == 1
    assert len([r for r in log if r.path.startswith("/item/")]) == 3  # one browser visit each
