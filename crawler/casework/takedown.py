"""Take-down exports: what a platform's reporting channel expects.

``export_takedown`` writes CSV and JSON of flagged listings, their evidence files and a
``manifest.json`` with the SHA-256 of each file. The take-down figures themselves are SQL
views over the listing history (``crawler.store.views``).
"""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from crawler.casework.evidence import evidence_file, sha256_file
from crawler.errors import WildcrawlError
from crawler.store.clock import utcnow
from crawler.store.schema import export_columns

# --- export -------------------------------------------------------------------------------


class ExportError(WildcrawlError):
    """The take-down bundle cannot be written as asked."""


# The listing schema's export fields (crawler.store.schema), and what the export computes.
EXPORT_COLUMNS = export_columns(
    {
        "matched_terms": 13,
        "cites_appendix": 15,
        "reports": 17,
        "review_verdict": 18,
        "reviewer": 19,
        "reviewed_at": 20,
        "evidence_files": 21,
    }
)
# --verdict: which monitors' verdicts (the latest per listing) a bundle takes.
VERDICTS = ("confirmed", "needs_expert", "not_wildlife", "unreviewed", "any")
DEFAULT_VERDICTS = ("confirmed",)

_EXPORT_SQL = """
select l.id as listing_id, l.marketplace, l.item_id, l.url, l.title, l.price_text,
  s.name as seller_name, l.seller_id, s.profile_url as seller_profile_url, l.first_seen,
  l.last_seen, l.status, l.removed_at, l.risk, l.taxa as taxa_json,
  (select group_concat(distinct m.matched_text) from matches m where m.listing_id = l.id)
    as matched_terms,
  (select group_concat(distinct m.taxon_id) from matches m where m.listing_id = l.id
     and m.taxon_id is not null) as match_taxa,
  (select group_concat(r.platform || ' ' || coalesce(r.reference, '') || ' ' || r.reported_at,
     '; ') from reports r where r.listing_id = l.id) as reports,
  v.verdict as review_verdict, v.reviewer, v.reviewed_at
from listings l left join sellers s on s.id = l.seller_id
left join reviews v on v.id = (select max(id) from reviews r2 where r2.listing_id = l.id)
where l.marketplace = ? and l.flagged = 1 and (? is null or l.first_seen >= ?)
order by l.first_seen, l.id
"""


def _verdict_wanted(verdict: str | None, wanted: tuple[str, ...]) -> bool:
    if "any" in wanted:
        return True
    return (verdict or "unreviewed") in wanted


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
    verdicts: tuple[str, ...] = DEFAULT_VERDICTS,
) -> ExportResult:
    """Write ``listings.csv``, ``listings.json``, ``evidence/`` and ``manifest.json`` to ``out_dir``.

    ``evidence_base`` is the folder relative evidence paths are stored against (the
    database's folder). ``verdicts`` chooses listings by their latest review: confirmed only by
    default (a listing a monitor marked "not wildlife" is no case for a platform);
    ``unreviewed`` and ``any`` widen it. An evidence file that is missing or whose hash no longer matches
    stops the export: a bundle must not carry evidence that fails its own manifest.
    """
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()):
        raise ExportError(f"{out}: folder is not empty; give a new --out folder")
    known = [r[0] for r in db.execute("select name from marketplaces order by name")]
    if marketplace not in known:
        raise ExportError(
            f"unknown marketplace {marketplace!r} in the database (has: {', '.join(known) or 'none'})"
        )
    base = Path(evidence_base) if evidence_base else Path(".")
    unknown = [v for v in verdicts if v not in VERDICTS]
    if unknown or not verdicts:
        raise ExportError(
            f"unknown verdict {', '.join(unknown) or '(none)'}; choose from {', '.join(VERDICTS)}"
        )
    rows = [
        r
        for r in db.query(_EXPORT_SQL, [marketplace, since, since])
        if _verdict_wanted(r["review_verdict"], verdicts)
    ]
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
            {
                "marketplace": marketplace,
                "since": since,
                "verdicts": list(verdicts),
                "listings": records,
            },
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
                "verdicts": list(verdicts),
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
