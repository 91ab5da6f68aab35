"""Named registries, spaCy-style: analyzers, evaluators and trainers are all found by name here.

A registry holds what was registered in this process, plus (optionally) what installed packages
declare in an entry-point group, plus kiemchung's own built-in modules, imported on first lookup
so that registering is a side effect of importing the module that defines the thing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from importlib.metadata import EntryPoint, entry_points
from typing import Generic, TypeVar, cast

from kiemchung.errors import InputError

T = TypeVar("T")


class Registry(Generic[T]):
    """Things of one ``kind`` by name.

    ``builtin_modules`` are imported before the first lookup. With ``entry_point_group``, every
    entry point of that group is offered too; it is loaded only when asked for by name, so
    listing names never imports a plugin. Things registered in-process win over entry points.
    """

    def __init__(
        self,
        kind: str,
        builtin_modules: Iterable[str] = (),
        entry_point_group: str | None = None,
    ) -> None:
        self.kind = kind
        self.builtin_modules = tuple(builtin_modules)
        self.entry_point_group = entry_point_group
        self._items: dict[str, T] = {}
        self._installed: dict[str, EntryPoint] | None = None
        self._listeners: list[Callable[[], None]] = []

    def register(self, name: str, item: T) -> T:
        self._items[name] = item
        for listener in self._listeners:
            listener()
        return item

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` whenever something is registered (to drop caches built on us)."""
        self._listeners.append(listener)

    def _entry_points(self) -> dict[str, EntryPoint]:
        """The group's entry points, read once per process: scanning the installed packages'
        metadata takes milliseconds, too long for each HTTP request that names an analyzer."""
        if not self.entry_point_group:
            return {}
        if self._installed is None:
            group = entry_points(group=self.entry_point_group)
            self._installed = {ep.name: ep for ep in group}
        return self._installed

    def _import_builtins(self) -> None:
        for module in self.builtin_modules:
            importlib.import_module(module)

    def names(self) -> list[str]:
        self._import_builtins()
        return sorted(set(self._entry_points()) | set(self._items))

    def get(self, name: str) -> T:
        self._import_builtins()
        if name in self._items:
            return self._items[name]
        found = self._entry_points()
        if name not in found:
            known = ", ".join(sorted(set(found) | set(self._items))) or "-"
            raise InputError(f"unknown {self.kind} {name!r}; available: {known}")
        return cast(T, found[name].load())

    def items(self) -> dict[str, T]:
        """Every entry by name (loads entry points: use ``names()`` just to list)."""
        return {name: self.get(name) for name in self.names()}
