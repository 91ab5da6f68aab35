"""Loaders for the staged Vietnamese datasets, one typed record class per dataset shape.

The data lives outside the package (its terms mostly forbid redistribution): the folder named by
``KIEMCHUNG_DATA``, else ``../shared/data`` beside the repository. Each loader returns the
*official* splits exactly as published (``dev`` = the official validation split); sets without a
labelled test expose their unlabelled test with ``label=None``. A missing file is a
:class:`~kiemchung.errors.DataError` that names the path and the variable to set.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiemchung.errors import DataError
from kiemchung.moderation.spans import ToxicSpans

Span = tuple[int, int]


def repo_root() -> Path | None:
    """The source checkout this package runs from, if any (editable installs, tests)."""
    for parent in Path(__file__).resolve().parents:
        if (parent / "pyproject.toml").is_file():
            return parent
    return None


def data_dir() -> Path:
    """Where the datasets are: ``$KIEMCHUNG_DATA``, else ``../shared/data`` from the repo root."""
    env = os.environ.get("KIEMCHUNG_DATA")
    if env:
        return Path(env)
    root = repo_root() or Path.cwd()
    return (root / ".." / "shared" / "data").resolve()


# --------------------------------------------------------------------------- record types


@dataclass(frozen=True)
class LabeledText:
    """A text with one class label (ViHSD, VLSP 2019 HSD, AIVIVN 2019); None when unlabelled."""

    text: str
    label: int | None
    label_name: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class NewsComment:
    """ViCTSD: a news comment, constructive (0/1) and toxic (0/1), with its article and section,
    and its row id in the original release (what labels kept beside the data refer to)."""

    text: str
    constructive: int
    toxic: int
    article_title: str
    topic: str
    orig_index: int


@dataclass(frozen=True)
class TargetedHate:
    """ViTHSD: per target, 0 absent, 1 clean, 2 offensive, 3 hate."""

    text: str
    targets: dict[str, int]


@dataclass(frozen=True)
class FactCheckClaim:
    """ViFactCheck: a claim, its gold evidence, the article it came from, and the verdict."""

    index: int
    statement: str
    evidence: str
    context: str
    label: int
    label_name: str
    topic: str
    source: str
    url: str


@dataclass(frozen=True)
class ClaimPair:
    """A claim (or NLI hypothesis) and the text it is judged against, with a verdict —
    SUPPORTED, REFUTED or NOT_ENOUGH_INFO — and the group (its evidence text or premise) that
    splits must keep together."""

    claim: str
    evidence: str
    label_name: str
    group: str


@dataclass(frozen=True)
class EvidenceArticle:
    """One article of the ViFactCheck evidence corpus."""

    doc_id: str
    url: str
    source: str
    topic: str
    splits: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class StudentFeedback:
    """UIT-VSFC: sentiment 0 neg/1 neu/2 pos; topic 0 lecturer/1 program/2 facility/3 other."""

    text: str
    sentiment: int
    topic: int


@dataclass(frozen=True)
class AspectReview:
    """UIT-ViSFD: a phone review, its stars, and (aspect, polarity or None) pairs."""

    text: str
    stars: int | None
    date: str
    aspects: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class SpamReview:
    """ViSpamReviews: spam 0/1 and spam type 0 none / 1 fake / 2 brand-only / 3 irrelevant."""

    text: str
    rating: int | None
    label: int
    spam_type: int
    spam_type_name: str


@dataclass(frozen=True)
class NewsPost:
    """ReINTEL: a social post with engagement counts; label 0 reliable / 1 unreliable / None."""

    id: str
    text: str
    user_hash: str
    timestamp: int | None
    likes: int | None
    comments: int | None
    shares: int | None
    label: int | None


# --------------------------------------------------------------------------- parsing helpers


def _int(value: str | None) -> int | None:
    """An integer cell; empty or placeholder cells ("unknown") are missing values."""
    if value is None or not value.strip():
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _jsonl_rows(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _labeled(row: dict[str, str]) -> LabeledText:
    return LabeledText(row["text"], _int(row.get("label")), row.get("label_name"), row.get("id"))


def _aspects(raw: str) -> tuple[tuple[str, str | None], ...]:
    items = []
    for part in raw.split(";"):
        part = part.strip().strip("{}")
        if part:
            aspect, _, polarity = part.partition("#")
            items.append((aspect, polarity or None))
    return tuple(items)


#: NLI labels as verdicts: what the premise entails is SUPPORTED, what it contradicts REFUTED, and
#: what it neither entails nor contradicts NOT_ENOUGH_INFO.
_NLI_VERDICTS = {
    "entailment": "SUPPORTED",
    "contradiction": "REFUTED",
    "neutral": "NOT_ENOUGH_INFO",
    "SUPPORTED": "SUPPORTED",
    "REFUTED": "REFUTED",
    "NEI": "NOT_ENOUGH_INFO",
}


def _nli_pair(row: dict[str, str]) -> ClaimPair:
    label = row.get("label_name") or row["label"]
    return ClaimPair(row["hypothesis"], row["premise"], _NLI_VERDICTS[label], row["premise"])


_VITHSD_TARGETS = ("individual", "groups", "religion_creed", "race_ethnicity", "politics")

Parser = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class DatasetSpec:
    """Where a dataset's official splits are and how to read a row."""

    folder: str
    files: dict[str, str]
    parse: Parser
    description: str


