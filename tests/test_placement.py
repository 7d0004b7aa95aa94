"""Where the template drafter states each passage (``argument.place``) is worked out once per
draft: the drafter writes its sections on it (the offline engine's, and a model's that fall
back to it), the draft carries it sealed with its context, and the validator checks the
letter's citations against it instead of placing the passages again."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest

from pipeline import letter_format as lf
from pipeline.casefile import load_case
from pipeline.ingest import ingest
from pipeline.models import Draft, Placement
from pipeline.pipeline import Pipeline
from pipeline.reasoning.argument import place
from pipeline.run import draft_letter
from pipeline.seal import is_sealed, seal
from pipeline.validate import Context, Inputs, parse_document, validate
from tests.test_fit_session37 import OneSectionModel

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)
TMS = ROOT / "examples" / "tms-erisa"


@pytest.fixture(scope="module")
def draft() -> Draft:
    letter, case = ingest(str(TMS / "letter.txt")), load_case(TMS / "case.yaml")
    return Pipeline().draft(letter, case, today=TODAY)


def _cited_ids(draft: Draft, number: int) -> set[str]:
    """The passage ids criterion ``number``'s section cites."""
    doc = parse_document(draft.markdown)
    ids = {e.number: e.passage_id for e in doc.references}
    body = doc.criteria[number].body
    return {ids[int(n)] for m in lf.CITATION_RE.finditer(body) for n in re.findall(r"\d+", m[1])}


def _without_citation(draft: Draft, number: int) -> str:
    """The letter with criterion ``number``'s cited paragraphs cut (a placement error: the
    section states none of the passage placed under it)."""
    block = parse_document(draft.markdown).criteria[number]
    kept = [p for p in block.body.split("\n\n") if not lf.CITATION_RE.search(p)]
    return draft.markdown[: block.start] + block.heading + "\n\n" + "\n\n".join(kept) + "\n\n"


def _no_citation(report_draft: Draft, number: int) -> str | None:
    """The severity of criteria.no_citation on criterion ``number``'s section, if found."""
    assert report_draft.validation is not None
    wanted = f"Criterion {number}'s section cites no reference."
    return next(
        (f.severity.value for f in report_draft.validation.findings if f.message == wanted), None
    )


def test_the_draft_carries_the_placement_its_sections_cite(draft: Draft) -> None:
    placement = draft.placement
    assert placement is not None and is_sealed(draft)
    assert placement == place(
        draft.passages, draft.verdicts or [], draft.case, draft.analysis.plan_type
    )
    stated = {i: ids for i, ids in placement.stated.items() if ids}
    assert stated  # the example states guidelines under its criteria
    for index, ids in stated.items():
        assert set(ids) <= _cited_ids(draft, index + 1)
        assert set(ids) <= set(placement.fitting[index])
    assert Context(draft, parse_document(draft.markdown)).placement == placement


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """The calls of ``argument.place`` from any pipeline module, in order."""
    made: list[tuple[object, ...]] = []

    def counted(*args: object, **kwargs: object) -> Placement:
        made.append(args)
        return place(*args, **kwargs)  # type: ignore[arg-type]

    for name, module in list(sys.modules.items()):
        if name.startswith("pipeline") and getattr(module, "place", None) is place:
            monkeypatch.setattr(module, "place", counted)
    return made


def test_a_run_places_the_passages_once(calls: list[tuple[object, ...]]) -> None:
    """The offline engine's sections, the letter and its validation read one placement."""
    letter, case = ingest(str(TMS / "letter.txt")), load_case(TMS / "case.yaml")
    drafted = Pipeline().draft(letter, case, today=TODAY)
    assert drafted.validation is not None and drafted.placement is not None
    assert len(calls) == 1


def test_fallback_sections_are_written_on_the_runs_placement(
    calls: list[tuple[object, ...]],
) -> None:
    """A model's sections that fall back to the template drafter are written on the placement
    the run worked out (no second placement), and checked on it."""
    cpap = ROOT / "examples" / "cpap-medicaid"
    letter, case = ingest(cpap / "letter.txt"), load_case(cpap / "case.yaml")
    model = OneSectionModel()
    drafted = draft_letter(letter, case, engine=model, today=TODAY)  # type: ignore[arg-type]
    assert drafted.run.fallback_sections == [1, 3] and drafted.placement is not None
    assert len(calls) == 1
    assert drafted.validation is not None and drafted.validation.ok


def test_a_section_that_drops_its_placed_passage_is_an_error(draft: Draft) -> None:
    """The template section whose placed passage the letter does not cite fails; held to a
    placement that states none there (sealed with the draft), the same letter only warns; a
    placement changed after sealing is not trusted."""
    assert draft.placement is not None
    index = next(i for i, ids in draft.placement.stated.items() if ids)
    number = index + 1
    cut = draft.model_copy(
        update={"markdown": _without_citation(draft, number), "validation": None}
    )
    assert is_sealed(cut)  # the markdown is no part of the sealed context
    judged = cut.model_copy(update={"validation": validate(cut)})
    assert _no_citation(judged, number) == "error"
    stated = draft.placement.stated | {index: []}
    other = draft.placement.model_copy(update={"stated": stated})
    resealed = seal(cut.model_copy(update={"placement": other}))
    judged = resealed.model_copy(update={"validation": validate(resealed)})
    assert _no_citation(judged, number) == "warning"
    forged = cut.model_copy(update={"placement": other})
    assert not is_sealed(forged)
    assert Inputs.of(forged).placement == draft.placement  # worked out again, not read
    judged = forged.model_copy(update={"validation": validate(forged)})
    assert _no_citation(judged, number) == "error"
