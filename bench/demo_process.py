"""The scaled-up demo marketplaces, served from their own process.

The crawlers under test must not share a process (or a GIL) with the server, and
the server's CPU must not count as the crawler's, so the benchmark serves the
demo sites from a child process::

    with ServedDemo(size=10_000, sites=["demo-bazaar"]) as demo:
        demo.base_urls["demo-bazaar"]        # http://127.0.0.1:<free port>

Run directly, the child prints one JSON line of base URLs and serves until its
standard input closes (so it never outlives the benchmark).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Self

ROOT = Path(__file__).resolve().parents[1]


class ServedDemo:
    """Start ``python -m bench.demo_process`` and read the sites' base URLs from it."""

    def __init__(
        self,
        size: int,
        sites: list[str],
        seed: int | None = None,
        weight: str = "light",
        copies: int = 1,
    ):
        self.size = size
        self.copies = copies
        self.weight = weight
        self.sites = list(sites)
        self.seed = seed
        self.base_urls: dict[str, str] = {}
        self.pid: int | None = None
        self._proc: subprocess.Popen | None = None

    def start(self) -> Self:
        cmd = [
            sys.executable,
            "-m",
            "bench.demo_process",
            "--size",
            str(self.size),
            "--sites",
            ",".join(self.sites),
        ]
        if self.seed is not None:
            cmd += ["--seed", str(self.seed)]
        cmd += ["--weight", self.weight, "--copies", str(self.copies)]
        self._proc = subprocess.Popen(
            cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.pid = self._proc.pid
        line = self._proc.stdout.readline()
        if not line:
            self.stop()
            raise RuntimeError("the demo server process exited before serving (see its stderr)")
        self.base_urls = json.loads(line)
        return self

    def stop(self) -> None:
        if self._proc is None:
            return
        if self._proc.stdin:
            self._proc.stdin.close()  # the child's signal to stop
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._proc = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    from crawler.demo.catalogue import DEFAULT_SEED, SITES
    from crawler.demo.server import DemoServer
    from crawler.demo.weight import weight_named

    parser = argparse.ArgumentParser(prog="python -m bench.demo_process")
    parser.add_argument("--size", type=int, required=True, help="listings per site")
    parser.add_argument("--sites", default=",".join(SITES), help="comma-separated demo sites")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--weight", default="light", help="demo-jsmarket page weight")
    parser.add_argument("--copies", type=int, default=1, help="copies of each site")
    args = parser.parse_args(argv)
    sites = [s for s in args.sites.split(",") if s]
    server = DemoServer(
        ports={s: 0 for s in sites},
        seed=args.seed,
        size=args.size,
        sites=sites,
        weight=weight_named(args.weight),
        copies=args.copies,
    )
    server.start()
    try:
        print(json.dumps({s: server.base_url(s) for s in server.ports}), flush=True)
        sys.stdin.read()  # returns when the benchmark closes our stdin (or exits)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
