"""The guard that fails a test whose code called the database on the event loop's thread.

Installed for the whole run by ``tests/conftest.py``: a SQLAlchemy ``before_cursor_execute``
listener on every engine and a ``checkout`` listener on every pool raise
``BlockingDatabaseCall`` when the current thread runs an event loop, and record it, so a
test fails even when the code under test catches the error. The store's own threads run
no loop and pass. Start-up work (``Store.create_schema``, the migrations, which run before
anything is served) and test set-up wrapped in ``allowed()`` may run on the loop's thread.
"""

from __future__ import annotations

import asyncio
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

from bot.store import Store


class BlockingDatabaseCall(AssertionError):
    """A database call ran on the event loop's thread: every command and ack waited on it."""


_calls: list[str] = []
_allowed = threading.local()


@contextmanager
def allowed() -> Iterator[None]:
    """Let blocking database calls run on this thread for a moment (start-up, test set-up)."""
    before = getattr(_allowed, "active", False)
    _allowed.active = True
    try:
        yield
    finally:
        _allowed.active = before


def on_event_loop() -> bool:
    """True when the current thread is running an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _refuse(what: str) -> None:
    if not on_event_loop() or getattr(_allowed, "active", False):
        return
    where = "".join(traceback.format_stack(limit=16)[:-2])
    _calls.append(f"{what} on the event loop's thread:\n{where}")
    raise BlockingDatabaseCall(f"{what} on the event loop's thread (use the store's threads)")


def _guard_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    _refuse(f"SQL {statement.split(None, 1)[0] if statement else ''}")


def _guard_checkout(_dbapi: Any, _record: Any, _proxy: Any) -> None:
    _refuse("a database connection checked out")


def install() -> Callable[[], None]:
    """Guard every engine and pool from now on; returns the function that removes the guard."""
    original = Store.create_schema

    @wraps(original)
    def create_schema(self: Store) -> None:
        with allowed():
            original(self)

    Store.create_schema = create_schema  # type: ignore[method-assign]
    event.listen(Engine, "before_cursor_execute", _guard_execute)
    event.listen(Pool, "checkout", _guard_checkout)

    def uninstall() -> None:
        event.remove(Pool, "checkout", _guard_checkout)
        event.remove(Engine, "before_cursor_execute", _guard_execute)
        Store.create_schema = original  # type: ignore[method-assign]

    return uninstall


def mark() -> int:
    """Where the record of refused calls stands now."""
    return len(_calls)


def refused_since(position: int) -> list[str]:
    """The calls refused since ``mark()`` returned ``position``; forgets them."""
    found = _calls[position:]
    del _calls[position:]
    return found
