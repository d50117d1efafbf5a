"""Make sure Playwright has a Chromium to drive (run by ``make setup``).

Order: a browser Playwright already downloaded; ``playwright install chromium``;
the system's ``chromium`` (and ``chromium-headless-shell``) packages, installed with apt-get
when running as root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from crawler.browser.launch import find_chromium, playwright_chromium


def _run(cmd: list[str], timeout: int = 900) -> bool:
    try:
        return (
            subprocess.run(cmd, timeout=timeout, capture_output=True, check=False).returncode == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


def main() -> int:
    if find_chromium():
        print(f"browser: {find_chromium()}")
        return 0
    print("browser: none found; trying 'playwright install chromium' ...", flush=True)
    if _run([sys.executable, "-m", "playwright", "install", "chromium"]) and playwright_chromium():
        print(f"browser: {playwright_chromium()}")
        return 0
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("browser: installing Debian's chromium package with apt-get ...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium", "chromium-headless-shell"],
            env=env,
            check=False,
        )
        if find_chromium():
            print(f"browser: {find_chromium()}")
            return 0
    print(
        "browser: no Chromium available. Run 'playwright install chromium', or as root "
        "'apt-get install chromium', or set WILDCRAWL_CHROMIUM=/path/to/chrome.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
