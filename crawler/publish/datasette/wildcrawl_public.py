"""wildcrawl public release: Datasette plugin shipped in the release's ``plugins/`` folder.

Self-contained (imports only Datasette), because ``datasette package`` and
``datasette publish`` copy this file into an image where wildcrawl is not installed.

- Each connection maps the immutable, read-only release into memory and keeps a
  large page cache.
- Column facets on a release's ``listings`` table are computed faster, with the
  same results as Datasette's own ``ColumnFacet`` (the tests compare the two):

  * a page with no search and filters only on the columns of the
    ``listing_facets`` table (the release's precomputed counts of listings per
    marketplace, country, month, taxon group, flagged and status) reads its facet
    counts from that table: a few hundred rows instead of every listing;
  * a search (with or without such filters) counts the listings it finds per row
    of ``listing_facets`` through ``listing_facet_rows`` (each listing's rowid
    and its ``listing_facets`` row): one small integer per listing, in one query,
    instead of one query per facet reading whole listings;
  * any other page (a filter on another column) counts all of its facet columns
    of ``listing_facets`` in one pass over its rows;
  * anything else (another table or database, a facet on another column, a
    Datasette whose internals differ) is left to ``ColumnFacet``.

- A search filtered on facet columns (``?_search=ivory&country=CN``) asks the word index for
  the listings that hold the words *and* the filtered values: the index has a column
  (``filters``) of one token per facet value of each listing (``facet_token``), and the
  search clause becomes ``match '(' || escape_fts(:search) || ') AND ' || :facet_tokens``.
  Datasette's own filter clause (``country = :p0``) stays, so the rows, counts and facets
  are the same; the page, count and facet queries then look up only the listings in CN
  found, not every listing found (44,000 instead of 133,000 at a million listings).
"""

from __future__ import annotations

import hashlib
import logging
import re

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import ColumnFacet
from datasette.utils import (
    await_me_maybe,
    escape_fts,
    escape_sqlite,
    path_with_added_args,
    path_with_removed_args,
)
from datasette.version import __version__ as datasette_version

FACET_TABLE = "listing_facets"  # one row per combination of facet values, and its count
FACET_COUNT = "listing_count"
FACETED_TABLE = "listings"
FACET_ROWS = "listing_facet_rows"  # per listing (ROWS_KEY = its rowid), its FACET_TABLE row
ROWS_KEY, ROWS_COMBO = "listing_rowid", "facet_combo"
# A release stores its listings in page order: the rowid is the risk_rank, and the search
# indexes are keyed by it (``fts_pk: risk_rank``), so a search is "risk_rank in (...)".
FTS_KEYS = ("rowid", "risk_rank")
SEARCH_ARGS = {"_search", "_searchmode", "_fts_table"}
# The word index Datasette searches, and its column of facet-value tokens (``facet_token``).
WORD_FTS, FILTER_COLUMN = "listings_fts", "filters"
# What the plugin could not do and left to Datasette: a page is never broken, but the
# operator sees why a search or a facet took the slow path (``datasette serve`` logs it).
log = logging.getLogger("wildcrawl_public")
FILTER_PARAM = "facet_tokens"
# Query-string arguments that change neither the rows of a page nor its facets' SQL.
NEUTRAL_ARGS = {
    "_facet",
    "_facet_size",
    "_facet_array",
    "_facet_date",
    "_size",
    "_sort",
    "_sort_desc",
    "_sort_by_desc",
    "_labels",
    "_label",
    "_col",
    "_nocol",
    "_shape",
    "_json",
    "_json_infinity",
    "_trace",
    "_nocount",
    "_nofacet",
    "_nosuggest",
    "_timelimit",
    "_ttl",
    "_extra",
    "_context",
    "_stream",
    "_dl",
    "_nl",
    "_header",
}


@hookimpl
def prepare_connection(conn):
    conn.execute("PRAGMA mmap_size = 2147418112")  # Debian's SQLITE_MAX_MMAP_SIZE
    conn.execute("PRAGMA cache_size = -65536")


