"""The labelled relevance set (evals/relevance/cases.yaml) and its scorer."""

from __future__ import annotations

from typing import Any

from evals.relevance_eval import build, evaluate, judge, summarize
from pipeline.models import Passage, RetrievedPassage
from pipeline.retrieve import get_index


def offered(pid: str, kind: str = "guideline") -> RetrievedPassage:
    base: dict[str, Any] = dict(
        id=pid, kind=kind, issuing_body="B", short_body="B", title="T", year=2020, section="S",
        text="t", specialty="x", url="https://example.org", license="l",
    )
    return RetrievedPassage(passage=Passage(**base), score=1.0, rank=1)


def test_the_scorer_counts_fitting_passages_violations_and_skips_argument_notes() -> None:
    case = {"plan_type": "erisa", "fit": ["aga-uc-*"], "must_not": ["aga-crohns-*"]}
    law = {"erisa": ["erisa-*"], "medicaid": ["medicaid-*"]}
    results = [
        offered("aga-uc-2020-a"),
        offered("aga-crohns-2021-b"),
        offered("erisa-503-1-x", "regulation"),
        offered("medicaid-mco-y", "regulation"),
        offered("arg-note", "argument"),
    ]
    ids, fitting, violations, clinical = judge(case, law, results)
    assert ids == ["aga-uc-2020-a", "aga-crohns-2021-b", "erisa-503-1-x", "medicaid-mco-y"]
    assert fitting == ["aga-uc-2020-a", "erisa-503-1-x"]
    assert violations == ["aga-crohns-2021-b"] and clinical
    assert not judge(case, law, [offered("erisa-503-1-x", "regulation")])[3]


def test_a_labelled_case_becomes_the_analysis_and_case_file_it_describes() -> None:
    analysis, case = build(
        {"plan_type": "medicare_advantage", "born": "1968-03-02", "diagnoses": ["I63.512"],
         "service": {"code": "0128", "description": "Inpatient rehabilitation"},
         "categories": ["level_of_care"], "criteria": ["Tolerates 3 hours of therapy"]}
    )
    assert analysis.plan_type.value == "medicare_advantage" and analysis.icd10_codes == ["I63.512"]
    assert analysis.cpt_codes == [] and analysis.hcpcs_codes == []  # a revenue code is neither
    assert case.service.code == "0128" and case.patient.date_of_birth is not None
    assert [c.text for c in analysis.criteria] == ["Tolerates 3 hours of therapy"]


def test_the_corpus_offers_only_fitting_passages_on_the_labelled_set() -> None:
    """Real corpus, real retrieval: the tuned slice has no forbidden passage and both slices
    keep precision at or above 90%, with a fitting guideline for every case."""
    summaries = {s.slice: s for s in summarize(evaluate(index=get_index()))}
    tuned, held_out = summaries["tuned"], summaries["held_out"]
    assert tuned.violations == []
    assert tuned.precision >= 0.9 and held_out.precision >= 0.9
    assert tuned.clinical_cases == tuned.cases and held_out.clinical_cases == held_out.cases
