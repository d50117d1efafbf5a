"""The ``wildcrawl`` click group. Command modules register themselves on it."""

from __future__ import annotations

import functools
import importlib

import click

from crawler.errors import WildcrawlError
from crawler.paths import DEFAULT_DB

# Command name -> the modules of crawler.cli that define it (and its subcommands), imported
# when the command is used: importing all of them cost every `wildcrawl crawl` ~0.3 s before
# its first request (new-marketplace's page analysis, check's and doctor's dependencies).
COMMAND_MODULES: dict[str, str | tuple[str, ...]] = {
    "check": ("check_cmd", "keywords_cmd"),
    "crawl": "crawl_cmd",
    "demo": "demo_cmd",
    "doctor": "doctor_cmd",
    "evidence": "evidence_cmd",
    "export": "export_cmd",
    "ingest": "ingest_cmd",
    "match": "match_cmd",
    "model": "model_cmd",
    "new-marketplace": "new_marketplace_cmd",
    "price": "price_cmd",
    "publish": "publish_cmd",
    "rates": "rates_cmd",
    "report": "report_cmd",
    "schedule": "schedule_cmd",
    "seed": "seed_cmd",
    "serve": "serve_cmd",
    "status": "status_cmd",
    "taxa": "taxa_cmd",
    "try": "try_cmd",
}


class WildcrawlGroup(click.Group):
    """A group that turns library errors into one line and exit status 1, and imports a
    command's module when the command is asked for (``COMMAND_MODULES``)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMAND_MODULES:
            modules = COMMAND_MODULES[cmd_name]
            for module in (modules,) if isinstance(modules, str) else modules:
                importlib.import_module(f"crawler.cli.{module}")
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except WildcrawlError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=WildcrawlGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wildcrawl")
def cli() -> None:
    """wildcrawl: find wildlife products offered for sale on online marketplaces.

    \b
    Example:
      wildcrawl demo            # demo marketplaces -> crawl -> Datasette
    """


def db_option(func):
    """The ``--db PATH`` option shared by every command that touches a database."""
    return click.option(
        "--db",
        "db_path",
        default=DEFAULT_DB,
        show_default=True,
        type=click.Path(dir_okay=False),
        help="SQLite database file.",
    )(func)


def user_errors(func):
    """Decorator for command callbacks: WildcrawlError -> one-line ClickException."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except WildcrawlError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


def verbose_option(func):
    """``-v``: Scrapy's own log live on the terminal (it always goes to the crawl's log file)."""
    return click.option(
        "--verbose",
        "-v",
        is_flag=True,
        help="Show Scrapy's log live (default on a terminal: warnings and errors only; "
        "all of it is in the log file named in the summary).",
    )(func)


def search_options(func):
    """What a crawl searches: ``-k/--keywords``, ``--max-pages``, ``--base-url``, ``--lexicon``
    (``crawl`` and ``seed`` take the same)."""
    options = [
        click.option(
            "--keywords",
            "-k",
            help="Comma-separated keywords (default: the lexicon's seeds "
            "for each marketplace's languages).",
        ),
        click.option(
            "--max-pages",
            type=click.IntRange(1),
            help="Results pages per keyword (default: config).",
        ),
        click.option(
            "--base-url",
            "base_urls",
            multiple=True,
            metavar="NAME=URL",
            help="Crawl a marketplace at another address (mirror, demo port).",
        ),
        click.option(
            "--lexicon", type=click.Path(exists=True, file_okay=False), help="Lexicon folder."
        ),
    ]
    for option in reversed(options):  # the help lists them in this order
        func = option(func)
    return func
