"""The ``kiemchung`` command line (Typer + Rich).

Exit codes: 0 success; 1 the input, data or a model could not be used (one-line message on
stderr); 2 the command was used wrongly (unknown option, missing argument). ``--debug`` shows the
traceback instead of the one-line message. Every command that prints results takes ``--json``
and then prints exactly one JSON object on stdout.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from kiemchung import __version__
from kiemchung.cli.common import (
    FileOption,
    JsonOption,
    handles_errors,
    needs_the_lab,
    out,
    print_json,
    print_table,
    text_or_file,
)
from kiemchung.cli.kb import kb_app
from kiemchung.cli.pulse import pulse_app
from kiemchung.cli.serve import keys_app, serve

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="kiemchung — Vietnamese-first information integrity: analyze, guard, check, keep a"
    " knowledge base, listen over many posts (pulse), serve the API, evaluate, train.\n\n"
    "Exit codes: 0 ok, 1 error in input/data/model, 2 usage error.",
)


def _version(value: bool) -> None:
    if value:
        out.print(f"kiemchung {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    ctx.obj = {"debug": debug}


# --------------------------------------------------------------------------- analyze


def _findings_table(report: Any, text: str) -> Table:
    table = Table(title=f"Report {report.doc_id} — {report.text_length:,} characters")
    for column in ("analyzer", "label", "score", "span", "text", "explanation"):
        table.add_column(column)
    for f in report.findings:
        span = f"{f.span[0]}–{f.span[1]}" if f.span else "whole text"
        excerpt = text[f.span[0] : f.span[1]] if f.span else ""
        table.add_row(f.analyzer, f.label, f"{f.score:.3f}", span, excerpt[:60], f.explanation)
    return table


@app.command()
@handles_errors
def analyze(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Argument(help="Text to analyze, or - to read stdin.")] = None,
    file: FileOption = None,
    analyzers: Annotated[
        str | None,
        typer.Option(
            "--analyzers",
            "-a",
            help="Comma-separated analyzer names (default: all but the opt-in ones: spam and the"
            " -accurate modes).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Run analyzers over one text and print their findings.

    The analyzers that run a model (moderation, sentiment, spam) read up to 1,000,000 characters;
    a longer text needs analyzers without that limit (language, guard, scam).
    """
    from kiemchung.pipeline import analyze as run_analyze

    source = text_or_file(text, file)
    names = [n.strip() for n in analyzers.split(",") if n.strip()] if analyzers else None
    report = run_analyze(source, names)
    if as_json:
        print_json(report.to_dict())
    else:
        out.print(_findings_table(report, source))


# --------------------------------------------------------------------------- guard


