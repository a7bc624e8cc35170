"""One error tree: every exception class of the bot joins ``bot.errors`` or says why not."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import bot
import commands
from bot.errors import CallopsError


def _exception_classes() -> list[type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for package in (bot, commands):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            # Run as scripts, not imported: the CLI entry and Alembic's migration scripts.
            if info.name.endswith("__main__") or ".migrations" in info.name:
                continue
            module = importlib.import_module(info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, BaseException) and cls.__module__ == info.name:
                    found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return list(found.values())


def _says_why(cls: type[BaseException]) -> bool:
    """Its docstring, or a base's within the bot, says why it stands outside the tree."""
    for klass in cls.__mro__:
        ours = klass.__module__.split(".")[0] in ("bot", "commands")
        if ours and "outside ``bot.errors``" in (klass.__doc__ or "").lower():
            return True
    return False


def test_every_exception_joins_the_tree_or_says_why_not():
    classes = _exception_classes()
    assert len(classes) > 20  # the walk found the modules
    strays = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in classes
        if not issubclass(cls, CallopsError) and not _says_why(cls)
    ]
    assert strays == []
