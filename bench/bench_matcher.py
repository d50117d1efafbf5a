"""Titles per second of the matcher (full lexicon, one core) beside a regex baseline.

The baseline is one compiled regular expression: an alternation of every term
of the same lexicon (longest first), run case-insensitively over the same
titles, with no normalisation and no scoring. Run from the repo root, pinned to
one core::

    taskset -c 0 .venv/bin/python -m bench.bench_matcher [--seconds 3] [--runs 3]

The titles: the labelled evaluation titles (``tests/data/matcher_eval.jsonl``), the 6,234
real listings' titles of ``keywords/labelled/real_listings.jsonl`` and the demo catalogues'.
Each rate is given per second of wall time and per second of CPU time of this
process, the median of ``--runs`` runs, with the load average; on a busy machine the
wall-time rate falls with the load, the CPU-time rate much less, so compare rates of one
run (the speed-up) or CPU-time rates. The baseline always runs at least one full pass
over the titles (about a minute).

Also measured: the matcher with the default relevance model (``crawler.matching.model``;
built into the cache on first use), the figure issue 21 asks to stay >= 20,000 titles/s on
one core, given as a rate and as a fraction of the matcher alone. The model keeps each
word's share of the score after its first sighting, so the rate is the steady state of a
crawl (the first pass over unseen words is slower: ``--cold`` measures that too).

``--against DIR`` compares this checkout's matcher with another's (say ``git worktree add
/tmp/before HEAD~5``): both run at once in two processes on the same core, so that both see
the same load, ``--passes`` passes each over the titles; the medians and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from crawler.matching.matcher import Matcher
from crawler.quality.evaluate_matcher import DEFAULT_EVAL, read_labelled

REAL_LISTINGS = (
    Path(__file__).resolve().parents[1] / "keywords" / "labelled" / "real_listings.jsonl"
)


def titles() -> list[str]:
    """The labelled evaluation titles, the real listings' titles, and the demo catalogues'."""
    found = [r["title"] for r in read_labelled(DEFAULT_EVAL)]
    if REAL_LISTINGS.exists():
        found += [r["title"] for r in read_labelled(REAL_LISTINGS) if r.get("title")]
    try:
        from crawler.demo.catalogue import SITES, generate_catalogue

        for site in SITES:
            found += [listing.title for listing in generate_catalogue(site)]
    except ImportError:
        pass
    return found


def rate(func, items: list[str], seconds: float) -> tuple[float, float]:
    """Items per second of ``func`` over ``items`` (wall time, CPU time), for about ``seconds``
    (at least one pass)."""
    done, start, cpu = 0, time.perf_counter(), time.process_time()
    while not done or time.perf_counter() - start < seconds:
        for item in items:
            func(item)
        done += len(items)
    return done / (time.perf_counter() - start), done / (time.process_time() - cpu)


def median_rate(func, items: list[str], seconds: float, runs: int) -> tuple[float, float]:
    """``rate`` run ``runs`` times: the medians of its wall-time and CPU-time rates."""
    rates = [rate(func, items, seconds) for _ in range(runs)]
    return statistics.median(r[0] for r in rates), statistics.median(r[1] for r in rates)


# One process of --against, run in a checkout's folder: its own matcher and titles (older
# checkouts have both), the CPU-time rate of each of the passes after a first one.
_PASSES = """
import json, sys, time
from bench.bench_matcher import titles
from crawler.matching.matcher import Matcher
matcher, items = Matcher.from_lexicon(), titles()
for item in items:
    matcher.match(item)
rates = []
for _ in range({count}):
    cpu = time.process_time()
    for item in items:
        matcher.match(item)
    rates.append(len(items) / (time.process_time() - cpu))
print(json.dumps(rates))
"""


def against(other: str, count: int) -> None:
    """This checkout's matcher and ``other``'s (a checkout of another version) in two
    processes at once, on the cores this one may use (run under ``taskset -c 0``: the same
    core, so both see the same load); ``count`` passes each, CPU-time rates."""
    here = str(Path(__file__).resolve().parents[1])
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _PASSES.format(count=count)], cwd=folder, stdout=subprocess.PIPE
        )
        for folder in (here, str(Path(other).resolve()))
    ]
    ours, theirs = (json.loads(proc.communicate()[0]) for proc in procs)
    mine, other_median = statistics.median(ours), statistics.median(theirs)
    print(f"load average {os.getloadavg()[0]:.1f}; {count} passes each, at once")
    print(f"this checkout: median {mine:,.0f} titles per CPU second (best {max(ours):,.0f})")
    print(f"{other}: median {other_median:,.0f} (best {max(theirs):,.0f})")
    print(f"ratio: {mine / other_median:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per run")
    parser.add_argument("--runs", type=int, default=3, help="runs per rate (medians)")
    parser.add_argument("--cold", action="store_true", help="also time one pass, cold")
    parser.add_argument("--no-baseline", action="store_true", help="skip the regex baseline")
    parser.add_argument("--against", metavar="DIR", help="compare with another checkout's matcher")
    parser.add_argument("--passes", type=int, default=30, help="passes each, with --against")
    args = parser.parse_args()
    if args.against:
        return against(args.against, args.passes)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    matcher = Matcher.from_lexicon()
    built = time.perf_counter() - started
    items = titles()
    ours, ours_cpu = median_rate(matcher.match, items, args.seconds, args.runs)
    from crawler.matching.train import default_model

    model = default_model(matcher)
    if args.cold:
        cold, cold_cpu = rate(lambda t: model.score(matcher, t), items, 0.0)
    modelled, modelled_cpu = median_rate(
        lambda t: model.score(matcher, t), items, args.seconds, args.runs
    )
    print(
        f"lexicon: {len(matcher.lexicon.terms)} terms, {len(items)} titles; medians of "
        f"{args.runs} runs; load average {load:.1f} -> {os.getloadavg()[0]:.1f}"
    )
    print(
        f"matcher (normalise + Aho-Corasick + score): {ours:>10,.0f} titles/s "
        f"({ours_cpu:,.0f} per CPU second; target >= 100,000; built in {built:.2f} s)"
    )
    print(
        f"matcher + relevance model {model.model_id}: {modelled:>10,.0f} titles/s "
        f"({modelled_cpu:,.0f} per CPU second; {modelled_cpu / ours_cpu:.0%} of the matcher "
        f"alone's {ours_cpu:,.0f}; target >= 20,000)"
    )
    if args.cold:
        print(f"  first pass, words unseen: {cold:,.0f} titles/s ({cold_cpu:,.0f} per CPU second)")
    if args.no_baseline:
        return
    words = sorted(
        {v for t in matcher.lexicon.terms for v in (t.term, *t.variants)}, key=len, reverse=True
    )
    started = time.perf_counter()
    regex = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    regex_built = time.perf_counter() - started
    baseline, baseline_cpu = rate(lambda t: list(regex.finditer(t)), items, args.seconds)
    print(
        f"baseline (one regex alternation of the {len(words)} strings, find only): "
        f"{baseline:>10,.0f} titles/s ({baseline_cpu:,.0f} per CPU second; compiled in {regex_built:.2f} s)"
    )
    print(f"speed-up: {ours / baseline:.1f}x (CPU time: {ours_cpu / baseline_cpu:.1f}x)")


if __name__ == "__main__":
    main()
