"""The ``kiemchung`` command: one module per command group.

``main`` holds the root app and the single commands (analyze, guard, check, verify, eval, train,
demo); ``kb``, ``pulse`` and ``serve`` their groups; ``common`` the error handling, output and
options they share.
"""

from kiemchung.cli.main import app, main

__all__ = ["app", "main"]
