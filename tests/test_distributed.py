"""Workers sharing a Redis frontier (scrapy-redis) and one ingester owning SQLite.

A real ``redis-server`` on a free 127.0.0.1 port (session fixture), the demo
marketplaces, and real worker / ingester processes: the fleet stores what one
process stores, fetches each URL once, and a worker killed mid-crawl loses
nothing (its in-flight requests are re-queued and fetched again by the other).
"""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import sqlite_utils

from crawler.store import database as store

pytest.importorskip("scrapy_redis")
redis = pytest.importorskip("redis")

from crawler.demo.catalogue import generate_catalogue, search_catalogue  # noqa: E402
from tests.conftest import ROOT, free_port, run_cli  # noqa: E402

# Registers the fleet commands even before crawler/cli/__init__.py imports them.
CLI = (
    "from crawler.cli import cli; import crawler.cli.seed_cmd, crawler.cli.ingest_cmd; "
    "cli(prog_name='wildcrawl')"
)
NO_EVIDENCE = ["-s", "WILDCRAWL_EVIDENCE=False"]  # browser captures are not frontier requests
# The listing as a single-machine crawl and a fleet must both store it: every column of the
# schema but when and by which crawl it was seen, and which keyword reached it first (the
# fleet's workers take the keywords in another order).
LISTING_COLUMNS = tuple(
    c for c in store.LISTING_COLUMNS if c not in ("keyword", "lang", "last_seen", "last_crawl_id")
)


@pytest.fixture(scope="session")
def redis_url():
    """A private redis-server for the session (no persistence), stopped at the end."""
    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("redis-server not installed (Debian: apt-get install redis-server)")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail(f"redis-server did not start on port {port}")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def server(redis_url):
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.flushdb()


