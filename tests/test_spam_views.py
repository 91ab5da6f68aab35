"""The accurate spam model's neighbour and binary views: votes, out-of-fold training features,
the artifact round trip, refusals, and the shipped model."""

from __future__ import annotations

import numpy as np
import pytest

from kiemchung.errors import InputError, ModelError
from kiemchung.lab import datasets
from kiemchung.models.artifact import Artifact
from kiemchung.moderation import spam_views
from kiemchung.moderation.models import load_calibrated, shipped_spam_model
from kiemchung.moderation.spam_views import NeighbourStackedClassifier, neighbour_votes

REVIEWS = [
    "áo đẹp vải mát giao nhanh",
    "giày vừa chân đi êm",
    "shop tư vấn nhiệt tình",
    "inbox zalo nhận mã giảm giá",
    "kết bạn để nhận quà tặng",
    "sản phẩm tốt đóng gói cẩn thận",
    "theo dõi shop nhận voucher",
    "hàng y hình chất lượng",
] * 5
LABELS = [0, 0, 2, 3, 3, 0, 1, 0] * 5


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _embeddings(seed: int = 0) -> np.ndarray:
    """One vector per distinct review (near its label's centre); copies of a review share it."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(4, 16))
    distinct = _unit(centres[LABELS[:8]] + 0.3 * rng.normal(size=(8, 16)))
    return distinct[np.arange(len(REVIEWS)) % 8]


def test_votes_count_the_nearest_labels_and_blocks_do_not_change_them(monkeypatch) -> None:
    memory = _unit(np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]]))
    labels = np.array([0, 0, 3, 3])
    queries = _unit(np.array([[1.0, 0.05], [0.05, 1.0], [0.7, 0.7]]))
    votes = neighbour_votes(queries, memory, labels, k=2, n_labels=4)
    assert votes[0].tolist()[:4] == [1.0, 0.0, 0.0, 0.0]
    assert votes[1].tolist()[:4] == [0.0, 0.0, 0.0, 1.0]
    assert np.all(votes[:, 4] <= 1.0 + 1e-6) and votes[0, 4] > votes[2, 4]
    monkeypatch.setattr(spam_views, "_BLOCK", 1)
    assert np.allclose(neighbour_votes(queries, memory, labels, 2, 4), votes)
    # Asking for more neighbours than there are reviews reads them all.
    assert np.allclose(neighbour_votes(queries, memory, labels, 10, 4)[:, :4].sum(axis=1), 1.0)


def test_a_training_review_never_votes_for_itself() -> None:
    """Out of fold: a review's neighbours come from folds without it, and the copies of a review
    share one fold, so no training review meets its own vector (similarity 1.0)."""
    model = NeighbourStackedClassifier(n_folds=2, embed_C=1.0)
    model.n_labels_ = 4
    views = model._training_views(REVIEWS, np.array(LABELS), _embeddings())
    assert views.shape == (len(REVIEWS), 6)
    assert np.all(views[:, 4] < 0.999)
    # Read against all the training reviews instead, each review would find itself.
    emb = _embeddings()
    assert np.all(neighbour_votes(emb, emb, np.array(LABELS), 3, 4)[:, 4] > 0.999)


def test_the_model_round_trips_and_refuses_what_it_cannot_read(tmp_path) -> None:
    emb = _embeddings()
    model = NeighbourStackedClassifier(n_folds=2, embed_C=1.0, k_neighbours=3)
    model.fit(REVIEWS, LABELS, emb)
    assert len(model.memory_) == len(REVIEWS)
    model.to_artifact("tiny-spam", "1").save(tmp_path / "tiny")
    assert Artifact.load(tmp_path / "tiny").arrays["memory"].dtype == np.float16
    again = load_calibrated(tmp_path / "tiny")
    assert isinstance(again, NeighbourStackedClassifier) and again.k_neighbours == 3
    assert np.allclose(
        again.predict_proba(REVIEWS[:8], emb[:8]), model.predict_proba(REVIEWS[:8], emb[:8])
    )
    assert again.predict_proba([], np.zeros((0, 16))).shape == (0, 4)
    with pytest.raises(InputError, match="embeddings"):
        again.predict_proba(REVIEWS[:8])
    with pytest.raises(InputError, match="embeddings"):
        NeighbourStackedClassifier(n_folds=2).fit(REVIEWS, LABELS)
    broken = Artifact.load(tmp_path / "tiny")
    del broken.arrays["memory"]
    with pytest.raises(ModelError, match="complete"):
        NeighbourStackedClassifier.from_artifact(broken)


def test_shipped_accurate_model_reads_its_neighbours() -> None:
    """Reviews pasted from the training data find themselves (best similarity ~1), and the
    neighbours' vote moves the decision the right way: told that every neighbour is NO-SPAM,
    the model believes less that these spam reviews are spam."""
    import copy

    from kiemchung.moderation.toxicity import embedding_features, toxicity_embedder

    model = shipped_spam_model("accurate")
    assert isinstance(model, NeighbourStackedClassifier)
    spam = [r.text for r in datasets.load("vispamreviews", "train") if r.spam_type == 3][:6]
    emb = embedding_features(spam, toxicity_embedder())
    votes = neighbour_votes(emb, model.memory_, model.memory_labels_, model.k_neighbours, 4)
    assert np.all(votes[:, 4] > 0.99) and np.all(votes[:, 3] > 0)
    misled = copy.copy(model)
    misled.memory_labels_ = np.zeros_like(model.memory_labels_)
    honest_clean = model.predict_proba(spam, emb)[:, 0]
    misled_clean = misled.predict_proba(spam, emb)[:, 0]
    assert np.all(misled_clean > honest_clean)
    assert (model.predict_from_proba(model.predict_proba(spam, emb)) > 0).mean() >= 0.8
