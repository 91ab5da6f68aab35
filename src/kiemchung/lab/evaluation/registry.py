"""Registry of evaluation tasks behind ``kiemchung eval <task> --model NAME --split dev|test``.

An evaluator is a function ``(model, split) -> EvalResult`` registered under a task name with the
models it knows. Built-in evaluators register when their module is imported; the registry imports
them on first lookup, so adding a task is adding a module to the registry's built-in list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from kiemchung.errors import InputError
from kiemchung.registry import Registry


@dataclass
class EvalResult:
    """One evaluation run: the wire format of ``kiemchung eval --json``."""

    task: str
    model: str
    split: str
    n: int
    metrics: dict[str, Any]
    anchors: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = {
            "task": self.task,
            "model": self.model,
            "split": self.split,
            "n": self.n,
            "metrics": self.metrics,
        }
        if self.anchors:
            data["anchors"] = self.anchors
        return data


EvaluatorFn = Callable[[str, str], EvalResult]


@dataclass(frozen=True)
class EvaluatorSpec:
    task: str
    description: str
    models: tuple[str, ...]
    splits: tuple[str, ...]
    run: EvaluatorFn

    @property
    def default_model(self) -> str:
        return self.models[0]


EVALUATORS: Registry[EvaluatorSpec] = Registry(
    "task",
    [
        "kiemchung.lab.evaluation.vihsd",
        "kiemchung.lab.evaluation.vihos",
        "kiemchung.lab.evaluation.criticism",
        "kiemchung.lab.evaluation.toxicity_challenge",
        "kiemchung.lab.evaluation.vispamreviews",
        "kiemchung.lab.evaluation.victsd",
        "kiemchung.lab.evaluation.guard",
        "kiemchung.lab.evaluation.vifactcheck_retrieval",
        "kiemchung.lab.evaluation.vifactcheck",
        "kiemchung.lab.evaluation.verdict_challenge",
        "kiemchung.lab.evaluation.scam",
        "kiemchung.lab.evaluation.checkworthiness",
        "kiemchung.lab.evaluation.claim_matching",
        "kiemchung.lab.evaluation.sentiment",
        "kiemchung.lab.evaluation.sentiment_challenge",
        "kiemchung.lab.evaluation.topics",
    ],
)


def register_evaluator(
    task: str, description: str, models: tuple[str, ...], splits: tuple[str, ...] = ("dev", "test")
) -> Callable[[EvaluatorFn], EvaluatorFn]:
    """Decorator: register ``fn(model, split)`` as the evaluator of ``task``."""

    def decorate(fn: EvaluatorFn) -> EvaluatorFn:
        EVALUATORS.register(task, EvaluatorSpec(task, description, models, splits, fn))
        return fn

    return decorate


def evaluators() -> dict[str, EvaluatorSpec]:
    return EVALUATORS.items()


def run_evaluation(task: str, model: str | None = None, split: str = "test") -> EvalResult:
    """Run the evaluator of ``task`` with ``model`` (default: the task's first model)."""
    spec = EVALUATORS.get(task)
    if split not in spec.splits:
        raise InputError(f"{task} has no split {split!r}; use one of {', '.join(spec.splits)}")
    return spec.run(model or spec.default_model, split)


Model = TypeVar("Model")


def shipped_or_artifact(
    task: str,
    model: str,
    shipped: Mapping[str, Callable[[], Model]],
    from_artifact: Callable[[str], Model],
) -> Model:
    """The shipped model named ``model``, else the artifact folder at that path (what ``kiemchung
    train`` wrote), else a clear error naming the choices."""
    if model in shipped:
        return shipped[model]()
    if Path(model).is_dir():
        return from_artifact(model)
    names = ", ".join(shipped)
    raise InputError(f"unknown model {model!r} for {task}; use {names} or an artifact folder")
