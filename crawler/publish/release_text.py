"""Text of a public release: its Datasette metadata (what a reader is told) and its README.

Every value that comes from configs, keywords or crawled data is HTML-escaped
before it enters ``description_html`` (Datasette renders that field unescaped).
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils
import yaml
from markupsafe import escape

from crawler.errors import WildcrawlError
from crawler.store.schema import column_descriptions

RELEASE_DB = "wildcrawl-public.db"
HERE = Path(__file__).parent / "datasette"
PUBLIC_QUERIES = HERE / "public.yaml"
PUBLIC_SETTINGS = {
    "sql_time_limit_ms": 1000,
    "max_returned_rows": 1000,
    "default_page_size": 50,
    "facet_time_limit_ms": 400,
    "allow_download": True,
    "num_sql_threads": 4,
    "suggest_facets": False,
}
# Search: a word index (fast; "pangolins" found by "pangolin") is the default; the trigram
# index beside it finds any substring of 3+ characters (``&_fts_table=listings_substring``).
WORD_FTS, SUBSTRING_FTS = "listings_fts", "listings_substring"


def public_metadata(db_path: Path, facts: dict) -> dict:
    """Metadata of a release: descriptions of every table and column, methodology, queries."""
    from crawler.publish.datasette import METADATA_TEMPLATE

    internal = yaml.safe_load(METADATA_TEMPLATE.read_text(encoding="utf-8"))
    internal_tables = internal["databases"]["wildcrawl"]["tables"]
    internal_tables["listings"]["columns"] = column_descriptions(public=True)
    public = yaml.safe_load(PUBLIC_QUERIES.read_text(encoding="utf-8"))
    overrides = public.pop("table_overrides")
    db = sqlite_utils.Database(db_path)
    tables = {}
    for table in db.table_names():
        if table.startswith("sqlite_"):
            continue
        if table.startswith((WORD_FTS, SUBSTRING_FTS)):
            tables[table] = {"hidden": True}
            continue
        base = internal_tables.get(table, {})
        extra = overrides.get(table, {})
        columns = {**base.get("columns", {}), **extra.get("columns", {})}
        tables[table] = {
            "description": extra.get("description") or base.get("description", ""),
            "columns": {c: columns.get(c, "") for c in db[table].columns_dict},
            **{k: v for k, v in extra.items() if k not in ("description", "columns")},
        }
    db.close()
    name = Path(db_path).stem
    markets = (
        ", ".join(
            f"{m['title'] or m['name']}" + (f" ({m['base_url']})" if m.get("base_url") else "")
            for m in facts["marketplaces"]
        )
        or "none"
    )
    # Datasette renders description_html as HTML: every value from configs, keywords or
    # crawled data is escaped, so "<script>" in a marketplace title is text, not a script.
    values = {
        "marketplaces": markets,
        "keywords": ", ".join(facts["keywords"]) or "none recorded",
        "lexicon_version": facts["lexicon_version"],
        "first_crawl": facts["first_crawl"],
        "last_crawl": facts["last_crawl"],
        "released_at": facts["released_at"],
    }
    methodology = public["methodology"].format(**{k: escape(str(v)) for k, v in values.items()})
    meta = {
        k: public[k]
        for k in ("title", "license", "license_url", "source", "source_url", "about", "about_url")
    }
    meta["description_html"] = public["description_html"] + methodology
    meta["databases"] = {name: {"tables": tables, "queries": public["queries"]}}
    return meta


def setting_options() -> list[str]:
    """``--setting NAME VALUE`` for each of ``PUBLIC_SETTINGS``."""
    options: list[str] = []
    for key, value in PUBLIC_SETTINGS.items():
        options += ["--setting", key, str(value).lower() if isinstance(value, bool) else str(value)]
    return options


def folder_options(out: Path) -> list[str]:
    """The release folder's metadata, plugins and templates, as ``datasette`` options."""
    return [
        "--metadata",
        str(out / "metadata.json"),
        "--plugins-dir",
        str(out / "plugins"),
        "--template-dir",
        str(out / "templates"),
    ]


