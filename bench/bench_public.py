"""Benchmark of the immutable public instance on a synthetic database (not a test).

    .venv/bin/python bench/bench_public.py [--listings 1000000] [--requests 40] [--keep DIR]
                                           [--reuse] [--stock] [--cache DIR] [--no-cache]

Builds an internal database of N synthetic listings (clearly synthetic: titles
are made from lexicon-like words, sellers are ``seller<n>``), publishes it with
``crawler.publish.release``, serves the release with ``datasette -i --inspect-file``
on a free 127.0.0.1 port and reports the median and p95 time of an FTS search
page, a faceted table page and a canned query page. Target: p95 < 200 ms for
FTS and facet pages. ``--stock`` also serves the same release without its plugin
(Datasette's own facets), one after the other in the same run, for a ratio.

Building and publishing a million listings takes minutes (about 25 on the shared 2-core
machine), so the release is cached under ``--cache`` (default ``output/bench-public/``) by a
digest of what makes it: the listing count, this file, the release builder
(``crawler/publish``), the schema and text code it uses (``crawler/store``,
``crawler/normalise``) and the SQLite and Datasette versions. A rerun with the same inputs
serves the cached release; any change to those files publishes again.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.publish.release import publish, serve_command
from crawler.store.database import ensure_schema, open_database

ROOT = Path(__file__).resolve().parents[1]

PRODUCTS = [
    "ivory bangle",
    "ivory carving",
    "rhino horn cup",
    "pangolin scales",
    "tiger bone",
    "shark fin",
    "tortoiseshell comb",
    "wooden bowl",
    "silver ring",
    "leather bag",
    "象牙手镯",
    "穿山甲鳞片",
    "犀牛角杯",
    "Elfenbein Armreif",
    "vintage lamp",
]
TAXA = [
    ("Loxodonta africana", "elephants"),
    ("Diceros bicornis", "rhinos"),
    ("Manis pentadactyla", "pangolins"),
    ("Panthera tigris", "big cats"),
    (None, None),
]
MARKETS = [
    ("demo-bazaar", "DE", "EUR"),
    ("demo-jsmarket", "US", "USD"),
    ("demo-tiaozao", "CN", "CNY"),
]


def build(path: Path, n: int, seed: int = 7, risk: str = "ties") -> None:
    """Write ``n`` synthetic listings (plus sellers, matches) straight into the schema.

    ``risk="ties"``: two risk scores (0.9 with a taxon, else 0.1), as the matcher's few rounded
    weights tie many listings; the release breaks ties by id, so each marketplace's (and so
    each country's) listings are one run inside a tie. ``"spread"``: distinct scores (the same
    listings otherwise), which mixes marketplaces through the page order.
    """
    rng = random.Random(seed)
    spread = random.Random(seed + 1) if risk == "spread" else None
    db = open_database(path)
    ensure_schema(db)
    db["listings"].disable_fts()  # the release builds its own index
    # A throw-away file: no journal, no fsync (never do this for a real crawl database).
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -200000")
    with db.conn:
        for name, country, currency in MARKETS:
            db["marketplaces"].insert(
                {
                    "name": name,
                    "title": name,
                    "country": country,
                    "currency": currency,
                    "base_url": "http://127.0.0.1/",
                }
            )
            db["crawls"].insert(
                {
                    "marketplace": name,
                    "started_at": "2026-01-01T00:00:00Z",
                    "finished_at": "2026-11-30T00:00:00Z",
                    "status": "finished",
                    "keywords": json.dumps(["ivory", "象牙"]),
                }
            )
        db["taxa"].insert_all(
            [{"id": t, "scientific_name": t, "taxon_group": g} for t, g in TAXA if t]
        )
        db["terms"].insert_all(
            [
                {"id": f"t{i}", "term": p, "kind": "product", "product": p.split()[-1]}
                for i, p in enumerate(PRODUCTS)
            ]
        )
    sellers = max(1, n // 20)
    conn = db.conn
    conn.execute("BEGIN")
    conn.executemany(
        "insert into sellers (id, marketplace, seller_key, handle, name, profile_url)"
        " values (?, ?, ?, ?, ?, ?)",
        (
            (
                f"{MARKETS[i % 3][0]}:seller{i}",
                MARKETS[i % 3][0],
                f"seller{i}",
                f"seller{i}",
                f"Seller {i}",
                f"http://127.0.0.1/u/seller{i}",
            )
            for i in range(sellers)
        ),
    )
    batch, matches = [], []
    for i in range(n):
        market, country, currency = MARKETS[i % 3]
        product = rng.randrange(len(PRODUCTS))
        taxon = TAXA[product % len(TAXA)][0]
        seller = rng.randrange(sellers) // 3 * 3 + i % 3
        month = 1 + rng.randrange(11)
        title = f"{PRODUCTS[product]} lot {rng.randrange(10_000)}"
        desc = f"Good condition {PRODUCTS[product]}, " + (
            "WeChat: seller" + str(seller) if rng.random() < 0.05 else "pickup only"
        )
        price = round(rng.lognormvariate(5, 1.2), 2)
        batch.append(
            (
                f"{market}:{i}",
                market,
                str(i),
                f"http://127.0.0.1/item/{i}",
                title,
                desc,
                f"{price} {currency}",
                price,
                currency,
                price,
                f"{market}:seller{seller}",
                country,
                f"2026-{month:02d}-{1 + i % 28:02d}T10:00:00Z",
                "2026-11-30T10:00:00Z",
                "active",
                int(taxon is not None),
                (0.9 if taxon else 0.1)
                if spread is None
                else spread.random() / 2 + 0.5 * bool(taxon),
            )
        )
        if taxon:
            matches.append((f"{market}:{i}", f"t{product}", "title", 0, 5, taxon, "product"))
        if len(batch) >= 50_000:
            _flush(conn, batch, matches)
    _flush(conn, batch, matches)
    conn.execute("COMMIT")
    db.close()


def _flush(conn, batch, matches) -> None:
    conn.executemany(
        "insert into listings (id, marketplace, item_id, url, title, description, price_text, "
        "price, currency, price_usd, seller_id, country, first_seen, last_seen, status, flagged, "
        "risk) values (" + ",".join("?" * 17) + ")",
        batch,
    )
    conn.executemany(
        "insert into matches (listing_id, term_id, field, start, end, taxon_id, "
        "kind) values (?, ?, ?, ?, ?, ?, ?)",
        matches,
    )
    batch.clear()
    matches.clear()


# What a release is made from: a change to any of these files publishes it again.
RELEASE_INPUTS = ("crawler/publish", "crawler/store", "crawler/normalise", "bench/bench_public.py")


def release_digest(listings: int, root: Path = ROOT, risk: str = "ties") -> str:
    """A digest of everything a cached release depends on (see the module docstring)."""
    import datasette

    h = hashlib.sha256(f"{listings}|{sqlite3.sqlite_version}|{datasette.__version__}".encode())
    if risk != "ties":
        h.update(risk.encode())
    for name in RELEASE_INPUTS:
        top = root / name
        for path in sorted([top] if top.is_file() else top.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(url: str, count: int, server_pid: int | None = None) -> tuple[list[float], float]:
    """Wall-clock ms of ``count`` requests after one warm-up, and the server's CPU ms per request.

    The CPU time (user + system of the ``datasette`` process) hardly depends on what else
    runs on the machine; the wall-clock times do.
    """
    urllib.request.urlopen(url, timeout=60).read()  # warm caches once
    server = psutil.Process(server_pid) if server_pid else None
    cpu_before = sum(server.cpu_times()[:2]) if server else 0.0
    times = []
    for _ in range(count):
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            assert response.status == 200
        times.append((time.perf_counter() - start) * 1000)
    cpu = (sum(server.cpu_times()[:2]) - cpu_before) * 1000 / count if server else float("nan")
    return times, cpu


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def pages(base: str) -> dict[str, str]:
    """The pages a journalist opens; the listings page runs the release's four default facets."""
    return {
        "FTS search page": f"{base}/listings?_search=pangolin",
        "FTS search, Chinese": f"{base}/listings?_search=" + urllib.parse.quote("象牙"),
        "FTS search + filter": f"{base}/listings?_search=ivory&country=CN",
        "faceted table page": f"{base}/listings",
        "faceted, filtered": f"{base}/listings?marketplace=demo-bazaar",
        "canned query page": f"{base}/repeat_sellers",
    }


