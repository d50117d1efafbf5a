"""Faults of a marketplace's own pages, crawled from a small local site (issue 20).

- Cards whose link is a script, mail, phone, data or ``#`` link (item 2): each costs at most
  its own detail page; the rest of the page is stored, the card too.
- Searches answered with a redirect loop (item 13): an error of its own kind, named in the
  crawl's message, not blamed on the selectors ("selectors no longer match?").
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlite_utils

from tests.conftest import run_cli

CONFIG = """\
name: loopy
title: Loopy
base_url: http://127.0.0.1:1
languages: [en]
currency: EUR
render: http
search: {url: "/search?q={keyword}&page={page}", max_pages: 1}
listings:
  item: "div.ad"
  fields:
    item_id: "::attr(data-id)"
    url: "a::attr(href)"
    title: "a::text"
politeness: {download_delay: 0.0, concurrency: 4, obey_robots: true}
"""
PAGE = "".join(
    f'<div class="ad" data-id="{i}"><a href="/ad/{i}">Ivory {i}</a></div>' for i in range(5)
)
BAD = ["javascript:void(0)", "mailto:a@b.c", "tel:+49123", "#"]
BAD_PAGE = "".join(
    f'<div class="ad" data-id="{i}"><a href="{BAD[i // 2] if i % 2 else f"/ad/{i}"}">Ivory {i}</a></div>'
    for i in range(8)
)  # 8 cards, the odd ones with a bad link
DETAIL = '<div id="desc">Carved piece number {}</div>'


class _Handler(BaseHTTPRequestHandler):
    mode = "ok"

    def do_GET(self):  # noqa: N802 (http.server's name)
        parts = urlsplit(self.path)
        if self.server.mode == "detailloop" and parts.path.startswith("/ad/"):
            hop = parts.path.endswith("/x")  # /ad/N -> /ad/N/x -> /ad/N: a cycle
            self.send_response(302)
            self.send_header("Location", parts.path[:-2] if hop else parts.path + "/x")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if parts.path == "/robots.txt":
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.server.mode in ("ok", "badlinks", "detailloop"):
            if parts.path.startswith("/ad/"):
                text = DETAIL.format(parts.path.rsplit("/", 1)[-1])
            else:
                text = BAD_PAGE if self.server.mode == "badlinks" else PAGE
            body = f"<html><body>{text}</body></html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.server.mode == "cycle":  # A -> B -> A: the same URLs again
            hop = parse_qs(parts.query).get("hop", ["0"])[0]
            target = f"/search?q=ivory&page=1&hop={'1' if hop == '0' else '0'}"
        else:  # "endless": a new URL every time
            hop = int(parse_qs(parts.query).get("hop", ["0"])[0])
            target = f"/search?q=ivory&page=1&hop={hop + 1}"
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def loop_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.mode = "ok"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _crawl(server, config, db):
    base = f"http://127.0.0.1:{server.server_address[1]}"
    result = run_cli(
        *("crawl", str(config), "--db", str(db), "-k", "ivory", "--base-url", f"loopy={base}"),
        *("-s", "WILDCRAWL_EVIDENCE=False", "-s", "WILDCRAWL_PROGRESS=False"),
        timeout=120,
    )
    row = next(sqlite_utils.Database(db).query("select * from crawls order by id desc limit 1"))
    row["error_kinds"] = json.loads(row["error_kinds"] or "{}")
    return result, row


@pytest.mark.parametrize("mode", ["cycle", "endless"])
def test_a_redirect_loop_is_an_error_of_its_own_not_the_selectors(loop_server, tmp_path, mode):
    config = tmp_path / "loopy.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    db = tmp_path / "w.db"
    for _ in range(2):  # earlier crawls that found listings
        result, row = _crawl(loop_server, config, db)
        assert result.returncode == 0, result.stderr[-3000:]
        assert row["status"] == "finished"
        assert row["listings_seen"] == 5
        assert "ScrapyDeprecationWarning" not in result.stderr  # no spider download_delay
    loop_server.mode = mode
    result, row = _crawl(loop_server, config, db)
    assert row["error_kinds"].get("redirect_loop", 0) >= 1, (row, result.stderr[-3000:])
    assert row["errors"] >= 1
    assert row["status"] == "broken"  # nothing marked removed: the searches were lost
    assert "redirect loop" in (row["message"] or "")
    assert "selectors no longer match" not in (row["message"] or "")
    assert "redirect loop" in result.stdout + result.stderr


def test_bad_links_cost_only_their_detail_pages(loop_server, tmp_path):
    loop_server.mode = "badlinks"
    config = tmp_path / "loopy.yaml"
    config.write_text(CONFIG + 'detail:\n  fields:\n    description: "#desc"\n', encoding="utf-8")
    db = tmp_path / "w.db"
    result, row = _crawl(loop_server, config, db)
    assert result.returncode == 0, result.stderr[-3000:]
    assert row["status"] == "finished" and row["listings_seen"] == 8
    assert row["error_kinds"] == {"bad_link": 4}
    rows = {
        r["item_id"]: r
        for r in sqlite_utils.Database(db).query("select item_id, url, description from listings")
    }
    assert sorted(rows) == [str(i) for i in range(8)]
    base = f"http://127.0.0.1:{loop_server.server_address[1]}"
    for i in range(0, 8, 2):  # good cards: their detail pages were read
        assert rows[str(i)]["url"] == f"{base}/ad/{i}"
        assert rows[str(i)]["description"] == f"Carved piece number {i}"
    for i in range(1, 8, 2):  # bad ones: the results page that showed them, no script URL
        assert rows[str(i)]["url"] == f"{base}/search?q=ivory&page=1"
        assert rows[str(i)]["description"] is None


def test_detail_pages_in_a_redirect_loop_keep_their_listings(loop_server, tmp_path):
    loop_server.mode = "detailloop"
    config = tmp_path / "loopy.yaml"
    config.write_text(CONFIG + 'detail:\n  fields:\n    description: "#desc"\n', encoding="utf-8")
    db = tmp_path / "w.db"
    result, row = _crawl(loop_server, config, db)
    assert result.returncode == 0, result.stderr[-3000:]
    assert row["status"] == "finished" and row["listings_seen"] == 5
    assert row["error_kinds"] == {"redirect_loop": 5}
    assert "loopy: 5 page(s) ended in a redirect loop" in result.stdout
