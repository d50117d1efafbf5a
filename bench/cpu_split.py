"""Where a browser crawl's CPU goes: the process tree split by kind, and by phase.

    python -m bench.cpu_split --only js,js-crawlee --runs 3          # quick workload (49 pages)
    python -m bench.cpu_split --only js,js-crawlee --full            # full workload (97 pages)

Runs the scenarios of ``python -m bench`` (same workloads, same demo server in its own
process), alternately, and samples every process of each crawler's tree every 50 ms with
psutil: CPU seconds (user + system) by kind of process (the crawler's Python, Playwright's
driver, Chromium's browser process, renderers, GPU, utility/network, zygote) and, for
wildcrawl, by phase (start-up until the crawl starts, the crawl, the evidence screenshots
after it, from the ``crawl_window`` its process reports). A process's last sample is what it
is charged with, so CPU a process spent in its last 50 ms before exiting is missed: the
``unsampled`` column is the tree's total (``wait4`` plus the orphans it re-parented, as
``bench.measure`` counts it) minus the samples. Prints one line per run
and medians per scenario, per page, with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import psutil

from bench.demo_process import ServedDemo
from bench.measure import (
    _known_children,
    _reap_remaining,
    become_subreaper,
    current_kind,
    reap_orphans,
)
from bench.run import MODES, ROOT, SCENARIOS, compile_sources, workload_for
from bench.workload import expected_pages

KINDS = ("python", "driver", "browser", "renderer", "gpu", "utility", "zygote", "other")


def run_split(cmd: list[str], log_path: Path, interval: float = 0.05, root: Path = ROOT) -> dict:
    """Run ``cmd``; per-kind CPU seconds (last sample of each process) and a timeline."""
    last: dict[int, tuple[str, float]] = {}
    become_subreaper()  # orphaned Chromium processes stay in view (bench.measure)
    known = _known_children()
    orphan_cpu = 0.0
    timeline: list[tuple[float, dict[str, float]]] = []
    with open(log_path, "wb") as log:
        started = time.perf_counter()
        child = subprocess.Popen(
            cmd,
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        root = psutil.Process(child.pid)
        born = root.create_time()
        kinds: dict[int, str] = {}
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid == child.pid:
                break
            try:
                members = [root, *root.children(recursive=True)]
                for orphan in psutil.Process().children():
                    if orphan.pid not in known and orphan.pid != child.pid:
                        members += [orphan, *orphan.children(recursive=True)]
            except psutil.Error:
                members = []
            for member in members:
                try:
                    t = member.cpu_times()
                except psutil.Error:
                    continue
                last[member.pid] = (current_kind(member, child.pid, kinds), t.user + t.system)
            by_kind: dict[str, float] = defaultdict(float)
            for k, cpu in last.values():
                by_kind[k] += cpu
            timeline.append((time.time() - born, dict(by_kind)))
            orphan_cpu += reap_orphans(known | {child.pid})
            time.sleep(interval)
        wall = time.perf_counter() - started
        orphan_cpu += _reap_remaining(known, timeout=5.0)
    become_subreaper(False)
    total = usage.ru_utime + usage.ru_stime + orphan_cpu
    by_kind = defaultdict(float)
    for k, cpu in last.values():
        by_kind[k] += cpu
    return {
        "returncode": os.waitstatus_to_exitcode(status),
        "wall": wall,
        "total": total,
        "orphans": orphan_cpu,
        "kinds": dict(by_kind),
        "unsampled": total - sum(by_kind.values()),
        "timeline": timeline,
    }


def _at(timeline: list, when: float) -> dict[str, float]:
    """Per-kind cumulative CPU at ``when`` seconds after the process started."""
    before = [k for t, k in timeline if t <= when]
    return before[-1] if before else {}


def phases(run: dict, window: list[float] | None) -> dict[str, float]:
    """CPU (all kinds) in start-up, crawl and after it, from the crawl window."""
    return {p: sum(k.values()) for p, k in phase_kinds(run, window).items()}


def phase_kinds(run: dict, window: list[float] | None) -> dict[str, dict[str, float]]:
    """CPU by kind in start-up, crawl and after it, from the crawl window."""
    if not window:
        return {}
    start, end = _at(run["timeline"], window[0]), _at(run["timeline"], window[1])
    kinds = run["kinds"]
    return {
        "startup": dict(start),
        "crawl": {k: end.get(k, 0.0) - start.get(k, 0.0) for k in kinds},
        "after": {k: kinds[k] - end.get(k, 0.0) for k in kinds},
    }


def _value(text: str):
    """A ``--set`` value: JSON when it parses (true, 4, {...}), else the string."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cpu_split", description=__doc__)
    parser.add_argument("--only", default="js,js-crawlee", help="scenario keys of python -m bench")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--full", action="store_true", help="the full workload, not --quick's")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--set", action="append", default=[], help="KEY=VALUE crawl setting")
    parser.add_argument("--json", help="write the runs here")
    parser.add_argument(
        "--root",
        action="append",
        default=[],
        help="run the crawlers of this checkout (repeat: checkouts alternate, run by run)",
    )
    args = parser.parse_args(argv)
    mode = MODES["full" if args.full else "quick"]
    wanted = [k for k in args.only.split(",") if k]
    scenarios = [s for k in wanted for s in SCENARIOS if s.key == k]
    extra = {k: _value(v) for k, v in (kv.split("=", 1) for kv in args.set)}
    roots = [Path(r).resolve() for r in args.root] or [ROOT]
    compile_sources()
    results: dict[str, list[dict]] = defaultdict(list)
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="wildcrawl-cpu-") as tmp:
        weights = {s.weight for s in scenarios}
        servers = {
            w: ServedDemo(args.size, ["demo-jsmarket", "demo-bazaar"], weight=w).start()
            for w in weights
        }
        try:
            work = Path(tmp)
            for run, s, root in (
                (run, s, root) for run in range(args.runs) for s in scenarios for root in roots
            ):
                key = s.key if len(roots) == 1 else f"{s.key}@{root.name}"
                w = workload_for(s, mode, args.size, servers[s.weight].base_urls[s.site], work, run)
                w.settings.update(extra)
                w.db = str(work / f"{key}-{run}.db")
                w.result = str(work / f"{key}-{run}.json")
                spec = w.dump(work / f"{key}-{run}.spec.json")
                log = work / f"{key}-{run}.log"
                r = run_split([sys.executable, "-m", s.module, "--spec", str(spec)], log, root=root)
                counts = json.loads(Path(w.result).read_text()) if Path(w.result).exists() else {}
                r["pages"] = counts.get("search_pages", 0) + counts.get("detail_pages", 0)
                r["expected"] = expected_pages(w).total
                r["phases"] = phases(r, counts.get("crawl_window"))
                r["phase_kinds"] = phase_kinds(r, counts.get("crawl_window"))
                r["load"] = os.getloadavg()[0]
                del r["timeline"]
                results[key].append(r)
                pages = r["pages"] or 1
                kinds = " ".join(f"{k} {v / pages:.4f}" for k, v in sorted(r["kinds"].items()) if v)
                ph = "; ".join(
                    f"{p} " + " ".join(f"{k} {v:.2f}" for k, v in sorted(kv.items()) if v > 0.005)
                    for p, kv in r["phase_kinds"].items()
                )
                print(
                    f"{key} run {run + 1}: {r['pages']}/{r['expected']} pages, "
                    f"total {r['total']:.2f} CPU s = {r['total'] / pages:.4f}/page "
                    f"(orphans {r['orphans']:.2f}); per page: "
                    f"{kinds} unsampled {r['unsampled'] / pages:.4f}; {ph}; "
                    f"load {r['load']:.1f}; rc {r['returncode']}",
                    flush=True,
                )
        finally:
            for server in servers.values():
                server.stop()
    print()
    for key, runs in results.items():
        per = lambda f: statistics.median(f(r) / (r["pages"] or 1) for r in runs)  # noqa: E731
        line = f"{key}: median {per(lambda r: r['total']):.4f} CPU s/page"
        for k in KINDS:
            if any(r["kinds"].get(k) for r in runs):
                line += f", {k} {per(lambda r, k=k: r['kinds'].get(k, 0.0)):.4f}"
        if runs[0]["phases"]:
            line += "; phases (s): " + ", ".join(
                f"{p} {statistics.median(r['phases'][p] for r in runs):.2f}"
                for p in ("startup", "crawl", "after")
            )
        print(line)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
