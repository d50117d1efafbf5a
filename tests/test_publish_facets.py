"""The public release's fast facets (``crawler/publish/datasette/wildcrawl_public.py``) give the same
pages as Datasette's own.

Two real ``datasette serve -i`` processes on 127.0.0.1 serve one release of a synthetic
database (``bench.bench_public.build``, with some empty countries and removed listings):
one with the release's ``plugins/`` folder, one without. Every page a journalist can
reach by searching, filtering and faceting must have the same rows, count and facets;
the plugin's own SQL must be the one that ran (seen through ``?_trace=1``).
"""

from __future__ import annotations

import json
import sqlite3
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from datasette.utils import escape_fts as _escape_fts

from crawler.publish.datasette.wildcrawl_public import sqlite_order
from crawler.publish.release import FACET_TABLE, PAGE_SIZE, publish, serve_command
from tests.conftest import free_port, running_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/ under plain `pytest` too
from bench.bench_public import build

LISTINGS = 3000


def _serve(out_dir, plugin: bool, immutable: bool = True):
    """The release served by Datasette (``running_server``), with or without its plugin."""
    port = free_port()
    cmd = serve_command(out_dir, "127.0.0.1", port) + ["--setting", "trace_debug", "1"]
    if not immutable:
        cmd.remove("-i")
    if not plugin:
        at = cmd.index("--plugins-dir")
        del cmd[at : at + 2]
    return running_server(cmd, port)


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    root = tmp_path_factory.mktemp("facets")
    internal = root / "internal.db"
    build(internal, LISTINGS)
    conn = sqlite3.connect(internal)
    with conn:  # empty values and a second status, so facets see nulls and more groups
        conn.execute("update listings set country = null where cast(item_id as int) % 17 = 0")
        conn.execute("update listings set status = 'removed' where cast(item_id as int) % 5 = 0")
    conn.close()
    release = publish(internal, root / "public", key=bytes(32))
    with (
        _serve(release.out_dir, plugin=False) as plain,
        _serve(release.out_dir, plugin=True) as plugged,
    ):
        yield release, plain, plugged


def _get(base: str, path: str) -> dict:
    url = f"{base}/wildcrawl-public/listings.json{path}"
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.loads(response.read().decode("utf-8").replace(base, "BASE"))


def _page(data: dict) -> dict:
    return {k: data[k] for k in ("rows", "filtered_table_rows_count", "facet_results")}


def _facet_sql(base: str, path: str) -> list[str]:
    sep = "&" if "?" in path else "?"
    traces = _get(base, f"{path}{sep}_trace=1")["_trace"]["traces"]
    return [t["sql"] for t in traces if "count" in (t.get("sql") or "") and "group by" in t["sql"]]


FILTER_PARAM = "facet_tokens"  # the narrowed search's parameter (wildcrawl_public)
CHINESE = urllib.parse.quote("象牙")
# (query string, how the plugin counts the default facets): "table" from listing_facets,
# "rows" through listing_facet_rows, "one pass" over the page's rows
PAGES = [
    ("", "table"),
    ("?marketplace=demo-bazaar", "table"),
    ("?country__in=DE,CN&month=2026-03", "table"),
    ("?country__isnull=1", "table"),
    ("?status=removed&flagged=1&_facet=status", "table"),
    ("?taxon_group=pangolins&_sort_desc=price", "table"),
    ("?_facet_size=2", "table"),
    ("?_search=pangolin", "rows"),
    (f"?_search={CHINESE}", "rows"),
    ("?_search=ivory&country=CN", "rows"),
    ("?_search=ivory&country__exact=CN&flagged=1.0&month=2026-03", "rows"),
    (f"?_search={CHINESE}&marketplace=demo-tiaozao", "rows"),
    ("?_search=ivory+OR+tiger&_searchmode=raw&country=DE", "rows"),
    ("?_search=ivory&country=XX", "rows"),
    ("?_search=ivory&country=CN&country=DE", "rows"),
    ("?_search=ivory&country__isnull=1&status=removed", "rows"),
    ("?_search=lot&_facet_size=3", "rows"),
    ("?_search=Armreif&_fts_table=listings_substring", "rows"),
    ("?_search_title=bangle", "rows"),
    ("?_search=shark&_facet=seller_id", "rows"),
    ("?_search=ivory&_facet=status", "rows"),
    ("?_search=nothingmatchesthis", "rows"),
    ("?price__gt=100&flagged=1", "one pass"),
    ("?_where=price+<+50", "one pass"),
    ("?_search=ivory&price__lt=100", "one pass"),
]
MARKS = {
    "table": "sum(listing_count) as count from listing_facets where",
    "rows": "count(*) as n from (select r.listing_rowid as rowid",
    "one pass": "select flagged, taxon_group, marketplace, country, month",
}


