"""A fingerprint of what every shipped model answers, so two checkouts can be compared bit for bit.

Each model's analyzer (or ``verify_pair`` for the verdict models) runs over fixed texts from the
datasets' dev splits, and the findings it returns — labels, scores, spans, reasons — are hashed
as JSON (floats written exactly). Two runs that print the same SHA-256 for a model gave the same
output on every text. Used to show that moving code (the lab out of the runtime, issue 26)
changed no model's behaviour::

    python benchmarks/model_outputs.py > after.json
    git worktree add /tmp/before <commit>
    python benchmarks/model_outputs.py --src /tmp/before/src > before.json
    diff before.json after.json

``--src`` imports kiemchung from another checkout's ``src``; the script itself uses only the
public API that every version since the verdict models has had, and reads the data files
directly, so it runs against old trees too.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import sys
from itertools import islice
from pathlib import Path
from typing import Any

#: Analyzer name -> the shipped models whose answers its findings carry.
ANALYZERS = {
    "moderation": "vihsd-toxicity-fast + vihos-span-lr",
    "moderation-accurate": "vihsd-toxicity-accurate + vihos-span-lr",
    "spam": "vispam-fast",
    "spam-accurate": "vispam-accurate",
    "sentiment": "sentiment-fast",
    "sentiment-accurate": "sentiment-accurate",
}


def data_dir() -> Path:
    """``$KIEMCHUNG_DATA``, else ``../shared/data`` beside the repo (as the lab reads it)."""
    env = os.environ.get("KIEMCHUNG_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"


def comments(n: int) -> list[str]:
    """The first ``n`` ViHSD dev comments, then as many ViSpamReviews dev reviews."""
    texts: list[str] = []
    for name in ("vihsd", "vispamreviews"):
        with (data_dir() / name / "dev.csv").open(encoding="utf-8", newline="") as handle:
            rows = csv.DictReader(handle)
            texts += [row["text"] for row in islice(rows, n)]
    return [text for text in texts if text.strip()]


def claim_pairs(n: int) -> list[dict[str, str]]:
    """The first ``n`` ViFactCheck dev records: statement, gold evidence and its article."""
    with (data_dir() / "vifactcheck" / "dev.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in islice(handle, n)]


def digest(outputs: list[Any]) -> str:
    return hashlib.sha256(json.dumps(outputs, ensure_ascii=False).encode()).hexdigest()


def fingerprints(n_texts: int, n_pairs: int) -> dict[str, dict[str, Any]]:
    import kiemchung
    from kiemchung.verify.verdict import (
        ARTIFACT_NAME,
        FAST_ARTIFACT_NAME,
        RETRIEVED_ARTIFACT_NAME,
    )

    texts = comments(n_texts)
    result: dict[str, dict[str, Any]] = {}
    for analyzer, models in ANALYZERS.items():
        outputs = [
            [finding.to_dict() for finding in kiemchung.analyze(text, [analyzer]).findings]
            for text in texts
        ]
        result[analyzer] = {"models": models, "texts": len(texts), "sha256": digest(outputs)}
    pairs = claim_pairs(n_pairs)
    models = ((ARTIFACT_NAME, False), (FAST_ARTIFACT_NAME, False), (RETRIEVED_ARTIFACT_NAME, True))
    for name, with_context in models:
        outputs = [
            kiemchung.verify_pair(
                pair["statement"],
                pair["evidence"],
                model_name=name,
                context=pair["context"] if with_context else None,
            ).to_dict()
            for pair in pairs
        ]
        result[f"verify_pair:{name}"] = {
            "models": name,
            "texts": len(pairs),
            "sha256": digest(outputs),
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, help="import kiemchung from this checkout's src")
    parser.add_argument("--texts", type=int, default=300, help="comments per dataset")
    parser.add_argument("--pairs", type=int, default=150, help="ViFactCheck dev pairs")
    args = parser.parse_args()
    if args.src:
        sys.path.insert(0, str(args.src.resolve()))
    report = fingerprints(args.texts, args.pairs)
    import kiemchung

    print(json.dumps({"kiemchung": str(Path(kiemchung.__file__).parent), **report}, indent=2))


if __name__ == "__main__":
    main()
