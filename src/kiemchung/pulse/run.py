"""One Pulse run, end to end: read → de-duplicate → score → topics → k-anonymous aggregates.

Stages, each timed (items per second go into the report):

1. **read**: posts streamed through the column mapping; author ids become project pseudonyms in
   the row parser; bad rows go to ``errors.jsonl`` with their line; each post joins a duplicate
   group; posts and distinct texts are spooled to SQLite, so memory does not grow with the input.
2. **score**: each distinct text not yet in the project's score store is scored (language,
   sentiment, toxicity, check-worthiness, personal data) and embedded, on the chosen engine;
   every batch commits, so an interrupted run resumes and a re-run only pays for new texts.
3. **topics**: k-means on a seeded sample of the distinct texts' vectors, every text assigned,
   labels by class-based TF-IDF, example snippets (the texts nearest each centre) passed through
   the leak guard's redaction.
4. **aggregate**: every post (copies included) counted into k-anonymous cells — per topic, per
   period, per topic and period, per language — then emerging issues from the topic series.

Nothing per author leaves stage 4: the cells carry author *counts*, and cells under ``k`` authors
are withheld where they are made.
"""

from __future__ import annotations

import datetime as _dt
import heapq
import json
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kiemchung.errors import InputError, RowError
from kiemchung.paths import writable_folder
from kiemchung.pulse.authors import AuthorPseudonymizer
from kiemchung.pulse.dedup import Deduplicator
from kiemchung.pulse.engines import LocalEngine
from kiemchung.pulse.ingest import ColumnMapping, read_posts
from kiemchung.pulse.keywords import content_terms
from kiemchung.pulse.privacy import DEFAULT_K, KAnonymousAggregator
from kiemchung.pulse.scoring import score_batch, scores_version
from kiemchung.pulse.store import RunSpool, ScoreStore
from kiemchung.pulse.topics import OUTLIER, TopicModel, seeded_sample
from kiemchung.pulse.trends import period_start

SENTIMENTS = ("NEG", "NEU", "POS")
#: Texts per topic whose words label it (segmentation is the cost; more adds little).
KEYWORD_TEXTS = 400
SNIPPET_CHARS = 240
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class PulseSettings:
    """How a run slices and protects its aggregates; every field is a CLI option."""

    period: str = "day"
    k: int = DEFAULT_K
    n_topics: int | None = None
    outlier_share: float = 0.1
    sample_size: int = 20_000
    seed: int = 0
    batch_size: int = 128
    near_duplicates: float = 0.8
    examples: int = 3


@dataclass
class StageTiming:
    stage: str
    seconds: float
    items: int

    def to_dict(self) -> dict[str, Any]:
        rate = self.items / self.seconds if self.seconds > 0 else None
        return {
            "stage": self.stage,
            "seconds": round(self.seconds, 3),
            "items": self.items,
            "per_second": round(rate, 1) if rate else None,
        }


@dataclass
class RunState:
    """What the stages hand each other (no author pseudonym outside the aggregators)."""

    posts: int = 0
    errors: int = 0
    kinds: Counter = field(default_factory=Counter)
    scored_now: int = 0
    #: First and last period any post falls in (dates, not people: never withheld).
    span: tuple[_dt.date, _dt.date] | None = None
    timings: list[StageTiming] = field(default_factory=list)


def _score_values(scores: dict) -> dict[str, float]:
    values = dict.fromkeys(SENTIMENTS, 0.0)
    values[scores["sentiment"]] = 1.0
    values["toxic"] = float(scores["toxicity"] != "CLEAN")
    values["checkworthy"] = float(scores["checkworthy"])
    values["personal_data"] = float(scores["personal_data"])
    return values


