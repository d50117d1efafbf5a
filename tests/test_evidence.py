"""crawler.casework.evidence: capture files, hashes, verification; ``wildcrawl evidence verify``."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from crawler.casework.evidence import (
    evidence_root,
    file_stamp,
    safe_part,
    save_capture,
    verify_evidence,
)
from crawler.store.database import ensure_schema, open_database

ROOT = Path(__file__).resolve().parents[1]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML = b"<html><body><h1>Elfenbein Figur</h1></body></html>"


def run_evidence_cli(*args: str) -> subprocess.CompletedProcess:
    # Registers the command module itself, so the test does not depend on crawler/cli/__init__.py.
    code = "import crawler.cli.evidence_cmd; from crawler.cli import cli; cli()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "captured_at, stem",
    [
        ("2026-11-28T03:56:12Z", "20261128T035612Z"),
        ("2026-01-02T00:00:00+00:00", "20260102T000000Z"),
    ],
)
def test_file_stamp(captured_at, stem):
    assert file_stamp(captured_at) == stem


@pytest.mark.parametrize(
    "value, safe",
    [
        ("2401000123", "2401000123"),
        ("demo-bazaar", "demo-bazaar"),
        ("../../etc", "etc"),
        ("a/b c", "a_b_c"),
        ("..", "_"),
    ],
)
def test_safe_part_never_escapes_the_folder(value, safe):
    assert safe_part(value) == safe


def test_evidence_root_defaults_beside_the_database(tmp_path):
    assert evidence_root(tmp_path / "x.db") == tmp_path.resolve() / "evidence"
    assert evidence_root(tmp_path / "x.db", "/srv/ev") == Path("/srv/ev")


def _capture(tmp_path: Path, at: str = "2026-11-28T03:56:12Z") -> list[dict]:
    return save_capture(
        tmp_path / "evidence",
        tmp_path,
        "demo-bazaar",
        "2401000123",
        "http://127.0.0.1/listing/2401000123",
        at,
        {"screenshot": PNG, "html": HTML},
    )


def test_save_capture_layout_and_rows(tmp_path):
    rows = _capture(tmp_path)
    assert [r["path"] for r in rows] == [
        "evidence/demo-bazaar/2401000123/20261128T035612Z.png",
        "evidence/demo-bazaar/2401000123/20261128T035612Z.html",
    ]
    assert rows[0]["sha256"] == hashlib.sha256(PNG).hexdigest() and rows[0]["bytes"] == len(PNG)
    assert (tmp_path / rows[1]["path"]).read_bytes() == HTML
    again = _capture(tmp_path)  # same second: never overwrites
    assert again[0]["path"].endswith("20261128T035612Z-2.png")


def _db_with_evidence(tmp_path: Path) -> Path:
    db_path = tmp_path / "ev.db"
    db = open_database(db_path)
    ensure_schema(db)
    rows = _capture(tmp_path)
    db["evidence"].insert_all(
        [{**r, "listing_id": "demo-bazaar:2401000123", "crawl_id": 1} for r in rows], pk="id"
    )
    db.close()
    return db_path


def test_verify_finds_missing_and_altered_files(tmp_path):
    db_path = _db_with_evidence(tmp_path)
    db = sqlite_utils.Database(db_path)
    assert verify_evidence(db, tmp_path).ok
    png, html = (tmp_path / r["path"] for r in db.query("select path from evidence order by id"))
    html.write_bytes(HTML.replace(b"Elfenbein", b"Elfenbeln"))  # same size, other content
    png.unlink()
    report = verify_evidence(db, tmp_path)
    assert report.checked == 2 and len(report.missing) == 1 and len(report.altered) == 1


def test_cli_verify_exit_codes(tmp_path):
    db_path = _db_with_evidence(tmp_path)
    ok = run_evidence_cli("evidence", "verify", "--db", str(db_path))
    assert ok.returncode == 0, ok.stderr
    assert "2 evidence files verified" in ok.stdout
    next((tmp_path / "evidence").rglob("*.html")).write_bytes(b"tampered")
    bad = run_evidence_cli("evidence", "verify", "--db", str(db_path))
    assert bad.returncode == 1
    assert "altered: evidence/demo-bazaar/2401000123/" in bad.stdout
    assert (
        bad.stderr.strip().splitlines()[-1] == "Error: 0 missing and 1 altered of 2 evidence files"
    )
    missing = run_evidence_cli("evidence", "verify", "--db", str(tmp_path / "nope.db"))
    assert missing.returncode == 1 and "no such database" in missing.stderr
    assert "Traceback" not in missing.stderr


class _Frame:
    def __init__(self, page):
        self.page = page


class _BrowserRequest:
    def __init__(self, resource_type: str, page=None):
        self.resource_type = resource_type
        self.frame = _Frame(page or object())


def test_crawl_pages_skip_images_stylesheets_fonts_and_media():
    from crawler.browser.page_init import KEEP_RESOURCES_ATTR
    from crawler.browser.requests import should_abort_request

    for kind in ("image", "stylesheet", "font", "media"):
        assert should_abort_request(_BrowserRequest(kind))
    for kind in ("document", "script", "xhr", "fetch"):
        assert not should_abort_request(_BrowserRequest(kind))
    # A page of a marketplace with browser.block_resources: false (marked by crawler.browser.page_init).
    keep = type("Page", (), {KEEP_RESOURCES_ATTR: True})()
    assert not should_abort_request(_BrowserRequest("image", keep))
