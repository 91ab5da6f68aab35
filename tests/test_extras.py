"""The core installs alone and runs; each optional part names the extra it needs in one line."""

from __future__ import annotations

import subprocess
import venv
from pathlib import Path

import pytest

from conftest import ROOT
from kiemchung.errors import InputError
from kiemchung.extras import require


def test_require_names_the_extra_or_returns_the_module() -> None:
    assert require("json", "server", "x").dumps([]) == "[]"
    with pytest.raises(InputError, match=r"pip install 'kiemchung\[pulse\]'"):
        require("no_such_module_for_kiemchung", "pulse", "reading Parquet")


@pytest.fixture(scope="module")
def core_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with `pip install .` and no extra."""
    env = tmp_path_factory.mktemp("core-only")
    venv.EnvBuilder(with_pip=True).create(env)
    subprocess.run(
        [env / "bin" / "python", "-m", "pip", "install", "--quiet", str(ROOT)],
        check=True,
        capture_output=True,
        timeout=900,
    )
    return env / "bin" / "kiemchung"


def run(
    kiemchung: Path, *args: str, tmp_path: Path, stdin: str = ""
) -> subprocess.CompletedProcess:
    env = {
        "PATH": str(kiemchung.parent),
        "HOME": str(tmp_path),
        "KIEMCHUNG_CACHE_DIR": str(tmp_path),
    }
    return subprocess.run(
        [str(kiemchung), *args], input=stdin, capture_output=True, text=True, env=env, timeout=600
    )


def test_the_core_alone_analyzes_guards_and_checks(core_only: Path, tmp_path: Path) -> None:
    analyzed = run(core_only, "analyze", "Mày ngu thế, SĐT 0912345678", "--json", tmp_path=tmp_path)
    assert analyzed.returncode == 0, analyzed.stderr
    assert "PHONE" in analyzed.stdout
    guarded = run(
        core_only, "guard", "-", "--redact", "tag", tmp_path=tmp_path, stdin="CCCD 001203004567"
    )
    assert guarded.stdout.strip() == "CCCD <VN_CITIZEN_ID>"
    checked = run(
        core_only,
        "check",
        "Năm 2022 Việt Nam xuất khẩu 7,1 triệu tấn gạo",
        "--json",
        tmp_path=tmp_path,
    )
    assert checked.returncode == 0, checked.stderr
    assert '"analyzer": "verdict"' in checked.stdout


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (("serve", "--no-auth"), "server"),
        (("verify", "Giá xăng tăng", "-e", "Giá xăng giảm 500 đồng"), "e5"),
        (("eval",), None),
    ],
)
def test_a_missing_extra_is_one_line_naming_it(
    core_only: Path, tmp_path: Path, args: tuple[str, ...], extra: str | None
) -> None:
    done = run(core_only, *args, tmp_path=tmp_path)
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert (f"kiemchung[{extra}]" if extra else "clone of the kiemchung repository") in done.stderr
