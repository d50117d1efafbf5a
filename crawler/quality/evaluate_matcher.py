"""Run the matcher over files of listings; precision, recall and F1 against labels.

``match_file`` is the library side of ``wildcrawl match``: it reads JSON Lines
or CSV (a ``text`` column, or ``title`` and optional ``description``), writes one
JSON line per record and counts per-record problems instead of stopping.

Run: ``python -m crawler.quality.evaluate_matcher [FILE ...]`` (default: the labelled set
``tests/data/matcher_eval.jsonl``). Prints one row per language and overall;
``--errors`` also lists the misclassified titles with their explanation.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from crawler.errors import ConfigError
from crawler.matching.matcher import Matcher, MatchResult
from crawler.matching.model import RelevanceModel
from crawler.paths import REPO

DEFAULT_EVAL = REPO / "tests" / "data" / "matcher_eval.jsonl"


@dataclass
class Scores:
    """Confusion counts with the usual ratios."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif actual:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    """Scores overall and per group (language), and the misclassified records."""

    overall: Scores = field(default_factory=Scores)
    groups: dict[str, Scores] = field(default_factory=dict)
    errors: list[tuple[dict, str]] = field(default_factory=list)

    def add(self, group: str, predicted: bool, actual: bool) -> None:
        self.overall.add(predicted, actual)
        self.groups.setdefault(group, Scores()).add(predicted, actual)

    def table(self) -> str:
        """A plain-text table: one row per group, then the overall row."""
        rows = [f"{'group':<10} {'n':>5} {'precision':>9} {'recall':>7} {'f1':>6}"]
        for name, s in sorted(self.groups.items()) + [("overall", self.overall)]:
            rows.append(f"{name:<10} {s.n:>5} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f}")
        return "\n".join(rows)


def read_labelled(path: str | Path) -> list[dict]:
    """Records of a labelled JSON Lines file (``title``, ``label``, ``lang``...)."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate(
    matcher: Matcher, records: list[dict], label: str = "label", group: str = "lang"
) -> Evaluation:
    """Flag every record and compare with its 0/1 ``label``."""
    result = Evaluation()
    for record in records:
        text = record.get("title") or record.get("text")
        match = matcher.match(text, record.get("description"))
        actual = str(record.get(label)).strip() in ("1", "True", "true")
        result.add(str(record.get(group) or "?"), match.flagged, actual)
        if match.flagged != actual:
            result.errors.append((record, match.explanation))
    return result


@dataclass
class FileReport:
    """What ``match_file`` did: records read, problems per kind (with first lines)."""

    records: int = 0
    matched: int = 0
    flagged: int = 0
    problems: Counter = field(default_factory=Counter)
    first_line: dict[str, int] = field(default_factory=dict)
    evaluation: Evaluation | None = None

    def problem(self, kind: str, line: int) -> None:
        self.problems[kind] += 1
        self.first_line.setdefault(kind, line)

    def summary(self) -> str:
        """One line: counts, then each kind of per-record problem with its first line."""
        text = f"{self.records} records, {self.matched} matched, {self.flagged} flagged"
        if self.problems:
            text += "; problems: " + ", ".join(
                f"{n} {kind} (first at line {self.first_line[kind]})"
                for kind, n in self.problems.items()
            )
        return text


