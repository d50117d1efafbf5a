"""Evidence files: where captures go, how they are hashed and recorded, and verification.

A capture of a flagged listing is a full-page screenshot (PNG) and the HTML as the
browser rendered it, stored as ``<root>/<marketplace>/<item_id>/<UTC time>.<ext>``
(root: ``evidence/`` beside the database unless configured) and recorded in the
``evidence`` table with URL, capture time, crawl id, size and SHA-256. Paths inside
the database's folder are stored relative to it, so the folder can be moved whole.

``verify_evidence`` re-hashes every recorded file. The browser side of capturing lives
in ``crawler.crawl.pipelines.evidence``; nothing here imports Scrapy.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlite_utils

from crawler.errors import WildcrawlError

KINDS = {"screenshot": "png", "html": "html"}
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


class EvidenceError(WildcrawlError):
    """An evidence file cannot be written or read."""


def evidence_root(db_path: str | Path, configured: str | Path | None = None) -> Path:
    """The evidence folder: ``configured``, or ``evidence/`` beside the database file."""
    return Path(configured) if configured else Path(db_path).resolve().parent / "evidence"


def file_stamp(captured_at: str) -> str:
    """A capture time (ISO 8601 UTC) as a file name stem: ``20261128T035612Z``."""
    moment = datetime.fromisoformat(captured_at)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def safe_part(value: str) -> str:
    """A marketplace name or item id made safe as one path component."""
    cleaned = _SAFE.sub("_", value).strip("._")
    return cleaned or "_"


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def evidence_file(stored_path: str, base: str | Path) -> Path:
    """The file a stored evidence path names (relative paths are relative to ``base``)."""
    path = Path(stored_path)
    return path if path.is_absolute() else Path(base) / path


def _stored_path(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def save_capture(
    root: str | Path,
    base: str | Path,
    marketplace: str,
    item_id: str,
    url: str,
    captured_at: str,
    contents: dict[str, bytes],
) -> list[dict]:
    """Write one capture (``{"screenshot": png, "html": bytes}``) and return its evidence rows.

    Rows hold kind, path, sha256, bytes, captured_at and url; the store adds listing and crawl.
    An existing file is never overwritten (a second capture in the same second gets a suffix).
    """
    folder = Path(root) / safe_part(marketplace) / safe_part(item_id)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EvidenceError(f"{folder}: cannot create evidence folder ({exc.strerror})") from None
    stem = file_stamp(captured_at)
    n = 1
    while any((folder / f"{stem}.{ext}").exists() for ext in KINDS.values()):
        n += 1
        stem = f"{file_stamp(captured_at)}-{n}"
    rows = []
    for kind, data in contents.items():
        path = folder / f"{stem}.{KINDS[kind]}"
        with open(path, "xb") as fh:
            fh.write(data)
        rows.append(
            {
                "kind": kind,
                "path": _stored_path(path, Path(base)),
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
                "captured_at": captured_at,
                "url": url,
            }
        )
    return rows


@dataclass
class VerifyReport:
    """What ``verify_evidence`` found: files checked, and those missing or altered."""

    checked: int = 0
    missing: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.altered


def verify_evidence(db: sqlite_utils.Database, base: str | Path) -> VerifyReport:
    """Re-hash every file of the ``evidence`` table; sizes and SHA-256 must match the rows."""
    report = VerifyReport()
    if not db["evidence"].exists():
        return report
    for row in db.query("select id, path, sha256, bytes from evidence order by id"):
        report.checked += 1
        path = evidence_file(row["path"], base)
        if not path.is_file():
            report.missing.append(row["path"])
        elif path.stat().st_size != row["bytes"] or sha256_file(path) != row["sha256"]:
            report.altered.append(row["path"])
    return report
