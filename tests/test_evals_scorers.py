"""Each scorer on hand-made outputs: what it counts, what it skips, how it summarizes."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.engines import AnalysisRequest, AnalysisResponse, OfflineEngine
from pipeline.evals.cases import EvalCase, Expected
from pipeline.evals.execute import CaseOutput, Hit, Usage
from pipeline.evals.scorers import (
    category,
    citations,
    criteria,
    extraction,
    gaps,
    grounding,
    latency,
    length,
    usage,
    validator,
)
from pipeline.evals.scorers.retrieval import Retrieval, bodies
from pipeline.models import (
    Criterion,
    DenialAnalysis,
    DenialCategory,
    Gap,
    Severity,
    ValidationFinding,
    ValidationReport,
)
from pipeline.validate import FindingCode


def case(**expected: object) -> EvalCase:
    return EvalCase(
        id="c", source="test", denial_letter="letter", expected=Expected.model_validate(expected)
    )


def output(**analysis: object) -> CaseOutput:
    return CaseOutput(analysis=DenialAnalysis.model_validate(analysis))


def finding(code: str, severity: Severity = Severity.error) -> ValidationFinding:
    return ValidationFinding(code=code, severity=severity, message="m", excerpt="42")


# --------------------------------------------------------------------------- extraction


def test_extraction_counts_per_field_and_normalizes_codes_and_ids() -> None:
    c = case(
        icd10_codes=["F33.2", "F41.1"], cpt_codes=["90867"], member_id="ABC 123",
        plan_type="erisa", appeal_deadline="2027-01-09",
    )  # fmt: skip
    out = output(
        icd10_codes=["F332"], cpt_codes=["90867", "90868"], member_id="abc  123",
        plan_type="erisa", appeal_deadline=dt.date(2027, 1, 10),
    )  # fmt: skip
    s = extraction.SCORER.score(c, out)
    fields = s.details["fields"]
    assert fields["icd10_codes"] == {"tp": 1, "fp": 0, "fn": 1}
    assert fields["cpt_codes"] == {"tp": 1, "fp": 1, "fn": 0}
    assert fields["member_id"]["tp"] == 1 and fields["plan_type"]["tp"] == 1
    assert fields["appeal_deadline"] == {"tp": 0, "fp": 1, "fn": 1}
    assert s.value == round(4 / 6, 4)
    assert "icd10_codes missed ['F411']" in s.explanation


def test_unknown_plan_type_is_right_when_expected_and_never_a_false_positive() -> None:
    right = extraction.SCORER.score(case(plan_type="unknown"), output())
    assert right.details["fields"]["plan_type"] == {"tp": 1, "fp": 0, "fn": 0}
    shy = extraction.SCORER.score(case(plan_type="erisa"), output())
    assert shy.details["fields"]["plan_type"] == {"tp": 0, "fp": 0, "fn": 1}
    summary = extraction.SCORER.summarize([right, shy])
    assert summary["field_recall"]["plan_type"] == 0.5
    assert summary["field_precision"]["plan_type"] == 1.0


def test_extraction_skips_cases_without_labels_or_analysis() -> None:
    assert extraction.SCORER.score(case(), output()).skipped
    assert extraction.SCORER.score(case(cpt_codes=["1"]), CaseOutput()).skipped


# --------------------------------------------------------------------------- category


def test_category_accuracy_and_confusion_matrix() -> None:
    nmn, step = DenialCategory.not_medically_necessary, DenialCategory.step_therapy
    right = category.SCORER.score(case(denial_categories=[step]), output(denial_categories=[step]))
    wrong = category.SCORER.score(case(denial_categories=[step]), output(denial_categories=[nmn]))
    empty = category.SCORER.score(case(denial_categories=[nmn]), output())
    assert (right.value, wrong.value, empty.value) == (1.0, 0.0, 0.0)
    summary = category.SCORER.summarize(
        [right, wrong, empty, category.SCORER.score(case(), output())]
    )
    assert summary["value"] == round(1 / 3, 4) and summary["n"] == 3
    assert summary["confusion_matrix"] == {
        "step_therapy": {"step_therapy": 1, "not_medically_necessary": 1},
        "not_medically_necessary": {category.NONE: 1},
    }


# --------------------------------------------------------------------------- criteria


def test_a_phrase_is_recalled_when_it_occurs_normalized_in_some_criterion() -> None:
    out = output(
        criteria=[Criterion(text="Failure of 4 or more antidepressant trials — each ≥6 weeks")]
    )
    s = criteria.SCORER.score(
        case(criteria=["FAILURE of 4 or more  antidepressant", "each >=6 weeks", "augmentation"]),
        out,
    )
    assert s.value == round(2 / 3, 4)
    assert s.details["missed"] == ["augmentation"]
    assert criteria.SCORER.score(case(criteria=[]), out).skipped


# --------------------------------------------------------------------------- retrieval


def hit(i: int, body: str) -> Hit:
    return Hit(id=f"p{i}", rank=i, score=1.0, kind="guideline", short_body=body, reference="r")


def test_retrieval_recall_counts_bodies_within_the_first_k() -> None:
    assert bodies("ACC/AHA/HRS") == {"ACC", "AHA", "HRS"}
    out = output()
    out.passages = [hit(1, "ACC/AHA"), hit(2, "CMS"), hit(3, "NCCN")]
    s = Retrieval(k=2).score(case(authorities=["AHA", "NCCN", "cms"]), out)
    assert s.value == round(2 / 3, 4) and s.details["missed"] == ["NCCN"]
    assert Retrieval(k=3).score(case(authorities=["NCCN"]), out).value == 1.0
    assert Retrieval().score(case(authorities=[]), out).skipped


# --------------------------------------------------------------------------- draft scorers

LETTER = """# Letter

