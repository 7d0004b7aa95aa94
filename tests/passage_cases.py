"""Shared by the coverage-passage tests: the shipped corpus by id, the relevance contract's
``fits`` on one of its passages, and the two tests every table of coverage cases runs."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import pytest

from pipeline.corpus import load_corpus
from pipeline.models import Passage
from pipeline.reasoning.fit import position
from pipeline.relevance import Scope, fits

Case = tuple[str, Scope, Scope, Scope | None]
"""(passage, a request it is about, the same patient's other care it must not fit, the same
request for another disease it must not fit; None: about the service for any condition)."""


@functools.cache
def corpus() -> dict[str, Passage]:
    return {p.id: p for p in load_corpus()}


def fit(pid: str, case: Scope) -> bool:
    return fits(corpus()[pid], case)


def case_tests(cases: Sequence[Case]) -> tuple[Callable[..., None], Callable[..., None]]:
    """The two tests of a table of cases, for a test module to bind by their names: each
    passage fits its request only, and states a position the drafter can cite."""
    ids = [c[0] for c in cases]

    @pytest.mark.parametrize("pid, about, other_care, other_disease", cases, ids=ids)
    def test_passage_fits_its_request_only(
        pid: str, about: Scope, other_care: Scope, other_disease: Scope | None
    ) -> None:
        assert fit(pid, about)
        assert not fit(pid, other_care)
        if other_disease is not None:
            assert not fit(pid, other_disease)

    @pytest.mark.parametrize("pid", ids)
    def test_passage_states_a_position_the_drafter_can_cite(pid: str) -> None:
        assert position(corpus()[pid])

    return test_passage_fits_its_request_only, test_passage_states_a_position_the_drafter_can_cite
