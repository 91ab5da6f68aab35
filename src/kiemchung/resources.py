"""Data files shipped inside the package, under each package's ``data/`` folder.

Both sides read them: the runtime its demo knowledge base and reviews, the lab its evaluation
sets and training labels. So this lives beside the runtime, which the lab may import and never
the reverse.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path


def packaged_path(package: str, name: str) -> Path:
    """Where ``package``'s ``data/name`` lives on disk."""
    return Path(str(files(package) / "data" / name))


def packaged_jsonl(package: str, name: str) -> list[dict]:
    """The rows of ``package``'s ``data/name`` JSON Lines file (blank lines skipped)."""
    lines = packaged_path(package, name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line]
