"""What a crawl needs for its first item is built in the background after its first request
(crawler.crawl.warmup, issue 26 start-up): once, in one thread, errors raised again on use."""

from __future__ import annotations

import threading

import pytest
from scrapy import Request, signals
from scrapy.utils.test import get_crawler

from crawler.crawl import warmup
from crawler.crawl.pipelines.match import MatchPipeline


def test_a_started_preload_is_built_once_in_the_background():
    built, release = [], threading.Event()

    def build():
        release.wait(10)
        built.append(threading.current_thread().name)
        return object()

    preload = warmup.Preload(build)
    preload.start()
    preload.start()  # queued once
    assert not preload.done
    release.set()
    value = preload.get()  # waits for the thread building it
    assert preload.get() is value
    assert built == ["wildcrawl-warmup"]


def test_a_preload_not_started_is_built_where_it_is_asked_for():
    preload = warmup.Preload(threading.current_thread)
    assert preload.get() is threading.current_thread()


def test_a_failed_build_raises_its_error_on_every_use():
    calls = []

    def build():
        calls.append(1)
        raise ValueError("broken lexicon")

    preload = warmup.Preload(build)
    for _ in range(2):
        with pytest.raises(ValueError, match="broken lexicon"):
            preload.get()
    assert calls == [1]


def test_preloads_start_when_the_first_request_has_left_the_downloader():
    crawler = get_crawler()
    preload = warmup.Preload(lambda: "ready")
    warmup.after_first_request(crawler, preload)
    crawler.signals.send_catch_log(signals.request_reached_downloader, request=Request("http://a"))
    assert not preload._queued  # not while the request may still be on its way out
    crawler.signals.send_catch_log(signals.request_left_downloader, request=Request("http://a"))
    assert preload._queued
    assert preload.get() == "ready"


def test_the_match_pipeline_builds_its_matcher_after_the_first_request():
    crawler = get_crawler()
    pipeline = MatchPipeline.from_crawler(crawler)
    assert not pipeline._preload.done and not pipeline._preload._queued
    crawler.signals.send_catch_log(signals.request_left_downloader, request=Request("http://a"))
    item = pipeline.process_item({"title": "carved ivory bangle", "description": None})
    assert item["matches"] and item["relevance"] is not None


SLOW_MATCHER_PROBE = r"""
import json, sys, time
from crawler.crawl import runner
from crawler.crawl.pipelines import match

shared = match.shared
waits = {}


def slow_shared(options):  # a cold cache: the relevance model trained again takes minutes
    time.sleep(3)
    return shared(options)


match.shared = slow_shared
ids = runner.run_crawl(["demo-bazaar"], sys.argv[1], keywords=["ivory"], max_pages=2,
                       base_urls={"demo-bazaar": sys.argv[2]},
                       settings={"WILDCRAWL_EVIDENCE": False, "WILDCRAWL_PROGRESS": False,
                                 "DOWNLOAD_TIMEOUT": 2})
print(json.dumps(ids))
"""


def test_items_wait_for_a_slow_matcher_while_the_crawl_goes_on(demo_server, tmp_path):
    """The matcher takes 3 s to build and a request times out after 2 s: the reactor goes on
    while the first items wait (no request times out), and every listing is matched."""
    import json
    import sqlite3
    import subprocess
    import sys

    from tests.conftest import ROOT

    db = tmp_path / "slow.db"
    run = subprocess.run(
        [sys.executable, "-c", SLOW_MATCHER_PROBE, str(db), demo_server.base_url("demo-bazaar")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "TimeoutError" not in run.stderr, run.stderr[-3000:]
    (crawl_id,) = json.loads(run.stdout.strip().splitlines()[-1])
    con = sqlite3.connect(db)
    try:
        status, listings = con.execute(
            "select status, (select count(*) from listings) from crawls where id = ?", [crawl_id]
        ).fetchone()
        unmatched = con.execute("select count(*) from listings where risk is null").fetchone()[0]
    finally:
        con.close()
    assert status == "finished" and listings > 10 and unmatched == 0
