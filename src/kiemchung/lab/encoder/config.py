"""What a fine-tuning run trains and how, apart from the trainer so that it can be named without
importing torch (``kiemchung train`` lists every trainer without the ``[train]`` extra)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FineTuneConfig:
    """What a run trains and how. ``first`` is the lowest trained layer (the layers below it are
    frozen and cached); ``epochs`` may be fractional only through ``max_steps``."""

    first: int = 8
    n_classes: int = 3
    epochs: int = 2
    batch_size: int = 16
    lr: float = 5e-5
    head_lr: float = 1e-3
    weight_decay: float = 0.01
    warmup: float = 0.06
    dropout: float = 0.1
    seed: int = 13
    checkpoint_every: int = 200
    max_steps: int | None = None