@pytest.mark.parametrize(("query", "how"), PAGES)
def test_release_facets_equal_datasettes_own(servers, query, how):
    _, plain, plugged = servers
    expected, got = _get(plain, query), _get(plugged, query)
    assert _page(got) == _page(expected)
    assert list(got["facet_results"])[:5] == [
        "flagged",
        "taxon_group",
        "marketplace",
        "country",
        "month",
    ]
    empty = ("nothing", "XX", "country=CN&country=DE")  # pages that find no listing
    assert any(f["results"] for f in got["facet_results"].values()) or any(
        e in query for e in empty
    )
    sql = _facet_sql(plugged, query)
    ours = [s for s in sql if MARKS[how] in s]
    assert len(ours) == (len(got["facet_results"]) if how == "table" else 1), sql
    others = [s for s in sql if s not in ours]
    assert all("seller_id" in s for s in others), others  # only a facet the plugin leaves


@pytest.mark.parametrize(
    "query", ["", "?_search=pangolin", "?_search=ivory&country=CN", "?marketplace=demo-tiaozao"]
)
def test_pages_list_listings_highest_risk_first(servers, query):
    release, _, plugged = servers
    sep = "&" if query else "?"
    ids, path = [], f"{query}{sep}_size=40&_col=id&_shape=objects"
    while path is not None:
        page = _get(plugged, path)
        ids += [row["id"] for row in page["rows"]]
        path = (
            f"{query}{sep}_size=40&_col=id&_shape=objects&_next={urllib.parse.quote(page['next'])}"
            if page["next"]
            else None
        )
    conn = sqlite3.connect(release.db_path)
    where = {
        "": "",
        "?_search=pangolin": "where title like '%pangolin%'",
        "?_search=ivory&country=CN": "where country = 'CN' and (title like '%ivory%' "
        "or description like '%ivory%')",
        "?marketplace=demo-tiaozao": "where marketplace = 'demo-tiaozao'",
    }[query]
    expected = [r[0] for r in conn.execute(f"select id from listings {where} order by risk_rank")]
    conn.close()
    assert len(ids) > 40 and ids == expected


def test_a_next_page_is_left_to_datasette(servers):
    _, plain, plugged = servers
    first = _get(plugged, "?_search=ivory")
    query = "?_search=ivory&_next=" + urllib.parse.quote(first["next"])
    assert _page(_get(plugged, query)) == _page(_get(plain, query))


def test_facet_table_counts_every_listing(servers):
    release, _, _ = servers
    conn = sqlite3.connect(release.db_path)
    total = conn.execute(f"select sum(listing_count) from {FACET_TABLE}").fetchone()[0]
    by_month = conn.execute(
        f"select month, sum(listing_count) from {FACET_TABLE} group by month order by month"
    ).fetchall()
    assert total == LISTINGS
    assert conn.execute("pragma page_size").fetchone()[0] == PAGE_SIZE
    assert (
        by_month
        == conn.execute(
            "select month, count(*) from listings group by month order by month"
        ).fetchall()
    )
    conn.close()


def test_sqlite_order_matches_sqlite():
    values = [3, "b", 2.5, "B", "é", "ä", "象", "a", 10, -1, b"\x00", "10", "Z", 0.1, "ß", "😀"]
    conn = sqlite3.connect(":memory:")
    conn.execute("create table t (v)")
    conn.executemany("insert into t values (?)", [(v,) for v in values])
    assert [r[0] for r in conn.execute("select v from t order by v")] == sorted(
        values, key=sqlite_order
    )


@pytest.mark.parametrize("query", ["", "?_search=pangolin", "?country=CN&_search=ivory"])
def test_html_pages_show_the_facets(servers, query):
    _, _, plugged = servers
    with urllib.request.urlopen(f"{plugged}/wildcrawl-public/listings{query}", timeout=60) as r:
        page = r.read().decode("utf-8")
    for column in ("taxon_group", "marketplace", "country", "month"):
        assert f'data-column="{column}"' in page
    assert "Next page" in page


def test_a_writable_database_keeps_datasettes_own_facets(servers):
    release, plain, _ = servers
    with _serve(release.out_dir, plugin=True, immutable=False) as base:
        query = "?_search=ivory&country=CN"
        assert _page(_get(base, query)) == _page(_get(plain, query))
        sql = _facet_sql(base, query)
        assert len(sql) == 5 and all("as value, count(*) as count from (" in s for s in sql), sql


