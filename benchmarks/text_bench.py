"""Throughput of the text pipeline (normalize + word segmentation) over ViHSD train.

Anchor in the same run: underthesea's own ``word_tokenize`` (no offsets, no normalization map).

    python benchmarks/text_bench.py [--limit N] [--jobs 2] [--json]

Prints docs/s for: normalize alone; segment alone; normalize + segment in one process; and
normalize + segment spread over ``--jobs`` processes (the machine has 2 cores).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

from kiemchung.lab import datasets
from kiemchung.text.normalize import normalize
from kiemchung.text.segment import segment_many


def prepare_batch(texts: Sequence[str]) -> int:
    """Normalize then segment a batch; returns the number of words (keeps the work observable)."""
    return sum(len(tokens) for tokens in segment_many([normalize(t).text for t in texts]))


def timed(label: str, n: int, fn: Callable[[], object]) -> dict[str, float | str]:
    started = time.perf_counter()
    fn()
    seconds = time.perf_counter() - started
    return {
        "step": label,
        "docs": n,
        "seconds": round(seconds, 3),
        "docs_per_s": round(n / seconds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="use only the first N texts")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the parallel row")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    texts = [r.text for r in datasets.load("vihsd", "train")]
    if args.limit:
        texts = texts[: args.limit]
    n = len(texts)

    started = time.perf_counter()
    segment_many(["khởi động"])  # loads the CRF once, reported separately
    load_s = time.perf_counter() - started
    normalized = [normalize(t).text for t in texts]

    from underthesea import word_tokenize

    batches = [texts[i : i + 256] for i in range(0, n, 256)]

    def parallel() -> None:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            list(pool.map(prepare_batch, batches))

    rows = [
        timed("normalize", n, lambda: [normalize(t) for t in texts]),
        timed("segment (normalized input)", n, lambda: segment_many(normalized)),
        timed("normalize + segment, 1 process", n, lambda: prepare_batch(texts)),
        timed(f"normalize + segment, {args.jobs} processes", n, parallel),
        timed(
            "anchor: underthesea.word_tokenize, 1 process",
            n,
            lambda: [word_tokenize(t) for t in texts],
        ),
    ]
    result = {
        "benchmark": "text_bench",
        "dataset": "vihsd/train",
        "docs": n,
        "crf_load_seconds": round(load_s, 3),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "rows": rows,
    }
    if args.json:
        print(json.dumps(result))
        return
    print(
        f"text_bench on {n:,} ViHSD train texts ({os.cpu_count()} cores, CRF load {load_s:.2f} s)"
    )
    for row in rows:
        print(f"  {row['step']:<48} {row['docs_per_s']:>8,} docs/s  ({row['seconds']} s)")


if __name__ == "__main__":
    main()