@app.command("guard")
@handles_errors
def guard_command(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="A UTF-8 text file to check, or - for stdin.")],
    redact: Annotated[
        str | None,
        typer.Option(
            "--redact", help="Print the text redacted instead: mask, tag, pseudonym or hash."
        ),
    ] = None,
    salt: Annotated[
        str | None, typer.Option("--salt", help="Salt for --redact hash (default: random).")
    ] = None,
    public_figures: Annotated[
        Path | None,
        typer.Option("--public-figures", help="A file of names never to flag, one per line."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Find personal data, confidential markings and credentials; optionally redact them."""
    from kiemchung.errors import InputError
    from kiemchung.guard import GuardEngine, default_engine
    from kiemchung.guard.redact import redact as redact_text
    from kiemchung.text.inputs import read_text

    if source != "-" and not Path(source).exists():
        raise InputError(
            f"no such file: {source[:80]} (guard reads a file; to check a text itself, pipe it:"
            " echo TEXT | kiemchung guard -)"
        )
    text = read_text(None if source == "-" else Path(source))
    engine = default_engine()
    if public_figures is not None:
        engine = GuardEngine(public_figures=read_text(public_figures).splitlines())
    findings = engine.analyze(text)
    redacted = redact_text(text, findings, redact, salt) if redact else None
    if as_json:
        data: dict[str, Any] = {"findings": [f.to_dict() for f in findings]}
        if redacted is not None:
            data["redacted"] = redacted
        print_json(data)
    elif redacted is not None:
        sys.stdout.write(redacted)
    else:
        spans = [(f, *(f.span or (0, 0))) for f in findings]
        print_table(
            f"{len(findings)} finding(s) in {len(text):,} characters",
            ("label", "score", "span", "text", "explanation"),
            (
                (f.label, f"{f.score:.2f}", f"{a}–{b}", text[a:b][:40], f.explanation)
                for f, a, b in spans
            ),
        )


# --------------------------------------------------------------------------- check

FastVerdictOption = Annotated[
    bool,
    typer.Option(
        "--fast",
        help="Judge with the fast logistic model alone, without the cross-encoder.",
    ),
]


@app.command(
    "check",
    help="Find the check-worthy claims in a text and give each a verdict with its evidence.\n\n"
    "A claim a fact-checker already reviewed (`kb reviews import`) gets that review's rating and"
    " link; the others are judged against passages retrieved from the knowledge base.",
)
@handles_errors
def check_command(
    ctx: typer.Context,
    text: Annotated[
        str | None, typer.Argument(help="The text whose claims to check, or - for stdin.")
    ] = None,
    file: FileOption = None,
    kb: Annotated[
        Path | None,
        typer.Option("--kb", help="Knowledge base to search (default: the bundled demo base)."),
    ] = None,
    k: Annotated[
        int, typer.Option("-k", min=1, help="Passages retrieved per claim (the model's choice: 5).")
    ] = 5,
    reviews: Annotated[
        bool,
        typer.Option(
            "--reviews/--no-reviews",
            help="First look for the claim among the knowledge base's fact-checker reviews.",
        ),
    ] = True,
    encoder: Annotated[
        bool,
        typer.Option(
            "--encoder",
            help="Judge the three best evidence windows with the verdict model that reads the"
            " cross-encoder (needs the [e5] extra; not yet the default: see docs/RESULTS.md).",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Report each check-worthy claim of the text with its verdict and evidence (help above:
    Typer would keep a docstring's line breaks in ``--help``)."""
    from kiemchung.verify.check import check

    source = text_or_file(text, file)
    base = None
    if kb is not None:
        from kiemchung.verify.kb import open_knowledge_base

        base = open_knowledge_base(kb)
    report = check(source, base, k=k, use_reviews=reviews, encoder=encoder)
    if as_json:
        print_json(report.to_dict())
        return
    _print_verdicts(report, source)


def _print_verdicts(report: Any, source: str) -> None:
    """Each claim's verdict, its reason, and the evidence it cites (a review or a passage)."""
    if not report.findings:
        out.print("No check-worthy claim found.")
    for f in report.findings:
        start, end = f.span or (0, 0)
        claim = escape(source[start:end])
        out.print(f"[bold]{f.label}[/bold] ({f.score:.2f}) — {claim}", markup=True, highlight=False)
        out.print(f"  {f.explanation}", highlight=False)
        for c in f.evidence:
            a, b = c.passage_span or (0, len(c.passage))
            where = f"{c.source}{', ' + c.url if c.url else ''}"
            out.print(f"  evidence ({where}): {c.passage[a:b]}", highlight=False)


@app.command(
    "verify",
    help="Say whether evidence you bring SUPPORTS or REFUTES a claim, or is NOT_ENOUGH_INFO,"
    " and why.\n\n`check` finds the evidence in a knowledge base; `verify` judges the claim"
    " against the evidence you give it (an article you trust, a statement you found).",
)
@handles_errors
def verify_command(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="The claim, or - for stdin.")],
    evidence: Annotated[
        str | None, typer.Option("--evidence", "-e", help="The evidence text.")
    ] = None,
    evidence_file: Annotated[
        Path | None,
        typer.Option(
            "--evidence-file",
            help="Read the evidence from this UTF-8 file (an .html or .htm file: its visible"
            " text).",
        ),
    ] = None,
    fast: FastVerdictOption = False,
    as_json: JsonOption = False,
) -> None:
    """The verdict of the gold-evidence model on one pair (help above)."""
    from kiemchung.verify.verdict import ARTIFACT_NAME, FAST_ARTIFACT_NAME, verify_pair

    if (evidence is None) == (evidence_file is None):
        raise typer.BadParameter("give the evidence as --evidence TEXT or --evidence-file PATH")
    finding = verify_pair(
        text_or_file(claim, None),
        text_or_file(evidence, evidence_file),
        model_name=FAST_ARTIFACT_NAME if fast else ARTIFACT_NAME,
    )
    if as_json:
        print_json(finding.to_dict())
        return
    out.print(f"[bold]{finding.label}[/bold] ({finding.score:.2f})", markup=True, highlight=False)
    out.print(f"  {finding.explanation}", highlight=False)
    out.print(f"  {finding.explanation_vi}", highlight=False)
    probabilities = finding.data["probabilities"]
    out.print("  " + ", ".join(f"{k} {v:.2f}" for k, v in probabilities.items()), highlight=False)


# --------------------------------------------------------------------------- eval


def _figure(value: float | int) -> str:
    """A metric as the table shows it: rates to four places, counts and flags as they are."""
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def _metric_rows(key: str, value: Any) -> list[tuple[str, str]]:
    """The table rows of one metric: a number is one row; a block of figures (``long_posts``,
    ``policy``, nested as deep as it goes) one row per figure, named by its path."""
    if key.endswith("per_class"):
        prefix = key.removesuffix("per_class").replace("_", " ")
        return [
            (f"{prefix}{name} {metric}", _figure(scores[metric]))
            for name, scores in value.items()
            for metric in ("precision", "recall", "f1")
        ]
    if isinstance(value, dict):
        return [row for name, sub in value.items() for row in _metric_rows(f"{key} {name}", sub)]
    if isinstance(value, float | int):
        return [(key, _figure(value))]
    return []


