"""crawler.casework.takedown and crawler.casework.reports: derived figures (views), relistings, the export bundle."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from crawler.casework.evidence import save_capture, sha256_file
from crawler.casework.reports import ReportError, add_report, report_rows, set_outcome
from crawler.casework.takedown import ExportError, export_takedown, verify_manifest
from crawler.store.database import ensure_schema
from crawler.store.views import find_relistings, refresh_relistings, title_similarity

ROOT = Path(__file__).resolve().parents[1]


def ago(days: float) -> str:
    moment = datetime.now(UTC) - timedelta(days=days)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


@pytest.mark.parametrize(
    "a, b, near",
    [
        ("Antique carved ivory figurine 12 cm", "Antique carved ivory figurine 12 cm", True),
        ("Antique carved ivory figurine 12 cm", "🐘 antique carved IVORY figurine, 12cm!", True),
        ("象牙雕刻观音摆件 20厘米", "象牙雕刻观音摆件 20厘米 包邮", True),
        ("Antique carved ivory figurine 12 cm", "Ivory coloured wedding dress size 38", False),
        ("", "", False),
    ],
)
def test_title_similarity(a, b, near):
    assert (title_similarity(a, b) >= 0.85) is near


def test_find_relistings_needs_same_seller_later_and_similar_title():
    removed = [
        {
            "id": "m:1",
            "seller_id": "m:s",
            "title": "Old ivory netsuke, signed",
            "removed_at": "2026-11-02T00:00:00Z",
        }
    ]
    candidates = [
        {
            "id": "m:1",
            "seller_id": "m:s",
            "title": "Old ivory netsuke, signed",
            "first_seen": ago(0),
        },
        {
            "id": "m:2",
            "seller_id": "m:s",
            "title": "Old ivory netsuke signed",
            "first_seen": "2026-11-03T00:00:00Z",
        },
        {
            "id": "m:3",
            "seller_id": "m:other",
            "title": "Old ivory netsuke, signed",
            "first_seen": "2026-11-03T00:00:00Z",
        },
        {
            "id": "m:4",
            "seller_id": "m:s",
            "title": "Old ivory netsuke, signed",
            "first_seen": "2026-11-01T00:00:00Z",
        },
        {
            "id": "m:5",
            "seller_id": "m:s",
            "title": "Rhino horn cup",
            "first_seen": "2026-11-03T00:00:00Z",
        },
    ]
    assert [p["relisted_as"] for p in find_relistings(removed, candidates)] == ["m:2"]


def _db() -> sqlite_utils.Database:
    db = sqlite_utils.Database(memory=True)
    ensure_schema(db)
    db["marketplaces"].insert_all([{"name": "m"}, {"name": "quiet"}], pk="name")
    return db


def _listing(
    db,
    item_id,
    status="active",
    removed_at=None,
    first_seen=None,
    title=None,
    seller="m:s1",
    flagged=1,
):
    db["listings"].insert(
        {
            "id": f"m:{item_id}",
            "marketplace": "m",
            "item_id": item_id,
            "url": f"http://m/{item_id}",
            "title": title or f"Ivory carving {item_id}",
            "status": status,
            "removed_at": removed_at,
            "first_seen": first_seen or ago(40),
            "last_seen": ago(0),
            "seller_id": seller,
            "flagged": flagged,
            "taxa": '["loxodonta-africana"]',
            "risk": 0.9,
        },
        pk="id",
    )


def test_takedown_figures_from_reports_and_crawls():
    db = _db()
    # reported 40 days ago: removed after 2, 4 and 10 days; one still online; one removed before
    _listing(db, "1", "removed", ago(38))
    _listing(db, "2", "sold", ago(36))
    _listing(db, "3", "removed", ago(30))
    _listing(db, "4")
    _listing(db, "5", "removed", ago(45))
    _listing(db, "6")  # reported 3 days ago: not yet due for the 7-day figure
    for i in "12345":
        add_report(db, f"m:{i}", "Platform M", reference=f"T-{i}", reported_at=ago(40))
    add_report(db, "m:1", "Police", reported_at=ago(39))  # a second report: counted once
    add_report(db, "m:6", "Platform M", reported_at=ago(3))
    figures = {r["marketplace"]: r for r in db.query("select * from takedown_figures")}
    m = figures["m"]
    assert m["listings_reported"] == 6
    assert m["removed_after_report"] == 3
    assert m["median_days_to_removal"] == pytest.approx(4, abs=0.01)
    assert m["reported_7_days_ago"] == 5
    assert m["still_online_after_7_days"] == 3  # 3 (10 days), 4 (online), 5 (removed before report)
    assert m["reported_30_days_ago"] == 5
    assert m["still_online_after_30_days"] == 2
    assert (
        figures["quiet"]["listings_reported"] == 0
        and figures["quiet"]["median_days_to_removal"] is None
    )
    outcomes = {r["listing_id"]: r["outcome"] for r in report_rows(db, "m")}
    assert outcomes["m:4"] == "still online" and outcomes["m:5"] == "removed before report"
    report_id = next(r["report_id"] for r in report_rows(db) if r["listing_id"] == "m:4")
    set_outcome(db, report_id, "rejected", "2026-11-20")
    row = next(r for r in report_rows(db) if r["report_id"] == report_id)
    assert (row["outcome"], row["outcome_source"], row["outcome_at"]) == (
        "rejected",
        "manual",
        "2026-11-20T00:00:00Z",
    )


def test_relisted_view_and_figure():
    db = _db()
    _listing(db, "1", "removed", ago(10), title="Old ivory netsuke, signed", seller="m:s")
    _listing(db, "2", first_seen=ago(5), title="Old ivory netsuke signed", seller="m:s")
    _listing(db, "3", first_seen=ago(5), title="Old ivory netsuke signed", seller="m:other")
    assert refresh_relistings(db) == 1
    rows = list(db.query("select * from relisted_listings"))
    assert [(r["removed_listing_id"], r["relisted_as"]) for r in rows] == [("m:1", "m:2")]
    assert (
        db.execute("select relisted from takedown_figures where marketplace='m'").fetchone()[0] == 1
    )


@pytest.mark.parametrize(
    "listing_id, platform, message",
    [("m:404", "Platform", "no listing 'm:404'"), ("m:1", " ", "--to PLATFORM")],
)
def test_report_errors(listing_id, platform, message):
    db = _db()
    _listing(db, "1")
    with pytest.raises(ReportError, match=message):
        add_report(db, listing_id, platform)


def test_report_rejects_bad_time_and_outcome():
    db = _db()
    _listing(db, "1")
    with pytest.raises(ReportError, match="ISO 8601"):
        add_report(db, "m:1", "P", reported_at="yesterday")
    rid = add_report(db, "m:1", "P")
    with pytest.raises(ReportError, match="outcome 'gone' unknown"):
        set_outcome(db, rid, "gone")


def _export_db(tmp_path: Path) -> sqlite_utils.Database:
    db = sqlite_utils.Database(tmp_path / "t.db")
    ensure_schema(db)
    db["marketplaces"].insert({"name": "m"}, pk="name")
    db["taxa"].insert(
        {
            "id": "loxodonta-africana",
            "scientific_name": "Loxodonta africana",
            "cites_appendix": "I",
        },
        pk="id",
    )
    db["sellers"].insert({"id": "m:s1", "name": "Ana", "profile_url": "http://m/u/1"}, pk="id")
    _listing(db, "1", first_seen="2026-11-01T00:00:00Z")
    _listing(db, "2", first_seen="2026-11-20T00:00:00Z")
    _listing(db, "3", first_seen="2026-11-20T00:00:00Z", flagged=0)
    db["matches"].insert(
        {
            "listing_id": "m:2",
            "term_id": "en:ivory",
            "field": "title",
            "start": 0,
            "end": 5,
            "taxon_id": "loxodonta-africana",
            "kind": "product",
            "matched_text": "Ivory",
        },
        pk=("listing_id", "term_id", "field", "start"),
    )
    rows = save_capture(
        tmp_path / "evidence",
        tmp_path,
        "m",
        "2",
        "http://m/2",
        "2026-11-20T00:00:00Z",
        {"screenshot": b"\x89PNG-bytes", "html": b"<html>"},
    )
    db["evidence"].insert_all([{**r, "listing_id": "m:2", "crawl_id": 1} for r in rows], pk="id")
    add_report(db, "m:2", "Platform M", reference="T-9", reported_at="2026-11-21")
    db["reviews"].insert(
        {
            "listing_id": "m:2",
            "verdict": "confirmed",
            "reviewer": "monitor.anna",
            "reviewed_at": "2026-11-21T08:00:00Z",
        },
        pk="id",
    )
    return db


def test_export_bundle_and_manifest(tmp_path):
    db = _export_db(tmp_path)
    out = tmp_path / "bundle"
    result = export_takedown(db, "m", out, since="2026-11-10T00:00:00Z", evidence_base=tmp_path)
    assert (result.listings, result.evidence_files) == (1, 2)
    with open(out / "listings.csv", encoding="utf-8") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["listing_id"] == "m:2" and row["url"] == "http://m/2"
    assert row["seller_name"] == "Ana" and row["first_seen"] == "2026-11-20T00:00:00Z"
    assert row["matched_terms"] == "Ivory"
    assert row["taxa"] == "Loxodonta africana" and row["cites_appendix"] == "Loxodonta africana: I"
    assert "T-9" in row["reports"]
    assert json.loads((out / "listings.json").read_text())["listings"][0]["listing_id"] == "m:2"
    manifest = json.loads((out / "manifest.json").read_text())
    assert sorted(f["path"] for f in manifest["files"]) == sorted(
        [
            "listings.csv",
            "listings.json",
            "evidence/2/20261120T000000Z.png",
            "evidence/2/20261120T000000Z.html",
        ]
    )
    for entry in manifest["files"]:
        assert sha256_file(out / entry["path"]) == entry["sha256"]
    assert verify_manifest(out) == []
    (out / "listings.csv").write_text("edited")
    assert verify_manifest(out) == ["altered: listings.csv"]
    assert row["review_verdict"] == "confirmed" and row["reviewer"] == "monitor.anna"
    everything = export_takedown(
        db, "m", tmp_path / "all", evidence_base=tmp_path, verdicts=("any",)
    )
    assert everything.listings == 2  # unflagged listing 3 never exported


def test_export_takes_confirmed_listings_by_default(tmp_path):
    db = _export_db(tmp_path)
    _listing(db, "4", first_seen="2026-11-22T00:00:00Z")
    db["reviews"].insert_all(
        [
            {"listing_id": "m:4", "verdict": "confirmed", "reviewer": "a", "reviewed_at": "1"},
            {"listing_id": "m:4", "verdict": "not_wildlife", "reviewer": "b", "reviewed_at": "2"},
        ]
    )

    def ids(name, **kw):
        export_takedown(db, "m", tmp_path / name, evidence_base=tmp_path, **kw)
        data = json.loads((tmp_path / name / "listings.json").read_text())
        return [(r["listing_id"], r["review_verdict"], r["reviewer"]) for r in data["listings"]]

    assert ids("default") == [("m:2", "confirmed", "monitor.anna")]
    assert ids("nw", verdicts=("not_wildlife",)) == [("m:4", "not_wildlife", "b")]
    assert ids("open", verdicts=("unreviewed",)) == [("m:1", None, None)]
    with pytest.raises(ExportError, match="unknown verdict maybe"):
        export_takedown(db, "m", tmp_path / "x", evidence_base=tmp_path, verdicts=("maybe",))


def test_export_refuses_what_would_mislead(tmp_path):
    db = _export_db(tmp_path)
    with pytest.raises(ExportError, match="unknown marketplace 'x'"):
        export_takedown(db, "x", tmp_path / "o1", evidence_base=tmp_path)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "f").write_text("x")
    with pytest.raises(ExportError, match="not empty"):
        export_takedown(db, "m", tmp_path / "full", evidence_base=tmp_path)
    next((tmp_path / "evidence").rglob("*.png")).write_bytes(b"changed")
    with pytest.raises(ExportError, match="altered since capture"):
        export_takedown(db, "m", tmp_path / "o2", evidence_base=tmp_path)


def run_cli_modules(*args: str) -> subprocess.CompletedProcess:
    code = (
        "import crawler.cli.report_cmd, crawler.cli.export_cmd; from crawler.cli import cli; cli()"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_report_and_export(tmp_path):
    db = _export_db(tmp_path)
    db.close()
    db_path = str(tmp_path / "t.db")
    added = run_cli_modules(
        "report",
        "add",
        "m:1",
        "--db",
        db_path,
        "--to",
        "Platform M",
        "--reference",
        "T-1",
        "--by",
        "ana",
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("report 2: m:1 reported to Platform M")
    unknown = run_cli_modules("report", "add", "m:999", "--db", db_path, "--to", "P")
    assert unknown.returncode == 1 and unknown.stderr.startswith("Error: no listing 'm:999'")
    listed = run_cli_modules("report", "list", "--db", db_path)
    assert "T-1" in listed.stdout and "still online" in listed.stdout
    out = tmp_path / "cli-bundle"
    exported = run_cli_modules(
        "export", "takedown", "--db", db_path, "-m", "m", "--since", "2026-11-10", "--out", str(out)
    )
    assert exported.returncode == 0, exported.stderr
    assert "1 flagged listings (verdict: confirmed), 2 evidence files" in exported.stdout
    assert verify_manifest(out) == []
