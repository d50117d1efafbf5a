"""``wildcrawl match``: run the matcher over a JSON Lines or CSV file."""

from __future__ import annotations

import click

from crawler.cli.app import cli


@cli.command("match")
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="JSON Lines (.jsonl) or CSV with 'text', or 'title' [+ 'description'].",
)
@click.option(
    "--output",
    "output_path",
    type=click.Path(dir_okay=False),
    help="Write one JSON line per record here (default: standard output).",
)
@click.option("--labels", "label_column", help="0/1 column: print precision, recall and F1.")
@click.option(
    "--group",
    "group_column",
    default="lang",
    show_default=True,
    help="Column to break the scores down by (with --labels).",
)
@click.option(
    "--threshold",
    default=0.5,
    show_default=True,
    type=float,
    help="Risk above which a listing is flagged.",
)
@click.option(
    "--lexicon",
    "lexicon_path",
    type=click.Path(file_okay=False),
    help="Lexicon folder (default: the repository's keywords/).",
)
@click.option(
    "--model",
    "model_path",
    envvar="WILDCRAWL_MODEL",
    help="Relevance model folder (wildcrawl model train); default: the default model; "
    "'none': the lexicon alone (flagged = risk above --threshold).",
)
def match_command(
    input_path, output_path, label_column, group_column, threshold, lexicon_path, model_path
):
    """Flag listings in a file and explain why, one JSON line per record.

    \b
    Example:
      wildcrawl match --input tests/data/matcher_eval.jsonl --labels label
      wildcrawl match --input listings.csv --output flagged.jsonl
      wildcrawl match --model models/2026-12 --input listings.jsonl --output scored.jsonl

    Each line has flagged, risk, relevance, model and explanation. With a model (the
    default), flagged means relevant and risky, with the thresholds the model chose by
    cross-validation; --threshold applies to the lexicon alone (--model none).
    """
    from crawler.matching.lexicon import default_lexicon_path, load_lexicon
    from crawler.matching.matcher import Matcher
    from crawler.matching.train import resolve_model
    from crawler.quality.evaluate_matcher import match_file

    matcher = Matcher.from_lexicon(
        load_lexicon(lexicon_path or default_lexicon_path()), threshold=threshold
    )
    model = resolve_model(model_path, matcher)
    out = click.open_file(output_path or "-", "w", encoding="utf-8")
    with out:
        report = match_file(matcher, input_path, out, label_column, group_column, model)
    if report.evaluation is not None:
        click.echo(report.evaluation.table(), err=output_path is None)
    click.echo(report.summary(), err=True)
