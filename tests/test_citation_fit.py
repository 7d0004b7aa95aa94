"""End to end on the real corpus: a letter cites only passages about the patient, the
physician's own sources come first, and a case no guideline covers says so.

The adalimumab example (step therapy, a state employee plan) is turned into the new-denial
cases that leaked: ulcerative colitis with vedolizumab (the corpus once answered it with
Crohn's guidelines and printed ERISA law as the criterion's 'Guideline'), and a condition the
corpus has no guideline for."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from pipeline.casefile import load_case
from pipeline.engines.offline import OfflineEngine
from pipeline.ingest import ingest_text
from pipeline.models import CaseCitation, CaseFacts, Diagnosis, Draft, Service
from pipeline.pipeline import Pipeline
from pipeline.relevance import Scope, fits

EXAMPLE = Path(__file__).resolve().parent.parent / "examples/adalimumab-state-employee"
TODAY = dt.date(2026, 10, 20)
REF = re.compile(r"\(ref: ([^)]+)\)")


def variant(code: str, description: str, dx: str, dx_words: str, drug: str, hcpcs: str):
    """The example's letter and case for another diagnosis and drug."""
    text = (EXAMPLE / "letter.txt").read_text(encoding="utf-8")
    for old, new in (
        ("M05.79", dx), ("Rheumatoid arthritis", dx_words), ("rheumatoid arthritis", dx_words),
        ("Adalimumab", drug.capitalize()), ("adalimumab", drug), ("J0135", hcpcs),
    ):
        text = text.replace(old, new)
    case = load_case(EXAMPLE / "case.yaml")
    case = case.model_copy(
        update={
            "diagnoses": [Diagnosis(code=code, description=dx_words)],
            "service": Service(code=hcpcs, description=description),
        }
    )
    return ingest_text(text, source="letter.txt"), case


def draft(letter, case: CaseFacts) -> Draft:
    return Pipeline(OfflineEngine()).draft(letter, case, today=TODAY, allow_gaps=True)


def cited(d: Draft) -> list[str]:
    return REF.findall(d.markdown)


@pytest.fixture(scope="module")
def uc() -> tuple:
    return variant("K51.011", "Vedolizumab 300 mg IV infusion", "K51.011",
                   "ulcerative colitis", "vedolizumab", "J3380")


def test_ulcerative_colitis_cites_uc_guidelines_and_no_law_as_a_guideline(uc: tuple) -> None:
    d = draft(*uc)
    ids = cited(d)
    assert any(i.startswith(("aga-uc-", "acg-uc-")) for i in ids), ids
    assert not any("crohns" in i for i in ids), ids
    scope = Scope.of(d.analysis, d.case, TODAY)
    by_id = {rp.passage.id: rp.passage for rp in d.passages}
    assert all(fits(by_id[i], scope) for i in ids)
    guideline_lines = [ln for ln in d.markdown.splitlines() if "Guideline (" in ln]
    assert guideline_lines and not any("CFR" in ln or "U.S.C." in ln for ln in guideline_lines)
    assert not [g for g in d.gaps if g.field == "citations"]


def test_no_fitting_guideline_is_a_gap_and_the_physicians_source_fills_it() -> None:
    # rosacea: no corpus passage is about it (acne was, until an AAD acne passage was added)
    letter, case = variant("L71.9", "Minocycline 100 mg daily", "L71.9", "rosacea",
                           "minocycline", "J3490")
    bare = draft(letter, case)
    gap = [g for g in bare.gaps if g.field == "citations"]
    assert gap and "no guideline in the corpus covers L719 with J3490" in gap[0].message
    by_id = {rp.passage.id: rp.passage for rp in bare.passages}
    assert not [i for i in cited(bare) if by_id[i].kind in ("guideline", "coverage_policy")]
    own = CaseCitation(
        issuing_body="National Rosacea Society", title="Standard management options for rosacea",
        year="2019", recommendation="Oral minocycline for papulopustular rosacea.",
        url="https://example.org/rosacea",
    )
    filled = draft(letter, case.model_copy(update={"citations": [own]}))
    assert not [g for g in filled.gaps if g.field == "citations"]
    assert "case-citation-1" in cited(filled)
    assert "(Source supplied by the treating physician.)" in filled.markdown
