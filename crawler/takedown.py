"""Take-down tracking: derived figures as SQL views, relisting detection, the export bundle.

Views (created by ``ensure_views``, which ``crawler.store.ensure_schema`` calls):

- ``listing_history``: every observation of a listing with the previous price and title,
  so changes are visible row by row;
- ``takedown_reports``: every report with its outcome, from later crawls (``removed``,
  ``still online``) unless entered by hand;
- ``takedown_reported``: one row per reported listing (its first report), days to removal;
- ``takedown_figures``: per marketplace: listings reported, removed after report, median
  days to removal, still online after 7 and 30 days, relisted;
- ``relisted_listings``: removed listings that came back (same seller, near-identical title).

``export_takedown`` writes what a platform's reporting channel expects: CSV and JSON of
flagged listings, their evidence files and a ``manifest.json`` with the SHA-256 of each file.
"""

from __future__ import annotations

import csv
import difflib
import json
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from crawler.errors import WildcrawlError
from crawler.evidence import evidence_file, sha256_file

# Titles at least this similar (difflib ratio of the normalised text) are "near-identical".
RELIST_SIMILARITY = 0.85

_GONE = "('removed', 'sold')"

VIEWS: dict[str, str] = {
    "listing_history": """
select o.listing_id, o.crawl_id, o.seen_at, o.status, o.price, o.currency, o.price_usd, o.title,
  lag(o.price) over w as previous_price,
  lag(o.title) over w as previous_title,
  case when lag(o.crawl_id) over w is null then 'first seen'
       when lag(o.status) over w != o.status then 'status'
       when coalesce(lag(o.price) over w, -1) != coalesce(o.price, -1) then 'price'
       when coalesce(lag(o.title) over w, '') != coalesce(o.title, '') then 'title'
       else '' end as change
from observations o
window w as (partition by o.listing_id order by o.seen_at, o.crawl_id)
""",
    "takedown_reports": f"""
select r.id as report_id, r.listing_id, l.marketplace, r.platform, r.channel, r.reference,
  r.reported_by, r.reported_at, l.status as listing_status, l.removed_at, l.last_seen,
  case when coalesce(r.outcome, '') != '' then r.outcome
       when l.status in {_GONE} and l.removed_at >= r.reported_at then 'removed'
       when l.status in {_GONE} then 'removed before report'
       else 'still online' end as outcome,
  case when coalesce(r.outcome, '') != '' then 'manual' else 'crawl' end as outcome_source,
  case when coalesce(r.outcome, '') != '' then r.outcome_at
       when l.status in {_GONE} then l.removed_at
       else l.last_seen end as outcome_at
from reports r left join listings l on l.id = r.listing_id
""",
    "takedown_reported": """
select t.*,
  case when t.outcome = 'removed' and t.outcome_at is not null
       then round(julianday(t.outcome_at) - julianday(t.reported_at), 6) end as days_to_removal,
  round(julianday('now') - julianday(t.reported_at), 6) as days_since_report
from (
  select takedown_reports.*,
    row_number() over (partition by listing_id order by reported_at, report_id) as nth
  from takedown_reports
) t
where t.nth = 1
""",
    "relisted_listings": """
select r.marketplace, r.removed_listing_id, a.title as removed_title, a.removed_at,
  r.relisted_as, b.title as relisted_title, b.first_seen as relisted_first_seen, r.seller_id,
  r.similarity
from relistings r
left join listings a on a.id = r.removed_listing_id
left join listings b on b.id = r.relisted_as
""",
    "takedown_figures": """
with ranked as (
  select marketplace, days_to_removal as d,
    row_number() over (partition by marketplace order by days_to_removal) as rn,
    count(*) over (partition by marketplace) as n
  from takedown_reported where days_to_removal is not null
),
med as (
  select marketplace, avg(d) as m from ranked where rn in ((n + 1) / 2, (n + 2) / 2)
  group by marketplace
),
rel as (
  select marketplace, count(distinct removed_listing_id) as k from relistings group by marketplace
),
per as (
  select marketplace,
    count(*) as reported,
    sum(outcome = 'removed') as removed,
    sum(days_since_report >= 7) as due_7,
    sum(days_since_report >= 7 and not coalesce(outcome = 'removed' and days_to_removal <= 7, 0))
      as online_7,
    sum(days_since_report >= 30) as due_30,
    sum(days_since_report >= 30 and not coalesce(outcome = 'removed' and days_to_removal <= 30, 0))
      as online_30
  from takedown_reported group by marketplace
)
select m.name as marketplace,
  coalesce(per.reported, 0) as listings_reported,
  coalesce(per.removed, 0) as removed_after_report,
  round(med.m, 6) as median_days_to_removal,
  coalesce(per.due_7, 0) as reported_7_days_ago,
  coalesce(per.online_7, 0) as still_online_after_7_days,
  coalesce(per.due_30, 0) as reported_30_days_ago,
  coalesce(per.online_30, 0) as still_online_after_30_days,
  coalesce(rel.k, 0) as relisted
from marketplaces m
left join per on per.marketplace = m.name
left join med on med.marketplace = m.name
left join rel on rel.marketplace = m.name
""",
}


