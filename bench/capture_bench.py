"""The evidence screenshots alone: CPU of the whole process tree per capture run.

    python -m bench.capture_bench                                  # quick JS workload's 20
    python -m bench.capture_bench --root OLD --root . --runs 3     # two checkouts, alternately
    python -m bench.capture_bench --weight web-almanac-2024 --keep DIR   # heavy pages, keep files

One crawl of the quick JS workload (``python -m bench``'s ``js`` scenario, screenshots left
queued) fills an evidence queue: the flagged listings of demo-jsmarket, 20 with the default
keywords. Each run then takes that queue's screenshots from a copy of the database, in a
process of its own (``crawler.crawl.runner.capture_screenshots``, the call ``wildcrawl crawl``
makes when its crawl ends), sampled by ``bench.cpu_split.run_split``: CPU s by kind of process
(Python, Playwright's driver, Chromium's browser process, renderers), wall time, the
screenshots' bytes and sizes. The demo server runs in a process of its own, not counted.
``--root DIR`` (repeated) takes the screenshots with the crawler of each checkout in turn,
run by run, from the same queue and server; ``--prelude FILE`` runs Python in the capturing
process first (to try a variant without changing the code).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from bench.cpu_split import KINDS, run_split
from bench.demo_process import ServedDemo
from bench.run import ROOT

SITE = "demo-jsmarket"

# Run in the capturing process, with the checkout under test first on sys.path:
# argv = [db, base_url, result_json, prelude or ""].
_CAPTURE = (
    r"""
import json, sqlite3, sys
db, base, out, prelude = sys.argv[1:5]
if prelude:
    exec(open(prelude).read())
from crawler.config import load_marketplace
from crawler.crawl.runner import capture_screenshots, project_settings
config = load_marketplace("%s").with_base_url(base)
result = capture_screenshots(db, project_settings(db), [config])
with sqlite3.connect(db) as conn:
    rows = conn.execute(
        "select path, bytes from evidence where kind = 'screenshot' order by id").fetchall()
json.dump({"captured": result.captured if result else 0,
           "failed": result.failed if result else 0,
           "seconds": result.seconds if result else 0.0,
           "files": rows}, open(out, "w"))
"""
    % SITE
)

# Crawl the quick JS workload, leaving its screenshots queued: argv = [db, base_url].
_SEED = (
    r"""
import sys
from crawler.config import load_marketplace
from crawler.crawl.runner import run_crawl
db, base = sys.argv[1:3]
config = load_marketplace("%s").with_base_url(base)
config = config.model_copy(update={"browser": config.browser.model_copy(update={"max_rounds": 1})})
run_crawl([config], db, keywords=["ivory"], max_pages=1,
          settings={"WILDCRAWL_SCREENSHOTS": "later"})
"""
    % SITE
)


def seed_queue(base_url: str, db: Path) -> int:
    """Crawl once with the screenshots left queued; how many are queued."""
    subprocess.run(
        [sys.executable, "-c", _SEED, str(db), base_url],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from evidence_queue").fetchone()[0]


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG or JPEG (None for anything else)."""
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker, length = data[i + 1], int.from_bytes(data[i + 2 : i + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2):
                return (
                    int.from_bytes(data[i + 7 : i + 9], "big"),
                    int.from_bytes(data[i + 5 : i + 7], "big"),
                )
            i += 2 + length
    return None


def capture_once(root: Path, db: Path, base_url: str, log: Path, prelude: str = "") -> dict:
    out = db.with_suffix(".json")
    cmd = [sys.executable, "-c", _CAPTURE, str(db), base_url, str(out), prelude]
    run = run_split(cmd, log, root=root)
    del run["timeline"]
    done = json.loads(out.read_text()) if out.exists() else {"captured": 0, "files": []}
    sizes = []
    total = 0
    for path, size in done["files"]:
        data = (db.parent / path).read_bytes()
        total += size
        sizes.append(image_size(data))
    run.update(
        captured=done["captured"],
        failed=done.get("failed", 0),
        capture_seconds=done.get("seconds", 0.0),
        bytes=total,
        sizes=sizes,
        load=os.getloadavg()[0],
    )
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.capture_bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--weight", default="light", help="demo-jsmarket page weight")
    parser.add_argument("--root", action="append", default=[], help="a checkout (repeat)")
    parser.add_argument("--prelude", action="append", default=[], help="NAME=FILE variant")
    parser.add_argument("--keep", help="keep the databases and evidence here")
    args = parser.parse_args(argv)
    variants = [(Path(r).resolve(), "") for r in args.root] or [(ROOT, "")]
    for spec in args.prelude:  # each prelude is one more variant, with the first checkout
        variants.append((variants[0][0], str(Path(spec).resolve())))
    names = [f"{root.name}" + (f"+{Path(p).stem}" if p else "") for root, p in variants]
    results: dict[str, list[dict]] = defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="wildcrawl-capture-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        with ServedDemo(args.size, [SITE], weight=args.weight) as demo:
            base = demo.base_urls[SITE]
            seed = work / "seed.db"
            queued = seed_queue(base, seed)
            print(f"{queued} screenshots queued; load average {os.getloadavg()[0]:.1f}", flush=True)
            for run in range(args.runs):
                for name, (root, prelude) in zip(names, variants, strict=True):
                    folder = work / f"{name}-{run}"
                    shutil.rmtree(folder, ignore_errors=True)
                    folder.mkdir()
                    db = folder / "wc.db"
                    shutil.copy(seed, db)
                    r = capture_once(root, db, base, folder / "capture.log", prelude)
                    results[name].append(r)
                    kinds = " ".join(f"{k} {v:.2f}" for k, v in sorted(r["kinds"].items()) if v)
                    shapes = sorted({s for s in r["sizes"] if s})
                    print(
                        f"{name} run {run + 1}: {r['captured']} captured ({r['failed']} failed)"
                        f" in {r['capture_seconds']:.1f} s, total {r['total']:.2f} CPU s"
                        f" ({kinds}; unsampled {r['unsampled']:.2f}), {r['bytes'] / 1e6:.2f} MB,"
                        f" sizes {shapes[:3]}{'...' if len(shapes) > 3 else ''},"
                        f" load {r['load']:.1f}",
                        flush=True,
                    )
    print()
    for name, runs in results.items():
        med = lambda f: statistics.median(f(r) for r in runs)  # noqa: E731
        line = f"{name}: median {med(lambda r: r['total']):.2f} CPU s"
        line += f" ({med(lambda r: r['total'] / max(r['captured'], 1)):.3f} per screenshot)"
        for k in KINDS:
            if any(r["kinds"].get(k) for r in runs):
                line += f", {k} {med(lambda r, k=k: r['kinds'].get(k, 0.0)):.2f}"
        line += f"; {med(lambda r: r['bytes']) / 1e6:.2f} MB"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
