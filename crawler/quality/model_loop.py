"""The verdict loop: monitors' verdicts become training data; a model re-scores the store.

- ``verdict_records(db)``: the latest verdict of each reviewed listing (by ``reviews.id``,
  as the review queue shows it) as a labelled record: ``confirmed`` -> 1,
  ``not_wildlife`` -> 0; other verdicts (``needs_expert``) teach nothing yet.
- ``apply_model(db, model, matcher)``: re-score every stored listing; each row records
  ``relevance``, ``risk``, ``flagged``, ``explanation`` and ``model`` (name@digest).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crawler.matching.matcher import Matcher
from crawler.matching.model import RelevanceModel
from crawler.store.database import ensure_schema, open_database

VERDICT_LABEL = {"confirmed": 1, "not_wildlife": 0}


def verdict_records(db_path: str | Path) -> list[dict]:
    """One labelled record per listing whose latest verdict is confirmed or not wildlife."""
    db = open_database(db_path)
    try:
        if not db["reviews"].exists():
            return []
        rows = db.execute(
            """
            select l.id, l.title, l.description, r.verdict
            from reviews r join listings l on l.id = r.listing_id
            where r.id = (select max(id) from reviews r2 where r2.listing_id = r.listing_id)
            order by l.id
            """
        ).fetchall()
    finally:
        db.close()
    return [
        {
            "id": f"review:{listing_id}",
            "title": title or "",
            "description": description,
            "label": VERDICT_LABEL[verdict],
            "source": "reviews",
        }
        for listing_id, title, description, verdict in rows
        if verdict in VERDICT_LABEL and (title or description)
    ]


@dataclass
class Applied:
    listings: int = 0
    flagged: int = 0
    changed: int = 0  # listings whose flag changed


def apply_model(
    db_path: str | Path, model: RelevanceModel, matcher: Matcher, batch: int = 500
) -> Applied:
    """Re-score every stored listing with ``model``; returns counts."""
    db = open_database(db_path)
    ensure_schema(db)
    out = Applied()
    try:
        rows = db.execute("select id, title, description, flagged from listings").fetchall()
        updates = []
        for listing_id, title, description, was in rows:
            scored = model.score(matcher, title, description)
            out.listings += 1
            out.flagged += scored.flagged
            out.changed += bool(scored.flagged) != bool(was)
            updates.append(
                (
                    scored.relevance,
                    round(scored.risk, 3),
                    int(scored.flagged),
                    scored.explanation,
                    scored.model,
                    listing_id,
                )
            )
            if len(updates) >= batch:
                _write(db, updates)
                updates = []
        _write(db, updates)
    finally:
        db.close()
    return out


def _write(db, updates: list[tuple]) -> None:
    if not updates:
        return
    with db.conn:
        db.conn.executemany(
            "update listings set relevance = ?, risk = ?, flagged = ?, explanation = ?, "
            "model = ? where id = ?",
            updates,
        )