def _metrics_table(result: Any) -> Table:
    table = Table(title=f"{result.task} · {result.model} · {result.split} · n={result.n:,}")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in result.metrics.items():
        for row in _metric_rows(key, value):
            table.add_row(*row)
    for group, figures in result.anchors.items():
        for name, value in figures.items():
            table.add_row(
                Text(f"anchor: {name} ({group})", style="dim"), Text(str(value), style="dim")
            )
    return table


@app.command("eval")
@handles_errors
def eval_command(
    ctx: typer.Context,
    task: Annotated[
        str | None, typer.Argument(help="Task to evaluate; omit to list tasks.")
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="Model name or artifact folder.")
    ] = None,
    split: Annotated[
        str,
        typer.Option(
            "--split",
            help="dev or test (scam also has dev2; guard: handwritten, combinations, challenge).",
        ),
    ] = "test",
    as_json: JsonOption = False,
) -> None:
    """Evaluate a model on a task's official split and print its metrics."""
    with needs_the_lab():
        from kiemchung.lab.evaluation.registry import evaluators, run_evaluation

    if task is None:
        specs = evaluators()
        if as_json:
            print_json(
                {t: {"description": s.description, "models": s.models} for t, s in specs.items()}
            )
            return
        print_table(
            "evaluation tasks",
            ("task", "models", "description"),
            ((name, ", ".join(s.models), s.description) for name, s in sorted(specs.items())),
        )
        return
    result = run_evaluation(task, model, split)
    if as_json:
        print_json(result.to_dict())
    else:
        out.print(_metrics_table(result))


# --------------------------------------------------------------------------- train


@app.command()
@handles_errors
def train(
    ctx: typer.Context,
    task: Annotated[str | None, typer.Argument(help="Training task; omit to list tasks.")] = None,
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Folder to write the artifact into.")
    ] = Path("artifacts"),
    as_json: JsonOption = False,
) -> None:
    """Train a model and write a pickle-free artifact with its manifest."""
    with needs_the_lab():
        from kiemchung.lab.training.registry import train as run_train
        from kiemchung.lab.training.registry import trainers
    from kiemchung.models.artifact import Artifact
    from kiemchung.paths import writable_folder

    if task is None:
        specs = trainers()
        if as_json:
            print_json({t: s.description for t, s in specs.items()})
            return
        print_table(
            "training tasks",
            ("task", "description"),
            ((name, spec.description) for name, spec in sorted(specs.items())),
        )
        return
    if task in trainers():  # an unwritable --out fails now, not after the training
        writable_folder(out_dir, "the output folder")
    artifact_dir = run_train(task, out_dir)
    artifact = Artifact.load(artifact_dir)
    summary = {"task": task, "artifact": str(artifact_dir), "metrics": artifact.metrics}
    if as_json:
        print_json(summary)
    else:
        out.print(
            f"trained [bold]{artifact.name}[/bold] → {escape(str(artifact_dir))}", markup=True
        )
        out.print_json(data=artifact.metrics)


# --------------------------------------------------------------------------- demo


@app.command()
@handles_errors
def demo(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Run the default analyzers on sample texts, then check three claims against the demo base."""
    from kiemchung.core import Document
    from kiemchung.demo import CLAIMS, sample_texts, text_pipeline
    from kiemchung.pipeline import analyze as run_analyze
    from kiemchung.verify.check import check

    runs = [(text, run_analyze(text), text_pipeline(Document(text))) for text in sample_texts()]
    checks = [(claim, check(claim)) for claim in CLAIMS]
    if as_json:
        print_json(
            {
                "reports": [r.to_dict() for _, r, _ in runs],
                "text_pipeline": [p for *_, p in runs],
                "checks": [r.to_dict() for _, r in checks],
            }
        )
        return
    for text, report, steps in runs:
        out.print(f"\n[bold]{escape(text)}[/bold]", markup=True, highlight=False)
        out.print(f"  model input: {steps['model_input']}", highlight=False)
        for sentence in steps["sentences"]:
            out.print(f"  sentence:    {sentence}", highlight=False)
        out.print(f"  words:       {' | '.join(steps['words'])}", highlight=False)
        out.print(_findings_table(report, text))
    out.print("\n[bold]Checking claims against the bundled knowledge base[/bold]", markup=True)
    for claim, report in checks:
        out.print("")
        _print_verdicts(report, claim)


app.add_typer(kb_app, name="kb")
app.add_typer(pulse_app, name="pulse")
app.add_typer(keys_app, name="keys")
app.command("serve")(serve)


def main() -> None:
    """Console-script entry point."""
    app()
