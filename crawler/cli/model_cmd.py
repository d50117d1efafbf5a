"""``wildcrawl model``: train a relevance model, from labels or from monitors' verdicts; apply it."""

from __future__ import annotations

import json

import click

from crawler.cli.app import cli, user_errors


@cli.group("model")
def model_group():
    """Relevance models: learn from labelled listings and monitors' verdicts.

    \b
    Example:
      wildcrawl model train --db output/wildcrawl.db --out models/2026-12
      wildcrawl model apply --db output/wildcrawl.db --model models/2026-12
    """


@model_group.command("train")
@click.option(
    "--labels",
    "labels_path",
    type=click.Path(dir_okay=False, exists=True),
    help='JSON Lines: {"title": ..., "description": ... (optional), "label": 0|1}.',
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, exists=True),
    help="Train on the shipped labelled listings plus the verdicts recorded in this "
    "database (confirmed -> 1, not_wildlife -> 0; a listing's latest verdict counts).",
)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False))
@click.option("--name", help="Model name recorded with each listing it scores (default: DIR's).")
@click.option(
    "--risk-floor",
    type=click.FloatRange(0.0, 1.0),
    default=0.0,
    show_default=True,
    help="Choose the risk threshold from this value up. 0.3 is the default model's, for "
    "crawling marketplaces your verdicts did not come from (docs/labelling.md).",
)
@user_errors
def train_command(labels_path, db_path, out_dir, name, risk_floor):
    """Train a relevance model into DIR (model.json.gz; thresholds by cross-validation)."""
    from pathlib import Path

    from crawler.matching.matcher import Matcher
    from crawler.matching.train import default_labels, read_records, train

    if not labels_path and not db_path:
        raise click.UsageError("give --labels FILE.jsonl or --db DB (or both)")
    records = read_records(labels_path) if labels_path else []
    counts = {"labels": len(records)}
    if db_path:
        from crawler.quality.model_loop import verdict_records

        if not labels_path:
            records = read_records(default_labels())
            counts = {"shipped": len(records)}
        verdicts = verdict_records(db_path)
        counts["verdicts"] = len(verdicts)
        # A listing a monitor judged replaces a shipped row with the same title.
        judged = {(v["title"] or "").strip().lower() for v in verdicts}
        records = [r for r in records if (r.get("title") or "").strip().lower() not in judged]
        records += verdicts
    matcher = Matcher.from_lexicon()
    model = train(
        records,
        matcher,
        name=name or Path(out_dir).resolve().name,
        info=counts,
        risk_floor=risk_floor,
    )
    path = model.save(out_dir)
    info = model.info
    click.echo(
        f"{model.model_id}: {info['records']} listings ({info['positives']} wildlife; "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
        + f"), {info['features']} text features; flagged = relevance >= "
        f"{model.relevance_threshold} and risk >= {model.risk_threshold} "
        f"(cross-validated F1 {info.get('cv_f1', 0):.3f}) -> {path}"
    )


@model_group.command("apply")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False, exists=True))
@click.option("--model", "model_path", envvar="WILDCRAWL_MODEL", help="Default: the default model.")
@user_errors
def apply_command(db_path, model_path):
    """Re-score every stored listing with a model; each records the model (name@digest)."""
    from crawler.matching.matcher import Matcher
    from crawler.matching.train import resolve_model
    from crawler.quality.model_loop import apply_model

    matcher = Matcher.from_lexicon()
    model = resolve_model(model_path, matcher)
    if model is None:
        raise click.UsageError("model apply needs a model (not 'none')")
    done = apply_model(db_path, model, matcher)
    click.echo(
        f"{done.listings} listings re-scored by {model.model_id}: {done.flagged} flagged "
        f"({done.changed} changed)"
    )


@model_group.command("show")
@click.option("--model", "model_path", envvar="WILDCRAWL_MODEL", help="Default: the default model.")
@user_errors
def show_command(model_path):
    """Name, digest, thresholds and training figures of a model."""
    from crawler.matching.matcher import Matcher
    from crawler.matching.train import resolve_model

    model = resolve_model(model_path, Matcher.from_lexicon())
    if model is None:
        click.echo("no model: the lexicon alone")
        return
    click.echo(
        json.dumps(
            {
                "model": model.model_id,
                "relevance_threshold": model.relevance_threshold,
                "risk_threshold": model.risk_threshold,
                **model.info,
            },
            indent=2,
            sort_keys=True,
        )
    )
