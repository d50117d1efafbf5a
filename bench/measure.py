"""Run one crawler process and measure its whole process tree (crawler + browser).

- CPU seconds: ``os.wait4`` resource usage of the child, which includes every
  descendant that was waited for (Playwright's driver, Chromium and its renderers), plus
  the descendants nobody waited for: a process whose parent exits before it (Chromium's
  zygote and renderers when the browser is closed) is re-parented, and its CPU never
  reaches the child's ``wait4``. The bench makes itself the "subreaper" of its
  descendants (Linux ``PR_SET_CHILD_SUBREAPER``), so such orphans become its own children,
  and reaps them with ``wait4`` to add their CPU (``orphan_cpu_s``). Without this, a run
  of Crawlee (a browser per crawl, a new tab per page) lost about half of its tree's CPU
  and wildcrawl's about a third (``python -m bench.cpu_split`` samples every process);
- memory: the summed RSS of the child and all its descendants, sampled with psutil
  every ``interval`` seconds; peak, and the median RSS at the start, middle and end
  of the run (10-20 %, 45-55 % and 80-90 % of its wall time, so start-up and
  shut-down do not count as "start" and "end").

Summed RSS counts pages shared between Chromium's processes once per process, so
it overstates real use; the same rule holds for every crawler, and the summed PSS
(shared pages divided among their users, from ``/proc/<pid>/smaps_rollup``) is
recorded beside it as the closer figure of what the tree really occupies.
"""

from __future__ import annotations

import ctypes
import os
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

MiB = 1024 * 1024
PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h
WINDOWS = {"start": (0.10, 0.20), "middle": (0.45, 0.55), "end": (0.80, 0.90)}


@dataclass
class TreeSample:
    at: float  # seconds since the process started
    rss: int  # bytes, summed over the tree
    processes: int
    pss: int = 0  # bytes, summed over the tree
    cpu: float = 0.0  # CPU seconds of the tree so far (each process's last reading, orphans too)


@dataclass
class ProcessRun:
    """What one measured process did."""

    returncode: int
    wall_s: float
    cpu_s: float
    samples: list[TreeSample] = field(default_factory=list)
    timed_out: bool = False
    orphan_cpu_s: float = 0.0  # included in cpu_s: descendants re-parented to the bench
    # CPU seconds by kind of process (``kind_of``: python, driver, browser, renderer, gpu,
    # utility, zygote, other), each process's last sample; and the most processes of each
    # kind seen in one sample.
    cpu_by_kind: dict[str, float] = field(default_factory=dict)
    peak_by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def unsampled_cpu_s(self) -> float:
        """The tree's CPU that no sample saw (a process's last ``interval`` before it exited)."""
        return max(self.cpu_s - sum(self.cpu_by_kind.values()), 0.0)

    @property
    def peak_rss(self) -> int:
        return max((s.rss for s in self.samples), default=0)

    @property
    def peak_pss(self) -> int:
        return max((s.pss for s in self.samples), default=0)

    def cpu_at(self, at: float) -> float | None:
        """The tree's CPU seconds ``at`` seconds after the start, interpolated between the
        samples around it (None without samples on both sides)."""
        before = [x for x in self.samples if x.at <= at]
        after = [x for x in self.samples if x.at > at]
        if not before or not after:
            return None
        a, b = before[-1], after[0]
        return a.cpu + (b.cpu - a.cpu) * (at - a.at) / (b.at - a.at)

    def rss_at(self, phase: str, window: tuple[float, float] | None = None) -> int | None:
        """Median tree RSS in a phase window (``start``, ``middle``, ``end``) of the run, or of
        ``window`` (seconds since the start, e.g. the crawl without what follows it)."""
        return rss_in_window(self.samples, self.wall_s, *WINDOWS[phase], window=window)


