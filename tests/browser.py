"""Debian's chromium for the browser tests, launched by Playwright (its own browser download
fails here). A missing browser skips the test, except under CI (``.ci/run`` installs it)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

#: Screenshots the browser tests keep (git-ignored).
ARTIFACTS = Path(__file__).parent / "artifacts"
#: Without the background-networking flags chromium keeps calling hosts this machine cannot reach.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium (see .ci/run)")
        pytest.skip("Debian's chromium is not installed")
    return found


def launch_chromium(playwright):
    """A headless chromium from a running ``sync_playwright()``."""
    ARTIFACTS.mkdir(exist_ok=True)
    return playwright.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_ARGS))
