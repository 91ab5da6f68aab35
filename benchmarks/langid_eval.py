"""Language identification on the 200-item labelled fixture, with plain py3langid side by side.

    python benchmarks/langid_eval.py [--json]

The fixture (tests/fixtures/langid.jsonl) holds Vietnamese with and without diacritics, English,
code-mixed Vietnamese-English posts (labelled by their matrix language, vi) and other languages.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from kiemchung.text.langid import _identifier, detect

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "langid.jsonl"


def plain_py3langid(text: str) -> str:
    code, _ = _identifier().classify(text)
    return code if code in ("vi", "en") else "other"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = [json.loads(line) for line in FIXTURE.open(encoding="utf-8")]
    totals = Counter(r["kind"] for r in rows)
    systems = {"kiemchung": lambda t: detect(t).lang, "anchor: py3langid": plain_py3langid}
    result = {"fixture": "tests/fixtures/langid.jsonl", "n": len(rows), "systems": {}}
    for name, predict in systems.items():
        correct = Counter(r["kind"] for r in rows if predict(r["text"]) == r["lang"])
        result["systems"][name] = {
            "accuracy": round(sum(correct.values()) / len(rows), 4),
            "per_kind": {k: round(correct[k] / totals[k], 4) for k in sorted(totals)},
        }
    if args.json:
        print(json.dumps(result))
        return
    kinds = sorted(totals)
    print(f"language id on {len(rows)} items: " + ", ".join(f"{k} {totals[k]}" for k in kinds))
    print(f"  {'system':<20}{'accuracy':>10}" + "".join(f"{k:>11}" for k in kinds))
    for name, figures in result["systems"].items():
        cells = "".join(f"{figures['per_kind'][k]:>11.3f}" for k in kinds)
        print(f"  {name:<20}{figures['accuracy']:>10.3f}{cells}")


if __name__ == "__main__":
    main()
