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
        [sys.executable, "-c", ORPHAN], ROOT, tmp_path / "run.log", timeout=60, interval=0.05
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