def wildcrawl(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    """Run ``wildcrawl ARGS`` (fleet commands included) in a subprocess."""
    return subprocess.run(
        [sys.executable, "-c", CLI, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def spawn(*args: str, log: Path) -> subprocess.Popen:
    fh = open(log, "w", encoding="utf-8")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [sys.executable, "-c", CLI, *args], cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, text=True
    )


def tail(path: Path, n: int = 3000) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-n:]


def base_urls(demo, sites) -> list[str]:
    return [arg for site in sites for arg in ("--base-url", f"{site}={demo.base_url(site)}")]


def truth(demo, site: str, keywords: list[str]) -> set[str]:
    listings = generate_catalogue(site, seed=demo.seed, size=demo.size)
    return {item.item_id for kw in keywords for item in search_catalogue(listings, kw)}


def listings(db_path: Path) -> dict[str, dict]:
    db = sqlite_utils.Database(db_path)
    cols = ", ".join(f'"{c}"' for c in LISTING_COLUMNS)
    return {r["id"]: r for r in db.query(f"select {cols} from listings")}


def run_fleet(tmp_path, redis_url, demo, sites, keywords, worker_args=(), on_running=None):
    """seed + one ingester + two workers; returns (db path, ingester log, worker logs, procs)."""
    db_path = tmp_path / "fleet.db"
    common = [*sites, "-k", ",".join(keywords), "--max-pages", "50", *base_urls(demo, sites)]
    seeded = wildcrawl("seed", "--redis", redis_url, *common)
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    ingest_log = tmp_path / "ingest.log"
    ingester = spawn(
        "ingest", "--redis", redis_url, "--db", str(db_path), "--until-done", log=ingest_log
    )
    logs = [tmp_path / f"worker{i}.log" for i in range(2)]
    workers = [
        spawn(
            "crawl",
            "--redis",
            redis_url,
            "--db",
            str(tmp_path / "unused.db"),
            *common,
            *NO_EVIDENCE,
            "-s",
            "WILDCRAWL_HEARTBEAT_TTL=2",
            *worker_args,
            log=log,
        )
        for log in logs
    ]
    try:
        if on_running:
            on_running(workers)
        for proc, log in zip(workers, logs, strict=True):
            code = proc.wait(timeout=240)
            assert code in (0, -signal.SIGKILL), tail(log)
        assert ingester.wait(timeout=60) == 0, tail(ingest_log)
    finally:
        for proc in (*workers, ingester):
            if proc.poll() is None:
                proc.kill()
    assert not (tmp_path / "unused.db").exists(), "a worker wrote SQLite"
    return db_path, ingest_log, logs, workers


# --- the frontier's pieces, against the real Redis -------------------------------------------


def test_page_methods_are_sent_fresh_and_unpicklable_meta_is_named():
    from scrapy_playwright.page import PageMethod

    from crawler.fleet.redis_frontier import UnpicklableRequestError, dumps, loads

    used = PageMethod("wait_for_selector", "#app", timeout=5)
    used.result = threading.Lock()  # what scrapy-playwright leaves: a live handle
    obj = {"url": "http://127.0.0.1/x", "meta": {"playwright_page_methods": [used], "page": 2}}
    back = loads(dumps(obj))
    method = back["meta"]["playwright_page_methods"][0]
    assert (method.method, method.args, method.kwargs, method.result) == (
        "wait_for_selector",
        ("#app",),
        {"timeout": 5},
        None,
    )
    assert used.result is not None  # the request in the worker keeps its own
    with pytest.raises(UnpicklableRequestError, match=r"meta page_handle \(lock\)"):
        dumps({"url": "http://127.0.0.1/y", "meta": {"page_handle": threading.Lock(), "ok": 1}})


def _worker_crawler(redis_url: str, **spider_kwargs):
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import MemoryStatsCollector

    from crawler.fleet.distributed import FleetScheduler, worker_settings
    from spiders.redis_worker import RedisWorkerSpider

    # A crawler that is never started (no reactor in this process): spider, stats, scheduler.
    crawler = Crawler(RedisWorkerSpider, worker_settings(redis_url))
    crawler.spider = crawler._create_spider(
        marketplace="demo-bazaar", keywords=["ivory"], **spider_kwargs
    )
    crawler.stats = MemoryStatsCollector(crawler)
    scheduler = FleetScheduler.from_crawler(crawler)
    scheduler.open(crawler.spider)
    return crawler, scheduler


def test_an_unpicklable_request_is_refused_loudly_and_counted(server, redis_url, caplog):
    import scrapy

    crawler, scheduler = _worker_crawler(redis_url)
    spider = crawler.spider
    bad = scrapy.Request(
        "http://127.0.0.1:1/listing/1",
        callback=spider.parse_detail,
        meta={"playwright_page": threading.Lock()},
    )
    with caplog.at_level(logging.ERROR, logger="crawler.fleet.distributed"):
        assert scheduler.enqueue_request(bad) is False  # Scrapy then signals request_dropped
    assert crawler.stats.get_value("wildcrawl/errors/unpicklable_request") == 1
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "cannot send http://127.0.0.1:1/listing/1" in errors[0]
    assert "meta playwright_page (lock)" in errors[0]
    assert scheduler.fleet.queued() == 0
    # Nothing was silently marked as seen: the fixed request goes in.
    good = bad.replace(meta={"listing": {"item_id": "1"}})
    assert scheduler.enqueue_request(good) is True
    popped = scheduler.next_request()
    assert popped.url == good.url and popped.callback == spider.parse_detail
    assert popped.meta["listing"] == {"item_id": "1"}


def test_popped_requests_stay_in_flight_until_acked_and_return_if_the_worker_dies(
    server, redis_url
):
    import scrapy

    from crawler.fleet.redis_frontier import INFLIGHT_META, Fleet

    crawler, scheduler = _worker_crawler(redis_url)
    spider, fleet = crawler.spider, scheduler.fleet
    fleet.join()
    for n, priority in ((1, 0), (2, 5), (3, 0)):
        scheduler.enqueue_request(
            scrapy.Request(
                f"http://127.0.0.1:1/listing/{n}", callback=spider.parse_detail, priority=priority
            )
        )
    first = scheduler.next_request()
    assert first.url.endswith("/2")  # priority first, as in scrapy-redis
    second = scheduler.next_request()
    assert fleet.queued() == 1 and fleet.inflight() == 2
    fleet.ack(first.meta[INFLIGHT_META])
    assert fleet.inflight() == 1
    # A redirect/retry of the second request replaces it: enqueuing the copy acks it.
    retry = second.replace(dont_filter=True)
    assert retry.meta[INFLIGHT_META] == second.meta[INFLIGHT_META]
    scheduler.enqueue_request(retry)
    assert fleet.inflight() == 0 and fleet.queued() == 2
    held = scheduler.next_request()
    assert fleet.inflight() == 1
    fleet.leave()  # its heartbeat stops: to another worker it is dead
    other = Fleet(server, fleet.run, worker="other-worker", heartbeat_ttl=5)
    other.join()
    assert other.requeue_dead() == {fleet.worker: 1}
    assert fleet.inflight() == 0 and fleet.queued() == 2
    urls = sorted(scheduler.next_request().url for _ in range(2))
    assert held.url in urls


def test_seeding_twice_queues_nothing_twice_and_other_parameters_are_refused(server, redis_url):
    assert "Example" in wildcrawl("seed", "--help").stdout

    def seed(*args):
        return wildcrawl("seed", "--redis", redis_url, "demo-bazaar", *args)

    first = seed("-k", "ivory,pangolin")
    assert first.returncode == 0, first.stderr
    assert "started run demo-bazaar:" in first.stdout and "2 of 2 search requests" in first.stdout
    again = seed("-k", "ivory,pangolin")
    assert "re-seeded" in again.stdout and "0 of 2 search requests" in again.stdout
    other = seed("-k", "rhino")
    assert other.returncode == 1
    lines = [line for line in other.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "already crawling with other parameters" in lines[0]
    down = wildcrawl("seed", "--redis", f"redis://127.0.0.1:{free_port()}/0", "demo-bazaar")
    assert down.returncode == 1 and "cannot reach Redis" in down.stderr
    assert len([line for line in down.stderr.splitlines() if line.strip()]) == 1


# --- whole fleets --------------------------------------------------------------------------------

EQUAL_SITES = ("demo-bazaar", "demo-jsmarket", "demo-tiaozao")
EQUAL_KEYWORDS = ["pangolin", "rhino", "穿山甲", "犀牛角"]


def test_two_workers_and_an_ingester_store_what_one_process_stores(
    tmp_path, server, redis_url, demo_server
):
    single_db = tmp_path / "single.db"
    single = run_cli(
        "crawl",
        *EQUAL_SITES,
        "--db",
        str(single_db),
        "-k",
        ",".join(EQUAL_KEYWORDS),
        "--max-pages",
        "50",
        *base_urls(demo_server, EQUAL_SITES),
        *NO_EVIDENCE,
    )
    assert single.returncode == 0, single.stderr[-3000:]
    mark = len(demo_server.request_log)

    db_path, ingest_log, _, _ = run_fleet(
        tmp_path, redis_url, demo_server, EQUAL_SITES, EQUAL_KEYWORDS
    )
    fleet_rows, single_rows = listings(db_path), listings(single_db)
    assert fleet_rows, "the fleet stored nothing"
    assert set(fleet_rows) == set(single_rows)
    differing = {
        key: {c: (row[c], single_rows[key][c]) for c in row if row[c] != single_rows[key][c]}
        for key, row in fleet_rows.items()
        if row != single_rows[key]
    }
    assert not differing, differing
    db = sqlite_utils.Database(db_path)
    by_site = Counter(r["marketplace"] for r in fleet_rows.values())
    for site in EQUAL_SITES:
        assert {r["item_id"] for r in fleet_rows.values() if r["marketplace"] == site} == truth(
            demo_server, site, EQUAL_KEYWORDS
        )
    one = sqlite_utils.Database(single_db)
    for table, key in (("matches", "listing_id, term_id, field, start"), ("sellers", "id")):
        query = f"select {key} from {table} order by {key}"
        assert list(db.query(query)) == list(one.query(query)), table
    crawls = {c["marketplace"]: c for c in db.query("select * from crawls")}
    assert set(crawls) == set(EQUAL_SITES)
    for site, c in crawls.items():
        assert c["status"] == "finished" and c["finished_at"], c
        assert c["listings_seen"] == c["listings_new"] == by_site[site], c
        assert c["pages"] > by_site[site]  # results pages + detail pages, summed over workers
    assert "finished" in tail(ingest_log)

    # Each URL the crawl asked for was fetched once across both workers. The browser's own
    # sub-requests (scripts, the JS market's /api/ calls) and robots.txt are per browser/worker.
    fetched = Counter(
        (r.site, r.target)
        for r in demo_server.request_log[mark:]
        if r.path != "/robots.txt"
        and not r.path.startswith(("/static/", "/api/", "/img/"))
        and r.path != "/favicon.ico"
    )
    assert fetched, "the demo server saw no request"
    twice = {k: v for k, v in fetched.items() if v > 1}
    assert not twice, twice


KILL_SITES = ("demo-tiaozao",)  # an HTTP site is enough here
KILL_KEYWORDS = ["象牙", "穿山甲"]


def test_a_worker_killed_mid_crawl_loses_nothing(tmp_path, server, redis_url, demo_server):
    from crawler.fleet.redis_frontier import RunKeys, loads

    mark = len(demo_server.request_log)
    held: dict[str, list[str]] = {}
    killed_at: list[float] = []

    def kill_one_mid_crawl(workers):
        victim = workers[0]
        deadline = time.time() + 180
        while time.time() < deadline:
            mine = [
                w.decode()
                for r in server.smembers("wildcrawl:runs")
                for w in server.smembers(RunKeys(r.decode()).workers)
                if f"-{victim.pid}-" in w.decode()
            ]
            keys = [
                RunKeys(r.decode()).inflight(w)
                for r in server.smembers("wildcrawl:runs")
                for w in mine
            ]
            done = len(demo_server.request_log) - mark
            if done >= 15 and any(server.hlen(k) for k in keys):
                os.kill(victim.pid, signal.SIGSTOP)  # freeze it, then read what it holds
                for key in keys:
                    held[key] = [loads(v)["url"] for v in server.hvals(key)]
                killed_at.append(time.time())
                os.kill(victim.pid, signal.SIGKILL)
                return
            assert victim.poll() is None, "the worker ended before it could be killed"
            time.sleep(0.05)
        pytest.fail("the worker never held a request in flight")

    db_path, ingest_log, logs, workers = run_fleet(
        tmp_path,
        redis_url,
        demo_server,
        KILL_SITES,
        KILL_KEYWORDS,
        # Slow the crawl down so that the kill lands mid-crawl with requests in flight.
        worker_args=["-s", "DOWNLOAD_DELAY=0.2"],
        on_running=kill_one_mid_crawl,
    )
    assert workers[0].returncode == -signal.SIGKILL and workers[1].returncode == 0
    in_flight = [url for urls in held.values() for url in urls]
    assert in_flight, "nothing was in flight at the kill: the test proves nothing"

    rows = listings(db_path)
    for site in KILL_SITES:
        assert {r["item_id"] for r in rows.values() if r["marketplace"] == site} == truth(
            demo_server, site, KILL_KEYWORDS
        ), site
    # The dead worker's in-flight requests were re-queued and fetched again by the other.
    after = {
        f"{demo_server.base_url(r.site)}{r.target}"
        for r in demo_server.request_log
        if r.at >= killed_at[0]
    }
    assert set(in_flight) <= after, set(in_flight) - after
    db = sqlite_utils.Database(db_path)
    crawls = list(db.query("select * from crawls"))
    assert sorted(c["marketplace"] for c in crawls) == sorted(KILL_SITES)
    assert all(c["status"] == "finished" for c in crawls), crawls
    assert any("without a report" in (c["message"] or "") for c in crawls), crawls
    log = tail(ingest_log, 20000) + tail(logs[1], 200000)
    assert "in-flight requests re-queued" in log
    assert db["observations"].count == db["listings"].count


def test_pickle_of_a_real_browser_request_round_trips():
    """The JS market's requests (PageMethods in meta) go through the frontier serializer."""
    from crawler.config import load_marketplace
    from crawler.fleet.redis_frontier import dumps, loads
    from spiders.marketplace import MarketplaceSpider

    spider = MarketplaceSpider(marketplace=load_marketplace("demo-jsmarket"), keywords=["ivory"])
    request = spider.search_request("ivory", 1)
    back = loads(dumps(request.to_dict(spider=spider)))
    assert back["meta"]["playwright"] is True
    assert [m.method for m in back["meta"]["playwright_page_methods"]] == [
        m.method for m in request.meta["playwright_page_methods"]
    ]
    assert pickle.dumps(back)  # plain data all the way down


def test_a_restarted_ingester_carries_on_with_the_same_crawl_row(server, tmp_path):
    from crawler.config import load_marketplace
    from crawler.crawl.pipelines.store import marketplace_row
    from crawler.fleet.ingest import Ingester
    from crawler.fleet.redis_frontier import ITEMS_KEY, Fleet, RunParams, open_run

    config = load_marketplace("demo-bazaar")
    params = RunParams(config.name, {"ivory": "en"}, config.base_url, 3, marketplace_row(config))
    run, _, created = open_run(server, params)
    assert created
    worker = Fleet(server, run, worker="worker-1", heartbeat_ttl=30)
    worker.join()

    def item(n: int) -> dict:
        return {
            "id": f"demo-bazaar:{n}", "marketplace": "demo-bazaar", "item_id": str(n),
            "url": f"{config.base_url}/listing/{n}", "title": f"Ivory carving {n}",
            "seen_at": "2026-11-28T04:00:00Z", "price": 10.0 * n, "currency": "EUR",
        }  # fmt: skip

    for n in (1, 2, 3):
        worker.send_item(item(n))
    db_path = tmp_path / "ingest.db"
    first = Ingester(server, db_path, read_size=2)
    assert first.step() == 2  # two messages, committed, then gone from Redis
    assert server.llen(ITEMS_KEY) == 1
    first.db.close()

    worker.send_item(item(2))  # sent again: its worker died before acknowledging it
    worker.send_report("finished", {"downloader/response_count": 7, "wildcrawl/pages/results": 2})
    worker.leave()
    second = Ingester(server, db_path)
    while second.step():
        pass
    assert [(f.marketplace, f.status, f.listings) for f in second.finished] == [
        ("demo-bazaar", "finished", 3)
    ]
    db = sqlite_utils.Database(db_path)
    crawls = list(db.query("select * from crawls"))
    assert len(crawls) == 1
    assert (crawls[0]["status"], crawls[0]["pages"], crawls[0]["listings_seen"]) == (
        "finished",
        7,
        3,
    )
    assert db["listings"].count == 3 and db["observations"].count == 3
    assert server.get(f"wildcrawl:current:{config.name}") is None  # the next crawl is a new run
    assert not server.exists(f"wildcrawl:run:{run}")


# --- the window between a callback's end and its items reaching Redis ------------------------


@pytest.mark.parametrize(
    "steps, acked, waiting",
    [
        # (call, token) in order -> tokens acked (in order), requests still waiting for output
        ([("finish", "a")], ["a"], 0),  # no output: acked when the callback ends
        ([("hold", "a"), ("finish", "a")], [], 1),  # its item is still in the pipelines
        ([("hold", "a"), ("finish", "a"), ("settle", "a")], ["a"], 0),
        ([("hold", "a"), ("settle", "a"), ("finish", "a")], ["a"], 0),  # handled before the end
        ([("hold", "a"), ("hold", "a"), ("finish", "a"), ("settle", "a")], [], 1),
        (
            [("hold", "a"), ("hold", "b"), ("finish", "b"), ("finish", "a"), ("settle", "a")],
            ["a"],
            1,
        ),
        ([("hold", "a"), ("settle", "a"), ("hold", "a"), ("finish", "a")], [], 1),
        ([("settle", "x"), ("finish", None), ("hold", None)], [], 0),  # unknown or no token
        ([("hold", "a"), ("finish", "a"), ("release_stranded", None)], ["a"], 0),
        ([("hold", "a"), ("release_stranded", None)], [], 0),  # its callback is still running
    ],
)
def test_a_request_is_acked_only_once_all_of_its_output_is_handled(steps, acked, waiting):
    from crawler.fleet.redis_frontier import PendingAcks

    done: list[str] = []
    pending = PendingAcks(done.append)
    for call, token in steps:
        if call == "release_stranded":
            pending.release_stranded()
        else:
            getattr(pending, call)(token)
    assert (done, pending.waiting()) == (acked, waiting)


class HoldOneListing:
    """A test-only pipeline stage (before the push to Redis) that freezes the worker on one item.

    It writes the item's URL to ``WILDCRAWL_TEST_HOLD_MARK`` and blocks the reactor: the
    item stays between its callback (long ended) and Redis until the test kills the worker.
    """

    def __init__(self, item_id: str, mark: Path):
        self.item_id, self.mark = item_id, mark

    @classmethod
    def from_crawler(cls, crawler):
        return cls(
            os.environ["WILDCRAWL_TEST_HOLD_ITEM"], Path(os.environ["WILDCRAWL_TEST_HOLD_MARK"])
        )

    def process_item(self, item):
        if item.get("item_id") == self.item_id:
            self.mark.write_text(item["url"], encoding="utf-8")
            time.sleep(600)  # the test SIGKILLs the process meanwhile
        return item


HOLDING_WORKER = """
import sys
from crawler.fleet.distributed import run_workers, worker_settings
url, site, base, keywords, db = sys.argv[1:6]
pipelines = {**worker_settings(url)["ITEM_PIPELINES"], "tests.test_distributed.HoldOneListing": 860}
run_workers([site], url, db, keywords=keywords.split(","), base_urls={site: base}, max_pages=50,
            settings={"ITEM_PIPELINES": pipelines, "WILDCRAWL_HEARTBEAT_TTL": 2,
                      "WILDCRAWL_EVIDENCE": False})
"""


def test_an_item_still_in_the_pipelines_keeps_its_request_in_flight(
    tmp_path, server, redis_url, demo_server
):
    from crawler.fleet.redis_frontier import RunKeys, loads

    site, keywords = "demo-tiaozao", ["象牙"]
    expected = truth(demo_server, site, keywords)
    held_id = "700000086621" if "700000086621" in expected else min(expected)
    common = [site, "-k", ",".join(keywords), "--max-pages", "50"]
    common += base_urls(demo_server, [site])
    seeded = wildcrawl("seed", "--redis", redis_url, *common)
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    db_path, mark = tmp_path / "fleet.db", tmp_path / "held.txt"
    ingest_log, holder_log, other_log = (tmp_path / f"{n}.log" for n in ("ingest", "a", "b"))
    ingester = spawn(
        "ingest", "--redis", redis_url, "--db", str(db_path), "--until-done", log=ingest_log
    )
    env = {**os.environ, "WILDCRAWL_TEST_HOLD_ITEM": held_id, "WILDCRAWL_TEST_HOLD_MARK": str(mark)}
    args = [redis_url, site, demo_server.base_url(site), ",".join(keywords)]
    with open(holder_log, "w", encoding="utf-8") as fh:
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLDING_WORKER, *args, str(tmp_path / "unused.db")],
            cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT,
        )  # fmt: skip
    procs = [ingester, holder]
    try:
        deadline = time.time() + 120
        while not mark.exists():
            assert holder.poll() is None, tail(holder_log)
            assert time.time() < deadline, "the held listing never reached the pipelines"
            time.sleep(0.05)
        held_url = mark.read_text(encoding="utf-8")
        # The detail page's callback ended long ago; its item is not in Redis yet.
        mine = [
            RunKeys(r.decode()).inflight(w.decode())
            for r in server.smembers("wildcrawl:runs")
            for w in server.smembers(RunKeys(r.decode()).workers)
            if f"-{holder.pid}-" in w.decode()
        ]
        in_flight = {loads(v)["url"] for key in mine for v in server.hvals(key)}
        assert held_url in in_flight, "the request was acked before its item reached Redis"
        killed_at = time.time()
        holder.kill()
        holder.wait(timeout=10)
        other = spawn(
            "crawl", "--redis", redis_url, "--db", str(tmp_path / "unused.db"), *common,
            *NO_EVIDENCE, "-s", "WILDCRAWL_HEARTBEAT_TTL=2", log=other_log,
        )  # fmt: skip
        procs.append(other)
        assert other.wait(timeout=120) == 0, tail(other_log)
        assert ingester.wait(timeout=60) == 0, tail(ingest_log)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    # Re-queued by whoever noticed first: the other worker or the ingester.
    assert "in-flight requests re-queued" in tail(other_log, 200000) + tail(ingest_log, 20000)
    refetched = {
        f"{demo_server.base_url(r.site)}{r.target}"
        for r in demo_server.request_log
        if r.at >= killed_at
    }
    assert held_url in refetched
    rows = listings(db_path)
    assert {r["item_id"] for r in rows.values() if r["marketplace"] == site} == expected
    assert f"{site}:{held_id}" in rows
    assert sqlite_utils.Database(db_path)["observations"].count == len(rows)
