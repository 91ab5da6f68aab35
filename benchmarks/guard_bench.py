"""Leak-guard speed: drafts per second, first-call latency, and a 1 MB input, Presidio beside it.

    python benchmarks/guard_bench.py [--drafts N] [--json]

Drafts are ~300-character texts built from the synthetic evaluation set (positives and negatives
concatenated until they pass 300 characters). Rows, in the same run: our guard in one process and
in two processes (``multiprocessing``, one engine per worker), and the anchor — Presidio's default
``AnalyzerEngine`` (its predefined recognizers, no NLP model: its spaCy pipeline cannot be
downloaded here) — in one process. Import time and first-call latency are measured in a fresh
process; the 1 MB input is the drafts joined, and its offsets are checked against the text.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import subprocess
import sys
import time

from kiemchung.evaluation.guard import presidio_default_predictor
from kiemchung.evaluation.guard_synthetic import load_guard_set
from timing import rate

FIRST_CALL_SNIPPET = (
    "import time; t = time.perf_counter(); import kiemchung.guard as g; "
    "imported = time.perf_counter() - t; t = time.perf_counter(); "
    "g.guard('Liên hệ chị Lê Thị Hoa 0912 345 678'); "
    "print(imported, time.perf_counter() - t)"
)


def drafts(n: int, length: int = 300) -> list[str]:
    """``n`` texts of about ``length`` characters from the evaluation set, deterministic."""
    texts = [item["text"] for item in load_guard_set()]
    out, i = [], 0
    while len(out) < n:
        draft = ""
        while len(draft) < length:
            draft += texts[i % len(texts)] + " "
            i += 1
        out.append(draft.strip())
    return out


def _guard_batch(texts: list[str]) -> int:
    from kiemchung.guard import guard

    return sum(len(guard(t)) for t in texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=4000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    texts = drafts(args.drafts)
    _guard_batch(texts[:5])  # build the engine outside the timing
    rows = {"kiemchung guard, 1 process": rate(len(texts), lambda: _guard_batch(texts), "drafts")}
    chunks = [texts[i::2] for i in range(2)]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_guard_batch, [texts[:2], texts[2:4]])  # warm the workers
        rows["kiemchung guard, 2 processes"] = rate(
            len(texts), lambda: pool.map(_guard_batch, chunks), "drafts"
        )
    presidio = presidio_default_predictor()
    anchor_texts = texts[: max(200, len(texts) // 10)]
    presidio(anchor_texts[0])
    rows["anchor: Presidio defaults (no NLP model), 1 process"] = rate(
        len(anchor_texts), lambda: [presidio(t) for t in anchor_texts], "drafts"
    )

    from kiemchung.guard import guard

    big = "\n".join(drafts(3400))[:1_000_000]
    started = time.perf_counter()
    findings = guard(big)
    big_seconds = time.perf_counter() - started
    offsets_ok = all(
        f.span and 0 <= f.span[0] < f.span[1] <= len(big) and big[f.span[0] : f.span[1]].strip()
        for f in findings
    )

    timing = subprocess.run(
        [sys.executable, "-c", FIRST_CALL_SNIPPET], capture_output=True, text=True, check=True
    ).stdout.split()
    figures = {
        "drafts": len(texts),
        "mean_chars": round(sum(map(len, texts)) / len(texts)),
        "rows": rows,
        "import_seconds": round(float(timing[0]), 3),
        "first_call_seconds": round(float(timing[1]), 4),
        "one_megabyte_seconds": round(big_seconds, 3),
        "one_megabyte_findings": len(findings),
        "one_megabyte_offsets_ok": offsets_ok,
    }
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
        return
    print(f"{figures['drafts']:,} drafts of ~{figures['mean_chars']} characters")
    for name, row in rows.items():
        print(f"  {name:55s} {row['drafts_per_s']:>8,} drafts/s  ({row['seconds']} s)")
    print(
        f"  import kiemchung.guard {figures['import_seconds']} s; first call then "
        f"{figures['first_call_seconds']} s"
    )
    print(f"  1 MB input: {big_seconds:.2f} s, {len(findings)} findings, offsets ok: {offsets_ok}")


if __name__ == "__main__":
    main()