def deploy_arguments(out_dir: str | Path = ".") -> list[str]:
    """Arguments after ``datasette package`` / ``datasette publish PLATFORM`` for a release.

    The database, its metadata, the plugins folder and the settings of ``serve_command``
    (the image runs ``datasette inspect`` itself and serves the file with ``-i``).
    """
    out = Path(out_dir)
    return [
        str(out / RELEASE_DB),
        *folder_options(out),
        "--extra-options",
        " ".join(setting_options()),
    ]


def deploy_commands() -> dict[str, str]:
    """The ``datasette package`` / ``publish`` command lines, run inside a release folder."""
    args = " ".join(shlex.quote(a) for a in deploy_arguments())
    return {
        "docker image": f"datasette package {args} --tag wildcrawl-public",
        "Google Cloud Run": f"datasette publish cloudrun {args} --service wildcrawl-public",
        "Heroku": f"datasette publish heroku {args} --name wildcrawl-public",
        "Heroku, files only": f"datasette publish heroku {args} --generate-dir ../heroku-app",
    }


RELEASE_README = """# wildcrawl public release

A redacted, read-only release for Datasette; see metadata.json for what it holds and
how it was made. `csv/` has the main tables as CSV.

What a reader can learn: the marketplaces searched, the keywords and dates; each listing's
title and description (contacts cut out), asking price, location, country, dates seen,
removal, risk score, matched lexicon terms, monitors' verdicts and report outcomes; which
listings share a seller (keyed pseudonyms per seller account and per handle).

What a reader cannot learn from the release itself: sellers' account ids, handles, names
and profile addresses; {addresses}; contacts written in titles and descriptions (phone
numbers, e-mails, messaging ids and social-media handles, cut out by an automatic detector,
shown as `[contact removed]`); reviewers' names and notes; evidence files. The detector can
miss a contact written in a way it does not know, and a distinctive title can still be
searched for on the marketplace, which may lead to the listing and its seller.

Serve it here (read-only, immutable), from this folder:

    datasette serve -i {db} --inspect-file inspect-data.json --metadata metadata.json \\
        --plugins-dir plugins --template-dir templates {settings}

or put it online unchanged, from this folder, with Datasette's own commands (Docker, the
Google Cloud or Heroku command-line tools must be installed and logged in):

{deploy}
"""


def write_readme(out: Path, keep_urls: bool = False) -> None:
    deploy = "\n".join(f"    # {where}\n    {cmd}\n" for where, cmd in deploy_commands().items())
    (out / "README.md").write_text(
        RELEASE_README.format(
            addresses=(
                "(this release was made with --keep-urls: listing addresses, item numbers and "
                "picture addresses ARE included, and lead to each listing and its seller)"
                if keep_urls
                else "the listings' addresses, marketplace item numbers and picture addresses "
                "(listing ids are pseudonyms)"
            ),
            db=RELEASE_DB,
            settings=" ".join(setting_options()),
            deploy=deploy,
        ),
        encoding="utf-8",
    )