def rss_in_window(
    samples: list[TreeSample],
    wall: float,
    lo: float,
    hi: float,
    window: tuple[float, float] | None = None,
) -> int | None:
    """Median RSS of the samples taken between ``lo`` and ``hi`` fractions of ``wall`` (or of
    ``window``, seconds since the start)."""
    begin, length = (window[0], window[1] - window[0]) if window else (0.0, wall)
    inside = [s.rss for s in samples if begin + lo * length <= s.at <= begin + hi * length]
    if not inside:
        # Short runs: the sample nearest the window's centre.
        centre = begin + (lo + hi) / 2 * length
        nearest = min(samples, key=lambda s: abs(s.at - centre), default=None)
        return nearest.rss if nearest else None
    return int(statistics.median(inside))


def tree_memory(proc: psutil.Process) -> tuple[int, int, int]:
    """Summed RSS, summed PSS (bytes) and number of processes of ``proc`` and its descendants."""
    total, pss, count = 0, 0, 0
    try:
        members = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0, 0, 0
    for member in members:
        try:
            info = member.memory_full_info()
        except psutil.Error:
            continue  # exited between listing and reading
        total += info.rss
        pss += getattr(info, "pss", 0)
        count += 1
    return total, pss, count


def kind_of(proc: psutil.Process, root_pid: int) -> str:
    """The kind of a crawl's process: ``python`` (the crawler, ``root_pid``), ``driver``
    (Playwright's node), Chromium's ``browser`` process (no ``--type``), ``renderer``, ``gpu``,
    ``utility``, ``zygote``, or ``other``."""
    if proc.pid == root_pid:
        return "python"
    try:
        cmd = proc.cmdline()
    except psutil.Error:
        return "other"
    joined = " ".join(cmd[:1])
    if "node" in joined:
        return "driver"
    types = [a.split("=", 1)[1] for a in cmd if a.startswith("--type=")]
    if types:
        return {
            "renderer": "renderer",
            "gpu-process": "gpu",
            "utility": "utility",
            "zygote": "zygote",
        }.get(types[0], "other")
    if "chrom" in joined or "headless" in joined:
        return "browser"
    return "other"


def current_kind(proc: psutil.Process, root_pid: int, kinds: dict[int, str]) -> str:
    """``kind_of``, read again at every sample and kept in ``kinds`` (the last reading wins; a
    process that can no longer be read keeps its kind): a process just forked shows its
    parent's command line until it execs or renames itself (a Chromium started by the driver
    looks like node for a moment, a renderer forked by the zygote like the zygote)."""
    kind = kind_of(proc, root_pid)
    if kind != "other" or proc.pid not in kinds:
        kinds[proc.pid] = kind
    return kinds[proc.pid]


def become_subreaper(on: bool = True) -> bool:
    """Orphaned descendants are re-parented to this process, not to init (Linux only);
    ``on=False`` gives that back."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, int(on), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap_orphans(exclude: set[int]) -> float:
    """Reap this process's exited children that are not ``exclude`` (processes it started
    itself and waits for elsewhere); return their CPU seconds (user + system, with their own
    waited-for descendants)."""
    cpu = 0.0
    while True:
        try:
            info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return cpu
        if info is None or info.si_pid in exclude:
            return cpu
        _pid, _status, usage = os.wait4(info.si_pid, 0)
        cpu += usage.ru_utime + usage.ru_stime


def _known_children() -> set[int]:
    """This process's children now (the demo servers and the like, started before a run)."""
    try:
        return {c.pid for c in psutil.Process().children()}
    except psutil.Error:
        return set()