def measure(release_dir: Path, requests: int, plugin: bool = True) -> dict[str, tuple]:
    """{page: (median ms, p95 ms)} on a fresh ``datasette serve`` of the release.

    ``plugin=False`` serves the same release without its plugins/ folder: Datasette's own
    facets and default connection settings, for a ratio measured in the same run.
    """
    port = _free_port()
    cmd = serve_command(release_dir, "127.0.0.1", port)
    if not plugin:
        at = cmd.index("--plugins-dir")
        del cmd[at : at + 2]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/wildcrawl-public"
    figures: dict[str, tuple] = {}
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + ".json", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        for label, url in pages(base).items():
            try:
                times, cpu = timed(url, requests, proc.pid)
                times.sort()
            except urllib.error.HTTPError as exc:  # e.g. 400: sql_time_limit_ms exceeded
                figures[label] = (f"HTTP {exc.code}",)
                continue
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            figures[label] = (statistics.median(times), p95, cpu)
    finally:
        proc.terminate()
        proc.wait()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument(
        "--risk",
        choices=("ties", "spread"),
        default="ties",
        help="Risk scores of the synthetic listings: two values, ties broken by id (default, "
        "as the matcher's rounded weights), or distinct ones.",
    )
    parser.add_argument("--keep", type=Path, help="Work folder to keep (default: a temp dir).")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Reuse the release already in --keep instead of publishing again.",
    )
    parser.add_argument(
        "--stock",
        action="store_true",
        help="Also time the release without its plugin (Datasette's own facets).",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=ROOT / "output" / "bench-public",
        help="Folder of releases cached by a digest of their inputs (without --keep).",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="Publish again even if a cached release matches."
    )
    parser.add_argument(
        "--against",
        type=Path,
        help="Another release folder (e.g. made by older code) timed alternately with this one.",
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="Times each release is served and timed, alternately."
    )
    args = parser.parse_args()
    t0 = time.perf_counter()
    if args.keep:
        work = args.keep
        work.mkdir(parents=True, exist_ok=True)
        internal, release_dir = work / "internal.db", work / "public"
        if not internal.exists():
            build(internal, args.listings, risk=args.risk)
        t1 = time.perf_counter()
        if not (args.reuse and (release_dir / "inspect-data.json").exists()):
            publish(internal, release_dir, key=bytes(32))
        how = ""
    else:
        name = f"{args.listings}{'' if args.risk == 'ties' else '-' + args.risk}"
        release_dir = args.cache / f"{name}-{release_digest(args.listings, risk=args.risk)}"
        t1 = t0
        how = f"cached in {release_dir}"
        if args.no_cache or not (release_dir / "inspect-data.json").exists():
            args.cache.mkdir(parents=True, exist_ok=True)
            work = Path(tempfile.mkdtemp(prefix=".work-", dir=args.cache))
            try:
                build(work / "internal.db", args.listings, risk=args.risk)
                t1 = time.perf_counter()
                publish(work / "internal.db", work / "public", key=bytes(32))
                for older in args.cache.glob(f"{name}-" + "[0-9a-f]" * 16):  # ~1 GB each at 1M
                    shutil.rmtree(older)
                os.replace(work / "public", release_dir)
            finally:
                shutil.rmtree(work, ignore_errors=True)
            how = f"written to {release_dir}"
    t2 = time.perf_counter()
    db_path = release_dir / "wildcrawl-public.db"
    print(
        f"{args.listings:,} listings: build {t1 - t0:.0f} s, publish {t2 - t1:.0f} s, "
        f"release {db_path.stat().st_size / 1e6:.0f} MB {how}; {load()}"
    )
    runs, loads = {}, []
    for n in range(1, args.rounds + 1):
        suffix = f" {n}" if args.rounds > 1 else ""
        for name, folder in [("release", release_dir), ("against", args.against)]:
            if folder is not None:
                runs[name + suffix] = measure(folder, args.requests)
                loads.append(f"{name + suffix}: {load()}")
    if args.stock:
        runs["no plugin"] = measure(release_dir, args.requests, plugin=False)
    if len(loads) > 1:
        print("; ".join(loads))
    print(
        f"{args.requests} requests per page after one warm-up (CPU: the server's CPU ms per "
        f"request); {load()}"
    )
    header = "".join(f"{name + ' median':>18}{'p95':>8}{'CPU':>7}" for name in runs)
    print(f"{'page (ms)':<22}{header}")
    for label in pages(""):
        cells = ""
        for figures in runs.values():
            value = figures.get(label, ("-",))
            cells += (
                f"{value[0]:>18.1f}{value[1]:>8.1f}{value[2]:>7.1f}"
                if len(value) == 3
                else f"{value[0]:>33}"
            )
        print(f"{label:<22}{cells}")


if __name__ == "__main__":
    main()
