"""What a crawl imports before its first request (issue 26, start-up).

A crawl of HTTP marketplaces imports no Playwright and no scrapy-playwright, and
``wildcrawl crawl`` imports no other command's module (``COMMAND_MODULES`` in
``crawler.cli.app``): checked on a real crawl of the demo site with ``python -X importtime``.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys

import click
import pytest

import crawler.cli
from crawler.cli.app import COMMAND_MODULES, cli
from tests.conftest import ROOT

# Imported by a crawl only when it needs them (a browser marketplace, the evidence capture
# after the crawl, another command).
NOT_FOR_AN_HTTP_CRAWL = (
    "playwright.async_api",
    "scrapy_playwright.handler",
    "crawler.browser.provider",
    "crawler.casework.capture",
    "crawler.extract.autoconfig",
    "crawler.cli.new_marketplace_cmd",
    "crawler.cli.doctor_cmd",
)


def _modules_of(command: click.Command) -> set[str]:
    """The modules whose functions are ``command`` and its subcommands."""
    found = {command.callback.__module__} if command.callback else set()
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            found |= _modules_of(sub)
    return found


def test_every_command_is_found_in_the_module_named_for_it():
    for info in pkgutil.iter_modules(crawler.cli.__path__):
        if info.name != "__main__":
            importlib.import_module(f"crawler.cli.{info.name}")
    assert set(cli.commands) == set(COMMAND_MODULES)
    for name, command in cli.commands.items():
        named = COMMAND_MODULES[name]
        named = {named} if isinstance(named, str) else set(named)
        assert _modules_of(command) <= {f"crawler.cli.{m}" for m in named}, name


def test_a_command_is_found_without_importing_it_first():
    code = (
        "import sys; from crawler.cli import cli; "
        "assert 'crawler.cli.check_cmd' not in sys.modules; "
        "print(sorted(cli.get_command(None, 'check').commands))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "['keywords', 'marketplaces']"


@pytest.mark.slow
def test_an_http_crawl_imports_no_browser_and_no_other_command(demo_server, tmp_path):
    args = [sys.executable, "-X", "importtime", "-m", "crawler.cli", "crawl", "demo-bazaar"]
    args += ["--base-url", f"demo-bazaar={demo_server.base_url('demo-bazaar')}", "-k", "ivory"]
    args += ["--max-pages", "1", "--db", str(tmp_path / "t.db"), "--log-file", "-"]
    args += ["-s", "WILDCRAWL_EVIDENCE=False", "-s", "CLOSESPIDER_PAGECOUNT=3"]
    run = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    imported = set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$", run.stderr, re.M))
    assert "scrapy.core.downloader.handlers.http11" in imported  # the listing was read
    assert "'item_scraped_count': " in run.stderr
    assert not imported & set(NOT_FOR_AN_HTTP_CRAWL)


def test_the_http_handler_is_imported_with_scrapys_own_names_and_inspect_left_alone():
    code = (
        "import inspect; stack = inspect.stack; import crawler.crawl.runner; "
        "from scrapy.core.downloader import contextfactory, tls; "
        "print(inspect.stack is stack, contextfactory.ScrapyClientContextFactory.__module__, "
        "contextfactory.AcceptableProtocolsContextFactory.__module__, "
        "tls.ScrapyClientTLSOptions.__module__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == [
        "True",
        "scrapy.core.downloader.contextfactory",
        "scrapy.core.downloader.contextfactory",
        "scrapy.core.downloader.tls",
    ]