DATASETS: dict[str, DatasetSpec] = {
    "vihsd": DatasetSpec(
        "vihsd",
        {"train": "train.csv", "dev": "dev.csv", "test": "test.csv"},
        _labeled,
        "hate/offensive speech: 0 CLEAN, 1 OFFENSIVE, 2 HATE",
    ),
    "vlsp2019_hsd": DatasetSpec(
        "vlsp2019_hsd",
        {"train": "train.csv", "test": "test_unlabeled.csv"},
        _labeled,
        "hate speech (VLSP 2019): 0 CLEAN, 1 OFFENSIVE, 2 HATE; test unlabelled",
    ),
    "vihos": DatasetSpec(
        "vihos",
        {"train": "train.jsonl", "dev": "dev.jsonl", "test": "test.jsonl"},
        lambda r: ToxicSpans(
            int(r["id"]),
            r["text"],
            tuple((int(a), int(b)) for a, b in r["spans"]),
            tuple(int(i) for i in r["span_char_indices"]),
        ),
        "hate/offensive spans (character offsets)",
    ),
    "victsd": DatasetSpec(
        "victsd",
        {"train": "train.csv", "dev": "dev.csv", "test": "test.csv"},
        lambda r: NewsComment(
            r["text"],
            int(r["constructiveness"]),
            int(r["toxicity"]),
            r["article_title"],
            r["topic"],
            int(r["orig_index"]),
        ),
        "constructive and toxic news comments",
    ),
    "vithsd": DatasetSpec(
        "vithsd",
        {"train": "train.csv", "dev": "dev.csv", "test": "test.csv"},
        lambda r: TargetedHate(r["text"], {t: int(r[t]) for t in _VITHSD_TARGETS}),
        "targeted hate: per target 0 absent, 1 clean, 2 offensive, 3 hate",
    ),
    "vifactcheck": DatasetSpec(
        "vifactcheck",
        {"dev": "dev.jsonl", "test": "test.jsonl"},
        lambda r: FactCheckClaim(
            int(r["index"]),
            r["statement"],
            r["evidence"],
            r["context"],
            int(r["label"]),
            r["label_name"],
            r["topic"],
            r["source"],
            r["url"],
        ),
        "claim verification: 0 SUPPORTED, 1 REFUTED, 2 NEI (train split not available)",
    ),
    "semviqa_claims": DatasetSpec(
        "semviqa_claims",
        {"all": "claims.csv"},
        lambda r: ClaimPair(r["claim"], r["context"], _NLI_VERDICTS[r["label"]], r["context"]),
        "LLM answers judged against an encyclopaedia passage: SUPPORTED, REFUTED, NEI "
        "(data terms unknown: research only)",
    ),
    "visnli": DatasetSpec(
        "visnli",
        {
            "train": "train.csv",
            "train_augmented": "train_augmented.csv",
            "dev": "dev.csv",
            "test": "test.csv",
        },
        _nli_pair,
        "Vietnamese NLI written by students, as verdicts (MIT)",
    ),
    "xnli_vi": DatasetSpec(
        "xnli_vi",
        {"dev": "dev.csv"},
        _nli_pair,
        "XNLI dev translated into Vietnamese, as verdicts (CC BY-NC 4.0)",
    ),
    "vifactcheck_corpus": DatasetSpec(
        "vifactcheck",
        {"all": "evidence_corpus.jsonl"},
        lambda r: EvidenceArticle(
            r["doc_id"], r["url"], r["source"], r["topic"], tuple(r["splits"]), r["text"]
        ),
        "the 894 news articles the ViFactCheck claims cite",
    ),
    "uit_vsfc": DatasetSpec(
        "uit_vsfc",
        {"train": "train.csv", "dev": "dev.csv", "test": "test.csv"},
        lambda r: StudentFeedback(r["text"], int(r["sentiment"]), int(r["topic"])),
        "student feedback sentiment and topic",
    ),
    "uit_visfd": DatasetSpec(
        "uit_visfd",
        {"train": "train.csv", "dev": "dev.csv", "test": "test.csv"},
        lambda r: AspectReview(
            r["text"], _int(r["n_star"]), r["date_time"], _aspects(r["aspect_labels"])
        ),
        "aspect-based sentiment of smartphone reviews",
    ),
    "aivivn2019_sa": DatasetSpec(
        "aivivn2019_sa",
        {
            "train": "train.csv",
            "test": "test_unlabeled.csv",
            "test_thirdparty": "test_thirdparty_labels.csv",
        },
        _labeled,
        "product review sentiment: 0 positive, 1 negative; third-party test labels",
    ),
    "vispamreviews": DatasetSpec(
        "vispamreviews",
        {"train": "train.csv", "dev": "dev.csv", "test": "test.csv"},
        lambda r: SpamReview(
            r["text"], _int(r["rating"]), int(r["label"]), int(r["spam_type"]), r["spam_type_name"]
        ),
        "spam reviews: binary and spam type",
    ),
    "reintel": DatasetSpec(
        "reintel",
        {"train": "train.csv", "test": "public_test_unlabeled.csv"},
        lambda r: NewsPost(
            r["id"],
            r["post_message"],
            r["user_name"],
            _int(r["timestamp_post"]),
            _int(r["num_like_post"]),
            _int(r["num_comment_post"]),
            _int(r["num_share_post"]),
            _int(r.get("label")),
        ),
        "reliability of social news posts: 0 reliable, 1 unreliable; test unlabelled",
    ),
}


def splits(name: str) -> list[str]:
    """The official splits of dataset ``name``."""
    return list(_spec(name).files)


def _spec(name: str) -> DatasetSpec:
    if name not in DATASETS:
        raise DataError(f"unknown dataset {name!r}; known: {', '.join(sorted(DATASETS))}")
    return DATASETS[name]


def dataset_path(name: str, split: str) -> Path:
    """The file that holds ``split`` of dataset ``name``."""
    spec = _spec(name)
    if split not in spec.files:
        raise DataError(f"{name} has no split {split!r}; its splits are {', '.join(spec.files)}")
    return data_dir() / spec.folder / spec.files[split]


def load(name: str, split: str) -> list[Any]:
    """Every record of one official split, typed by the dataset's record class."""
    spec = _spec(name)
    path = dataset_path(name, split)
    if not path.is_file():
        raise DataError(
            f"{name} {split} split not found at {path}; set KIEMCHUNG_DATA to the folder "
            "holding the staged datasets"
        )
    rows = _jsonl_rows(path) if path.suffix == ".jsonl" else _csv_rows(path)
    try:
        return [spec.parse(row) for row in rows]
    except (KeyError, ValueError, TypeError) as exc:
        raise DataError(f"{path} does not have the expected format ({exc!r})") from None
