"""Channel sources (issue 27): Telegram's public web preview read like a marketplace.

Golden tests on the two saved real previews (every post's id, text, date, views, photo and
author), the config's channel rules, the demo channel site against its ground truth,
``wildcrawl try`` and ``new-marketplace`` on a saved preview, and the casework on the demo:
flagged posts in the review queue with evidence, a post deleted between two crawls marked
removed after its own URL (its embed) is re-checked.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import run_cli
from parsel import Selector

from crawler.config import channel_of, load_marketplace, parse_config
from crawler.config.channels import hints, searches
from crawler.errors import ConfigError
from crawler.extract.listings import extract_listings, next_page_url, page_state

ROOT = Path(__file__).resolve().parents[1]
META = ROOT / "crawler" / "publish" / "datasette" / "metadata.yaml"
CDN = "https://cdn4.telegram-cdn.org/file/"

# The full preview, read by hand: post id, first words of its text, time, views, whether a
# photo (or a video's thumbnail) is shown, the author (a forwarded post: the channel it
# was forwarded from).
FULL = [
    ("70989", "В Санкт-Петербурге в небо над", "2023-02-28T07:47:53+00:00", "37.2K", True, None),
    ("70990", "Власти Петербурга подтвердили,", "2023-02-28T08:09:50+00:00", "34.5K", False, None),
    ("70992", "Сегодня ночью в Республике Адыгея", "2023-02-28T08:51:58+00:00", "33.8K", True, None),
    ("70995", 'План "Ковер" отменен,', "2023-02-28T08:54:50+00:00", "33.6K", False, None),
    ("70996", "Информация о том, что", "2023-02-28T09:06:02+00:00", "32.9K", False, "Военкор Ярем"),
    ("70997", "Минобороны России сообщило", "2023-02-28T10:00:03+00:00", "30.3K", False, None),
    ("70998", "Новые ракетные корабли ВМФ", "2023-02-28T10:29:08+00:00", "29.0K", True, "БелВПО"),
    ("70999", "Ночью ВСУ предприняли попытку", "2023-02-28T10:43:08+00:00", "28.7K", False, None),
    ("71000", "Последствия ночного удара", "2023-02-28T10:52:36+00:00", "28.7K", True, None),
    ("71006", "Кратко по фронту", "2023-02-28T12:48:58+00:00", "17.2K", True, "Старше Эдды"),
    ("71007", "Путин – о приоритетах ФСБ", "2023-02-28T13:02:00+00:00", "16.8K", True, "Пул N3"),
    ("71008", "Подземные тоннели для укрытия", "2023-02-28T13:14:03+00:00", "14.9K", True, "ImpNavigator"),
]  # fmt: skip


@pytest.fixture(scope="module")
def previews(shared_data) -> Path:
    path = shared_data / "real-pages" / "telegram"
    if not path.is_dir():
        pytest.skip(f"saved Telegram previews not found at {path}")
    return path


@pytest.fixture(scope="module")
def telegram():
    return load_marketplace("telegram")


# --- the real saved previews ------------------------------------------------------------------


def test_full_preview_gives_all_twelve_posts(previews, telegram):
    body = (previews / "telegram_channel_preview_full.html").read_text("utf-8")
    found = extract_listings(telegram, body, "https://t.me/s/topwar_official")
    assert found.error is None
    assert len(found.listings) == 12 == len(FULL)
    page = Selector(text=body)
    for raw, (post, start, at, views, photo, forwarded) in zip(found.listings, FULL, strict=True):
        assert raw["item_id"] == f"topwar_official/{post}"
        assert raw["url"] == f"https://t.me/topwar_official/{post}"
        assert raw["title"].startswith(start) and len(raw["title"]) <= 120
        # The whole text, whitespace collapsed: what a person reads in the post.
        node = page.css(f'[data-post="topwar_official/{post}"] .tgme_widget_message_text')
        text = " ".join(" ".join(node.xpath(".//text()").getall()).split())
        assert raw["description"] == text and raw["description"].startswith(raw["title"])
        assert raw["posted_at"] == at
        assert raw["views"] == views
        assert (raw["image_url"] or "").startswith(CDN) == photo, post
        assert raw["seller_name"] == (forwarded or "Военное обозрение")
        assert raw["seller_url"].startswith("https://t.me/")
        assert raw["seller_url"].count("/") == 3  # the channel, never one of its posts
        assert raw["price_text"] is None  # a news channel: no price in its posts
    # The first photo of the six-photo album, from its style's background-image.
    album = found.listings[8]
    first = page.css('[data-post="topwar_official/71000"] .tgme_widget_message_photo_wrap')[0]
    assert album["image_url"] in first.attrib["style"]
    assert found.listings[0]["image_url"].endswith(".jpg")


def test_full_preview_reads_back_through_before(previews, telegram):
    body = (previews / "telegram_channel_preview_full.html").read_text("utf-8")
    url = next_page_url(telegram, body, "https://t.me/s/topwar_official")
    assert url == "https://t.me/s/topwar_official?before=70989"


def test_single_post_with_photos_and_video(previews, telegram):
    body = (previews / "telegram_message_photo_video.html").read_text("utf-8")
    (raw,) = extract_listings(telegram, body, "https://t.me/s/anna_news").listings
    assert raw["item_id"] == "anna_news/46908"
    assert raw["url"] == "https://t.me/anna_news/46908"
    assert raw["title"] == "Ночью над Белгородом сбили 3 беспилотника"
    assert raw["description"].startswith("Ночью над Белгородом сбили 3 беспилотника Они упали")
    assert raw["posted_at"] == "2023-02-28T06:48:36+00:00"
    assert raw["views"] == "59.5K"
    assert raw["image_url"].startswith(CDN)
    assert raw["seller_name"] == "ANNA-NEWS" and raw["seller_url"] == "https://t.me/anna_news"


def test_try_on_the_saved_preview(previews):
    page = previews / "telegram_channel_preview_full.html"
    from crawler.cli import cli

    result = CliRunner().invoke(cli, ["try", "telegram", str(page), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["page_state"] == "ok" and len(data["listings"]) == 12
    assert data["next_page"] == "https://t.me/s/topwar_official?before=70989"
    assert {r["views"] for r in data["listings"]} >= {"37.2K", "14.9K"}


def test_new_marketplace_on_a_saved_preview_writes_a_channel_source(previews, tmp_path):
    page = previews / "telegram_channel_preview_full.html"
    from crawler.cli import cli

    result = CliRunner().invoke(
        cli,
        ["new-marketplace", "tg-watch", "--from", str(page), "--out", str(tmp_path)]
        + ["--tests", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    assert "channels topwar_official, 12 listings extracted" in result.output
    config = load_marketplace(str(tmp_path / "tg-watch.yaml"))
    assert [c.name for c in config.channels] == ["topwar_official"]
    assert config.politeness.obey_robots and config.politeness.download_delay >= 1
    assert (tmp_path / "test_marketplace_tg_watch.py").is_file()
    tried = CliRunner().invoke(cli, ["try", str(tmp_path / "tg-watch.yaml"), str(page), "--json"])
    assert tried.exit_code == 0 and len(json.loads(tried.output)["listings"]) == 12


# --- the config's rules -------------------------------------------------------------------------


def _config(**changes) -> str:
    data = yaml.safe_load((ROOT / "spiders/marketplaces/telegram.yaml").read_text("utf-8"))
    data.update(changes)
    return yaml.safe_dump({k: v for k, v in data.items() if v is not None}, allow_unicode=True)


def test_channels_and_the_channel_placeholder_go_together():
    with pytest.raises(ConfigError, match="channel"):
        parse_config(_config(channels=None), "x.yaml")
    search = {"url": "/s/somewhere?q={keyword}", "next_page": "a.more::attr(href)"}
    with pytest.raises(ConfigError, match="channel"):
        parse_config(_config(search=search), "x.yaml")
    with pytest.raises(ConfigError, match="name"):
        parse_config(_config(channels=[{"name": "bad/name"}]), "x.yaml")


def test_every_channel_is_searched_for_its_language(telegram):
    config = load_marketplace("demo-channels")
    kw = {"ivory": "en", "Elfenbein": "de", "象牙": "zh-Hans"}
    found = searches(config, kw, chosen=False)
    assert ("ivory", "curio_traders", f"{config.base_url}/s/curio_traders?q=ivory") in found
    assert ("象牙", "wenwan_tang", f"{config.base_url}/s/wenwan_tang?q=%E8%B1%A1%E7%89%99") in found
    assert {(k, c) for k, c, _ in found} == {
        ("ivory", "curio_traders"),
        ("Elfenbein", "sammlerboerse"),
        ("象牙", "wenwan_tang"),
    }
    # Keywords chosen by hand: every channel.
    assert len(searches(config, {"ivory": "en"}, chosen=True)) == len(config.channels)
    post = hints(config, {"item_id": "sammlerboerse/1234", "currency_hint": None})
    assert post["currency_hint"] == "EUR" and post["country_hint"] == "DE"
    assert channel_of(config, "nobody/1") is None
    assert telegram.politeness.obey_robots and telegram.politeness.concurrency == 1


def test_a_deleted_posts_embed_is_removed_and_the_recheck_asks_for_it(telegram):
    gone = '<div class="tgme_widget_message_error">Post not found</div>'
    assert page_state(telegram, 200, gone) == "removed"
    assert page_state(telegram, 404, "") == "removed"
    from crawler.crawl import requests

    listing = {"item_id": "topwar_official/70989", "url": "https://t.me/topwar_official/70989"}
    kwargs = {"via_api": False, "browser": False, "callback": None, "errback": None}
    assert requests.detail_request(telegram, listing, **kwargs).url == listing["url"]
    again = requests.detail_request(telegram, {**listing, "rechecked": True}, **kwargs)
    assert again.url == "https://t.me/topwar_official/70989?embed=1"


# --- the demo channel site ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_site():
    from crawler.demo.server import DemoServer

    with DemoServer(ports={"demo-channels": 0}, sites=["demo-channels"]) as server:
        yield server


def _get(url: str) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def test_demo_posts_read_as_generated(demo_site):
    from crawler.demo.channels import post_extras

    config = load_marketplace("demo-channels")
    base = demo_site.base_url("demo-channels")
    truth = {i.item_id: i for i in demo_site.catalogue("demo-channels")}
    url = f"{base}/s/curio_traders"
    status, body = _get(url)
    found = extract_listings(config, body, url)
    assert status == 200 and len(found.listings) == 20  # a full page: older posts exist
    older = next_page_url(config, body, url) or ""
    first = min(int(r["item_id"].split("/")[1]) for r in found.listings)
    assert older == f"{base}/s/curio_traders?before={first}"
    _, body = _get(f"{base}/s/curio_traders?q=ivory")
    searched = extract_listings(config, body, url).listings
    assert searched and all("ivory" in r["description"].lower() for r in searched)
    for raw in found.listings + searched:
        item, extras = truth[raw["item_id"]], post_extras(truth[raw["item_id"]])
        assert raw["title"] == " ".join(item.title.split())
        assert raw["price_text"] == (item.price_text.split(" - ")[0] if item.price else None)
        assert raw["views"] == extras.views and raw["posted_at"] == item.posted_at
        assert bool(raw["image_url"]) == (extras.photos > 0)
        author = extras.forwarded_from[1] if extras.forwarded_from else "Curio Traders"
        assert raw["seller_name"] == author
    languages = {i.lang for i in truth.values()}
    assert languages == {"en", "de", "fr", "zh-Hans"}
    assert {i.category for i in truth.values()} >= {"wildlife", "code_word", "decoy", "ordinary"}


def test_demo_deleted_post_says_not_found(demo_site):
    config = load_marketplace("demo-channels")
    base = demo_site.base_url("demo-channels")
    item_id = "curio_traders/1206"
    status, body = _get(f"{base}/{item_id}?embed=1")
    assert status == 200 and page_state(config, status, body) == "ok"
    demo_site.remove("demo-channels", item_id)
    try:
        status, body = _get(f"{base}/{item_id}?embed=1")
        assert status == 200 and page_state(config, status, body) == "removed"
        _, preview = _get(f"{base}/s/curio_traders?q=ivory")
        assert f'data-post="{item_id}"' not in preview
    finally:
        demo_site.restore("demo-channels", item_id)
    _, robots = _get(f"{base}/robots.txt")
    assert "Allow: /s/" in robots


# --- the casework on the demo: two crawls -------------------------------------------------------


@pytest.fixture(scope="module")
def two_days(tmp_path_factory):
    """Crawl the demo channels on day 1 (screenshots of flagged posts) and on day 2."""
    from crawler.demo.server import DemoServer
    from crawler.demo.timeline import timeline_events

    db = tmp_path_factory.mktemp("channels") / "channels.db"
    server = DemoServer(ports={"demo-channels": 0}, sites=["demo-channels"]).start()
    try:
        events = timeline_events("demo-channels", server.catalogue("demo-channels"))
        results = {}
        for day in (1, 2):
            server.set_day(day)
            results[day] = run_cli(
                "crawl", "demo-channels", "--db", str(db), "-k", "ivory",
                "--base-url", f"demo-channels={server.base_url('demo-channels')}",
                timeout=400,
            )  # fmt: skip
            assert results[day].returncode == 0, results[day].stderr[-3000:]
        embeds = [r.target for r in server.request_log if r.target.endswith("?embed=1")]
    finally:
        server.stop()
    return db, events, embeds


@pytest.mark.slow
@pytest.mark.browser
def test_flagged_posts_in_the_review_queue_with_evidence(two_days):
    db, _, _ = two_days
    meta = yaml.safe_load(META.read_text("utf-8"))
    sql = next(d["queries"] for d in meta["databases"].values() if d.get("queries"))
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        queue = conn.execute(sql["review_queue"]["sql"], {"verdict": ""}).fetchall()
        flagged = {r["id"] for r in queue if r["marketplace"] == "demo-channels" and r["flagged"]}
        assert len(flagged) >= 5
        assert all(re.fullmatch(r"demo-channels:curio_traders/\d+", i) for i in flagged)
        queued = {r[0] for r in conn.execute("select listing_id from evidence_queue")}
        captured = {r[0] for r in conn.execute("select listing_id from evidence")}
        assert flagged <= queued and flagged & captured
        row = conn.execute(
            "select l.views, l.posted_at, l.currency, s.name from listings l "
            "join sellers s on s.id = l.seller_id where l.id = ?",
            (sorted(flagged)[0],),
        ).fetchone()
        assert row["views"] and row["posted_at"].startswith("2026-") and row["currency"] == "USD"
        assert row["name"]


@pytest.mark.slow
def test_post_deleted_between_crawls_is_removed_after_its_recheck(two_days):
    db, events, embeds = two_days
    removed = {e.item_id for e in events if e.day == 2 and e.kind == "remove"}
    appeared = {e.item_id for e in events if e.day == 2 and e.kind == "appear"}
    assert removed
    assert {f"/{i}?embed=1" for i in removed} <= set(embeds)
    with sqlite3.connect(db) as conn:
        status = dict(
            conn.execute("select item_id, status from listings where marketplace='demo-channels'")
        )
        crawls = conn.execute("select count(*) from crawls where status='finished'").fetchone()[0]
        observed = conn.execute(
            "select count(distinct crawl_id) from observations o join listings l "
            "on l.id = o.listing_id where l.item_id = ?",
            (sorted(removed)[0],),
        ).fetchone()[0]
    assert crawls == 2 and observed == 2
    assert all(status[i] == "removed" for i in removed)
    assert all(status[i] == "active" for i in appeared)


@pytest.mark.slow
def test_release_pseudonymises_the_channels(two_days, tmp_path):
    db, _, _ = two_days
    out = tmp_path / "release"
    result = run_cli("publish", "--db", str(db), "--out", str(out), timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(out / "wildcrawl-public.db") as conn:
        dump = "\n".join(conn.iterdump())
        ids = [r[0] for r in conn.execute("select id from listings")]
    assert ids and all(re.fullmatch(r"demo-channels:listing-[0-9a-f]{16}", i) for i in ids)
    for channel in ("curio_traders", "Curio Traders", "Old Shop Archive", "wholesale_curios"):
        assert channel not in dump


@pytest.mark.slow
@pytest.mark.browser
def test_demo_command_includes_the_channel_source(tmp_path):
    from crawler.cli.demo_cmd import DEMO_MARKETPLACES

    db = tmp_path / "demo.db"
    ports = [f"--site-port={name}=0" for name in DEMO_MARKETPLACES]
    result = run_cli(
        "demo", "--no-serve", "--db", str(db), "-k", "ivory,Elfenbein,象牙", "--size", "120",
        *ports, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "demo-channels: http://127.0.0.1:" in result.stdout
    meta = yaml.safe_load(META.read_text("utf-8"))
    sql = next(d["queries"] for d in meta["databases"].values() if d.get("queries"))
    with sqlite3.connect(db) as conn:
        crawls = dict(conn.execute("select marketplace, status from crawls"))
        queue = conn.execute(sql["review_queue"]["sql"], {"verdict": ""}).fetchall()
        evidence = {r[0] for r in conn.execute("select listing_id from evidence_queue")}
    assert crawls == dict.fromkeys(DEMO_MARKETPLACES, "finished")
    posts = {r[0] for r in queue if r[1] == "demo-channels" and r[6]}
    assert posts and posts <= evidence
    assert len({p.split(":")[1].split("/")[0] for p in posts}) >= 2  # channels with flags


def test_reading_back_stops_at_the_until_day(demo_site):
    from crawler.config.channels import read_back_done

    config = load_marketplace("demo-channels")
    base = demo_site.base_url("demo-channels")
    url = f"{base}/s/curio_traders"
    _, body = _get(url)
    posts = extract_listings(config, body, url).listings
    oldest = min(p["posted_at"] for p in posts)[:10]
    assert not read_back_done(config, posts)  # no until: max_pages alone
    import datetime as dt

    day = dt.date.fromisoformat(oldest)
    for until, done in ((day, False), (day + dt.timedelta(days=1), True)):
        later = config.model_copy(
            update={"search": config.search.model_copy(update={"until": until})}
        )
        assert read_back_done(later, posts) is done
    text = (ROOT / "spiders/marketplaces/demo-channels.yaml").read_text("utf-8")
    parsed = parse_config(text.replace("  max_pages: 5\n", "  max_pages: 5\n  until: 2026-06-01\n"))
    assert parsed.search.until == dt.date(2026, 6, 1)
