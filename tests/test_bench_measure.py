"""The bench counts the CPU of every process its crawler started, also those whose parent
exited without waiting for them (Chromium's zygote and renderers when a browser is closed):
``bench.measure.run_measured``, ``bench.cpu_split``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from bench.measure import run_measured

ROOT = Path(__file__).resolve().parents[1]

# The child starts a grandchild and exits at once; the grandchild burns ~0.6 CPU s after its
# parent is gone (an orphan, as a renderer whose browser closed), so the child's wait4 never
# includes it.
ORPHAN = """
import os, sys, time
if os.fork() == 0:
    time.sleep(0.3)
    t = time.process_time()
    while time.process_time() - t < 0.6:
        pass
    os._exit(0)
sys.exit(0)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_CHILD_SUBREAPER is Linux's")
def test_cpu_of_orphaned_descendants_is_counted(tmp_path):
    run = run_measured(
        [sys.executable, "-c", ORPHAN],
        ROOT,
        tmp_path / "run.log",
        timeout=60,
        interval=0.05,
        orphan_wait=60,  # a loaded machine takes long for 0.6 CPU s
    )
    assert run.returncode == 0
    assert run.orphan_cpu_s >= 0.5
    assert run.cpu_s >= 0.5
    # Nothing left behind: the orphan was reaped, not left a zombie of this process.
    children = {int(p) for p in os.listdir("/proc") if p.isdigit()}
    for pid in children:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        assert not (fields[0] == "Z" and int(fields[1]) == os.getpid()), stat


def test_the_tree_cpu_is_sampled_over_time_and_split_at_the_crawl_end(tmp_path):
    """``TreeSample.cpu`` follows the tree (orphans too); the bench splits a crawl's CPU from
    the screenshots after it at the crawl window's end (``bench.run._after_crawl_cpu``)."""
    from bench.report import RunRecord
    from bench.run import _after_crawl_cpu

    # The child waits for its grandchild's work, then lives on a little.
    busy = ORPHAN.replace("sys.exit(0)", "os.wait()\ntime.sleep(0.5)\nsys.exit(0)")
    run = run_measured(
        [sys.executable, "-c", busy], ROOT, tmp_path / "run.log", timeout=60, interval=0.05
    )
    cpus = [s.cpu for s in run.samples]
    assert all(b >= a - 1e-6 for a, b in zip(cpus, cpus[1:]))
    assert cpus[-1] >= 0.4  # the grandchild's work, while it ran
    middle = run.samples[len(run.samples) // 2].at
    assert run.cpu_at(middle) is not None and run.cpu_at(-1) is None
    after = _after_crawl_cpu(run, (0.0, run.samples[0].at))
    assert 0.4 <= after <= run.cpu_s
    record = RunRecord(
        scenario="js", pages=10, listings=9, details_complete=9, expected_pages=10,
        crawl_s=1.0, wall_s=2.0, cpu_s=3.0, peak_rss=1, peak_pss=1, rss_start=None,
        rss_middle=None, rss_end=None, capture_cpu_s=1.0,
    )  # fmt: skip
    assert record.cpu_per_page == 0.3 and record.cpu_per_page_crawl == 0.2


# The crawler starts a "browser" that starts a "renderer" (a process with ``--type=renderer``,
# as Chromium's) and exits at once; the orphaned renderer burns ~0.6 CPU s while the crawler
# runs on (it reads the renderer's stdout to its end), as a browser closed mid-crawl leaves it.
RENDERER = """
import subprocess, sys, time
burn = "import time; time.sleep(0.3); t = time.process_time()\\n"
burn += "while time.process_time() - t < 0.6: pass"
browser = "import subprocess, sys; subprocess.Popen(sys.argv[1:])"
p = subprocess.Popen(
    [sys.executable, "-c", browser, sys.executable, "-c", burn, "--type=renderer"],
    stdout=subprocess.PIPE,
)
p.stdout.read()
p.wait()
time.sleep(0.5)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_CHILD_SUBREAPER is Linux's")
def test_many_sites_counts_orphaned_renderers_on_the_browser_side(tmp_path):
    """The many-marketplaces scenario measures the tree as ``run_measured`` does and splits
    its CPU by kind of process: a renderer orphaned by its browser is counted, as a renderer
    (``wait4`` of the crawler, which the scenario used alone, never saw it)."""
    from bench.many_sites import measure_crawl, report

    got = measure_crawl([sys.executable, "-c", RENDERER], tmp_path / "crawl.log", timeout=60)
    assert got["returncode"] == 0
    assert got["cpu_browser_s"] >= 0.3
    assert got["cpu_by_kind"].get("renderer", 0.0) >= 0.3  # sampled while it ran
    assert got["cpu_orphans_s"] >= 0.5
    assert got["cpu_s"] >= got["cpu_python_s"] + got["cpu_browser_s"] - 1e-6
    assert got["cpu_python_s"] < 0.5
    result = {
        **got,
        "sites": 1, "mix": {"http": 0, "browser": 1, "api": 0}, "delay": 1.0,
        "concurrency": 2, "seconds": 1.0, "pages": 10, "pages_by_render": {"browser": 10},
        "pages_per_s": 10.0, "ceiling_issue": 2.0, "ceiling_enforced": 1.0,
        "load_before": (1.0, 1.0, 1.0), "load_after": (1.0, 1.0, 1.0),
    }  # fmt: skip
    assert "renderer" in report(result)


# The crawler forks a child that shows the crawler's command line for 0.4 s, then becomes a
# "renderer" (execs with ``--type=renderer``, as a Chromium started by the driver or a renderer
# forked by the zygote takes its own command line only after a moment) and burns ~0.6 CPU s.
LATE_EXEC = """
import os, sys, time
burn = "import time; t = time.process_time()\\nwhile time.process_time() - t < 0.6: pass"
pid = os.fork()
if pid == 0:
    time.sleep(0.4)
    os.execv(sys.executable, [sys.executable, "-c", burn, "--type=renderer"])
os.waitpid(pid, 0)
time.sleep(0.3)
"""


def test_a_process_is_classified_by_the_command_line_it_takes_after_forking(tmp_path):
    run = run_measured(
        [sys.executable, "-c", LATE_EXEC], ROOT, tmp_path / "run.log", timeout=60, interval=0.05
    )
    assert run.returncode == 0
    assert run.peak_by_kind.get("renderer") == 1
    assert run.cpu_by_kind.get("renderer", 0.0) >= 0.3
    assert run.cpu_by_kind.get("other", 0.0) < 0.2  # not charged to what it looked like first