def test_a_search_alone_counts_its_facets_without_joining_the_facet_table(servers):
    """Only a search with a filter on a facet column reads each listing's facet values."""
    _, _, plugged = servers
    (alone,) = [s for s in _facet_sql(plugged, "?_search=pangolin") if MARKS["rows"] in s]
    (filtered,) = [
        s for s in _facet_sql(plugged, "?_search=ivory&country=CN") if MARKS["rows"] in s
    ]
    inner = "join listing_facets c on c.rowid = r.facet_combo"
    assert inner not in alone and "from listing_facet_rows r)" in alone
    assert inner in filtered


def _traced(base: str, path: str) -> list[dict]:
    return _get(base, f"{path}&_trace=1")["_trace"]["traces"]


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("?_search=ivory&country=CN", "country = 'CN'"),
        ("?_search=ivory&country__exact=CN&flagged=1", "country = 'CN' and flagged = 1"),
        (f"?_search={CHINESE}&marketplace=demo-tiaozao", "marketplace = 'demo-tiaozao'"),
        ("?_search=ivory&country=XX", "0"),
    ],
)
def test_a_filtered_search_finds_only_the_filtered_listings_in_the_word_index(
    servers, query, where
):
    """The page, count and facet queries of a filtered search walk the listings found in CN
    (the word index's ``filters`` tokens), not every listing found; same page as Datasette's."""
    release, plain, plugged = servers
    assert _page(_get(plugged, query)) == _page(_get(plain, query))
    traces = [t for t in _traced(plugged, query) if "listings_fts match" in (t.get("sql") or "")]
    page, count, facets = (
        [t for t in traces if t["sql"].startswith(start)]
        for start in ("select id,", "select count(*)", "select c.")
    )
    assert len(page) == len(count) == len(facets) == 1, [t["sql"] for t in traces]
    narrowed = "match '(' || escape_fts(:search) || ') AND ' || :facet_tokens)"
    assert all(narrowed in t[0]["sql"] for t in (page, count, facets))
    # What the word index alone finds: exactly the listings holding the word and the values.
    params = page[0]["params"]
    conn = sqlite3.connect(release.db_path)
    conn.create_function("escape_fts", 1, _escape_fts)
    found = {
        r[0]
        for r in conn.execute(
            "select rowid from listings_fts where listings_fts match "
            f"'(' || escape_fts(:search) || ') AND ' || :{FILTER_PARAM}",
            {"search": params["search"], FILTER_PARAM: params[FILTER_PARAM]},
        )
    }
    words = {
        r[0]
        for r in conn.execute(
            "select rowid from listings_fts where listings_fts match escape_fts(:search)",
            {"search": params["search"]},
        )
    }
    expected = {r[0] for r in conn.execute(f"select risk_rank from listings where {where}")} & words
    conn.close()
    assert found == expected and (found or "XX" in query)
    assert len(words) > len(found)


def test_a_filtered_search_keeps_datasettes_clause_where_the_index_cannot_narrow_it(servers):
    """Filters other than exact values on facet columns, and the trigram index, are left alone."""
    _, plain, plugged = servers
    for query in (
        "?_search=ivory&country__in=CN,DE",
        "?_search=ivory&price__lt=100",
        "?_search=Armreif&_fts_table=listings_substring&country=DE",
        "?_search=pangolin",
    ):
        assert _page(_get(plugged, query)) == _page(_get(plain, query))
        assert not any(":facet_tokens" in (t.get("sql") or "") for t in _traced(plugged, query)), (
            query
        )


def test_a_search_the_plugin_cannot_narrow_is_left_to_datasette_and_logged(caplog):
    """A fault while narrowing (here: a database Datasette does not serve) keeps Datasette's
    own search clause, and the operator's log says which table took the slow path."""
    import asyncio

    from datasette.app import Datasette
    from datasette.filters import FilterArguments
    from datasette.utils.asgi import Request

    from crawler.publish.datasette import wildcrawl_public as plugin

    clause = "risk_rank in (select rowid from listings_fts where listings_fts match :search)"
    found = FilterArguments([clause], {"search": "ivory"})
    request = Request.fake("/gone/listings?_search=ivory&country=CN")
    with caplog.at_level("WARNING", logger="wildcrawl_public"):
        result = asyncio.run(plugin._narrowing(found, request, "gone", Datasette([]))())
    assert result.where_clauses == [clause] and "facet_tokens" not in result.params
    assert any(
        "search of gone/listings left to Datasette" in r.getMessage() for r in caplog.records
    )
    assert caplog.records[-1].exc_info is not None
