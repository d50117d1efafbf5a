"""Marketplace configs: every shipped config loads; each mistake is one line with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.config import available_marketplaces, load_config, load_marketplace, parse_config
from crawler.errors import ConfigError
from tests.conftest import assert_config_error

GOOD = """\
name: tiny
title: Tiny market
base_url: http://127.0.0.1:9999
currency: EUR
search:
  url: "/search?q={keyword}&page={page}"
listings:
  item: "li.ad"
  fields:
    item_id: "::attr(data-id)"
    url: "a::attr(href)"
    title: "a::text"
"""


def test_every_shipped_config_loads():
    names = available_marketplaces()
    assert {"demo-bazaar", "demo-jsmarket", "demo-tiaozao"} <= set(names)
    for name in names:
        assert load_marketplace(name).name == name


def test_good_config_parses_with_defaults():
    config = parse_config(GOOD)
    assert config.render == "http"
    assert config.politeness.obey_robots is True
    assert (
        config.search_url("rhino horn", 2) == "http://127.0.0.1:9999/search?q=rhino%20horn&page=2"
    )


@pytest.mark.parametrize(
    "change, line, words",
    [
        (("currency: EUR", "currency: EUR\nbogus: 1"), 5, "unknown key 'bogus'"),
        (('url: "/search?q={keyword}&page={page}"', 'url: "/search?page={page}"'), 6, "{keyword}"),
        (('    title: "a::text"', '    title: "a:::text[["'), 12, "does not parse"),
        (("title: Tiny market\n", ""), None, "missing required key 'title'"),
        (('  item: "li.ad"', '  item: "li.ad\n'), None, "invalid YAML"),
        (('    url: "a::attr(href)"\n', ""), 7, "must include 'url'"),
        (("currency: EUR", "currency: euro"), 4, "currency"),
    ],
)
def test_config_errors_name_file_line_and_problem(tmp_path: Path, change, line, words):
    assert_config_error(tmp_path / "tiny.yaml", GOOD.replace(*change), words, line)


def test_robots_off_needs_a_reason():
    with pytest.raises(ConfigError, match="robots_reason"):
        parse_config(GOOD + "politeness:\n  obey_robots: false\n")
    config = parse_config(
        GOOD + "politeness:\n  obey_robots: false\n  robots_reason: own test site\n"
    )
    assert config.politeness.obey_robots is False


def test_name_must_match_file(tmp_path: Path):
    path = tmp_path / "other.yaml"
    path.write_text(GOOD, encoding="utf-8")
    with pytest.raises(ConfigError, match="must equal the file name"):
        load_config(path)


def test_unknown_marketplace_lists_the_configured_ones():
    with pytest.raises(ConfigError, match="demo-bazaar"):
        load_marketplace("no-such-market")


def test_crawl_settings_start_lean():
    # A crawl hands Scrapy its spider class (no spider loader import of every spider module,
    # the Redis worker's pulling in redis), and Scrapy's remote Python console is neither on
    # nor listed (Scrapy imports every listed extension's module, even one set to None).
    import subprocess
    import sys

    from crawler.crawl.runner import project_settings

    settings = project_settings(":memory:")
    assert settings.getlist("SPIDER_MODULES") == []
    assert not settings.getbool("REMOTE_CONTROL_ENABLED")
    assert not [k for k in settings.getdict("EXTENSIONS_BASE") if "remote_control" in k]
    code = (
        "import sys; from crawler.crawl.runner import run_crawl; "
        "print(sorted(m for m in ('redis', 'aiohttp') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert loaded.stdout.strip() == "[]"


def test_a_responses_output_goes_to_few_worker_tasks():
    # With the asyncio reactor Scrapy hands each response's callback output to
    # CONCURRENT_ITEMS worker tasks made for that response (scrapy.utils.asyncio's
    # _parallel_asyncio): Scrapy's 100 cost ~0.5 ms CPU a response, for item pipelines whose
    # steps are all synchronous (a detail page gives one item).
    import asyncio

    from scrapy.utils.asyncio import _parallel_asyncio

    from crawler.crawl.runner import project_settings

    count = project_settings(":memory:").getint("CONCURRENT_ITEMS")
    made = []
    create_task = asyncio.create_task

    async def one_response() -> list[int]:
        seen: list[int] = []

        async def handle(output: int) -> None:
            seen.append(output)

        def counted(coro, **kwargs):
            made.append(coro)
            return create_task(coro, **kwargs)

        asyncio.create_task = counted
        try:
            await _parallel_asyncio(iter([1]), count, handle)
        finally:
            asyncio.create_task = create_task
        return seen

    assert asyncio.run(one_response()) == [1]
    assert len(made) <= 11  # a filler and at most 10 workers
