"""Work a draft does once: the notice's ground is chosen once and passed down (the retrieval's
question, the strategies' argument, the legal basis and the validator's grounding all read
that one choice); the case's and the notice's own words are found without compiling a pattern
for them (each such pattern was compiled afresh for every draft, and pushed the static
patterns out of Python's 512-pattern cache to be compiled again)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from pipeline.casefile import load_case, parse_case
from pipeline.ingest import ingest, ingest_text
from pipeline.models import CaseFacts, DenialLetter
from pipeline.pipeline import Pipeline
from pipeline.reasoning import grounds

ROOT = Path(__file__).resolve().parent.parent
NETWORK = ROOT / "evals" / "speed" / "cases" / "network-table-medicaid"
"""A network-gap notice with an access standard: every reader of the ground has work to do."""
SITE = ROOT / "evals" / "speed" / "cases" / "infusion-site-aca"
"""A site-of-care notice whose criteria stand in a wrapped column table."""


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


@contextmanager
def compiles() -> Iterator[list[str]]:
    """The patterns the regex engine compiles inside the block (``re``'s cache misses)."""
    compiler: Any = re._compiler  # type: ignore[attr-defined]  # private; no stubs
    real = compiler.compile
    seen: list[str] = []

    def counted(pattern: Any, flags: int = 0) -> Any:
        seen.append(str(pattern))
        return real(pattern, flags)

    compiler.compile = counted
    try:
        yield seen
    finally:
        compiler.compile = real


def _with_words(word: str) -> tuple[DenialLetter, CaseFacts]:
    """The site-of-care case with a word of its own in a criterion, a treatment's name and a
    diagnosis (the words a pattern built per draft would hold)."""
    text = (SITE / "letter.txt").read_text(encoding="utf-8")
    text = text.replace("serious adverse reaction", f"serious {word} reaction")
    case = (SITE / "case.yaml").read_text(encoding="utf-8")
    case = case.replace("Prednisone", word.capitalize()).replace("polyneuritis", word)
    return ingest_text(text.replace("Prednisone", word.capitalize())), parse_case(case)


def test_no_pattern_is_compiled_from_the_case_words() -> None:
    pipe = Pipeline()
    today = dt.date(2026, 12, 7)
    for word in ("zorvatine", "quellamab"):  # warm: every static pattern compiled once
        pipe.run(*_with_words(word), today=today, allow_gaps=True, reject=False)
    with compiles() as seen:
        pipe.run(*_with_words("brandolix"), today=today, allow_gaps=True, reject=False)
    assert [p for p in seen if "brandolix" in p.casefold()] == []
