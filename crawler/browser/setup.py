"""Make sure Playwright has a Chromium to drive (run by ``make setup``).

Order: a browser Playwright already downloaded; ``playwright install chromium``;
the system's ``chromium`` (and ``chromium-headless-shell``) packages, installed with apt-get
when running as root.

Then the fonts evidence screenshots need (``FONT_PACKAGES``: Noto CJK, Noto colour emoji,
Noto core for Thai and Arabic): without them a Chinese page is photographed as rows of empty
boxes. Installed with apt-get when running as root; otherwise the command is printed.
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


# Debian packages -> a fontconfig query that finds what the package gives (fc-list).
FONT_PACKAGES = {
    "fonts-noto-cjk": ":lang=zh",
    "fonts-noto-color-emoji": ":charset=1f418",  # an elephant
    "fonts-noto-core": ":lang=th",  # Thai (and Arabic, and most other scripts)
}


def _installed(package: str) -> bool:
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "install ok installed" in out.stdout


def _font_found(query: str) -> bool:
    try:
        out = subprocess.run(
            ["fc-list", query], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return bool(out.stdout.strip())


def _apt(cmd: list[str], env: dict) -> bool:
    """An ``apt-get`` command with its output kept back (dpkg prints dozens of lines per
    package); its last lines are shown when it fails."""
    try:
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    except OSError as exc:
        print(f"{' '.join(cmd[:2])}: {exc}", file=sys.stderr)
        return False
    if out.returncode:
        text = (out.stdout or "") + (getattr(out, "stderr", "") or "")
        tail = text.strip().splitlines()[-10:]
        print(f"{' '.join(cmd[:2])} failed ({out.returncode}):", *tail, sep="\n  ", file=sys.stderr)
    return out.returncode == 0


def missing_font_packages() -> list[str]:
    """The font packages neither installed nor replaced by another font for their script."""
    return [p for p, query in FONT_PACKAGES.items() if not _installed(p) and not _font_found(query)]


def ensure_fonts() -> bool:
    """Install the missing fonts evidence needs (as root with apt-get); True when none is
    missing afterwards. Prints what it did, or the command to run."""
    missing = missing_font_packages()
    if not missing:
        print("fonts: CJK, emoji, Thai and Arabic fonts present")
        return True
    if shutil.which("apt-get") and os.geteuid() == 0:
        print(f"fonts: installing {' '.join(missing)} with apt-get ...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        _apt(["apt-get", "update", "-qq"], env)
        _apt(["apt-get", "install", "-y", "-qq", *missing], env)
        missing = missing_font_packages()
        if not missing:
            print("fonts: installed")
            return True
    print(
        f"fonts: missing {' '.join(missing)}: evidence screenshots of pages in those scripts "
        f"are refused (empty boxes). Install them: sudo apt-get install {' '.join(missing)}",
        file=sys.stderr,
    )
    return False


def main() -> int:
    ensure_fonts()  # a missing font is reported, not fatal: doctor and capture say it again
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
        _apt(["apt-get", "update", "-qq"], env)
        _apt(["apt-get", "install", "-y", "-qq", "chromium", "chromium-headless-shell"], env)
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
