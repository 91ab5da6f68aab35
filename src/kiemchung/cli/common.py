"""What every ``kiemchung`` sub-command shares: the console, ``--json``, and error handling."""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from typer.exceptions import TyperException

from kiemchung.errors import InputError, KiemchungError, out_of_room

#: C0 and C1 control characters other than tab and newline, and DEL: shown, never obeyed.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def without_controls(text: str) -> str:
    """``text`` with each control character shown as its code (``\\x1b``): stored text may hold an
    escape sequence that would retitle, recolour or hyperlink the user's terminal."""
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class TextConsole(Console):
    """A console that prints what users stored as text. Its default reads no Rich markup and no
    emoji codes, so a title like ``[/] tiêu đề`` or ``[link=…]`` prints as typed (a caller that
    wants markup passes ``markup=True`` and escapes what it did not write); control characters
    are shown, not obeyed. Table cells go through :meth:`render_str` too."""

    def render_str(self, text: str, **kwargs: Any):  # type: ignore[override]
        return super().render_str(without_controls(text), **kwargs)


out = TextConsole(markup=False, emoji=False)

F = TypeVar("F", bound=Callable[..., Any])
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON object instead of a table.")
]
FileOption = Annotated[
    Path | None,
    typer.Option(
        "--file",
        "-f",
        help="Read the text from this UTF-8 file (an .html or .htm file: its visible text).",
    ),
]
HTML_SUFFIXES = (".html", ".htm")


def text_or_file(text: str | None, file: Path | None) -> str:
    """The text a command works on: its TEXT argument, standard input for ``-``, or ``--file``.

    Exactly one of the two must be given, so a file name is never silently taken for the text.
    A saved web page is read as what its reader sees: scripts and markup are not words to score
    or claims to check (``alert(1)`` once reached the verdict as "the claim's figure 1")."""
    from kiemchung.text.html import visible_text
    from kiemchung.text.inputs import read_text

    if (text is None) == (file is None):
        raise typer.BadParameter("give a TEXT argument (or - for stdin) or --file, not both")
    if file is None:
        return read_text(None) if text == "-" else str(text)
    content = read_text(file)
    return visible_text(content)[0] if file.suffix.lower() in HTML_SUFFIXES else content


@contextmanager
def needs_the_lab() -> Iterator[None]:
    """Around the lab's imports in ``train`` and ``eval``: an install from the wheel has no lab,
    and then the user gets one line saying where it is, not a traceback."""
    try:
        yield
    except ModuleNotFoundError as exc:
        if exc.name is None or not exc.name.startswith("kiemchung.lab"):
            raise
        raise InputError(
            "training and evaluation need the lab, which is not installed: it ships only with a "
            "clone of the kiemchung repository (run `pip install -e '.[dev]'` there)"
        ) from None


def _fail(message: str) -> None:
    """One line on stderr, never wrapped, so scripts can grep it."""
    sys.stderr.write(message.replace("\n", " ") + "\n")
    raise typer.Exit(1)


def _user_message(exc: Exception) -> str:
    """Our errors say what to do; the operating system's say what failed, and on which path."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return str(exc)


def handles_errors(fn: F) -> F:
    """Turn failures into one line on stderr and exit code 1 (tracebacks with --debug): our own
    errors and the operating system's (a folder given for a file, a missing parent, no permission)
    as ``error: …``, and a write that found no room (a full disk) as the error that says so;
    anything else as ``internal error: …``.

    Commands take the Typer context first; the root callback stores ``--debug`` in it.
    """

    @functools.wraps(fn)
    def wrapper(ctx: typer.Context, *args: Any, **kwargs: Any) -> Any:
        debug = bool((ctx.find_root().obj or {}).get("debug"))
        try:
            return fn(ctx, *args, **kwargs)
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except Exception as exc:
            if debug:
                raise
            known = out_of_room(exc) or (exc if isinstance(exc, KiemchungError | OSError) else None)
            if known is None:
                detail = f"{type(exc).__name__}: {exc}"
                _fail(f"internal error: {detail} (rerun with --debug for details)")
            _fail(f"error: {_user_message(known)}")  # OSError: a path the user gave

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
