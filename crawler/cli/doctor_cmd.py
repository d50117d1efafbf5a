"""``wildcrawl doctor``: check the environment and say how to fix what is missing.

Each check returns a ``Check``: ``ok`` (True, False, or None for a warning),
what was found, and how to fix it. The command exits 1 if any check failed.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import click

from crawler.cli.app import cli, db_option

# (distribution, minimum version, why)
PACKAGES = (
    ("scrapy", "2.19", "async start() of the spider"),
    ("scrapy-playwright", "0.0.48", "browser rendering"),
    ("playwright", "1.40", "browser rendering"),
    ("datasette", "0.65.5", "0.65.2 has an SQL injection (GHSA-w3hf-fcg5-p4cc)"),
    ("sqlite-utils", "4.2", "the store"),
    ("apscheduler", "3.10", "wildcrawl schedule"),
)
MIN_SQLITE = (3, 34, 0)  # FTS5 trigram tokenizer


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool | None  # None: a warning, not a failure
    found: str
    fix: str = ""


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def check_python() -> Check:
    found = sys.version.split()[0]
    ok = sys.version_info >= (3, 11)
    return Check("python", ok, found, "" if ok else "install Python 3.11 or newer")


def check_package(dist: str, minimum: str, why: str) -> Check:
    try:
        found = metadata.version(dist)
    except metadata.PackageNotFoundError:
        return Check(dist, False, "not installed", f"pip install '{dist}>={minimum}' ({why})")
    ok = _version_tuple(found) >= _version_tuple(minimum)
    fix = "" if ok else f"pip install -U '{dist}>={minimum}' ({why})"
    return Check(dist, ok, found, fix)


def check_sqlite() -> Check:
    found = sqlite3.sqlite_version
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        return Check(
            "sqlite",
            False,
            found,
            "SQLite 3.34+ is needed for trigram search; upgrade Python or install pysqlite3-binary",
        )
    try:
        conn = sqlite3.connect(":memory:")
        conn.execute("create virtual table t using fts5(x, tokenize='trigram')")
        conn.close()
    except sqlite3.OperationalError as exc:
        return Check(
            "sqlite",
            False,
            f"{found}, no FTS5 trigram ({exc})",
            "use a Python whose SQLite has FTS5 (python.org or Debian builds do)",
        )
    return Check("sqlite", True, f"{found} (FTS5 trigram)")


def check_browser(launch: bool = True) -> Check:
    from crawler.browser.launch import find_chromium, launch_options

    path = find_chromium()
    if not path:
        return Check(
            "browser",
            False,
            "no Chromium found",
            "run 'playwright install chromium' (or as root 'apt-get install chromium', "
            "or set WILDCRAWL_CHROMIUM=/path/to/chrome)",
        )
    if not launch:
        return Check("browser", True, f"{path} (not launched)")
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(**launch_options(), timeout=30_000)
            version = browser.version
            page = browser.new_page()
            page.set_content("<p id=x>ok</p>")
            text = page.text_content("#x")
            browser.close()
    except Exception as exc:  # noqa: BLE001 (any launch failure is reported, never raised)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Check(
            "browser",
            False,
            f"{path} does not launch: {first}",
            "run 'playwright install --with-deps chromium', or check WILDCRAWL_CHROMIUM",
        )
    if text != "ok":
        return Check(
            "browser",
            False,
            f"{path} launched but did not render a page",
            "reinstall the browser ('playwright install chromium')",
        )
    return Check("browser", True, f"{path} (Chromium {version}, launches and renders)")


def check_output(db_path: str | Path) -> Check:
    folder = Path(db_path).resolve().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".wildcrawl-doctor-"):
            pass
    except OSError as exc:
        return Check(
            "output",
            False,
            f"{folder} is not writable ({exc.strerror})",
            "choose another --db path, or fix the folder's permissions",
        )
    db = Path(db_path)
    if db.exists():
        with open(db, "rb") as fh:
            if db.stat().st_size and fh.read(16) != b"SQLite format 3\x00":
                return Check(
                    "output",
                    False,
                    f"{db} exists and is not an SQLite database",
                    "move that file away or choose another --db path",
                )
    return Check("output", True, f"{folder} is writable")


def check_contact() -> Check:
    from crawler.options import DEFAULT_CONTACT

    contact = os.environ.get("WILDCRAWL_CONTACT", "").strip()
    if not contact or contact == DEFAULT_CONTACT:
        return Check(
            "contact",
            None,
            "WILDCRAWL_CONTACT is not set (the User-Agent names the project, not you)",
            "export WILDCRAWL_CONTACT=https://your-org.example/contact",
        )
    return Check("contact", True, contact)


def check_configs() -> Check:
    from crawler.config import MARKETPLACES_DIR, load_config
    from crawler.errors import ConfigError

    files = sorted(MARKETPLACES_DIR.glob("*.yaml"))
    for path in files:
        try:
            load_config(path)
        except ConfigError as exc:
            return Check(
                "configs", False, str(exc), "fix the file, then 'wildcrawl check marketplaces'"
            )
    return Check("configs", True, f"{len(files)} marketplace configs valid")


def check_fonts(launch: bool = True) -> Check:
    """Draw CJK, Thai, Arabic and emoji text in the browser; name the scripts drawn as
    empty boxes (no font), with the packages that fix it (crawler.browser.fonts)."""
    from crawler.browser.fonts import SAMPLES, check_page_sync, fix_for
    from crawler.browser.launch import find_chromium, launch_options

    if not launch or not find_chromium():
        return Check("fonts", None, "not checked (no browser launched)")
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(**launch_options(), timeout=30_000)
            page = browser.new_page()
            page.set_content("<p>fonts</p>")
            lacking = check_page_sync(page)
            browser.close()
    except Exception as exc:  # noqa: BLE001 (reported, never raised)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Check("fonts", None, f"not checked ({first})")
    if lacking:
        drawn = [s for s in SAMPLES if s not in lacking]
        return Check(
            "fonts",
            None,
            f"no font for {', '.join(lacking)}: text in it is drawn as empty boxes, and "
            f"evidence screenshots of such pages are refused"
            + (f" (draws {', '.join(drawn)})" if drawn else ""),
            fix_for(lacking),
        )
    return Check("fonts", True, f"draws {', '.join(SAMPLES)} text")


def run_checks(db_path: str | Path, launch_browser: bool = True) -> list[Check]:
    """Every check, in the order shown."""
    checks = [check_python()]
    checks += [check_package(*p) for p in PACKAGES]
    checks += [
        check_sqlite(),
        check_browser(launch_browser),
        check_fonts(launch_browser),
        check_output(db_path),
        check_contact(),
        check_configs(),
    ]
    return checks


@cli.command()
@db_option
@click.option("--no-launch", is_flag=True, help="Find the browser but do not start it.")
def doctor(db_path, no_launch):
    """Check the environment: versions, SQLite, browser, output folder, contact, configs.

    \b
    Example:
      wildcrawl doctor
      wildcrawl doctor --db /data/wildcrawl.db --no-launch
    """
    checks = run_checks(db_path, launch_browser=not no_launch)
    for c in checks:
        mark = {True: "ok  ", False: "FAIL", None: "warn"}[c.ok]
        click.echo(f"{mark} {c.name:18} {c.found}")
        if c.fix and c.ok is not True:
            click.echo(f"     {'':18} fix: {c.fix}")
    failed = [c.name for c in checks if c.ok is False]
    if failed:
        raise click.ClickException(f"{len(failed)} problems: {', '.join(failed)}")
