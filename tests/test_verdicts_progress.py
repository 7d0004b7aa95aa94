"""Verdicts of this round (issue 17): the facts that explain stalled progress belong under a
criterion asking for progress, response or adherence, and under nothing else; drugs written by
abbreviation or brand are their ingredient; disease-activity scores under another name (SDAI, a
DAS28 variant, CDAI as the Crohn's or the rheumatoid arthritis index by the case's condition,
HBI); an improvement of a score is its fall when lower is better; 'failure of or intolerance to'
counts either; 'alone or in combination with' makes the combination no condition."""

from __future__ import annotations

import datetime as dt

from pipeline.models import CaseFacts, Criterion, DenialAnalysis, Requirement
from pipeline.reasoning import evaluate
from pipeline.reasoning.classes import book
from pipeline.reasoning.facts import measure_book

D = dt.date


def _evaluate(criteria: list[tuple[str, list[dict]]], case: dict, logic: str = "all"):
    analysis = DenialAnalysis(
        criteria=[
            Criterion(
                text=text,
                logic=logic,
                requirements=[Requirement(**{"span": text, **r}) for r in reqs],
            )
            for text, reqs in criteria
        ],
        letter_date=D(2026, 10, 20),
    )
    return evaluate(analysis, CaseFacts.model_validate(case), as_of=D(2026, 11, 1))


_ABA_CASE = {
    "clinical_summary": (
        "He was diagnosed with autism spectrum disorder in 2024 by a developmental "
        "pediatrician. "
        "From June 2 to July 21, 2026 the agency had no behavior technician available, and only "
        "9 of the 30 authorized weekly hours were delivered. "
        "His grandmother, who brings him to sessions, was hospitalized in August 2026 and 12 "
        "sessions were cancelled. "
        "He was hospitalized for bronchiolitis in 2019. "
        "He is fully vaccinated."
    ),
    "prior_treatments": [
        {"name": "Applied behavior analysis", "kind": "therapy", "start": "2025-09-01",
         "outcome": "Slow gains"},
        {"name": "Melatonin", "kind": "medication", "start": "2025-01-01", "dose": "1 mg",
         "outcome": "Sleeps through the night"},
    ],
    "objective_findings": [
        {"kind": "rating_scale", "name": "VB-MAPP milestones", "value": "62",
         "date": "2026-03-10"},
        {"kind": "rating_scale", "name": "VB-MAPP milestones", "value": "66",
         "date": "2026-09-15"},
        {"kind": "lab", "name": "Ferritin", "value": "40 ng/mL", "date": "2026-03-10"},
    ],
}  # fmt: skip


def test_what_explains_stalled_progress_is_evidence_of_a_progress_criterion_only():
    progress, diagnosis = _evaluate(
        [
            ("Documentation of measurable progress toward treatment goals",
             [{"kind": "other", "subject": "measurable progress toward treatment goals"}]),
            ("Diagnosis made by a developmental pediatrician or psychologist",
             [{"kind": "specialist", "subject": "developmental pediatrician or psychologist"}]),
        ],
        _ABA_CASE,
    )  # fmt: skip
    # the staffing gap and the caregiver's hospitalisation explain the slow progress; the
    # therapy and its two milestone readings measure it
    for path in ("clinical_summary[1]", "clinical_summary[2]", "prior_treatments[0]",
                 "objective_findings[0]", "objective_findings[1]"):  # fmt: skip
        assert path in progress.evidence, path
    # a hospitalisation before the therapy began, a vaccination, another drug, a one-off lab
    for path in ("clinical_summary[3]", "clinical_summary[4]", "prior_treatments[1]",
                 "objective_findings[2]"):  # fmt: skip
        assert path not in progress.evidence, path
    assert not {"clinical_summary[1]", "clinical_summary[2]"} & set(diagnosis.evidence)


def test_a_failed_trial_criterion_is_no_progress_criterion():
    spec = measure_book().progress
    assert spec is not None
    assert spec.asks("Documented positive response to therapy")
    assert spec.asks("The member has demonstrated measurable functional improvement")
    assert not spec.asks("Inadequate response to methotrexate for at least 12 weeks")
    assert not spec.asks("Symptoms have not responded to at least 4 weeks of therapy")
    (verdict,) = _evaluate(
        [("Inadequate response to applied behavior analysis",
          [{"kind": "trial_count", "subject": "applied behavior analysis", "comparator": ">=",
            "value": 1, "unit": "trials"}])],
        _ABA_CASE,
    )  # fmt: skip
    assert "clinical_summary[1]" not in verdict.evidence


def test_an_interrupted_supply_explains_a_response_below_the_threshold():
    (verdict,) = _evaluate(
        [("Documented response to therapy: EASI improvement of at least 50% from baseline",
          [{"kind": "threshold", "subject": "EASI improvement", "comparator": ">=", "value": 50,
            "unit": "%", "span": "EASI improvement of at least 50%"}])],
        {
            "clinical_summary": (
                "Doses were missed from July 1 to August 20, 2026 because the specialty "
                "pharmacy stopped shipping. She works as a nurse."
            ),
            "prior_treatments": [
                {"name": "Dupilumab", "kind": "medication", "start": "2026-01-15",
                 "dose": "300 mg", "frequency": "every 2 weeks", "outcome": "Partial response"},
            ],
            "objective_findings": [
                {"kind": "rating_scale", "name": "EASI", "value": "32", "date": "2026-01-10"},
                {"kind": "rating_scale", "name": "EASI", "value": "20", "date": "2026-10-01"},
            ],
        },
    )  # fmt: skip
    rv = verdict.requirements[0]
    # EASI is better lower: 32 -> 20 is an improvement of 37.5%, short of 50%
    assert rv.status == "not_met"
    assert "37.5%" in rv.found and "improvement" in rv.found
    assert "clinical_summary[0]" in verdict.evidence
    assert "clinical_summary[1]" not in verdict.evidence


