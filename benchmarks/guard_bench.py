"""Leak-guard speed: drafts per second, first-call latency, and a 1 MB input, Presidio beside it.

    python benchmarks/guard_bench.py [--drafts N] [--json]

Two loads of ~300-character drafts: PII-dense ones built from the synthetic evaluation set
(positives and negatives concatenated until they pass 300 characters), and ordinary posts — real
ViCTSD news comments joined to the same length, mostly without personal data. Rows, in the same
run: our guard in one and in two processes (``multiprocessing``, one engine per worker) on each
load; the guard with underthesea's NER instead of its POS tagger for names after a cue word, and
with neither (the tagger runs only where a cue word precedes capitalised words the name rules did
not claim — about one PII-dense draft in six, far more than in ordinary posts); and the anchor,
Presidio's default ``AnalyzerEngine`` (its predefined recognizers, no NLP model: its spaCy
pipeline cannot be downloaded here), in one process. Import time and first-call latency are
measured in a fresh process; a 1 MB input of each load is timed, and its offsets checked against
the text.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import multiprocessing.pool
import subprocess
import sys
import time

from kiemchung.guard import GuardEngine
from kiemchung.lab.evaluation.guard import presidio_default_predictor
from kiemchung.lab.evaluation.guard_synthetic import load_guard_set
from timing import rate

FIRST_CALL_SNIPPET = (
    "import time; t = time.perf_counter(); import kiemchung.guard as g; "
    "imported = time.perf_counter() - t; t = time.perf_counter(); "
    "g.find_leaks('Liên hệ chị Lê Thị Hoa 0912 345 678'); "
    "print(imported, time.perf_counter() - t)"
)


def joined(texts: list[str], n: int, length: int) -> list[str]:
    """``n`` drafts of at least ``length`` characters, each consecutive ``texts`` joined."""
    out, i = [], 0
    while len(out) < n:
        draft = ""
        while len(draft) < length:
            draft += texts[i % len(texts)] + " "
            i += 1
        out.append(draft.strip())
    return out


def drafts(n: int, length: int = 300) -> list[str]:
    """``n`` texts of about ``length`` characters from the evaluation set, deterministic."""
    return joined([item["text"] for item in load_guard_set()], n, length)


#: Loads every model the guard may use (underthesea's NER on a cued name) before timing.
WARM_UP = ["Anh Ksor Y Phước, sđt 0912345678", "Chị Lê Thị Hoa ở số 5 ngõ 12 phố Huế, Hà Nội"]


def ordinary_posts(n: int, length: int = 300) -> list[str]:
    """``n`` texts of about ``length`` characters of real news comments (ViCTSD test), most of
    them free of personal data — the load a guard sees in front of a posting box."""
    from kiemchung.lab import datasets

    texts = [r.text for r in datasets.load("victsd", "test")]
    return [post[: length + 100] for post in joined(texts, n, length)]


def _guard_batch(texts: list[str]) -> int:
    from kiemchung.guard import find_leaks

    return sum(len(find_leaks(t)) for t in texts)


def _warm() -> None:
    _guard_batch(WARM_UP)


def _warm_pool() -> multiprocessing.pool.Pool:
    """Two worker processes, each with its engine built and its models loaded before timing.

    Warming through ``pool.map`` may hand both warm-up tasks to one worker, and the other then
    loads underthesea's tagger inside the timed run.
    """
    return multiprocessing.get_context("fork").Pool(2, initializer=_warm)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=4000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    texts = drafts(args.drafts)
    _guard_batch(WARM_UP)  # build the engine and load the NER model outside the timing
    rows = {"kiemchung guard, 1 process": rate(len(texts), lambda: _guard_batch(texts), "drafts")}
    chunks = [texts[i::2] for i in range(2)]
    with _warm_pool() as pool:
        rows["kiemchung guard, 2 processes"] = rate(
            len(texts), lambda: pool.map(_guard_batch, chunks), "drafts"
        )
    posts = ordinary_posts(args.drafts)
    rows["kiemchung guard on ordinary posts (ViCTSD comments), 1 process"] = rate(
        len(posts), lambda: _guard_batch(posts), "drafts"
    )
    with _warm_pool() as pool:
        rows["kiemchung guard on ordinary posts (ViCTSD comments), 2 processes"] = rate(
            len(posts), lambda: pool.map(_guard_batch, [posts[0::2], posts[1::2]]), "drafts"
        )
    for tagger in ("ner", None):
        engine = GuardEngine(name_tagger=tagger)
        engine.analyze(WARM_UP[0])
        rows[f"kiemchung guard, name_tagger={tagger}, 1 process"] = rate(
            len(texts), lambda engine=engine: [engine.analyze(t) for t in texts], "drafts"
        )
    presidio = presidio_default_predictor()
    anchor_texts = texts[: max(200, len(texts) // 10)]
    presidio(anchor_texts[0])
    rows["anchor: Presidio defaults (no NLP model), 1 process"] = rate(
        len(anchor_texts), lambda: [presidio(t) for t in anchor_texts], "drafts"
    )

    from kiemchung.guard import find_leaks

    megabytes = {
        "pii_dense": "\n".join(drafts(3400))[:1_000_000],
        "ordinary_posts": "\n".join(ordinary_posts(3400))[:1_000_000],
    }
    one_megabyte = {}
    for name, big in megabytes.items():
        started = time.perf_counter()
        findings = find_leaks(big)
        seconds = time.perf_counter() - started
        offsets_ok = all(
            f.span and 0 <= f.span[0] < f.span[1] <= len(big) and big[f.span[0] : f.span[1]].strip()
            for f in findings
        )
        one_megabyte[name] = {
            "seconds": round(seconds, 3),
            "findings": len(findings),
            "offsets_ok": offsets_ok,
        }

    timing = subprocess.run(
        [sys.executable, "-c", FIRST_CALL_SNIPPET], capture_output=True, text=True, check=True
    ).stdout.split()
    figures = {
        "drafts": len(texts),
        "mean_chars": round(sum(map(len, texts)) / len(texts)),
        "rows": rows,
        "import_seconds": round(float(timing[0]), 3),
        "first_call_seconds": round(float(timing[1]), 4),
        "one_megabyte": one_megabyte,
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
    for name, row in one_megabyte.items():
        print(
            f"  1 MB {name}: {row['seconds']:.2f} s, {row['findings']} findings, "
            f"offsets ok: {row['offsets_ok']}"
        )


if __name__ == "__main__":
    main()
