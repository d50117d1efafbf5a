"""Finding a Chromium for Playwright: its own download where present, else the system's.

``playwright install chromium`` is the normal route on a user's machine; where
Playwright cannot download (offline machines, CI here) Debian's ``chromium``
package works through ``executable_path``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

SYSTEM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-dev-shm-usage", "--no-first-run", "--disable-component-update"]


def playwright_chromium() -> str | None:
    """The Chromium that ``playwright install`` downloaded, if any."""
    root = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright")
    for pattern in ("chromium-*/chrome-linux*/chrome", "chromium_headless_shell-*/chrome-*/chrome-headless-shell"):
        found = sorted(root.glob(pattern))
        if found:
            return str(found[-1])
    return None


def find_chromium() -> str | None:
    """Path of a Chromium to drive: ``WILDCRAWL_CHROMIUM``, Playwright's own, then the system's."""
    explicit = os.environ.get("WILDCRAWL_CHROMIUM")
    if explicit:
        return explicit
    own = playwright_chromium()
    if own:
        return own
    for name in SYSTEM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def launch_options(headless: bool = True) -> dict:
    """Playwright ``launch()`` options for the Chromium found here."""
    options: dict = {"headless": headless, "args": list(LAUNCH_ARGS)}
    path = find_chromium()
    if path and path != playwright_chromium():
        options["executable_path"] = path
    return options