def run_measured(
    cmd: list[str],
    cwd: Path,
    log_path: Path,
    timeout: float,
    interval: float = 0.25,
    env: dict | None = None,
    orphan_wait: float = 5.0,
) -> ProcessRun:
    """Run ``cmd`` to completion, sampling its process tree; stdout and stderr go to ``log_path``.
    Orphans still running when it exits get ``orphan_wait`` seconds to end, then are killed."""
    samples: list[TreeSample] = []
    become_subreaper()
    known = _known_children()
    orphan_cpu = 0.0
    cpu_by_pid: dict[int, float] = {}
    kinds: dict[int, str] = {}
    peak_by_kind: dict[str, int] = {}
    with open(log_path, "wb") as log:
        started = time.perf_counter()
        child = subprocess.Popen(
            cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
        proc = psutil.Process(child.pid)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid == child.pid:
                break
            now = time.perf_counter() - started
            if now > timeout and not timed_out:
                timed_out = True
                _kill_tree(proc)
            rss, pss, count = tree_memory(proc)
            cpu, alive = _read_cpu(proc, known | {child.pid}, cpu_by_pid, kinds)
            for kind, n in alive.items():
                peak_by_kind[kind] = max(peak_by_kind.get(kind, 0), n)
            if count:
                samples.append(TreeSample(now, rss, count, pss, cpu))
            # Orphans sampled above (they are this process's children now) count in the tree.
            rss, pss, count = _orphans_memory(known | {child.pid})
            if count and samples:
                last = samples[-1]
                samples[-1] = TreeSample(
                    last.at, last.rss + rss, last.processes + count, last.pss + pss
                )
            orphan_cpu += reap_orphans(known | {child.pid})
            time.sleep(interval)
        wall = time.perf_counter() - started
        orphan_cpu += _reap_remaining(known, timeout=orphan_wait)
    become_subreaper(False)
    child.returncode = os.waitstatus_to_exitcode(status)
    return ProcessRun(
        returncode=child.returncode,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime + orphan_cpu,
        samples=samples,
        timed_out=timed_out,
        orphan_cpu_s=orphan_cpu,
        cpu_by_kind=_by_kind(cpu_by_pid, kinds),
        peak_by_kind=peak_by_kind,
    )


def _by_kind(cpu_by_pid: dict[int, float], kinds: dict[int, str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for pid, cpu in cpu_by_pid.items():
        kind = kinds[pid]
        out[kind] = out.get(kind, 0.0) + cpu
    return out


def _read_cpu(
    proc: psutil.Process,
    exclude: set[int],
    cpu_by_pid: dict[int, float],
    kinds: dict[int, str],
) -> tuple[float, dict[str, int]]:
    """CPU seconds of ``proc``'s tree and of this process's re-parented orphans (children not
    in ``exclude``) and theirs, each process's last reading kept in ``cpu_by_pid`` and its kind
    (``current_kind``) in ``kinds``; the sum, and how many of each kind were read."""
    try:
        members = [proc, *proc.children(recursive=True)]
        for orphan in psutil.Process().children():
            if orphan.pid not in exclude:
                members += [orphan, *orphan.children(recursive=True)]
    except psutil.Error:
        members = []
    alive: dict[str, int] = {}
    for member in members:
        try:
            times = member.cpu_times()
        except psutil.Error:
            continue
        cpu_by_pid[member.pid] = times.user + times.system
        kind = current_kind(member, proc.pid, kinds)
        alive[kind] = alive.get(kind, 0) + 1
    return sum(cpu_by_pid.values()), alive


def _orphans_memory(exclude: set[int]) -> tuple[int, int, int]:
    """Summed RSS, PSS and count of this process's children not in ``exclude`` (re-parented
    descendants of the run) and their descendants."""
    total = [0, 0, 0]
    try:
        orphans = [c for c in psutil.Process().children() if c.pid not in exclude]
    except psutil.Error:
        return 0, 0, 0
    for orphan in orphans:
        for i, v in enumerate(tree_memory(orphan)):
            total[i] += v
    return total[0], total[1], total[2]


def _reap_remaining(known: set[int], timeout: float) -> float:
    """After the run: wait (up to ``timeout`` s, killing them then) for the orphans still
    running, and reap them; their CPU seconds."""
    cpu = reap_orphans(known)
    deadline = time.monotonic() + timeout
    while True:
        try:
            left = [c for c in psutil.Process().children() if c.pid not in known]
        except psutil.Error:
            left = []
        if not left:
            return cpu
        if time.monotonic() > deadline:
            for orphan in left:
                _kill_tree(orphan)
        time.sleep(0.05)
        cpu += reap_orphans(known)


def _kill_tree(proc: psutil.Process) -> None:
    try:
        members = [*proc.children(recursive=True), proc]
    except psutil.Error:
        members = [proc]
    for member in members:
        try:
            member.kill()
        except psutil.Error:
            pass
