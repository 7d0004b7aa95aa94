"""Work a draft does once: the notice's ground is chosen once and passed down (the retrieval's
question, the strategies' argument, the legal basis and the validator's grounding all read
that one choice)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from pipeline.casefile import load_case
from pipeline.ingest import ingest
from pipeline.pipeline import Pipeline
from pipeline.reasoning import grounds

ROOT = Path(__file__).resolve().parent.parent
NETWORK = ROOT / "evals" / "speed" / "cases" / "network-table-medicaid"
"""A network-gap notice with an access standard: every reader of the ground has work to do."""


def test_a_draft_chooses_the_notice_ground_once(monkeypatch: pytest.MonkeyPatch) -> None:
    scored: list[str] = []
    real = grounds._score

    def counted(ground: grounds.GroundSpec, text: str) -> float:
        scored.append(ground.key)
        return real(ground, text)

    monkeypatch.setattr(grounds, "_score", counted)
    letter, case = ingest(str(NETWORK / "letter.txt")), load_case(NETWORK / "case.yaml")
    draft = Pipeline().draft(letter, case, today=dt.date(2026, 12, 7), allow_gaps=True)
    assert "154 miles beyond" in draft.markdown  # the ground was argued, its figures grounded
    assert len(scored) == len(grounds.grounds_spec().grounds)  # one choice: each scored once


def test_a_chosen_ground_is_not_chosen_again(monkeypatch: pytest.MonkeyPatch) -> None:
    letter, case = ingest(str(NETWORK / "letter.txt")), load_case(NETWORK / "case.yaml")
    from pipeline.extract import extract_response
    from pipeline.reasoning.strategy import strategy

    analysis = extract_response(letter, Pipeline().engine, "test").analysis
    picked = grounds.select(analysis, letter.text)
    assert picked is not None and picked.spec.key == "network"

    def unexpected(*_: Any) -> None:
        raise AssertionError("the ground was chosen again")

    monkeypatch.setattr(grounds, "select", unexpected)
    plan = strategy(analysis, case, letter.text, dt.date(2026, 12, 7), picked)
    assert plan.ground is not None and plan.ground.spec is picked.spec
    assert grounds.access_strings(plan.ground.spec, case, letter.text)[1] == "154 miles beyond"
