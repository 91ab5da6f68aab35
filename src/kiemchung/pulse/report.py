"""The run's outputs: ``report.json``, a self-contained ``report.html`` and ``cells.parquet``.

Everything here is built from k-anonymous cells — counts of posts and of distinct authors, sums
of content scores — so no output can hold an author pseudonym, let alone a raw id. Topics whose
cell was withheld are not described either (their keywords and examples could come from a few
people). The HTML draws its charts as inline SVG and loads nothing from anywhere.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

from kiemchung.pulse.privacy import KAnonymousAggregator
from kiemchung.pulse.topics import OUTLIER
from kiemchung.pulse.trends import emerging_issues, periods_in

MEASURES = ("NEG", "NEU", "POS", "toxic", "checkworthy", "personal_data")


def _shares(cell: dict) -> dict[str, float]:
    posts = cell["posts"] or 1
    return {m: round(cell.get(m, 0.0) / posts, 4) for m in MEASURES}


def _counts(cell: dict) -> dict[str, Any]:
    return {"posts": cell["posts"], "authors": cell["authors"], **_shares(cell)}


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, _dt.date) else value


def build_report(run: Any, found: dict, tables: dict[str, KAnonymousAggregator], repeated: list):
    """The report as a dict (what ``report.json`` holds)."""
    from kiemchung import __version__

    model, examples = found["model"], found["examples"]
    state, settings = run.state, run.settings
    cells = {name: list(table.cells()) for name, table in tables.items()}
    total = next(iter(cells["total"]), None)
    labels = {t.topic_id: t for t in model.topics_}
    topics, outliers = [], None
    for cell in sorted(cells["topic"], key=lambda c: (-c["posts"], c["key"])):
        if cell["key"] == OUTLIER:
            outliers = _counts(cell)
            continue
        topic = labels[cell["key"]]
        topics.append(
            {
                **topic.to_dict(),
                **_counts(cell),
                "share_of_posts": round(cell["posts"] / state.posts, 4),
                "examples": examples.get(cell["key"], []),
            }
        )
    shown = {t["topic"] for t in topics}
    bursts = emerging_issues(tables["topic_period"], settings.period, span=state.span)
    return {
        "kiemchung": __version__,
        "generated_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "input": {
            "file": run.source.name,
            "posts": state.posts,
            "bad_rows": state.errors,
            "distinct_texts": state.kinds["new"],
            "exact_copies": state.kinds["exact"],
            "near_copies": state.kinds["near"],
        },
        "settings": {
            "period": settings.period,
            "k": settings.k,
            "topics": len(model.topics_),
            "outlier_share_target": settings.outlier_share,
            "seed": settings.seed,
            "engine": run.engine.describe(),
        },
        "privacy": {
            "k": settings.k,
            "withheld_cells": sum(table.suppressed for table in tables.values()),
            "withheld_topics": len(model.topics_) - len(shown),
            "authors": "HMAC-SHA256 pseudonyms with the project's salt, counted only",
        },
        "totals": _counts(total) if total else None,
        "topics": topics,
        "outliers": outliers,
        "series": {
            "periods": [p.isoformat() for p in periods_in(*state.span, settings.period)]
            if state.span
            else [],
            "overall": [
                {"period": _iso(c["key"]), **_counts(c)}
                for c in sorted(cells["period"], key=lambda c: c["key"])
            ],
            "topics": [
                {"topic": c["key"][0], "period": _iso(c["key"][1]), **_counts(c)}
                for c in sorted(cells["topic_period"], key=lambda c: (c["key"][1], c["key"][0]))
                if c["key"][0] in shown
            ],
        },
        "emerging": [
            {**b.to_dict(), "label": labels[b.key].label} for b in bursts if b.key in shown
        ],
        "languages": [
            {"language": c["key"], "posts": c["posts"], "authors": c["authors"]}
            for c in sorted(cells["language"], key=lambda c: -c["posts"])
        ],
        "repeated_texts": repeated,
        "stages": [t.to_dict() for t in state.timings],
    }


def write_cells(tables: dict[str, KAnonymousAggregator], path: Path) -> None:
    """Every released cell as one Parquet table (``table``, ``topic``, ``period``, ...)."""
    from kiemchung.extras import require

    pa = require("pyarrow", "pulse", "writing Pulse's cells")
    pq = require("pyarrow.parquet", "pulse", "writing Pulse's cells")

    rows = []
    for name, table in tables.items():
        for cell in table.cells():
            key = cell["key"]
            topic = key if name == "topic" else key[0] if name == "topic_period" else None
            period = key if name == "period" else key[1] if name == "topic_period" else None
            rows.append(
                {
                    "table": name,
                    "topic": topic,
                    "period": period,
                    "language": key if name == "language" else None,
                    "posts": cell["posts"],
                    "authors": cell["authors"],
                    **{m: float(cell.get(m, 0.0)) for m in MEASURES},
                }
            )
    schema = pa.schema(
        [
            ("table", pa.string()),
            ("topic", pa.int64()),
            ("period", pa.date32()),
            ("language", pa.string()),
            ("posts", pa.int64()),
            ("authors", pa.int64()),
            *[(m, pa.float64()) for m in MEASURES],
        ]
    )
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


def write_report(report: dict, tables: dict[str, KAnonymousAggregator], out: Path) -> None:
    from kiemchung.pulse.report_html import render_html

    (out / "report.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    (out / "report.html").write_text(render_html(report), encoding="utf-8")
    write_cells(tables, out / "cells.parquet")