def facet_token(column: str, value) -> str | None:
    """The word index's token for a listing's ``value`` of facet ``column`` (None for null).

    The same on both sides: the release writes it per listing (``search_index``), this plugin
    asks for it. Hex digits and a final digit: the tokenizer and the Porter stemmer keep it
    as it is. Its column filter (``filters : ...``) keeps it apart from the listings' words.
    """
    if value is None:
        return None
    key = f"{column}\0{type(value).__name__}:{value!r}".encode()
    return "wcf" + hashlib.blake2b(key, digest_size=8).hexdigest() + "0"


# A token no listing has: a filter that no facet value meets finds nothing at once.
NO_TOKEN = "wcfnone0"


@hookimpl(hookwrapper=True)
def filters_from_request(request, database, table, datasette):
    """Datasette's search clause, narrowed in the word index to the filtered facet values."""
    outcome = yield
    if table != FACETED_TABLE:
        return
    outcome.force_result(
        [_narrowing(found, request, database, datasette) for found in outcome.get_result()]
    )


def _narrowing(found, request, database, datasette):
    async def inner():
        arguments = await await_me_maybe(found)
        if arguments:
            try:
                await _narrow_search(arguments, request, database, datasette)
            except Exception:  # noqa: BLE001 - never break a page: Datasette's own search
                log.warning(
                    "search of %s/%s left to Datasette", database, FACETED_TABLE, exc_info=True
                )
        return arguments

    return inner


_filter_columns_of: dict[tuple[str, str], tuple[str, ...]] = {}


async def _narrow_search(arguments, request, database, datasette) -> None:
    """Rewrite ``arguments``' ``?_search=`` clause on the word index (see the docstring).

    Only for an immutable release (its ``listing_facets`` table holds every facet value) whose
    word index has the ``filters`` column, and only for exact filters (``country=CN``,
    ``country__exact=CN``) on facet columns; anything else keeps Datasette's clause.
    """
    fts = escape_sqlite(WORD_FTS)
    tail = {
        f" from {fts} where {fts} match escape_fts(:search))": "escape_fts(:search)",
        f" from {fts} where {fts} match :search)": ":search",
    }
    clauses = arguments.where_clauses
    at = [i for i, c in enumerate(clauses) if any(c.endswith(t) for t in tail)]
    search = arguments.params.get("search")
    if len(at) != 1 or FILTER_PARAM in arguments.params or not isinstance(search, str):
        return
    clause = clauses[at[0]]
    match = next(m for t, m in tail.items() if clause.endswith(t))
    if not (escape_fts(search) if match.startswith("escape") else search).strip():
        return
    db = datasette.get_database(database)
    if db.is_mutable:
        return
    key = (database, db.hash)
    if key not in _filter_columns_of:
        columns: tuple[str, ...] = ()
        if await db.table_exists(FACET_TABLE) and FILTER_COLUMN in await db.table_columns(WORD_FTS):
            columns = tuple(c for c in await db.table_columns(FACET_TABLE) if c != FACET_COUNT)
        _filter_columns_of[key] = columns
    columns = _filter_columns_of[key]
    groups = []
    for arg in request.args:
        column, _, how = arg.rpartition("__") if "__" in arg else (arg, "", "exact")
        if arg.startswith("_") and "__" not in arg or column not in columns or how != "exact":
            continue
        for wanted in request.args.getlist(arg):
            # The values SQLite itself finds equal to the filter's, with the column's affinity.
            rows = await db.execute(
                f"select distinct {escape_sqlite(column)} from {escape_sqlite(FACET_TABLE)} "
                f"where {escape_sqlite(column)} = :v",
                {"v": wanted},
            )
            tokens = [facet_token(column, row[0]) for row in rows.rows] or [NO_TOKEN]
            groups.append(f"{FILTER_COLUMN} : ({' OR '.join(tokens)})")
    if not groups:
        return
    clauses[at[0]] = clause[: -len(match) - 1] + f"'(' || {match} || ') AND ' || :{FILTER_PARAM})"
    arguments.params[FILTER_PARAM] = " AND ".join(groups)


@hookimpl(hookwrapper=True)
def register_facet_classes():
    outcome = yield
    outcome.force_result(
        [
            [ReleaseColumnFacet if klass is ColumnFacet else klass for klass in classes]
            for classes in outcome.get_result()
        ]
    )