Text cites [1] and [1, 2], then [3].

## References

1. Body. Title. 2024. S1. (ref: p1)
2. Body. Title. 2024. S2. (ref: p9)
"""


def test_citation_precision_counts_citations_that_resolve_to_retrieved_passages() -> None:
    out = CaseOutput(markdown=LETTER, passages=[hit(1, "A"), hit(2, "B")])
    s = citations.SCORER.score(case(), out)
    # [1] twice resolves; [2] names p9 (not retrieved); [3] has no reference entry.
    assert s.details == {"citations": 4, "resolved": 2}
    assert s.value == 0.5 and "[2], [3]" in s.explanation
    assert citations.SCORER.score(case(), CaseOutput()).skipped


def test_grounding_counts_unsupported_numbers_only() -> None:
    report = ValidationReport(
        findings=[finding(FindingCode.GROUNDING_UNSUPPORTED_NUMBER),
                  finding(FindingCode.GROUNDING_UNSUPPORTED_NUMBER),
                  finding(FindingCode.NPI_INVALID)]
    )  # fmt: skip
    s = grounding.SCORER.score(case(), CaseOutput(validation=report))
    assert s.value == 2.0
    summary = grounding.SCORER.summarize(
        [s, grounding.SCORER.score(case(), CaseOutput(validation=ValidationReport()))]
    )
    assert summary["total"] == 2 and summary["letters_with_violations"] == 1
    assert grounding.SCORER.fails(s)


def test_validator_pass_rate_skips_drafts_with_gaps_and_counts_findings() -> None:
    ok = validator.SCORER.score(
        case(),
        CaseOutput(
            validation=ValidationReport(
                findings=[finding(FindingCode.TONE_EMOTIONAL, Severity.warning)]
            )
        ),
    )
    bad = validator.SCORER.score(
        case(), CaseOutput(validation=ValidationReport(findings=[finding(FindingCode.NPI_INVALID)]))
    )
    gap = Gap(field="physician.npi", message="m", placeholder="[MISSING: x]")
    with_gaps = validator.SCORER.score(
        case(),
        CaseOutput(
            validation=ValidationReport(findings=[finding(FindingCode.PLACEHOLDER_LEFT)]),
            gaps=[gap],
        ),
    )
    assert (ok.value, bad.value) == (1.0, 0.0) and with_gaps.skipped
    summary = validator.SCORER.summarize([ok, bad, with_gaps])
    assert summary["value"] == 0.5
    assert summary["findings_by_code"] == {
        FindingCode.NPI_INVALID: 1,
        FindingCode.TONE_EMOTIONAL: 1,
    }


def test_gap_recall_against_expected_fields() -> None:
    out = CaseOutput(
        markdown="x", gaps=[Gap(field=f, message="m", placeholder="p") for f in ("a", "b")]
    )
    s = gaps.SCORER.score(case(gaps=["a", "c"]), out)
    assert (
        s.value == 0.5
        and "missed ['c']" in s.explanation
        and "also reported ['b']" in s.explanation
    )
    assert gaps.SCORER.score(case(gaps=[]), CaseOutput(markdown="x")).value == 1.0
    assert gaps.SCORER.score(case(), out).skipped


def test_length_latency_and_usage() -> None:
    out = CaseOutput(markdown="one two three", timings={"extract": 0.5, "total": 2.0})
    assert length.SCORER.score(case(), out).value == 3.0
    lat = latency.SCORER.score(case(), out)
    assert lat.value == 2.0 and lat.details["stages"] == {"extract": 0.5}
    summary = latency.SCORER.summarize(
        [lat, latency.SCORER.score(case(), CaseOutput(timings={"total": 4.0}))]
    )
    assert summary["value"] == 3.0 and summary["total"] == 6.0
    costly = CaseOutput(usage=Usage(calls=2, input_tokens=100, output_tokens=50))
    one = usage.SCORER.score(case(), costly)
    assert one.value == 150.0 and "2 call(s), 100 in / 50 out tokens" in one.explanation
    u = usage.SCORER.summarize([usage.SCORER.score(case(), out), one])
    assert u["calls"] == 2 and u["input_tokens"] == 100 and u["output_tokens"] == 50
    assert u["value"] == 150 and u["n"] == 2  # the headline: tokens, in + out


def test_percentile_is_the_inclusive_quantile_everywhere() -> None:
    import statistics

    from pipeline.evals.scorers.base import percentile

    values = [0.4, 0.1, 0.3, 0.2, 0.9, 0.5, 0.7]
    for q in (50, 95):
        assert (
            percentile(values, q) == statistics.quantiles(values, n=100, method="inclusive")[q - 1]
        )
    assert percentile([1.0, 2.0, 3.0, 4.0], 95) == pytest.approx(3.85)
    assert percentile([2.5], 95) == 2.5
    with pytest.raises(ValueError):
        percentile([], 50)
    summary = latency.SCORER.summarize(
        [latency.SCORER.score(case(), CaseOutput(timings={"total": t})) for t in (4, 1, 3, 2)]
    )
    assert summary["p95"] == pytest.approx(3.85) and summary["p50"] == pytest.approx(2.5)
    one = latency.SCORER.summarize([latency.SCORER.score(case(), CaseOutput(timings={"total": 2}))])
    assert one["p50"] == one["p95"] == 2


class _Counting(OfflineEngine):
    """The offline engine, reporting the model use a model engine would."""

    def analyze(self, request: AnalysisRequest) -> AnalysisResponse:
        used = Usage(calls=3, input_tokens=1200, output_tokens=200)
        return super().analyze(request).model_copy(update={"usage": used})


def test_usage_is_the_engine_answers_usage_summed_by_the_pipeline() -> None:
    from pipeline.paths import PROJECT_ROOT
    from pipeline.pipeline import Pipeline

    letter = (PROJECT_ROOT / "examples" / "tms-erisa" / "letter.txt").read_text(encoding="utf-8")
    events: list = []
    used = Pipeline(_Counting(), on_event=events.append).run(letter, None, until="extract").usage
    assert (used.calls, used.input_tokens, used.output_tokens) == (3, 1200, 200)
    assert events[-1].usage == used  # each stage event reports the run's use so far
    assert used + used == Usage(calls=6, input_tokens=2400, output_tokens=400)
    offline = Pipeline(OfflineEngine()).run(letter, None, until="extract").usage
    assert offline == Usage()
