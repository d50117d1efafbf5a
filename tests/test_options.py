"""Every WILDCRAWL_* setting has one row in crawler.options, parsed once per crawler."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from scrapy.settings import Settings

from crawler import settings as project
from crawler.errors import ConfigError
from crawler.options import BY_NAME, ENVIRONMENT, SETTINGS, CrawlOptions, markdown
from tests.conftest import ROOT


def test_docs_settings_md_is_current():
    assert (ROOT / "docs" / "settings.md").read_text("utf-8") == markdown(), (
        "run: python -m crawler.options --markdown > docs/settings.md"
    )


def test_the_module_prints_the_markdown():
    out = subprocess.run(
        [sys.executable, "-m", "crawler.options", "--markdown"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out == markdown()


def test_every_setting_read_in_the_code_has_a_row():
    """A ``WILDCRAWL_*`` name in the code (the spider's too) that the table lacks fails here."""
    known = {s.name for s in SETTINGS + ENVIRONMENT}
    known.add("WILDCRAWL_PASSWORD_HASH_")  # the prefix of WILDCRAWL_PASSWORD_HASH_<NAME>
    known.add("WILDCRAWL_API_TOKEN")  # the prefix of WILDCRAWL_API_TOKEN_<NAME>
    found = set()
    for base in ("crawler", "spiders"):
        for path in (ROOT / base).rglob("*.py"):
            found |= set(re.findall(r"\bWILDCRAWL_[A-Z_]*[A-Z]_?", path.read_text("utf-8")))
    found = {n.rstrip("_") if n != "WILDCRAWL_PASSWORD_HASH_" else n for n in found}
    found -= {"WILDCRAWL"}
    assert not found - known - {"WILDCRAWL_PASSWORD_HASH_<NAME>"}, sorted(found - known)


def test_project_settings_take_their_defaults_from_the_table():
    for s in SETTINGS:
        if s.default is not None and not s.env:
            assert getattr(project, s.name) == s.default, s.name


def test_defaults_parse_to_the_table_defaults():
    options = CrawlOptions.from_settings(Settings())
    for s in SETTINGS:
        assert getattr(options, s.field) == s.default, s.name


def test_values_are_parsed_by_type():
    settings = Settings(
        {
            "WILDCRAWL_BATCH_SIZE": "50",
            "WILDCRAWL_EVIDENCE": "False",
            "WILDCRAWL_FLAG_THRESHOLD": "0.7",
            "WILDCRAWL_PROGRESS_LIVE": "true",
            "WILDCRAWL_CONTEXT_PAGES": "0",
        }
    )
    options = CrawlOptions.from_settings(settings)
    assert options.batch_size == 50
    assert options.evidence is False
    assert options.flag_threshold == 0.7
    assert options.progress_live is True and options.live_progress is True
    assert options.context_pages == 0


def test_a_bad_count_names_the_setting():
    with pytest.raises(ConfigError, match="WILDCRAWL_PAGE_GC_EVERY"):
        CrawlOptions.from_settings(Settings({"WILDCRAWL_PAGE_GC_EVERY": "-1"}))


def test_options_are_parsed_once_per_crawler():
    class Crawler:
        settings = Settings({"WILDCRAWL_BATCH_SIZE": 7})

    crawler = Crawler()
    crawler.settings.freeze()
    first = CrawlOptions.of(crawler)
    assert first.batch_size == 7
    assert CrawlOptions.of(crawler) is first
    with pytest.raises(AttributeError):
        first.batch_size = 8  # frozen


def test_table_types():
    assert BY_NAME["WILDCRAWL_SCREENSHOTS"].type == "choice"
    for s in SETTINGS:
        assert s.type.rstrip("?") in ("bool", "int", "count", "float", "str", "choice"), s.name
        assert s.description.strip(), s.name
