"""Results of pure text functions, kept while a draft runs and dropped when none does.

A draft reads the same texts many times: the letter is split into sentences by a dozen
readers, a criterion's words are weighed against every passage, the same fact's words are
read by the verdicts, the writers and the validator (measured on the examples' warm drafts:
2,940 sentence splits of 1,320 texts). A function marked ``kept``
answers a text it has seen during the run from its cache; outside a run it computes as before.
When the last run under way ends (``keeping``), every cache is cleared: no text of a case
(a patient's facts) outlives the draft that read it.

Only pure functions of their arguments are kept, and only ones returning immutable values
(a tuple, a frozenset, a string): a result is the same object for every caller.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Hashable, Iterator
from typing import TypeVar

R = TypeVar("R")
K = TypeVar("K", bound=Hashable)

_clears: list[Callable[[], None]] = []
_lock = threading.Lock()
_active = 0
"""Runs under way (``keeping``); the caches answer only while one is."""


def kept(maxsize: int = 4096) -> Callable[[Callable[[K], R]], Callable[[K], R]]:
    """Keep the results of a one-argument pure function while a run is under way (at most
    ``maxsize``, the least recently used dropped first)."""

    def wrap(fn: Callable[[K], R]) -> Callable[[K], R]:
        cached = functools.lru_cache(maxsize=maxsize)(fn)
        _clears.append(cached.cache_clear)

        @functools.wraps(fn)
        def call(arg: K) -> R:
            return cached(arg) if _active else fn(arg)

        return call

    return wrap


@contextlib.contextmanager
def keeping() -> Iterator[None]:
    """Keep the ``kept`` functions' results while the block runs; when no other run is under
    way at its end, clear them all."""
    global _active
    with _lock:
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if not _active:
                for clear in _clears:
                    clear()
