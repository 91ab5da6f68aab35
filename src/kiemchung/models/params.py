"""scikit-learn's parameter contract: configuration is exactly the constructor's arguments."""

from __future__ import annotations

import inspect
from typing import Any


class Configurable:
    """``get_params()`` reads the constructor's signature, so it can never drift from it.

    Subclasses store every ``__init__`` argument unchanged under the same name (as scikit-learn
    estimators do); the result is what an artifact's manifest records as ``params``.
    """

    def get_params(self) -> dict[str, Any]:
        names = inspect.signature(type(self).__init__).parameters
        return {name: getattr(self, name) for name in names if name != "self"}
