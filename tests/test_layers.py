"""The runtime never imports the lab — trainers, evaluation and the dataset readers — nor torch,
which only training uses (the ``[train]`` extra).

The lab reproduces figures; the runtime serves users, and must install and run without the lab's
data, dependencies or code. The rule is checked on the source itself: every import statement of
every runtime module, at module level or inside a function. The CLI alone may reach the lab, and
only inside the functions behind ``kiemchung train`` and ``kiemchung eval``, so the lab loads when
asked for and never otherwise.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "kiemchung"
#: The lab, the package that only reproduces results, and torch, which only the lab uses.
LAB = ("kiemchung.lab", "torch")
#: Runtime modules allowed to import the lab lazily, inside a function.
LAZY_GATES = ("kiemchung.cli.main",)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def in_lab(name: str) -> bool:
    return any(name == lab or name.startswith(lab + ".") for lab in LAB)


def imported_names(tree: ast.AST, package: str) -> list[tuple[str, int, bool]]:
    """(module imported, line, inside a function) for every import in ``tree``."""
    found = []
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    nested = {id(inner) for f in functions for inner in ast.walk(f) if inner is not f}
    nested |= {id(f) for f in functions}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [(name, node.lineno, id(node) in nested) for name in names]
    return found


def violations(source: str, module: str, package: str) -> list[str]:
    """The lab imports ``source`` (the text of runtime module ``module``) makes, as messages."""
    out = []
    for name, line, in_function in imported_names(ast.parse(source), package):
        if in_lab(name) and not (module in LAZY_GATES and in_function):
            out.append(f"{module}:{line} imports {name}")
    return out


def runtime_modules() -> list[tuple[str, Path]]:
    modules = [(module_name(p), p) for p in sorted(PACKAGE.rglob("*.py"))]
    return [(name, path) for name, path in modules if not in_lab(name)]


def test_the_runtime_never_imports_the_lab() -> None:
    found = []
    for name, path in runtime_modules():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found += violations(path.read_text(encoding="utf-8"), name, package)
    assert found == []


@pytest.mark.parametrize(
    ("source", "module"),
    [
        (
            "from kiemchung.lab.evaluation.metrics import classification_metrics",
            "kiemchung.pipeline",
        ),
        ("import kiemchung.lab.datasets", "kiemchung.guard.engine"),
        ("from ..lab import datasets", "kiemchung.moderation.toxicity"),
        ("def f():\n    from kiemchung.lab.evaluation import registry", "kiemchung.verify.check"),
        ("from kiemchung.lab.evaluation.registry import run_evaluation", "kiemchung.cli.main"),
        ("import torch", "kiemchung.e5.pairs"),
        ("from torch import nn", "kiemchung.verify.verdict"),
    ],
)
def test_the_check_catches_a_runtime_module_importing_the_lab(source: str, module: str) -> None:
    package = module.rpartition(".")[0]
    assert violations(source, module, package)


def test_the_cli_may_import_the_lab_inside_a_function() -> None:
    source = "def evaluate():\n    from kiemchung.lab.evaluation.registry import run_evaluation\n"
    assert violations(source, "kiemchung.cli.main", "kiemchung.cli") == []


BLOCK_THE_LAB = """
import sys
from importlib.abc import MetaPathFinder

class NoLab(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "kiemchung.lab" or name.startswith("kiemchung.lab."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NoLab())
from kiemchung.cli import main
sys.argv = ["kiemchung", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("command", [["eval"], ["train"], ["eval", "guard"]])
def test_without_the_lab_train_and_eval_say_so_in_one_line(command: list[str]) -> None:
    """An install from the wheel has no lab: one line on stderr and exit 1, no traceback."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", BLOCK_THE_LAB, *command], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "clone of the kiemchung repository" in done.stderr
    assert "Traceback" not in done.stderr
