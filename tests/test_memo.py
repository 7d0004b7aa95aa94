"""The text functions' results are kept while a draft runs, and only then."""

from __future__ import annotations

import threading
from collections.abc import Callable

from pipeline.evidence import tokens
from pipeline.text import memo
from pipeline.text.sentences import split_sentences


def _counted() -> tuple[list[str], Callable[[str], str]]:
    seen: list[str] = []

    @memo.kept(maxsize=8)
    def upper(text: str) -> str:
        seen.append(text)
        return text.upper()

    return seen, upper


def test_a_text_is_computed_once_while_a_run_is_under_way() -> None:
    seen, upper = _counted()
    with memo.keeping():
        assert [upper("a"), upper("a"), upper("b")] == ["A", "A", "B"]
    assert seen == ["a", "b"]


def test_nothing_is_kept_outside_a_run_nor_after_it() -> None:
    seen, upper = _counted()
    upper("a")
    upper("a")
    assert seen == ["a", "a"]
    with memo.keeping():
        upper("b")
    with memo.keeping():
        upper("b")  # the first run's texts were dropped at its end
    assert seen == ["a", "a", "b", "b"]


def test_the_caches_are_cleared_only_when_the_last_run_ends() -> None:
    seen, upper = _counted()
    outer_done = threading.Event()
    with memo.keeping():
        upper("a")

        def other_run() -> None:
            with memo.keeping():
                upper("a")
            outer_done.set()

        worker = threading.Thread(target=other_run)
        worker.start()
        worker.join()
        assert outer_done.is_set()
        upper("a")  # still kept: this run is under way
    assert seen == ["a"]


def test_kept_results_equal_computed_ones_and_callers_cannot_change_them() -> None:
    text = "Dr. Smith saw her on 3 May. She failed methotrexate.\n\nSecond paragraph here."
    fresh_sentences, fresh_tokens = split_sentences(text), tokens(text)
    with memo.keeping():
        first = split_sentences(text)
        first.append("changed by a caller")
        assert split_sentences(text) == fresh_sentences
        assert split_sentences(text, flatten=True) == split_sentences(text, flatten=True)
        assert tokens(text) == fresh_tokens
        assert isinstance(tokens(text), frozenset)