class PulseRun:
    """A run over one input file; ``run()`` returns the report as a dict."""

    def __init__(
        self,
        source: str | Path,
        out: str | Path,
        project: str | Path,
        mapping: ColumnMapping | None = None,
        engine: Any = None,
        settings: PulseSettings | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.source = Path(source)
        self.out = Path(out)
        self.project = Path(project)
        self.mapping = mapping or ColumnMapping()
        self.engine = engine or LocalEngine()
        self.settings = settings or PulseSettings()
        self.progress = progress or (lambda stage, n: None)
        self.state = RunState()
        period_start(_dt.date(2000, 1, 1), self.settings.period)  # refuse a bad period early

    # stage 1 ---------------------------------------------------------------------------------
    def read(self, spool: RunSpool, dedup: Deduplicator) -> None:
        authors = AuthorPseudonymizer.for_project(self.project)
        text_seq: dict[str, int] = {}
        with (self.out / "errors.jsonl").open("w", encoding="utf-8") as errors:
            for item in read_posts(self.source, self.mapping, authors):
                if isinstance(item, RowError):
                    self.state.errors += 1
                    errors.write(json.dumps(asdict(item), ensure_ascii=False) + "\n")
                    continue
                internal = f"p{self.state.posts}"  # input ids may repeat; this one cannot
                assignment = dedup.add(internal, item.text, item.author)
                if assignment.kind == "new":
                    text_seq[internal] = spool.add_text(item.text)
                spool.add_post(
                    text_seq[assignment.representative],
                    item.created_at,
                    item.author,
                    assignment.kind,
                )
                self.state.kinds[assignment.kind] += 1
                self.state.posts += 1
                if self.state.posts % 10_000 == 0:
                    spool.commit()
                    self.progress("read", self.state.posts)
        spool.commit()
        if not self.state.posts:
            raise InputError(f"{self.source}: no readable posts ({self.state.errors} bad rows)")

    # stage 2 ---------------------------------------------------------------------------------
    def score(self, spool: RunSpool, store: ScoreStore) -> None:
        keys_in_flight: deque[list[str]] = deque()

        def unscored() -> Iterator[list[str]]:
            seen: set[str] = set()
            for batch in spool.text_batches(self.settings.batch_size):
                missing = store.missing([key for _, key, _ in batch])
                todo = [(key, text) for _, key, text in batch if key in missing and key not in seen]
                seen.update(key for key, _ in todo)
                if todo:
                    keys_in_flight.append([key for key, _ in todo])
                    yield [text for _, text in todo]

        for scores, vectors in self.engine.map(score_batch, unscored()):
            store.put(keys_in_flight.popleft(), scores, vectors)
            self.state.scored_now += len(scores)
            self.progress("score", self.state.scored_now)

    # stage 3 ---------------------------------------------------------------------------------
    def topics(self, spool: RunSpool, store: ScoreStore) -> dict[str, Any]:
        settings = self.settings
        sample = seeded_sample(spool.texts, settings.sample_size, settings.seed).tolist()
        keys = spool.keys_at(sample)
        _, sample_vectors = store.get([keys[seq] for seq in sample])
        model = TopicModel(
            settings.n_topics, settings.sample_size, settings.outlier_share, settings.seed
        )
        model.fit(sample_vectors)
        nearest: dict[int, list[tuple[float, int]]] = {}
        keyword_seqs: dict[int, list[int]] = {}
        for batch in spool.text_batches(4096):
            scores, vectors = store.get([key for _, key, _ in batch])
            topics, similarity = model.assign(vectors)
            spool.set_results(
                (seq, int(t), s) for (seq, _, _), t, s in zip(batch, topics, scores, strict=True)
            )
            for (seq, _, _), topic, sim in zip(batch, topics, similarity, strict=True):
                if topic == OUTLIER:
                    continue
                heap = nearest.setdefault(int(topic), [])
                heapq.heappush(heap, (float(sim), -seq))
                if len(heap) > settings.examples:
                    heapq.heappop(heap)
                chosen = keyword_seqs.setdefault(int(topic), [])
                if len(chosen) < KEYWORD_TEXTS:
                    chosen.append(seq)
        texts = spool.texts_at(
            [s for seqs in keyword_seqs.values() for s in seqs]
            + [-neg for heap in nearest.values() for _, neg in heap]
        )
        labelled = [(topic, seq) for topic, seqs in keyword_seqs.items() for seq in seqs]
        terms = content_terms([texts[seq] for _, seq in labelled])
        model.describe([topic for topic, _ in labelled], terms)
        model.save(self.out / "model")
        examples = {
            topic: [_snippet(texts[-neg]) for _, neg in sorted(heap, reverse=True)]
            for topic, heap in nearest.items()
        }
        return {"model": model, "examples": examples}

    # stage 4 ---------------------------------------------------------------------------------
    def aggregate(self, spool: RunSpool) -> dict[str, KAnonymousAggregator]:
        tables = {
            name: KAnonymousAggregator(self.settings.k)
            for name in ("total", "topic", "period", "topic_period", "language")
        }
        for created_at, author, _kind, topic, scores in spool.posts_with_results():
            values = _score_values(scores)
            period = period_start(_dt.datetime.fromisoformat(created_at), self.settings.period)
            tables["total"].add("all", author, values)
            tables["topic"].add(topic, author, values)
            tables["period"].add(period, author, values)
            tables["topic_period"].add((topic, period), author, values)
            tables["language"].add(scores["language"], author)
            first, last = self.state.span or (period, period)
            self.state.span = (min(first, period), max(last, period))
        return tables

    # the whole run ---------------------------------------------------------------------------
    def _timed(self, stage: str, items: Callable[[], int], work: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = work()
        self.state.timings.append(StageTiming(stage, time.perf_counter() - started, items()))
        return result

    def run(self) -> dict[str, Any]:
        from kiemchung.pulse.report import build_report, write_report

        for folder, what in ((self.out, "the output folder"), (self.project, "the project folder")):
            writable_folder(folder, what)
        store = ScoreStore(self.project / "scores.sqlite", scores_version())
        spool = RunSpool(self.out / ".spool.sqlite")
        dedup = Deduplicator(threshold=self.settings.near_duplicates)
        try:
            self._timed("read", lambda: self.state.posts, lambda: self.read(spool, dedup))
            self._timed("score", lambda: self.state.scored_now, lambda: self.score(spool, store))
            found = self._timed("topics", lambda: spool.texts, lambda: self.topics(spool, store))
            tables = self._timed("aggregate", lambda: spool.posts, lambda: self.aggregate(spool))
            repeated = _repeated_texts(dedup, spool, self.settings.k)
        finally:
            spool.close()
            store.close()
        report = build_report(self, found, tables, repeated)
        write_report(report, tables, self.out)
        return report


def _snippet(text: str) -> str:
    """An example as reports may show it: personal data redacted, then shortened."""
    from kiemchung.guard.redact import redact

    clean = redact(" ".join(text.split()), mode="tag")
    return clean if len(clean) <= SNIPPET_CHARS else clean[: SNIPPET_CHARS - 1] + "…"


def _repeated_texts(dedup: Deduplicator, spool: RunSpool, k: int, top: int = 10) -> list[dict]:
    """The most repeated texts posted by at least ``k`` distinct authors (campaigns, copypasta),
    redacted; fewer authors and the text is not shown."""
    groups = [g for g in dedup.groups.values() if g.posts > 1 and len(g.authors) >= k]
    groups.sort(key=lambda g: (-g.posts, g.representative))
    out = []
    for group in groups[:top]:
        seq = int(group.representative[1:])  # "p<n>": the n-th post, the group's first
        text_seq = spool.text_seq_of_post(seq)
        text = spool.texts_at([text_seq])[text_seq]
        out.append({"text": _snippet(text), "posts": group.posts, "authors": len(group.authors)})
    return out