def ensure_views(db: sqlite_utils.Database) -> None:
    """Create (or update, when their SQL changed) the take-down views and ``relistings``."""
    if not db["relistings"].exists():
        db["relistings"].create(
            {
                "removed_listing_id": str,
                "relisted_as": str,
                "marketplace": str,
                "seller_id": str,
                "similarity": float,
                "detected_at": str,
            },
            pk=("removed_listing_id", "relisted_as"),
        )
    current = {
        name: sql
        for name, sql in db.execute("select name, sql from sqlite_master where type='view'")
    }
    for name, body in VIEWS.items():
        sql = f"CREATE VIEW {name} AS {body.strip()}"
        if current.get(name) == sql:
            continue
        with db.conn:
            db.execute(f"DROP VIEW IF EXISTS {name}")
            db.execute(sql)


# --- relistings ---------------------------------------------------------------------------

_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


def title_key(title: str | None) -> str:
    """Comparison form of a title: NFKC, case-folded, punctuation and emoji dropped."""
    text = unicodedata.normalize("NFKC", title or "").casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


def title_similarity(a: str | None, b: str | None) -> float:
    """0..1: how alike two listing titles are once normalised (1.0 = the same words)."""
    ka, kb = title_key(a), title_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    return difflib.SequenceMatcher(None, ka, kb, autojunk=False).ratio()


def find_relistings(
    removed: list[dict], candidates: list[dict], threshold: float = RELIST_SIMILARITY
) -> list[dict]:
    """Pairs (removed listing, later listing of the same seller with a near-identical title).

    Rows carry ``id``, ``seller_id``, ``title`` and ``removed_at`` (removed) or
    ``first_seen`` (candidates). A candidate must have appeared at or after the removal.
    """
    by_seller: dict[str, list[dict]] = {}
    for c in candidates:
        if c.get("seller_id"):
            by_seller.setdefault(c["seller_id"], []).append(c)
    pairs = []
    for r in removed:
        for c in by_seller.get(r.get("seller_id") or "", ()):
            if c["id"] == r["id"] or (c.get("first_seen") or "") < (r.get("removed_at") or ""):
                continue
            score = title_similarity(r.get("title"), c.get("title"))
            if score >= threshold:
                pairs.append(
                    {
                        "removed_listing_id": r["id"],
                        "relisted_as": c["id"],
                        "seller_id": r["seller_id"],
                        "similarity": round(score, 3),
                    }
                )
    return pairs


def refresh_relistings(db: sqlite_utils.Database) -> int:
    """Recompute the ``relistings`` table from the listings; return how many pairs it holds."""
    from crawler.store import utcnow

    ensure_views(db)
    removed = list(
        db.query(
            f"select id, marketplace, seller_id, title, removed_at from listings "
            f"where status in {_GONE} and seller_id is not null and removed_at is not null"
        )
    )
    rows = []
    for market in sorted({r["marketplace"] for r in removed}):
        candidates = list(
            db.query(
                "select id, seller_id, title, first_seen from listings where marketplace = ? "
                "and seller_id in (select seller_id from listings where marketplace = ? and status in "
                f"{_GONE})",
                [market, market],
            )
        )
        mine = [r for r in removed if r["marketplace"] == market]
        for pair in find_relistings(mine, candidates):
            rows.append({**pair, "marketplace": market, "detected_at": utcnow()})
    with db.conn:
        db.execute("delete from relistings")
        if rows:
            db["relistings"].insert_all(rows, pk=("removed_listing_id", "relisted_as"))
    return len(rows)


# --- export -------------------------------------------------------------------------------


class ExportError(WildcrawlError):
    """The take-down bundle cannot be written as asked."""


EXPORT_COLUMNS = (
    "listing_id",
    "marketplace",
    "item_id",
    "url",
    "title",
    "price_text",
    "seller_name",
    "seller_id",
    "seller_profile_url",
    "first_seen",
    "last_seen",
    "status",
    "removed_at",
    "matched_terms",
    "taxa",
    "cites_appendix",
    "risk",
    "reports",
    "evidence_files",
)

