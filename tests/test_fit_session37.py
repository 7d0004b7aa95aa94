"""Citations that fit (session 37): a letter mixing a model's sections with the template
drafter's is written and checked on ONE placement, the template drafter's
(``argument.criterion_passages`` on ``argument.passage_homes``): the validator asks a criterion
for no passage the drafter places under another criterion, and the 'Guideline support' section
the template drafter states its unplaced passages in is written whenever it wrote a section."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.casefile import load_case
from pipeline.draft import SUPPORT_HEADING
from pipeline.engines.base import (
    AnalysisRequest,
    AnalysisResponse,
    ArgumentRequest,
    ArgumentResponse,
)
from pipeline.engines.offline import OfflineEngine
from pipeline.evidence import criterion_quote
from pipeline.ingest import ingest
from pipeline.models import CriterionArgument, RunInfo
from pipeline.reasoning.argument import criterion_passages, passage_homes
from pipeline.run import draft_letter

ROOT = Path(__file__).resolve().parent.parent
CPAP = ROOT / "examples" / "cpap-medicaid"
TODAY = dt.date(2026, 11, 23)
OTHER_AASM = "aasm-pap-2019-qol-hypertension"
"""An AASM PAP passage the drafter does not place under criterion 2 (another one is)."""


class OneSectionModel:
    """A checked engine that writes criterion 2 alone, citing a passage of its own choice (not
    the one the template drafter places there); criteria 1 and 3 fall back to the template
    drafter, as when a model's reply lost those sections."""

    name = "scripted"
    model = "one-section"
    checked = True
    max_redrafts = 0

    def analyze(self, request: AnalysisRequest) -> AnalysisResponse:
        return OfflineEngine().analyze(request)

    def argue(self, request: ArgumentRequest) -> ArgumentResponse:
        case = request.case
        fact = next(
            i for i, f in enumerate(case.objective_findings) if "sleep apnea test" in f.name
        )
        name = case.objective_findings[fact].name
        quote = criterion_quote(request.analysis.criteria[1])
        section = CriterionArgument(
            criterion_index=1,
            argument=f"{quote} The record documents {name} [[cite:{OTHER_AASM}]].",
            passage_ids=[OTHER_AASM],
            evidence=[f"objective_findings[{fact}]"],
        )
        return ArgumentResponse(arguments=[section], transcript="{}")


def test_which_sections_the_template_drafter_wrote() -> None:
    """The template drafter's placement states some passages under 'Guideline support' and
    none under a criterion that is not their place: that section is written, and that
    placement checked, wherever it wrote a criterion section, not only for the offline
    engine; a model's own sections are held to the model's own choice of fitting passage."""
    offline = RunInfo(engine="offline", created=TODAY)
    mixed = RunInfo(engine="openai", created=TODAY, fallback_sections=[2])
    model = RunInfo(engine="openai", created=TODAY)
    assert offline.any_templated and offline.templated(1) and offline.templated(3)
    assert mixed.any_templated and mixed.templated(2) and not mixed.templated(1)
    assert not model.any_templated and not model.templated(2)


def test_a_mixed_letter_is_checked_on_the_placement_that_wrote_it() -> None:
    """The model cites another AASM passage under criterion 2; the passage the drafter places
    there goes uncited, and criterion 3 (a template section) fits it too but is not its place:
    the letter drafts (no criteria.no_citation refusal), as the fault run's draft 14 of
    cpap-medicaid must (exit 4 in s36's final CI)."""
    letter = ingest(CPAP / "letter.txt")
    case = load_case(CPAP / "case.yaml")
    draft = draft_letter(letter, case, engine=OneSectionModel(), today=TODAY)  # type: ignore[arg-type]
    assert draft.run.fallback_sections == [1, 3]
    assert draft.validation is not None and draft.validation.ok
    assert f"[[cite:{OTHER_AASM}]]" not in draft.markdown  # resolved to a numbered reference
    homes = passage_homes(draft.passages, draft.verdicts or [], case, draft.analysis.plan_type)
    placed = [pid for pid, index in homes.items() if index == 1]
    assert placed and OTHER_AASM not in placed  # the drafter's own choice for criterion 2
    criterion = draft.analysis.criteria[2]
    # the drafter itself states none of it under criterion 3 (its place is criterion 2)
    assert not criterion_passages(
        draft.passages, criterion, 2, {OTHER_AASM}, case, homes, draft.analysis.plan_type
    )
    # what the drafter placed and the model did not cite is stated as support, not dropped
    if placed[0] not in draft.markdown:
        assert SUPPORT_HEADING in draft.markdown
