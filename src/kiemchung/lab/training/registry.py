"""Registry of training tasks behind ``kiemchung train <task>``.

A trainer is a function ``(out_dir) -> Path`` that fits a model with fixed seeds, measures it on the
dev split, and writes an artifact folder whose manifest records data hashes, params and metrics —
so every shipped model file can be rebuilt by one command.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiemchung.registry import Registry

TrainerFn = Callable[[Path], Path]


@dataclass(frozen=True)
class TrainerSpec:
    task: str
    description: str
    run: TrainerFn


TRAINERS: Registry[TrainerSpec] = Registry(
    "training task",
    [
        "kiemchung.lab.training.hate_speech_baseline",
        "kiemchung.lab.training.spans",
        "kiemchung.lab.training.toxicity",
        "kiemchung.lab.training.spam",
        "kiemchung.lab.training.verdict",
        "kiemchung.lab.training.verdict_encoder",
        "kiemchung.lab.training.verdict_stack",
        "kiemchung.lab.training.sentiment",
    ],
)


def register_trainer(task: str, description: str) -> Callable[[TrainerFn], TrainerFn]:
    """Decorator: register ``fn(out_dir) -> artifact_dir`` as the trainer of ``task``."""

    def decorate(fn: TrainerFn) -> TrainerFn:
        TRAINERS.register(task, TrainerSpec(task, description, fn))
        return fn

    return decorate


@dataclass(frozen=True)
class Mode:
    """One shipped mode of a model: its artifact name and version, the embedding head's C (None
    for no embeddings) and the description ``kiemchung train`` lists."""

    name: str
    version: str
    embed_C: float | None
    description: str


def register_modes(
    task: str, fit: Callable[[Path, str, str, float | None], Path], fast: Mode, accurate: Mode
) -> None:
    """Register ``task`` (the fast mode) and ``task-accurate`` over one ``fit(out_dir, name,
    version, embed_C)``, as moderation's toxicity and spam models both do."""
    for suffix, mode in (("", fast), ("-accurate", accurate)):
        TRAINERS.register(
            task + suffix,
            TrainerSpec(
                task + suffix,
                mode.description,
                lambda out, mode=mode: fit(out, mode.name, mode.version, mode.embed_C),
            ),
        )


def trainers() -> dict[str, TrainerSpec]:
    return TRAINERS.items()


def train(task: str, out_dir: str | Path) -> Path:
    """Train ``task`` into ``out_dir``; returns the artifact folder."""
    return TRAINERS.get(task).run(Path(out_dir))
