"""Pulse end to end on realistic posts: throughput per stage, peak memory, and the cost of a
re-run with 10 % new posts.

Posts are real Vietnamese comments and reviews from the staged datasets (ViCTSD, ViHSD, UIT-VSFC,
UIT-ViSFD, AIVIVN 2019, ViSpamReviews, VLSP 2019 HSD), with synthetic times (90 days, a daily
rhythm, two floods of one issue) and synthetic authors (Zipf-distributed, as on real platforms);
a share of posts are reposts of earlier ones, some word-for-word, some with a word added.
They are written to Parquet and read back by the same code ``kiemchung pulse run`` uses.

    python benchmarks/pulse_bench.py                    # 100,000 posts, then +10 %
    python benchmarks/pulse_bench.py --posts 5000       # a quick look

The anchor beside the run: the same posts scored without de-duplication (what a pipeline that
embeds every post pays), estimated from the measured per-text scoring rate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from kiemchung.lab import datasets
from kiemchung.pulse.engines import make_engine
from kiemchung.pulse.run import PulseRun, PulseSettings

SOURCES = {
    "victsd": ("train", "dev", "test"),
    "vihsd": ("train", "dev", "test"),
    "uit_vsfc": ("train", "dev", "test"),
    "uit_visfd": ("train", "dev", "test"),
    "aivivn2019_sa": ("train",),
    "vispamreviews": ("train", "dev", "test"),
    "vlsp2019_hsd": ("train",),
}
START = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)
DAYS = 90
REPOST_SHARE = 0.12


def real_texts() -> list[str]:
    texts, seen = [], set()
    for name, splits in SOURCES.items():
        for split in splits:
            try:
                rows = datasets.load(name, split)
            except Exception as exc:  # a dataset not staged here: use the others
                print(f"  ({name}/{split} not used: {exc})", file=sys.stderr)
                continue
            for row in rows:
                text = " ".join(str(getattr(row, "text", "")).split())
                if len(text) >= 10 and text not in seen:
                    seen.add(text)
                    texts.append(text)
    return texts


def make_posts(texts: list[str], n: int, rng: random.Random, first_id: int = 0) -> list[dict]:
    """``n`` posts: mostly distinct real texts, some reposts, synthetic times and authors."""
    authors = [f"user-{i}" for i in range(max(200, n // 5))]
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(authors))]
    drawn = rng.choices(authors, weights, k=n)
    flood = texts[rng.randrange(len(texts))]
    posts: list[dict] = []
    pool = rng.sample(texts, min(len(texts), n))
    for i in range(n):
        day = rng.randrange(DAYS)
        if posts and rng.random() < REPOST_SHARE:
            text = rng.choice(posts)["text"]
            text = (
                text if rng.random() < 0.6 else text + " " + rng.choice(["👍", "đúng vậy", "share"])
            )
        elif day in (40, 41, 70) and rng.random() < 0.3:
            text = flood + f" #{rng.randrange(50)}"
        else:
            text = pool[i % len(pool)]
        moment = START + dt.timedelta(days=day, seconds=rng.randrange(86400))
        posts.append(
            {
                "id": f"post-{first_id + i}",
                "text": text,
                "created_at": moment.isoformat(),
                "author": drawn[i],
                "platform": rng.choice(["facebook", "tiktok", "news-comments"]),
                "likes": rng.randrange(500),
            }
        )
    return posts


def write_parquet(posts: list[dict], path: Path) -> None:
    pq.write_table(pa.Table.from_pylist(posts), path, row_group_size=10_000)


def peak_rss_gb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024**2


def run_once(label: str, source: Path, out: Path, project: Path, engine_name: str) -> dict:
    engine = make_engine(engine_name)
    started = time.perf_counter()
    try:
        report = PulseRun(source, out, project, engine=engine, settings=PulseSettings()).run()
    finally:
        engine.close()
    seconds = time.perf_counter() - started
    print(
        f"\n{label}: {report['input']['posts']:,} posts in {seconds:,.1f} s "
        f"({report['input']['posts'] / seconds:,.1f} posts/s), peak RSS {peak_rss_gb():.2f} GB"
    )
    print(f"  {'stage':<10}{'seconds':>10}{'items':>10}{'per second':>12}")
    for stage in report["stages"]:
        rate = f"{stage['per_second']:,.1f}" if stage["per_second"] else "-"
        print(f"  {stage['stage']:<10}{stage['seconds']:>10,.1f}{stage['items']:>10,}{rate:>12}")
    source_figures = report["input"]
    print(
        f"  distinct texts {source_figures['distinct_texts']:,}, exact copies "
        f"{source_figures['exact_copies']:,}, near copies {source_figures['near_copies']:,}; "
        f"topics {len(report['topics'])}, emerging {len(report['emerging'])}, "
        f"withheld cells {report['privacy']['withheld_cells']:,}"
    )
    return {"seconds": seconds, "report": report}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--new-share", type=float, default=0.1)
    parser.add_argument("--engine", default="local", choices=("local", "dask"))
    parser.add_argument("--workdir", type=Path, default=None, help="kept when given")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="pulse-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    texts = real_texts()
    posts = make_posts(texts, args.posts, rng)
    used = {p["text"] for p in posts}
    later = posts + make_posts(
        [t for t in texts if t not in used] or texts,
        int(args.posts * args.new_share),
        rng,
        first_id=args.posts,
    )
    write_parquet(posts, workdir / "posts.parquet")
    write_parquet(later, workdir / "posts_later.parquet")
    size = (workdir / "posts.parquet").stat().st_size / 1024**2
    print(
        f"{len(texts):,} real texts available; {len(posts):,} posts ({size:.1f} MB Parquet), "
        f"engine {args.engine}, 2 cores"
    )
    project = workdir / "project"
    shutil.rmtree(project, ignore_errors=True)
    first = run_once("first run", workdir / "posts.parquet", workdir / "out", project, args.engine)
    second = run_once(
        f"re-run with {args.new_share:.0%} new posts",
        workdir / "posts_later.parquet",
        workdir / "out_later",
        project,
        args.engine,
    )
    score = next(s for s in first["report"]["stages"] if s["stage"] == "score")
    every_post = args.posts / score["per_second"] if score["per_second"] else float("nan")
    print(f"\nre-run cost: {second['seconds'] / first['seconds']:.1%} of the first run")
    print(
        f"anchor: scoring every post without de-duplication would take ~{every_post:,.0f} s "
        f"for the score stage alone (measured {score['seconds']:,.0f} s)"
    )
    print(f"peak memory {peak_rss_gb():.2f} GB (target <= 4 GB)")
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
