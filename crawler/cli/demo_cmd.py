"""``wildcrawl demo``: demo marketplaces -> crawl -> Datasette, in one command."""

from __future__ import annotations

import shutil
import signal
import tempfile
import time
from pathlib import Path

import click

from crawler.cli.app import cli, db_option, user_errors, verbose_option
from crawler.cli.crawl_cmd import parse_pairs

# The three demo marketplaces and the demo channel source (crawler.demo.channels).
DEMO_MARKETPLACES = ("demo-bazaar", "demo-jsmarket", "demo-tiaozao", "demo-channels")
DEMO_USER = "demo"


@cli.command()
@db_option
@click.option("--no-serve", is_flag=True, help="Stop after the crawl and summary.")
@click.option("--sites-only", is_flag=True, help="Only serve the demo marketplaces until Ctrl-C.")
@click.option(
    "--site-port",
    "site_ports",
    multiple=True,
    metavar="NAME=PORT",
    help="Serve a demo marketplace on another port (0 = any free port).",
)
@click.option("--keywords", "-k", help="Comma-separated keywords (default: the lexicon's seeds).")
@click.option("--max-pages", type=click.IntRange(1), help="Results pages per keyword.")
@click.option(
    "--size",
    type=click.IntRange(1),
    default=360,
    show_default=True,
    help="Listings per demo marketplace.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Datasette host.")
@click.option("--port", default=8001, show_default=True, type=int, help="Datasette port.")
@verbose_option
@user_errors
def demo(db_path, no_serve, sites_only, site_ports, keywords, max_pages, size, host, port, verbose):
    """Start the demo marketplaces, crawl them all, print a summary, serve Datasette.

    \b
    Example:
      wildcrawl demo                       # then open http://127.0.0.1:8001/
      wildcrawl demo --no-serve --db /tmp/x.db
      wildcrawl demo --sites-only          # just the marketplaces, for 'wildcrawl crawl demo-...'
    """
    from crawler.demo.server import DemoServer

    ports = {name: int(p) for name, p in parse_pairs(site_ports, "--site-port").items()}
    try:
        server = DemoServer(ports=ports or None, size=size, sites=list(DEMO_MARKETPLACES)).start()
    except OSError as exc:
        raise click.ClickException(
            f"cannot start the demo marketplaces ({exc.strerror}); is another demo running? "
            "use --site-port NAME=PORT"
        ) from None
    try:
        for name in DEMO_MARKETPLACES:
            click.echo(f"{name}: {server.base_url(name)}/")
        if sites_only:
            click.echo("Serving the demo marketplaces; Ctrl-C to stop.")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                click.echo("Stopped the demo marketplaces.")
                return
        _crawl_and_report(server, db_path, keywords, max_pages, verbose)
        if no_serve:
            return
        from crawler.publish.datasette import accounts, serve

        # A demo account with a new password each run, in a folder of its own that only this
        # demo's Datasette reads and that is removed when it stops: it opens no other instance.
        demo_accounts = Path(tempfile.mkdtemp(prefix="wildcrawl-demo-accounts-"))
        try:
            password = accounts.create_user(DEMO_USER, directory=demo_accounts)
            # The demo marketplaces keep running so that listing links in Datasette open.
            click.echo(
                f"Datasette: http://{host}:{port}/  user {DEMO_USER}  password {password}"
                "  (Ctrl-C to stop)"
            )
            # Datasette's own lines (requests, start and stop) go to a log file, unless -v.
            datasette_log = _log_path(db_path, "datasette")
            with open(datasette_log, "ab") as output:
                status = serve(
                    db_path,
                    host,
                    port,
                    accounts_dir=demo_accounts,
                    output=None if verbose else output,
                )
        finally:
            shutil.rmtree(demo_accounts, ignore_errors=True)
        if status not in (0, -signal.SIGINT, -signal.SIGTERM):
            raise click.ClickException(
                f"Datasette stopped with status {status}; see {datasette_log}"
            )
        click.echo(f"Stopped Datasette and the demo marketplaces; the database stays in {db_path}")
    except KeyboardInterrupt:
        click.echo("Stopped the demo.")
    finally:
        server.stop()


def _log_path(db_path, stem: str) -> Path:
    """``logs/<stem>-<UTC time>.log`` in the database's folder (the folder made)."""
    from crawler.crawl.runner import crawl_log_path

    path = crawl_log_path(db_path, [stem])
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _crawl_and_report(server, db_path, keywords, max_pages, verbose=False) -> None:
    """Crawl the demo marketplaces and print the summary (Scrapy's log: a file it names)."""
    from crawler.crawl.runner import run_crawl
    from crawler.crawl.summary import crawl_rows, print_summary
    from crawler.store.database import open_database

    kw = [k.strip() for k in keywords.split(",") if k.strip()] if keywords else None
    base_urls = {name: server.base_url(name) for name in DEMO_MARKETPLACES}
    log_file = _log_path(db_path, "demo")
    ids = run_crawl(
        list(DEMO_MARKETPLACES),
        db_path,
        keywords=kw,
        base_urls=base_urls,
        max_pages=max_pages,
        log_file=log_file,
        quiet=False if verbose else None,
    )
    rows = crawl_rows(open_database(db_path), ids)
    if any(r["status"] == "interrupted" for r in rows):  # Ctrl-C (or SIGTERM) during the crawl
        click.echo(f"Stopped: the demo crawl was interrupted and recorded so; log: {log_file}")
        raise SystemExit(130)
    print_summary(rows, log_file=log_file)
    bad = [r for r in rows if r["status"] != "finished"]
    if bad or len(rows) < len(DEMO_MARKETPLACES):
        raise click.ClickException("the demo crawl did not finish cleanly; see the summary above")
