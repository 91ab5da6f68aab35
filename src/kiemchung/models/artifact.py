"""Model artifacts on disk: arrays in ``.npz``, structure in ``.json``, and a ``manifest.json``.

Pickle is never read: it executes code on load, so a shipped or downloaded model file could run
anything. Arrays load with ``allow_pickle=False`` and the loader refuses any pickle-family file in
an artifact folder. The manifest records what a reader needs to trust and reproduce the model: the
training data files with their sha256, the parameters, the metrics measured at training time, and
a sha256 of every file, checked on load.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from kiemchung.errors import ModelError

MANIFEST = "manifest.json"
ARRAYS = "arrays.npz"
#: Extensions of formats that can execute code when loaded.
UNSAFE_SUFFIXES = frozenset({".pkl", ".pickle", ".joblib", ".pt", ".pth", ".ckpt", ".sav", ".dill"})


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_data_file(path: str | Path, rows: int | None = None) -> dict[str, Any]:
    """A manifest entry for a training data file: name, sha256 and (optionally) rows used."""
    path = Path(path)
    entry: dict[str, Any] = {"file": f"{path.parent.name}/{path.name}", "sha256": sha256_file(path)}
    if rows is not None:
        entry["rows"] = rows
    return entry


@dataclass
class Artifact:
    """A loaded (or to-be-saved) model: manifest fields plus named arrays and JSON documents."""

    name: str
    version: str
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    documents: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    training_data: list[dict[str, Any]] = field(default_factory=list)
    created_at: str = ""

    def save(self, directory: str | Path) -> Path:
        """Write the artifact folder; returns the manifest path."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        files: dict[str, str] = {}
        if self.arrays:
            np.savez_compressed(directory / ARRAYS, **self.arrays)
            files[ARRAYS] = sha256_file(directory / ARRAYS)
        for doc_name, content in self.documents.items():
            path = directory / f"{doc_name}.json"
            path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
            files[path.name] = sha256_file(path)
        self.created_at = self.created_at or datetime.now(UTC).isoformat(timespec="seconds")
        manifest = {
            "name": self.name,
            "version": self.version,
            "created_at": self.created_at,
            "training_data": self.training_data,
            "params": self.params,
            "metrics": self.metrics,
            "files": files,
        }
        path = directory / MANIFEST
        path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        return path

    @classmethod
    def load(cls, directory: str | Path) -> Artifact:
        """Load and verify an artifact folder; raises :class:`ModelError` on anything unsafe."""
        directory = Path(directory)
        manifest_path = directory / MANIFEST
        if not manifest_path.is_file():
            raise ModelError(f"{directory} is not a model artifact (no {MANIFEST}); train it first")
        unsafe = sorted(p.name for p in directory.iterdir() if p.suffix.lower() in UNSAFE_SUFFIXES)
        if unsafe:
            raise ModelError(f"refusing to load {directory}: pickle-family files {unsafe}")
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            files: dict[str, str] = manifest["files"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"{manifest_path} is not a valid manifest: {exc}") from None
        for name, expected in files.items():
            path = directory / name
            if not path.is_file():
                raise ModelError(f"{directory}: {name} listed in the manifest is missing")
            if sha256_file(path) != expected:
                raise ModelError(f"{directory}: {name} does not match its sha256 in the manifest")
        arrays: dict[str, np.ndarray] = {}
        if ARRAYS in files:
            try:
                with np.load(directory / ARRAYS, allow_pickle=False) as data:
                    arrays = {key: data[key] for key in data.files}
            except ValueError as exc:
                raise ModelError(f"refusing {directory / ARRAYS}: {exc}") from None
        documents = {
            name[: -len(".json")]: json.loads((directory / name).read_text(encoding="utf-8"))
            for name in files
            if name.endswith(".json")
        }
        return cls(
            name=manifest["name"],
            version=manifest["version"],
            arrays=arrays,
            documents=documents,
            params=manifest.get("params", {}),
            metrics=manifest.get("metrics", {}),
            training_data=manifest.get("training_data", []),
            created_at=manifest.get("created_at", ""),
        )
