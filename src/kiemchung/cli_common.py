"""What every ``kiemchung`` sub-command shares: the console, ``--json``, and error handling."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from typer.exceptions import TyperException

from kiemchung.errors import KiemchungError

out = Console()

F = TypeVar("F", bound=Callable[..., Any])
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON object instead of a table.")
]


def _fail(message: str) -> None:
    """One line on stderr, never wrapped, so scripts can grep it."""
    sys.stderr.write(message.replace("\n", " ") + "\n")
    raise typer.Exit(1)


def handles_errors(fn: F) -> F:
    """Turn failures into one line on stderr and exit code 1 (tracebacks with --debug).

    Commands take the Typer context first; the root callback stores ``--debug`` in it.
    """

    @functools.wraps(fn)
    def wrapper(ctx: typer.Context, *args: Any, **kwargs: Any) -> Any:
        debug = bool((ctx.find_root().obj or {}).get("debug"))
        try:
            return fn(ctx, *args, **kwargs)
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except KiemchungError as exc:
            if debug:
                raise
            _fail(f"error: {exc}")
        except Exception as exc:
            if debug:
                raise
            _fail(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)")

    return wrapper  # type: ignore[return-value]


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def print_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """A titled Rich table of ``rows`` under ``columns`` on the console."""
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    out.print(table)