def test_abbreviations_and_brands_are_their_ingredient():
    classes = book()
    assert classes.ingredient_in("MTX 20 mg weekly") == "methotrexate"
    assert classes.ingredient_in("Plaquenil") == "hydroxychloroquine"
    assert classes.ingredient_in("6-MP") == "mercaptopurine"
    assert classes.ingredient_in("Imuran") == "azathioprine"
    assert classes.ingredient_in("Emtricitabine") == "emtricitabine"  # not read as 'MTX'
    (verdict,) = _evaluate(
        [("Inadequate response to at least two conventional DMARDs (such as methotrexate, "
          "hydroxychloroquine, sulfasalazine or leflunomide)",
          [{"kind": "trial_count", "subject": "conventional DMARDs", "comparator": ">=",
            "value": 2, "unit": "trials",
            "classes": ["methotrexate", "hydroxychloroquine", "sulfasalazine", "leflunomide"]}])],
        {"prior_treatments": [
            {"name": "MTX", "kind": "medication", "start": "2025-04-01", "end": "2026-03-01",
             "dose": "20 mg", "frequency": "once weekly", "outcome": "Inadequate response"},
            {"name": "Plaquenil", "kind": "medication", "start": "2025-04-01",
             "end": "2026-08-01", "dose": "400 mg", "frequency": "once daily",
             "outcome": "Inadequate response"},
        ]},
    )  # fmt: skip
    assert verdict.status == "met"
    assert verdict.requirements[0].value == 2


def test_a_thiopurine_written_6_mp_failed_or_not_tolerated():
    (verdict,) = _evaluate(
        [("Failure of or intolerance to a thiopurine (azathioprine or 6-mercaptopurine)",
          [{"kind": "trial_count", "subject": "thiopurine", "comparator": ">=", "value": 1,
            "unit": "trials", "span": "intolerance to a thiopurine"}])],
        {"prior_treatments": [
            {"name": "6-MP", "kind": "medication", "start": "2025-06-01", "end": "2025-11-15",
             "dose": "75 mg", "outcome": "Loss of response"},
        ]},
    )  # fmt: skip
    assert verdict.status == "met"  # failure counts: the criterion joins the two by 'or'


def _activity(subject: str, value: float, case: dict, cmp: str = ">"):
    (verdict,) = _evaluate(
        [(f"Disease activity: {subject} greater than {value:g}",
          [{"kind": "threshold", "subject": subject, "comparator": cmp, "value": value}])],
        case,
    )  # fmt: skip
    return verdict.requirements[0]


def test_scores_under_other_names_and_cdai_by_the_case_condition():
    crohns = {
        "diagnoses": [{"code": "K50.80", "description": "Crohn's disease"}],
        "objective_findings": [
            {"kind": "rating_scale", "name": "CDAI", "value": "310", "date": "2026-09-10"},
            {"kind": "rating_scale", "name": "HBI", "value": "11", "date": "2026-09-10"},
        ],
    }
    assert _activity("Crohn's Disease Activity Index", 220, crohns).status == "met"
    assert _activity("Harvey-Bradshaw Index", 8, crohns, ">=").status == "met"
    rv = _activity("CDAI", 220, crohns)
    assert rv.status == "met" and rv.value == 310 and rv.found.startswith("CDAI 310")
    ra = {
        "diagnoses": [{"code": "M05.79", "description": "Rheumatoid arthritis"}],
        "objective_findings": [
            {"kind": "rating_scale", "name": "Clinical Disease Activity Index", "value": "24",
             "date": "2026-09-01"},
            {"kind": "rating_scale", "name": "SDAI", "value": "26.5", "date": "2026-09-01"},
            {"kind": "rating_scale", "name": "DAS28-ESR", "value": "5.4", "date": "2026-09-01"},
        ],
    }  # fmt: skip
    rv = _activity("CDAI", 10, ra)
    assert rv.status == "met" and rv.value == 24
    assert _activity("SDAI", 11, ra).status == "met"
    assert _activity("DAS28", 3.2, ra).status == "met"  # the generic name takes a variant
    assert _activity("DAS28-CRP", 3.2, ra).status == "unknown"  # an ESR score is not a CRP one


def test_alone_or_in_combination_makes_the_combination_no_condition():
    case = {"prior_treatments": [
        {"name": "Methotrexate", "kind": "medication", "start": "2025-02-03", "dose": "20 mg",
         "frequency": "once weekly", "duration": "ongoing", "outcome": "Ongoing; inadequate"},
        {"name": "Hydroxychloroquine", "kind": "medication", "start": "2025-02-03",
         "end": "2026-06-30", "dose": "400 mg", "outcome": "Inadequate response"},
    ]}  # fmt: skip
    req = {"kind": "concurrency", "subject": "methotrexate",
           "span": "in combination with methotrexate"}  # fmt: skip
    (either,) = _evaluate(
        [("Inadequate response to a conventional synthetic DMARD (hydroxychloroquine), used "
          "alone or in combination with methotrexate", [req])],
        case,
    )  # fmt: skip
    assert either.requirements[0].status == "met"
    assert "with methotrexate" in either.requirements[0].found
    # required together: an ongoing methotrexate course overlaps the hydroxychloroquine one
    (together,) = _evaluate(
        [("Inadequate response to a conventional synthetic DMARD (hydroxychloroquine) in "
          "combination with methotrexate", [req])],
        case,
    )  # fmt: skip
    assert together.requirements[0].status == "met"
    assert "overlapped" in together.requirements[0].found
