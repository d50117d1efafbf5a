"""What a crawl imports before its first request (issue 26, start-up).

A crawl of HTTP marketplaces imports no Playwright and no scrapy-playwright, and
``wildcrawl crawl`` imports no other command's module (``COMMAND_MODULES`` in
``crawler.cli.app``): checked on a real crawl of the demo site with ``python -X importtime``.
What the first item needs and the first request does not (the lexicon, matcher and model,
the normalisers, numpy) is not there when the first request leaves (``crawler.crawl.warmup``):
checked on a real ``wildcrawl crawl`` whose socket connections are watched.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import sqlite3
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


# Loaded after the first request, in the background (crawler.crawl.warmup), or never: each
# was part of a crawl's start before it (0.02-0.1 CPU s apiece).
NOT_BEFORE_THE_FIRST_REQUEST = (
    "numpy",  # sqlite-utils' optional import (crawler.crawl.imports)
    "phonenumbers",
    "rich",  # the summary's table, after the crawl
    "crawler.matching.matcher",
    "crawler.matching.model",
    "crawler.normalise.contacts",
    "crawler.normalise.locations",
    "crawler.normalise.fast_prices",
    "crawler.normalise.rates",
    "crawler.crawl.summary",
    "crawler.normalise.textnorm",  # the lexicon's parser's (OpenCC's tables): not for its seeds
    "opencc",
    "tldextract",  # Scrapy's cookies middleware's, for a cookie set for a domain
    "requests",
    "urllib3",
)

# Runs ``wildcrawl crawl`` (argv) and prints, as JSON, what was loaded when its first socket
# connection (the first request: robots.txt) was made; the crawl then goes on to its end.
FIRST_REQUEST_PROBE = r"""
import json, socket, sys
seen = {}
connect_ex = socket.socket.connect_ex


def first_connect_ex(self, address):
    if not seen:
        from crawler.crawl.pipelines import match
        from crawler.matching import lexicon
        seen["modules"] = sorted(sys.modules)
        seen["matchers"] = len(match._SHARED)
        seen["lexicons"] = len(lexicon._LOADED)
    return connect_ex(self, address)


socket.socket.connect_ex = first_connect_ex
from crawler.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="wildcrawl")
except SystemExit as exc:
    seen["exit"] = exc.code
print("FIRST-REQUEST " + json.dumps(seen))
"""


def test_the_first_request_leaves_before_the_lexicon_matcher_and_normalisers(demo_server, tmp_path):
    db = tmp_path / "t.db"
    args = [sys.executable, "-c", FIRST_REQUEST_PROBE, "crawl", "demo-bazaar", "-k", "ivory"]
    args += ["--base-url", f"demo-bazaar={demo_server.base_url('demo-bazaar')}"]
    args += ["--max-pages", "1", "--db", str(db), "--log-file", "-"]
    args += ["-s", "WILDCRAWL_EVIDENCE=False", "-s", "CLOSESPIDER_PAGECOUNT=3"]
    run = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    line = [x for x in run.stdout.splitlines() if x.startswith("FIRST-REQUEST ")][-1]
    seen = json.loads(line.removeprefix("FIRST-REQUEST "))
    assert seen["exit"] == 0, run.stderr[-2000:]
    assert "scrapy.core.engine" in seen["modules"]  # the probe saw the crawl's own request
    assert not set(seen["modules"]) & set(NOT_BEFORE_THE_FIRST_REQUEST), sorted(
        set(seen["modules"]) & set(NOT_BEFORE_THE_FIRST_REQUEST)
    )
    assert seen["matchers"] == 0 and seen["lexicons"] == 0
    # ... and the listings were matched all the same, by the matcher built after it.
    con = sqlite3.connect(db)
    try:
        listings, flagged, matched = con.execute(
            "select count(*), sum(flagged), sum(risk is not null) from listings"
        ).fetchone()
    finally:
        con.close()
    assert listings and flagged and matched == listings


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
        "import inspect; stack, getmodule = inspect.stack, inspect.getmodule; "
        "import crawler.crawl.runner; from scrapy.core.downloader import contextfactory, tls; "
        "print(inspect.stack is stack and inspect.getmodule is getmodule, "
        "contextfactory.ScrapyClientContextFactory.__module__, "
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
