"""`wildcrawl rates update` against a local server serving recorded answers (issue 23)."""

from __future__ import annotations

import functools
import http.server
import io
import threading
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from crawler.normalise import rate_sources
from crawler.normalise.rates import load_rates, to_usd
from tests.conftest import run_cli

DATA = Path(__file__).parent / "data" / "rates"
HIST_CSV = "Date,USD,JPY,PLN,\n2024-06-27,1.0702,171.29,4.3060,\n2024-06-26,1.0700,170.87,4.3048,\n"


@pytest.fixture()
def sources(tmp_path, monkeypatch):
    """A local server with the daily XML, the history zip and the second source."""
    root = tmp_path / "www"
    root.mkdir()
    (root / "daily.xml").write_bytes((DATA / "eurofxref-daily.xml").read_bytes())
    (root / "usd.json").write_bytes((DATA / "open-er-api-latest-usd.json").read_bytes())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("eurofxref-hist.csv", HIST_CSV)
    (root / "hist.zip").write_bytes(buffer.getvalue())
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("WILDCRAWL_ECB_DAILY_URL", f"{base}/daily.xml")
    monkeypatch.setenv("WILDCRAWL_ECB_HIST_URL", f"{base}/hist.zip")
    monkeypatch.setenv("WILDCRAWL_SECOND_RATES_URL", f"{base}/usd.json")
    table = tmp_path / "rates.csv"
    monkeypatch.setenv("WILDCRAWL_RATES", str(table))
    yield table
    server.shutdown()


def test_parse_recorded_ecb_daily():
    [(day, rates, source)] = rate_sources.parse_ecb_xml((DATA / "eurofxref-daily.xml").read_bytes())
    assert (day, rates["USD"], rates["PLN"], source) == (
        date(2024, 6, 28),
        Decimal("1.0705"),
        Decimal("4.3090"),
        "ECB",
    )


def test_update_fills_every_shipped_currency_and_keeps_sources(sources):
    result = run_cli("rates", "update")
    assert result.returncode == 0, result.stderr
    table = load_rates(sources)
    day = date(2024, 6, 28)
    for code in ("CNY", "EUR", "MAD", "NGN", "PLN", "USD", "VND"):
        assert to_usd(Decimal(100), code, day, table) is not None, code
    pln = to_usd(Decimal(100), "PLN", day, table)
    assert (pln.rate_date, pln.source, pln.exact) == (day, "ECB", True)
    assert pln.usd == (Decimal(100) * Decimal("1.0705") / Decimal("4.3090")).quantize(
        Decimal("0.01")
    )
    mad = to_usd(Decimal(100), "MAD", day, table)
    assert mad.source == "open.er-api.com" and mad.usd == Decimal("10.04")
    assert to_usd(Decimal(1), "JPY", date(2024, 6, 26), table).exact  # from the history
    info = run_cli("rates", "info").stdout
    assert (
        "MAD\t2024-06-28\topen.er-api.com" in info and "\nPLN\t2026-10-30\tECB" in info
    )  # shipped table is newer


def test_update_from_saved_files_offline(tmp_path, monkeypatch):
    table = tmp_path / "rates.csv"
    monkeypatch.setenv("WILDCRAWL_RATES", str(table))
    monkeypatch.setenv("WILDCRAWL_ECB_DAILY_URL", "http://127.0.0.1:9/nothing")
    result = run_cli(
        "rates",
        "update",
        "--from",
        str(DATA / "eurofxref-daily.xml"),
        "--from",
        str(DATA / "open-er-api-latest-usd.json"),
    )
    assert result.returncode == 0, result.stderr
    conversion = to_usd(Decimal(1000), "NGN", "2024-06-28", load_rates(table))
    assert conversion.source == "open.er-api.com"


def test_ecb_rate_is_never_replaced_by_the_second_source(sources):
    run_cli("rates", "update")
    table = load_rates(sources)
    assert table.source(date(2024, 6, 28), "USD") == "ECB"
    assert table.per_eur[date(2024, 6, 28)]["USD"] == Decimal("1.0705")


def test_a_source_that_is_down_is_one_clear_error(sources, monkeypatch):
    monkeypatch.setenv("WILDCRAWL_SECOND_RATES_URL", "http://127.0.0.1:9/down")
    result = run_cli("rates", "update", "--no-history")
    assert result.returncode != 0
    assert "cannot download http://127.0.0.1:9/down" in result.stderr


class _Stats:
    def __init__(self):
        self.values = {}

    def inc_value(self, key):
        self.values[key] = self.values.get(key, 0) + 1


@pytest.mark.parametrize(
    "text, hint, seen, status",
    [
        ("1 200 zł", "PLN", "2024-06-03T10:00:00", "ok"),
        ("1 200 zł", "PLN", "2030-01-01T10:00:00", "stale"),
        ("1 200 DH", "MAD", "2024-06-03T10:00:00", "missing"),
    ],
)
def test_pipeline_says_stale_or_missing_rate(monkeypatch, text, hint, seen, status):
    from crawler.crawl.pipelines.price import PricePipeline

    monkeypatch.delenv("WILDCRAWL_RATES", raising=False)
    monkeypatch.setattr("crawler.normalise.rates.USER_RATES", Path("/nonexistent/rates.csv"))
    stats = _Stats()
    item = PricePipeline(stats).process_item(
        {"price_text": text, "currency_hint": hint, "locale": None, "seen_at": seen}
    )
    assert item["rate_status"] == status
    assert (item["price_usd"] is None) == (status == "missing")


def test_summary_and_status_report_stale_and_missing_rates(tmp_path):
    from crawler.cli.status_cmd import rate_status_notes
    from crawler.crawl.summary import rate_notes
    from crawler.store.database import ensure_schema, open_database

    path = tmp_path / "w.db"
    db = open_database(path)
    ensure_schema(db)
    db["marketplaces"].insert({"name": "olx-pl"}, alter=True)
    base = {"url": "http://x", "title": "t", "last_crawl_id": 1, "last_seen": "2030-01-01"}
    base["marketplace"] = "olx-pl"
    db["listings"].insert_all(
        [
            {
                **base,
                "id": "a",
                "currency": "PLN",
                "rate_status": "stale",
                "rate_date": "2026-10-30",
            },
            {**base, "id": "b", "currency": "MAD", "rate_status": "missing"},
            {**base, "id": "c", "currency": "EUR", "rate_status": "ok", "rate_date": "2029-12-31"},
        ],
        alter=True,
    )
    notes = rate_notes(db, [1])
    assert len(notes) == 2
    assert any("MAD have no USD rate" in n for n in notes)
    assert any("older than 7 days (last 2026-10-30)" in n for n in notes)
    db.close()
    assert rate_status_notes(path) == notes


def test_scheduler_runs_rates_update_as_a_job_kind(tmp_path):
    from crawler.crawl.schedule import crawl_argv, load_schedule
    from crawler.errors import ConfigError

    path = tmp_path / "s.yaml"
    path.write_text('jobs:\n  - name: rates-daily\n    kind: rates\n    cron: "30 16 * * 1-5"\n')
    [job] = load_schedule(path).jobs
    assert crawl_argv(job, tmp_path / "w.db")[-2:] == ["rates", "update"]
    path.write_text('jobs:\n  - name: nothing\n    cron: "30 16 * * 1-5"\n')
    with pytest.raises(ConfigError, match="missing required key"):
        load_schedule(path)
