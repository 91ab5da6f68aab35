"""Training the top layers of e5-small and a head on cached bottom-layer states: seeded,
resumable, with a log that gives the rate and the time left.

A checkpoint (``checkpoint.npz``: the trained parameters, AdamW's moments, the step and the
random state) is written every ``checkpoint_every`` steps and at each epoch's end; a run started
again with the same folder continues from it, on the same batches it would have seen, so a hard
stop loses at most those steps. Checkpoints are npz, never pickle, like every artifact here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

from kiemchung.e5.weights import EncoderWeights
from kiemchung.lab.encoder.cache import StateCache
from kiemchung.lab.encoder.config import FineTuneConfig
from kiemchung.lab.encoder.torch_e5 import TopEncoder

CHECKPOINT = "checkpoint.npz"


def batches(lengths: np.ndarray, size: int, seed: int) -> list[np.ndarray]:
    """One epoch's batches: examples shuffled, then grouped with others of similar length (less
    padding), and the batches shuffled — the same for the same seed."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(lengths))
    pool = size * 50
    out: list[np.ndarray] = []
    for start in range(0, len(order), pool):
        chunk = order[start : start + pool]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        out += [chunk[i : i + size] for i in range(0, len(chunk), size)]
    return [out[i] for i in rng.permutation(len(out))]


def collate(cache: StateCache, rows: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    """Padded states [batch, tokens, hidden] and the mask of real tokens."""
    longest = int(cache.lengths[rows].max())
    x = np.zeros((len(rows), longest, cache.hidden), np.float32)
    mask = np.zeros((len(rows), longest), bool)
    for i, row in enumerate(rows):
        states = cache[int(row)]
        x[i, : len(states)] = states
        mask[i, : len(states)] = True
    return torch.from_numpy(x), torch.from_numpy(mask)


class FineTuner:
    """Fits a :class:`TopEncoder` on a :class:`StateCache` with labels; ``fit`` resumes."""

    def __init__(self, weights: EncoderWeights, config: FineTuneConfig, folder: Path) -> None:
        self.config = config
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        torch.manual_seed(config.seed)
        self.model = TopEncoder(weights, config.first, config.n_classes, config.dropout)
        head = list(self.model.head.parameters())
        body = [p for p in self.model.parameters() if all(p is not h for h in head)]
        self.optimizer = torch.optim.AdamW(
            [{"params": body, "lr": config.lr}, {"params": head, "lr": config.head_lr}],
            weight_decay=config.weight_decay,
        )
        self.step = 0

    # ------------------------------------------------------------------ checkpoints

    def _named_state(self) -> dict[str, np.ndarray]:
        arrays = {f"p/{k}": v.detach().numpy() for k, v in self.model.state_dict().items()}
        state = self.optimizer.state_dict()["state"]
        for index, moments in state.items():
            for key, value in moments.items():
                arrays[f"o/{index}/{key}"] = value.detach().numpy()
        arrays["step"] = np.array(self.step)
        arrays["torch_rng"] = torch.get_rng_state().numpy()
        return arrays

    def save_checkpoint(self) -> None:
        tmp = self.folder / (CHECKPOINT + ".tmp.npz")
        np.savez(tmp, **self._named_state())
        tmp.replace(self.folder / CHECKPOINT)

    def load_checkpoint(self) -> bool:
        path = self.folder / CHECKPOINT
        if not path.exists():
            return False
        with np.load(path, allow_pickle=False) as data:
            self.model.load_state_dict(
                {k[2:]: torch.from_numpy(data[k]) for k in data.files if k.startswith("p/")}
            )
            state: dict[int, dict[str, torch.Tensor]] = {}
            for key in (k for k in data.files if k.startswith("o/")):
                _, index, name = key.split("/")
                state.setdefault(int(index), {})[name] = torch.from_numpy(data[key].copy())
            full = self.optimizer.state_dict()
            full["state"] = state
            self.optimizer.load_state_dict(full)
            self.step = int(data["step"])
            torch.set_rng_state(torch.from_numpy(data["torch_rng"].copy()))
        return True

    # ------------------------------------------------------------------ training

    def _lr_scale(self, total: int) -> float:
        warm = max(int(total * self.config.warmup), 1)
        if self.step < warm:
            return (self.step + 1) / warm
        return max(0.0, (total - self.step) / max(total - warm, 1))

    def plan(self, cache: StateCache) -> list[np.ndarray]:
        """Every batch of the run, in order (epoch ``e`` shuffled with ``seed + e``)."""
        out: list[np.ndarray] = []
        for epoch in range(self.config.epochs):
            out += batches(cache.lengths, self.config.batch_size, self.config.seed + epoch)
        return out[: self.config.max_steps] if self.config.max_steps else out

    def fit(
        self,
        cache: StateCache,
        labels: Sequence[int],
        weights: Sequence[float] | None = None,
        log: Callable[[str], None] = print,
    ) -> TopEncoder:
        """Train (or go on training) over the cached states; returns the model."""
        y = torch.as_tensor(np.asarray(labels), dtype=torch.long)
        w = torch.as_tensor(np.ones(len(y)) if weights is None else np.asarray(weights))
        plan = self.plan(cache)
        if self.load_checkpoint():
            log(f"resumed at step {self.step} of {len(plan)}")
        bases = [group["lr"] for group in self.optimizer.param_groups]
        loss_fn = nn.CrossEntropyLoss(reduction="none")
        started, first_step, running = time.perf_counter(), self.step, 0.0
        self.model.train()
        while self.step < len(plan):
            rows = plan[self.step]
            x, mask = collate(cache, rows)
            scale = self._lr_scale(len(plan))
            for group, base in zip(self.optimizer.param_groups, bases, strict=True):
                group["lr"] = base * scale
            losses = loss_fn(self.model(x, mask), y[rows])
            batch_weights = w[rows].to(losses.dtype)
            loss = (losses * batch_weights).sum() / batch_weights.sum()
            self.optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
            self.optimizer.step()
            for group, base in zip(self.optimizer.param_groups, bases, strict=True):
                group["lr"] = base
            self.step += 1
            value = loss.item()
            running = 0.98 * running + 0.02 * value if running else value
            if self.step % self.config.checkpoint_every == 0 or self.step == len(plan):
                self.save_checkpoint()
                rate = (self.step - first_step) / (time.perf_counter() - started)
                left = (len(plan) - self.step) / max(rate, 1e-9)
                log(
                    f"step {self.step}/{len(plan)} loss {running:.4f} "
                    f"{rate * self.config.batch_size:.1f} examples/s, {left / 60:.1f} min left"
                )
        self.model.eval()
        return self.model


def predict_proba(model: TopEncoder, cache: StateCache, batch_size: int = 32) -> np.ndarray:
    """Class probabilities for every cached example, in order."""
    model.eval()
    out = []
    order = np.arange(len(cache))
    with torch.no_grad():
        for start in range(0, len(order), batch_size):
            x, mask = collate(cache, order[start : start + batch_size])
            out.append(model(x, mask).softmax(-1).numpy())
    return np.vstack(out) if out else np.zeros((0, model.head.out_features))