def sqlite_order(value):
    """Sort key of a non-null value in SQLite's order: numbers, then text (BINARY), then blobs."""
    if isinstance(value, (int, float)):
        return (0, value)
    if isinstance(value, str):
        return (1, value)  # code-point order is UTF-8 byte order, as BINARY collation
    return (2, bytes(value))


_facet_columns_of: dict[tuple[str, str], tuple[str, ...]] = {}


class ReleaseColumnFacet(ColumnFacet):
    """``ColumnFacet`` with the release's precomputed counts and a single pass."""

    async def facet_results(self):
        try:
            plan = await self._plan()
        except Exception:  # noqa: BLE001 - another Datasette: its own facets are right
            log.warning(
                "facets of %s/%s left to Datasette", self.database, self.table, exc_info=True
            )
            plan = None
        if plan is None:
            return await super().facet_results()
        fast, others = plan
        results, timed_out = [], []
        if others:
            self._only = others
            results, timed_out = await super().facet_results()
            self._only = None
        facet_size = self.get_facet_size()
        try:
            counted = await self._count(fast, facet_size)
        except QueryInterrupted:
            return results, timed_out + [column for column, _ in fast]
        except Exception:  # noqa: BLE001 - never break a page: Datasette's own facets instead
            log.warning(
                "facets of %s/%s left to Datasette", self.database, self.table, exc_info=True
            )
            return await super().facet_results()
        for column, source in fast:
            results.append(await self._result(column, source, counted[column], facet_size))
        order = [c.get("column") or c["simple"] for c in (s["config"] for s in self.get_configs())]
        results.sort(key=lambda r: order.index(r["name"]))
        return results, timed_out

    def get_configs(self):
        configs = super().get_configs()
        only = getattr(self, "_only", None)
        return configs if only is None else [c for c in configs if _column(c) in only]

    async def _plan(self):
        """(facets counted here, facet columns left to ColumnFacet) or None for all of them."""
        if self.table != FACETED_TABLE or not datasette_version.startswith("0.6"):
            return None  # _result follows ColumnFacet of Datasette 0.6x
        columns = await self._facet_columns()
        configs = self.get_configs()
        fast = [(_column(c), c["source"]) for c in configs if _column(c) in columns]
        if not fast or len({c for c, _ in fast}) != len(fast):
            return None
        return fast, {_column(c) for c in configs if _column(c) not in columns}

    async def _facet_columns(self) -> tuple[str, ...]:
        """Columns of an immutable database's ``listing_facets`` table, else ().

        Precomputed counts are only right for a file nobody writes to (``datasette -i``).
        """
        db = self.ds.get_database(self.database)
        if db.is_mutable:
            return ()
        key = (self.database, db.hash)
        if key not in _facet_columns_of:
            columns: tuple[str, ...] = ()
            if await db.table_exists(FACET_TABLE):
                columns = tuple(c for c in await db.table_columns(FACET_TABLE) if c != FACET_COUNT)
            _facet_columns_of[key] = columns
        return _facet_columns_of[key]

    def _where_on_facet_columns(self, columns) -> str | None:
        """The page's WHERE clause when it only searches and filters on ``columns``, else None.

        Such a clause refers to nothing but those columns, ``rowid`` and ``risk_rank`` (a search
        is ``risk_rank in (select rowid from <fts table> where ... match ...)``).
        """
        for key in self.request.args:
            if key.startswith("_") and "__" not in key:
                search = key in SEARCH_ARGS or key.startswith("_search_")
                rowid_pk = key == "_fts_pk" and self.request.args.getlist(key) in [
                    [k] for k in FTS_KEYS
                ]
                if key not in NEUTRAL_ARGS and not search and not rowid_pk:
                    return None  # _where, _through, _next ...
            elif key.split("__", 1)[0] not in columns:
                return None
        marker = f" from {escape_sqlite(self.table)} "
        if not self.sql.startswith("select ") or marker not in self.sql + " ":
            return None
        return (self.sql + " ").split(marker, 1)[1].strip()

    async def _count(self, fast, facet_size):
        """{column: [(value, count), ...]} of the ``fast`` facets, ordered as ColumnFacet's."""
        columns = await self._facet_columns()
        wanted = [column for column, _ in fast]
        cols = ", ".join(escape_sqlite(c) for c in wanted)
        where = self._where_on_facet_columns(columns)
        limit = self.ds.setting("facet_time_limit_ms")
        if where is not None and "rowid" not in where:
            # Filters on facet columns only: the precomputed counts answer it exactly.
            condition = f"({where[len('where ') :]}) and " if where.startswith("where ") else ""
            counted = {}
            for column in wanted:
                col = escape_sqlite(column)
                rows = await self.ds.execute(
                    self.database,
                    f"select {col} as value, sum({FACET_COUNT}) as count "
                    f"from {escape_sqlite(FACET_TABLE)} where {condition}{col} is not null "
                    f"group by {col} order by count desc, value limit {facet_size + 1}",
                    self.params,
                    truncate=False,
                    custom_time_limit=limit,
                )
                counted[column] = [(r["value"], r["count"]) for r in rows.rows]
            return counted
        if where is not None and await self._has_rows_table():
            # A search: count the listings found per combination of facet values, reading
            # one small integer per listing instead of its whole row.
            # The facet columns' values only when the page filters on them (a search alone
            # needs no join: about 12% of this query's time).
            filtered = [c for c in columns if re.search(rf"\b{re.escape(c)}\b", where)]
            rows_table = (
                f"(select r.{ROWS_KEY} as rowid, r.{ROWS_KEY} as risk_rank, r.{ROWS_COMBO}"
                + "".join(f", c.{escape_sqlite(c)}" for c in filtered)
                + f" from {escape_sqlite(FACET_ROWS)} r"
                + (
                    f" join {escape_sqlite(FACET_TABLE)} c on c.rowid = r.{ROWS_COMBO}"
                    if filtered
                    else ""
                )
                + ")"
            )
            sql = (
                f"select {', '.join(f'c.{escape_sqlite(c)}' for c in wanted)}, g.n from "
                f"(select {ROWS_COMBO}, count(*) as n from {rows_table} {where} "
                f"group by {ROWS_COMBO}) g "
                f"join {escape_sqlite(FACET_TABLE)} c on c.rowid = g.{ROWS_COMBO}"
            )
        else:  # anything else: one pass over the page's own rows
            sql = f"select {cols}, count(*) from ({self.sql}) group by {cols}"
        rows = await self.ds.execute(
            self.database, sql, self.params, truncate=False, custom_time_limit=limit * len(wanted)
        )
        counted = {}
        for i, column in enumerate(wanted):
            totals: dict = {}
            for row in rows.rows:
                if row[i] is not None:
                    totals[row[i]] = totals.get(row[i], 0) + row[-1]
            ordered = sorted(totals.items(), key=lambda vc: (-vc[1], sqlite_order(vc[0])))
            counted[column] = ordered[: facet_size + 1]
        return counted

    async def _has_rows_table(self) -> bool:
        db = self.ds.get_database(self.database)
        return await db.table_exists(FACET_ROWS)

    async def _result(self, column, source, rows, facet_size):
        """One facet's result, built as ColumnFacet.facet_results builds it (Datasette 0.65)."""
        qs_pairs = self.get_querystring_pairs()
        values = []
        facet_rows = rows[:facet_size]
        expanded = await self.ds.expand_foreign_keys(
            self.database, self.table, column, [value for value, _ in facet_rows]
        )
        for value, count in facet_rows:
            column_qs = f"{column}__exact" if column.startswith("_") else column
            selected = (column_qs, str(value)) in qs_pairs
            if selected:
                toggle_path = path_with_removed_args(self.request, {column_qs: str(value)})
            else:
                toggle_path = path_with_added_args(self.request, {column_qs: value})
            values.append(
                {
                    "value": value,
                    "label": expanded.get((column, value), value),
                    "count": count,
                    "toggle_url": self.ds.absolute_url(
                        self.request, self.ds.urls.path(toggle_path)
                    ),
                    "selected": selected,
                }
            )
        return {
            "name": column,
            "type": self.type,
            "hideable": source != "metadata",
            "toggle_url": self.ds.urls.path(
                path_with_removed_args(self.request, {"_facet": column})
            ),
            "results": values,
            "truncated": len(rows) > facet_size,
        }


def _column(source_and_config) -> str:
    config = source_and_config["config"]
    return config.get("column") or config["simple"]