def _read_bytes(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise ConfigError("input file not found", path=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read input: {exc.strerror or exc}", path=str(path)) from exc


def iter_records(path: str | Path, report: FileReport) -> Iterator[tuple[int, dict]]:
    """``(line, record)`` from a JSON Lines or CSV file; bad records are counted, skipped."""
    data = _read_bytes(path)
    if str(path).lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            report.problem("invalid UTF-8 bytes replaced", 1 + data[: exc.start].count(b"\n"))
            text = data.decode("utf-8-sig", errors="replace")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        columns = reader.fieldnames or []
        if "text" not in columns and "title" not in columns:
            found = ", ".join(columns) or "none"
            raise ConfigError(f"no 'text' or 'title' column (columns: {found})", path=str(path))
        for row in reader:
            yield reader.line_num, row
        return
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            report.problem("invalid UTF-8", number)
            continue
        except ValueError:
            report.problem("invalid JSON", number)
            continue
        if not isinstance(record, dict):
            report.problem("not a JSON object", number)
            continue
        yield number, record


# What a search-result page's title element also holds when a scraper took its whole text:
# eBay's "New Listing" badge, glued to the title ("New ListingLenox Fine China ..."), and its
# screen-reader text ("... KeypadOpens in a new window or tab"). Removed before matching, as
# the crawler's own extraction leaves them out (``crawler.extract.html_blocks``): glued, they
# hide the first and last words ("Lenox", "Belt") from the lexicon and the model.
_PAGE_BADGE = re.compile(r"^\s*(?:new listing|neues angebot|nouvelle annonce)\s*", re.IGNORECASE)
_PAGE_READER = re.compile(r"\s*opens in a new (?:window or tab|window|tab)\.?\s*$", re.IGNORECASE)


def without_page_residue(title: str) -> str:
    """``title`` without a result page's badge before it or screen-reader text after it."""
    return _PAGE_READER.sub("", _PAGE_BADGE.sub("", title))


def result_record(result: MatchResult, line: int, record: dict) -> dict:
    """The JSON written for one input record."""
    out = {"line": line}
    if "id" in record:
        out["id"] = record["id"]
    out.update(
        {
            "flagged": result.flagged,
            "risk": result.risk,
            "taxa": list(result.taxa),
            "matches": [
                {
                    "term_id": m.term_id,
                    "kind": m.kind,
                    "field": m.field,
                    "start": m.start,
                    "end": m.end,
                    "text": m.matched_text,
                    "taxon_id": m.taxon_id,
                    "product": m.product,
                }
                for m in result.matches
            ],
            "explanation": result.explanation,
        }
    )
    return out


def match_file(
    matcher: Matcher,
    path: str | Path,
    out: TextIO,
    label: str | None = None,
    group: str = "lang",
    model: RelevanceModel | None = None,
) -> FileReport:
    """Match every record of ``path``, write JSON lines to ``out``, score against ``label``.

    With ``model``, each line also has ``relevance`` and ``model``, and ``flagged`` and
    ``explanation`` are the model's (relevant and risky; the words that moved it)."""
    report = FileReport(evaluation=Evaluation() if label else None)
    for line, record in iter_records(path, report):
        text = record.get("text") if record.get("text") is not None else record.get("title")
        description = record.get("description")
        if text is None and description is None:
            report.problem("records without text or title", line)
            continue
        if not isinstance(text, str | None) or not isinstance(description, str | None):
            report.problem("records with non-text fields", line)
            continue
        report.records += 1
        if text:
            text = without_page_residue(text)
        result = matcher.match(text, description)
        written = result_record(result, line, record)
        flagged = result.flagged
        if model is not None:
            scored = model.combine(matcher, text, description, result)
            flagged = scored.flagged
            written["flagged"] = flagged
            written["relevance"] = scored.relevance
            written["model"] = scored.model
            written["explanation"] = scored.explanation
        report.matched += bool(result.matches)
        report.flagged += flagged
        out.write(json.dumps(written, ensure_ascii=False) + "\n")
        if report.evaluation is not None:
            value = str(record.get(label, "")).strip()
            if value not in ("0", "1", "True", "False", "true", "false"):
                report.problem(f"records without a 0/1 {label!r}", line)
                continue
            report.evaluation.add(
                str(record.get(group) or "?"), flagged, value in ("1", "True", "true")
            )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", default=[str(DEFAULT_EVAL)])
    parser.add_argument("--errors", action="store_true", help="list misclassified records")
    parser.add_argument("--threshold", type=float, default=0.5)
    args = parser.parse_args(argv)
    matcher = Matcher.from_lexicon(threshold=args.threshold)
    records = [r for f in args.files for r in read_labelled(f)]
    result = evaluate(matcher, records)
    print(result.table())
    if args.errors:
        for record, why in result.errors:
            print(
                f"[{record.get('lang')}] label={record.get('label')} {record.get('title')!r}: {why}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
