"""What the validator reads besides the letter: the drafter's verdicts travel with the sealed
draft context (computed once per draft), and a changed verdict breaks the seal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.casefile import load_case
from pipeline.ingest import ingest
from pipeline.models import Draft
from pipeline.pipeline import Pipeline
from pipeline.reasoning.verdicts import evaluate
from pipeline.seal import is_sealed
from pipeline.validate import Context, parse_document, validate

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def draft() -> Draft:
    example = ROOT / "examples" / "tms-erisa"
    letter, case = ingest(str(example / "letter.txt")), load_case(example / "case.yaml")
    return Pipeline().draft(letter, case, today=TODAY)


def test_the_draft_carries_the_verdicts_the_validator_would_compute(draft: Draft) -> None:
    assert draft.verdicts is not None and any(v.requirements for v in draft.verdicts)
    assert draft.verdicts == evaluate(draft.analysis, draft.case)
    ctx = Context(draft=draft, doc=parse_document(draft.markdown))
    assert ctx.verdicts is draft.verdicts  # reused, not recomputed


def test_a_draft_without_verdicts_is_validated_the_same(draft: Draft) -> None:
    bare = draft.model_copy(update={"verdicts": None, "validation": None})
    ctx = Context(draft=bare, doc=parse_document(bare.markdown))
    assert ctx.verdicts == draft.verdicts
    assert validate(bare).findings == validate(draft).findings


def test_a_changed_verdict_breaks_the_seal(draft: Draft) -> None:
    assert is_sealed(draft)
    assert draft.verdicts is not None
    first = next(v for v in draft.verdicts if v.requirements)
    forged = first.requirements[0].model_copy(update={"found": "99 trials", "status": "met"})
    verdicts = [
        v.model_copy(update={"requirements": [forged, *v.requirements[1:]]}) if v is first else v
        for v in draft.verdicts
    ]
    assert not is_sealed(draft.model_copy(update={"verdicts": verdicts}))
