"""The tuned cases of :mod:`evals.strategy.kinds_request` (the request lane's defect kinds),
drafted through the whole pipeline: every key of each is met. The held-out cases are measured
by ``python -m evals.strategy.kinds_request`` and never asserted here."""

from __future__ import annotations

import pytest

from evals.strategy.kinds import score
from evals.strategy.kinds_request import REQUEST_KIND_CASES

FIXED = {"timing"}
"""The kinds whose mechanism is fixed (one commit each)."""

TUNED = [kc for kc in REQUEST_KIND_CASES if kc.split == "tune" and kc.kind in FIXED]


@pytest.mark.parametrize("kc", TUNED, ids=[kc.name for kc in TUNED])
def test_tuned_request_kind_case(kc) -> None:  # type: ignore[no-untyped-def]
    missed = [what for what, ok in score(kc) if not ok]
    assert not missed