_EXPORT_SQL = """
select l.id as listing_id, l.marketplace, l.item_id, l.url, l.title, l.price_text,
  s.name as seller_name, l.seller_id, s.profile_url as seller_profile_url, l.first_seen,
  l.last_seen, l.status, l.removed_at, l.risk, l.taxa as taxa_json,
  (select group_concat(distinct m.matched_text) from matches m where m.listing_id = l.id)
    as matched_terms,
  (select group_concat(distinct m.taxon_id) from matches m where m.listing_id = l.id
     and m.taxon_id is not null) as match_taxa,
  (select group_concat(r.platform || ' ' || coalesce(r.reference, '') || ' ' || r.reported_at,
     '; ') from reports r where r.listing_id = l.id) as reports
from listings l left join sellers s on s.id = l.seller_id
where l.marketplace = ? and l.flagged = 1 and (? is null or l.first_seen >= ?)
order by l.first_seen, l.id
"""


@dataclass(frozen=True)
class ExportResult:
    out_dir: Path
    listings: int
    evidence_files: int
    manifest: Path


def _taxa(db: sqlite_utils.Database, row: dict) -> tuple[str, str]:
    ids: list[str] = []
    try:
        ids += [str(t) for t in json.loads(row.get("taxa_json") or "[]")]
    except ValueError:
        pass
    ids += [t for t in (row.get("match_taxa") or "").split(",") if t]
    names, appendices = [], []
    for tid in dict.fromkeys(ids):
        taxon = db.execute(
            "select scientific_name, cites_appendix from taxa where id = ?", [tid]
        ).fetchone()
        names.append(taxon[0] if taxon and taxon[0] else tid)
        appendices.append(
            f"{taxon[0] if taxon and taxon[0] else tid}: {taxon[1]}" if taxon and taxon[1] else ""
        )
    return "; ".join(names), "; ".join(a for a in appendices if a)


def export_takedown(
    db: sqlite_utils.Database,
    marketplace: str,
    out_dir: str | Path,
    since: str | None = None,
    evidence_base: str | Path | None = None,
) -> ExportResult:
    """Write ``listings.csv``, ``listings.json``, ``evidence/`` and ``manifest.json`` to ``out_dir``.

    ``evidence_base`` is the folder relative evidence paths are stored against (the
    database's folder). An evidence file that is missing or whose hash no longer matches
    stops the export: a bundle must not carry evidence that fails its own manifest.
    """
    from crawler.store import utcnow

    out = Path(out_dir)
    if out.exists() and any(out.iterdir()):
        raise ExportError(f"{out}: folder is not empty; give a new --out folder")
    known = [r[0] for r in db.execute("select name from marketplaces order by name")]
    if marketplace not in known:
        raise ExportError(
            f"unknown marketplace {marketplace!r} in the database (has: {', '.join(known) or 'none'})"
        )
    base = Path(evidence_base) if evidence_base else Path(".")
    rows = list(db.query(_EXPORT_SQL, [marketplace, since, since]))
    try:
        (out / "evidence").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{out}: cannot create the folder ({exc.strerror})") from None
    files: list[Path] = []
    records = []
    for row in rows:
        taxa, appendix = _taxa(db, row)
        copied = []
        for ev in db.query(
            "select path, sha256, kind from evidence where listing_id = ? order by captured_at, id",
            [row["listing_id"]],
        ):
            src = evidence_file(ev["path"], base)
            if not src.is_file():
                raise ExportError(f"{src}: evidence file missing (run `wildcrawl evidence verify`)")
            if sha256_file(src) != ev["sha256"]:
                raise ExportError(f"{src}: evidence file altered since capture (hash differs)")
            dest = out / "evidence" / row["item_id"] / src.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
            files.append(dest)
            copied.append(dest.relative_to(out).as_posix())
        record = {k: row.get(k) for k in EXPORT_COLUMNS}
        record.update(
            matched_terms="; ".join(sorted(set((row["matched_terms"] or "").split(",")) - {""})),
            taxa=taxa,
            cites_appendix=appendix,
            evidence_files="; ".join(copied),
        )
        records.append(record)
    csv_path, json_path = out / "listings.csv", out / "listings.json"
    with open(csv_path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        writer.writerows(records)
    json_path.write_text(
        json.dumps(
            {"marketplace": marketplace, "since": since, "listings": records},
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    manifest = out / "manifest.json"
    entries = [
        {"path": p.relative_to(out).as_posix(), "sha256": sha256_file(p), "bytes": p.stat().st_size}
        for p in [csv_path, json_path, *files]
    ]
    manifest.write_text(
        json.dumps(
            {
                "generated_at": utcnow(),
                "generator": "wildcrawl export takedown",
                "marketplace": marketplace,
                "since": since,
                "listings": len(records),
                "files": entries,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    return ExportResult(out, len(records), len(files), manifest)


def verify_manifest(out_dir: str | Path) -> list[str]:
    """Problems with a bundle: files of its manifest that are missing or whose hash differs."""
    out = Path(out_dir)
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    problems = []
    for entry in data["files"]:
        path = out / entry["path"]
        if not path.is_file():
            problems.append(f"missing: {entry['path']}")
        elif sha256_file(path) != entry["sha256"]:
            problems.append(f"altered: {entry['path']}")
    return problems
