"""Registry of training tasks behind ``kiemchung train <task>``.

A trainer is a function ``(out_dir) -> Path`` that fits a model with fixed seeds, measures it on the
dev split, and writes an artifact folder whose manifest records data hashes, params and metrics —
so every shipped model file can be rebuilt by one command.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiemchung.errors import InputError

BUILTIN_MODULES = ("kiemchung.models.hate_speech_baseline",)

TrainerFn = Callable[[Path], Path]


@dataclass(frozen=True)
class TrainerSpec:
    task: str
    description: str
    run: TrainerFn


_TRAINERS: dict[str, TrainerSpec] = {}


def register_trainer(task: str, description: str) -> Callable[[TrainerFn], TrainerFn]:
    """Decorator: register ``fn(out_dir) -> artifact_dir`` as the trainer of ``task``."""

    def decorate(fn: TrainerFn) -> TrainerFn:
        _TRAINERS[task] = TrainerSpec(task, description, fn)
        return fn

    return decorate


def trainers() -> dict[str, TrainerSpec]:
    for module in BUILTIN_MODULES:
        importlib.import_module(module)
    return dict(_TRAINERS)


def train(task: str, out_dir: str | Path) -> Path:
    """Train ``task`` into ``out_dir``; returns the artifact folder."""
    known = trainers()
    if task not in known:
        raise InputError(f"unknown training task {task!r}; available: {', '.join(sorted(known))}")
    return known[task].run(Path(out_dir))
