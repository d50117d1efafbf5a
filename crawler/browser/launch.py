"""Finding a Chromium for Playwright, and launching it lean for crawls.

``playwright install chromium`` is the normal route on a user's machine; where
Playwright cannot download (offline machines, CI here) Debian's packages work
through ``executable_path``. Headless, the headless shell comes first (Debian's
``chromium-headless-shell``, Playwright's own ``chromium_headless_shell``): it is
what Playwright itself launches headless, and it measured about 35 % less memory
and 1.5x the pages/s of the full ``chromium`` binary here (docs/performance-log.md).

``launch_options()`` is what any Chromium needs to start on this machine (used by
``doctor``, ``try``, the tests and the benchmark's baselines). ``crawl_launch_options()``
adds ``CRAWL_ARGS``, the switches that cut the crawl's process tree and its work per page,
each kept because it measurably helped (docs/performance-log.md, "JS site" and "Sixth pass"), and
``NO_SCREENSHOT_ARGS`` for browsers that take no screenshots.

This module imports neither Playwright nor scrapy-playwright (``crawler.settings`` reads it
in every crawl, most of which need no browser); the provider that starts Playwright's driver
is ``crawler.browser.provider``.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

SYSTEM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Headless shells, by path (Debian's /usr/bin wrapper is a shell script that stays in the
# process tree, so its binary comes first) then by name.
HEADLESS_SHELL_CANDIDATES = (
    "/usr/lib/chromium/chromium-headless-shell",
    "chromium-headless-shell",
    "chrome-headless-shell",
)
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-component-update",
]
# Chromium takes the last --enable-features it is given, whole: ours must repeat the list
# Playwright passes (chromiumSwitches.ts, ``enabledFeatures``; tests/test_browser_contexts.py
# checks the installed driver still passes exactly these).
PLAYWRIGHT_ENABLED_FEATURES = ("CDPScreenshotNewSurface", "SkipListAccountsWithoutGaiaCookies")
# Same for --disable-features (``disabledFeatures``; the same test checks it).
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
)
CRAWL_ARGS = [
    # GPU work (software compositing) in the browser process: one process less.
    "--in-process-gpu",
    # The network service in the browser process: one process less (~75 MiB RSS).
    "--enable-features=" + ",".join((*PLAYWRIGHT_ENABLED_FEATURES, "NetworkServiceInProcess2")),
    # Pages of one context share renderers (two at most, beyond that Chromium reuses them)
    # instead of one renderer per page; cross-site frames (ads, widgets) stay in their
    # page's renderer. Crawl contexts hold no log-ins or secrets to isolate.
    "--renderer-process-limit=2",
    "--disable-site-isolation-trials",
    # RenderDocument off: a reused tab navigating within its site keeps its frame instead of
    # building a new one per document (docs/performance-log.md, "Sixth pass").
    "--disable-features=" + ",".join((*PLAYWRIGHT_DISABLED_FEATURES, "RenderDocument")),
]
# Browsers that take no screenshots: compositing on the renderer's main thread instead of a
# thread of its own (nothing scrolls or animates for a person here). With RenderDocument off,
# about a quarter less browser and renderer CPU on a light page ("Sixth pass"); but Chromium
# then cannot capture a screenshot (Page.captureScreenshot fails), so the evidence browser
# keeps its compositor thread.
NO_SCREENSHOT_ARGS = ["--disable-threaded-compositing"]


# The driver (Node) passes every page's HTML and screenshots through; a 1 MiB young generation
# (Node's default is 16) is collected more often and kept ~50 MiB smaller mid-crawl.
DRIVER_NODE_OPTIONS = "--max-semi-space-size=1"


def playwright_chromium() -> str | None:
    """The Chromium that ``playwright install`` downloaded, if any."""
    root = Path(
        os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright"
    )
    for pattern in (
        "chromium-*/chrome-linux*/chrome",
        "chromium_headless_shell-*/chrome-*/chrome-headless-shell",
    ):
        found = sorted(root.glob(pattern))
        if found:
            return str(found[-1])
    return None


def system_headless_shell() -> str | None:
    """The system's Chromium headless shell (Debian: ``chromium-headless-shell``), if any."""
    for candidate in HEADLESS_SHELL_CANDIDATES:
        path = candidate if os.path.isabs(candidate) else shutil.which(candidate)
        if path and os.access(path, os.X_OK):
            return path
    return None


def find_chromium(headless: bool = True) -> str | None:
    """Path of a Chromium to drive: ``WILDCRAWL_CHROMIUM``, Playwright's own, then the system's.

    Headless (the default), the system's headless shell comes before its full ``chromium``.
    """
    explicit = os.environ.get("WILDCRAWL_CHROMIUM")
    if explicit:
        return explicit
    own = playwright_chromium()
    if own:
        return own
    if headless:
        shell = system_headless_shell()
        if shell:
            return shell
    for name in SYSTEM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def launch_options(headless: bool = True) -> dict:
    """Playwright ``launch()`` options for the Chromium found here."""
    options: dict = {"headless": headless, "args": list(LAUNCH_ARGS)}
    path = find_chromium(headless=headless)
    # Playwright's own download needs no path: Playwright picks its headless shell itself.
    if path and path != playwright_chromium():
        options["executable_path"] = path
    return options


# Crawl pages never need images: with this switch the renderer does not even request them.
# Aborting them instead (PLAYWRIGHT_ABORT_REQUEST) sends each one through the driver into
# Python, where Playwright keeps its request objects until the page closes: a results page
# grown to 10,000 cards by "Load more" took the crawler from 155 to 320 MiB that way
# (docs/performance-log.md). Left out when a marketplace says ``browser.block_resources: false``.
NO_IMAGES_ARG = "--blink-settings=imagesEnabled=false"
# Web fonts likewise: text is laid out in the system's fonts, no font file is requested.
NO_FONTS_ARG = "--disable-remote-fonts"


def crawl_launch_options(
    headless: bool = True, images: bool = False, screenshots: bool = False
) -> dict:
    """``launch_options()`` plus ``CRAWL_ARGS`` (and no images or web fonts unless ``images``, no
    compositor thread unless ``screenshots``): what ``PLAYWRIGHT_LAUNCH_OPTIONS`` uses. Evidence
    screenshots use ``images=True, screenshots=True``."""
    options = launch_options(headless)
    options["args"] += CRAWL_ARGS
    if not screenshots:
        options["args"] += NO_SCREENSHOT_ARGS
    if not images:
        options["args"].append(NO_IMAGES_ARG)
        options["args"].append(NO_FONTS_ARG)
    return options


@contextmanager
def _driver_node_options():
    """``DRIVER_NODE_OPTIONS`` in the environment the driver is spawned with, unless the user
    set ``NODE_OPTIONS``."""
    if os.environ.get("NODE_OPTIONS") is not None:
        yield
        return
    os.environ["NODE_OPTIONS"] = DRIVER_NODE_OPTIONS
    try:
        yield
    finally:
        os.environ.pop("NODE_OPTIONS", None)
