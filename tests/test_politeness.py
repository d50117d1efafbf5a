"""Politeness by default: robots.txt, per-domain delay and concurrency from the config, User-Agent.

A tiny marketplace on 127.0.0.1 (port 0) records every request it gets: when,
which path, with which User-Agent, and how many were in flight at once.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from tests.conftest import run_cli

pytestmark = pytest.mark.slow  # real crawls, servers and timed delays: not in make test-fast

PAGES = 3
PER_PAGE = 4


class TinyMarket:
    """A marketplace of ``PAGES`` result pages per keyword, with a robots.txt, on a free port."""

    def __init__(
        self, robots: str = "User-agent: *\nDisallow: /search/forbidden\n", latency: float = 0.0
    ):
        self.robots = robots
        self.latency = latency
        self.log: list[tuple[float, str, str]] = []  # (time, path, user agent)
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        market = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                with market._lock:
                    market.log.append(
                        (time.monotonic(), self.path, self.headers.get("User-Agent", ""))
                    )
                    market.in_flight += 1
                    market.max_in_flight = max(market.max_in_flight, market.in_flight)
                try:
                    if market.latency:
                        time.sleep(market.latency)
                    status, body = market.answer(self.path)
                finally:
                    # Before answering: the client cannot start its next request earlier.
                    with market._lock:
                        market.in_flight -= 1
                data = body.encode()
                self.send_response(status)
                self.send_header(
                    "Content-Type",
                    "text/html; charset=utf-8" if not self.path.endswith(".txt") else "text/plain",
                )
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, path: str) -> tuple[int, str]:
        parts = urlsplit(path)
        if parts.path == "/robots.txt":
            return 200, self.robots
        if parts.path.startswith("/search/"):
            keyword = parts.path.rsplit("/", 1)[-1]
            page = int((parts.query.partition("page=")[2] or "1").split("&")[0])
            items = "".join(
                f'<li class="item" data-id="{keyword}-{page}-{i}">'
                f'<a href="/item/{keyword}-{page}-{i}">Carved ivory bangle {keyword} {page}-{i}</a>'
                f'<span class="price">€ {100 + i},00</span></li>'
                for i in range(PER_PAGE)
            )
            nxt = (
                f'<a rel="next" href="/search/{keyword}?page={page + 1}">next</a>'
                if page < PAGES
                else ""
            )
            return 200, f"<html><body><ul>{items}</ul>{nxt}</body></html>"
        if parts.path.startswith("/item/"):
            return 200, f"<html><body><h1>Carved ivory bangle {parts.path[6:]}</h1></body></html>"
        return 404, "<html><body>not found</body></html>"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def paths(self) -> list[str]:
        return [p for _, p, _ in self.log]

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def write_config(
    folder: Path,
    name: str = "tiny-market",
    politeness: str = "",
    base_url: str = "http://127.0.0.1:9",
) -> Path:
    """A valid marketplace config for ``TinyMarket`` (``politeness`` is YAML lines to add)."""
    path = folder / f"{name}.yaml"
    path.write_text(
        f"""name: {name}
title: Tiny market
base_url: {base_url}
country: DE
languages: [en]
currency: EUR
render: http
search:
  url: "/search/{{keyword}}?page={{page}}"
  max_pages: {PAGES + 2}
  next_page: "a[rel=next]::attr(href)"
listings:
  item: "li.item"
  fields:
    item_id: "::attr(data-id)"
    url: "a::attr(href)"
    title: "a::text"
    price_text: ".price"
{politeness}""",
        encoding="utf-8",
    )
    return path


def crawl(config: Path, db: Path, keywords: str, env: dict | None = None):
    # Evidence capture (a browser screenshot of flagged listings) is not under test here.
    return run_cli(
        "crawl",
        str(config),
        "--db",
        str(db),
        "-k",
        keywords,
        "-s",
        "WILDCRAWL_PROGRESS=False",
        "-s",
        "WILDCRAWL_EVIDENCE=False",
        timeout=120,
        env=env,
    )


def test_robots_txt_obeyed_delay_kept_and_user_agent_names_the_operator(tmp_path):
    contact = "mailto:monitor@ngo.example"
    with TinyMarket() as market:
        config = write_config(
            tmp_path,
            politeness="politeness:\n  download_delay: 0.4\n  concurrency: 1\n",
            base_url=market.base_url,
        )
        result = crawl(
            config, tmp_path / "a.db", "allowed,forbidden", env={"WILDCRAWL_CONTACT": contact}
        )
    paths = market.paths()
    assert paths[0] == "/robots.txt"
    assert not [p for p in paths if p.startswith("/search/forbidden")], paths
    searched = [t for t, p, _ in market.log if p.startswith("/search/allowed")]
    assert len(searched) == PAGES, (paths, result.stderr[-2000:])
    # RANDOMIZE_DOWNLOAD_DELAY waits 0.5x to 1.5x the configured delay between requests.
    gaps = [b - a for a, b in itertools.pairwise(searched)]
    assert min(gaps) >= 0.4 * 0.5 - 0.02, gaps
    agents = {ua for _, _, ua in market.log}
    assert len(agents) == 1 and contact in agents.pop() and "wildcrawl/" in market.log[0][2]
    db = sqlite_utils.Database(tmp_path / "a.db")
    assert db["listings"].count == PAGES * PER_PAGE
    assert "'robotstxt/forbidden': 1" in result.stderr  # Scrapy's own count of refusals
    crawl_row = next(db.query("select errors, error_kinds from crawls"))
    assert json.loads(crawl_row["error_kinds"]) == {"robots_disallowed": 1}, crawl_row


def test_robots_txt_ignored_only_with_a_stated_reason(tmp_path):
    with TinyMarket() as market:
        config = write_config(
            tmp_path,
            base_url=market.base_url,
            politeness="politeness:\n  obey_robots: false\n"
            "  robots_reason: our own test site; the owner agreed in writing\n",
        )
        result = crawl(config, tmp_path / "b.db", "forbidden")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "/robots.txt" not in market.paths()
    assert len([p for p in market.paths() if p.startswith("/search/forbidden")]) == PAGES

    unstated = write_config(
        tmp_path, name="tiny-noreason", politeness="politeness:\n  obey_robots: false\n"
    )
    result = crawl(unstated, tmp_path / "c.db", "x")
    assert result.returncode != 0
    assert "robots_reason" in result.stderr and f"{unstated}:" in result.stderr
    assert not (tmp_path / "c.db").exists()


@pytest.mark.parametrize("concurrency", [2])
def test_per_domain_concurrency_comes_from_the_config(tmp_path, concurrency):
    with TinyMarket(latency=0.3) as market:
        config = write_config(
            tmp_path,
            base_url=market.base_url,
            politeness=f"politeness:\n  download_delay: 0\n  concurrency: {concurrency}\n",
        )
        result = crawl(config, tmp_path / "d.db", "a,b,c,d")
    assert result.returncode == 0, result.stderr[-2000:]
    assert market.max_in_flight == concurrency, market.max_in_flight