def release_facts(db: sqlite_utils.Database, lexicon_dir: str | Path) -> dict:
    """Methodology facts read before redaction: marketplaces, keywords, dates, lexicon."""
    if not db["listings"].exists():
        raise WildcrawlError("the database has no listings table; crawl something first")
    meta = (
        dict(db.execute("select key, value from wildcrawl_meta").fetchall())
        if db["wildcrawl_meta"].exists()
        else {}
    )
    lexicon_version = meta.get("lexicon_version")
    lexicon_file = Path(lexicon_dir) / "lexicon.yaml"
    if not lexicon_version and lexicon_file.is_file():
        lexicon_version = str(
            yaml.safe_load(lexicon_file.read_text(encoding="utf-8")).get("version") or ""
        )
    keywords: set[str] = set()
    dates = (None, None)
    if db["crawls"].exists():
        for (text,) in db.execute("select keywords from crawls where keywords is not null"):
            try:
                keywords.update(json.loads(text))
            except (ValueError, TypeError):
                continue
        dates = db.execute(
            "select min(started_at), max(coalesce(finished_at, started_at)) from crawls"
        ).fetchone()
    marketplaces = (
        [
            dict(zip(("name", "title", "base_url"), r))
            for r in db.execute("select name, title, base_url from marketplaces order by name")
        ]
        if db["marketplaces"].exists()
        else []
    )
    return {
        "lexicon_version": lexicon_version or "unknown",
        "keywords": sorted(keywords),
        "first_crawl": dates[0],
        "last_crawl": dates[1],
        "marketplaces": marketplaces,
        "released_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }


def inspect_release(db_path: Path, inspect_path: Path) -> None:
    """``datasette inspect``: table counts precomputed for the immutable instance."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "datasette",
            "inspect",
            str(db_path),
            "--inspect-file",
            str(inspect_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise WildcrawlError(f"datasette inspect failed: {result.stderr.strip().splitlines()[-1:]}")
    # The release must not carry the publisher's folder names; Datasette does not read "file".
    data = json.loads(inspect_path.read_text(encoding="utf-8"))
    for database in data.values():
        if isinstance(database, dict) and "file" in database:
            database["file"] = db_path.name
    inspect_path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def serve_command(out_dir: str | Path, host: str, port: int) -> list[str]:
    """``datasette serve`` of a release folder: immutable, read-only, with the inspect file."""
    out = Path(out_dir)
    return [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        "-i",
        str(out / RELEASE_DB),
        "--inspect-file",
        str(out / "inspect-data.json"),
        *folder_options(out),
        "--host",
        host,
        "--port",
        str(port),
        *setting_options(),
    ]


# The top products on the front page's price chart.
FRONT_PRODUCTS = 12


def front_page_figures(db: sqlite_utils.Database) -> dict:
    """What the release's front page shows (stored in ``wildcrawl_release`` as ``front_page``).

    Key figures, flagged listings per month by taxon group and by marketplace, and asking
    prices per product (count, minimum, median, maximum in USD) of flagged listings: computed
    once here, as the release never changes, so the front page reads a few hundred bytes.
    """
    one = db.execute(
        "select count(*), coalesce(sum(flagged = 1), 0), count(distinct marketplace), "
        "count(distinct country), min(first_seen), max(coalesce(last_seen, first_seen)) "
        "from listings"
    ).fetchone()
    figures = dict(
        zip(("listings", "flagged", "marketplaces", "countries", "first_seen", "last_seen"), one)
    )
    for key, column in (("by_taxon_group", "taxon_group"), ("by_marketplace", "marketplace")):
        figures[key] = [
            list(r)
            for r in db.execute(
                f"select month, coalesce([{column}], 'unknown'), count(*) from listings "
                f"where flagged = 1 and month is not null group by 1, 2 order by 1, 2"
            )
        ]
    prices: dict[str, list[float]] = {}
    if db["matches"].exists() and db["terms"].exists():
        for product, _, price in db.execute(
            "select distinct t.product, l.id, l.price_usd from listings l "
            "join matches m on m.listing_id = l.id join terms t on t.id = m.term_id "
            "where l.flagged = 1 and l.price_usd > 0 and l.price_usd < 1e12 "
            "and t.product is not null and t.product != ''"
        ):
            prices.setdefault(product, []).append(price)
    rows = []
    for product, values in prices.items():
        values.sort()
        n = len(values)
        median = values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2
        rows.append([product, n, round(values[0], 2), round(median, 2), round(values[-1], 2)])
    rows.sort(key=lambda r: (-r[1], r[0]))
    figures["prices_by_product"] = rows[:FRONT_PRODUCTS]
    return figures
