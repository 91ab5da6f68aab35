"""The built wheel ships the runtime and nothing of the lab.

Trainers, evaluation code and the data only they read stay in the repository: a user installing
kiemchung gets what serves users. The wheel is built the way a release builds it (``python -m
build``: an sdist, then the wheel from that sdist, each in an isolated environment) and its file
list checked.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

#: Files only the lab reads (evaluation sets, training labels).
LAB_DATA = (
    "guard_eval.jsonl",
    "guard_handwritten.jsonl",
    "guard_challenge.jsonl",
    "victsd_policy_labels.jsonl",
    "criticism_clean.jsonl",
    "news_insults.jsonl",
    "scam_synthetic.jsonl",
    "checkworthiness.jsonl",
    "claim_matching.jsonl",
)


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    [wheel] = list(Path(out).glob("kiemchung-*.whl"))
    return zipfile.ZipFile(wheel).namelist()


def test_the_wheel_holds_no_lab_code_and_no_lab_data(wheel_files: list[str]) -> None:
    assert not [f for f in wheel_files if f.startswith("kiemchung/lab/")]
    assert not [f for f in wheel_files if f.endswith("_training.py") or "/evaluation/" in f]
    assert not [f for f in wheel_files if f.rpartition("/")[2] in LAB_DATA]
    assert not [f for f in wheel_files if f.rpartition("/")[2] == "datasets.py"]


def test_the_wheel_holds_what_serves_users(wheel_files: list[str]) -> None:
    for needed in (
        "kiemchung/cli/main.py",
        "kiemchung/guard/recognizers/cues.py",
        "kiemchung/guard/data/public_figures.txt",
        "kiemchung/verify/data/vifactcheck_evidence.jsonl",
        "kiemchung/moderation/artifacts/vihsd-toxicity-fast/manifest.json",
        "kiemchung/web/index.html",
    ):
        assert needed in wheel_files, needed
