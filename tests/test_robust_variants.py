"""Regression tests for refusals and verdict changes the variant harness (evals/variants) found
on realistic rewordings of a case's facts: one test per cause."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from evals.variants.rewrite import VARIANTS, outcome_class, split_doses
from pipeline.casefile import parse_case
from pipeline.models import CaseFacts, PriorTreatment
from pipeline.reasoning import case_facts
from pipeline.reasoning.argument import fact_line
from pipeline.validate.checks.treatments import has_duration_text

# ------------------------------------------------------------ a treatment's line, one date


@pytest.mark.parametrize(
    ("start", "end", "said"),
    [
        (dt.date(2025, 10, 6), None, "from October 6, 2025"),
        (None, dt.date(2025, 11, 3), "until November 3, 2025"),
    ],
)
def test_a_treatment_with_one_date_keeps_its_duration(start, end, said):
    # one entry per dose of a titration: the first has its start, the last its end, each its
    # duration; the line under a criterion states how long (else the letter is refused)
    t = PriorTreatment(
        name="Verapamil immediate-release",
        kind="medication",
        dose="80 mg",
        frequency="three times daily",
        start=start,
        end=end,
        duration="18 days",
        outcome="Inadequate response",
    )
    case = CaseFacts(prior_treatments=[t])
    trial = case_facts(case, as_of=dt.date(2026, 11, 20)).trials[0]
    line = fact_line(case, "prior_treatments[0]", trial)
    assert line is not None and "18 days" in line and said in line
    assert has_duration_text(line.split(": ", 1)[0])


def test_a_dated_range_is_stated_as_the_dates():
    t = PriorTreatment(
        name="Naproxen",
        kind="medication",
        dose="500 mg",
        frequency="twice daily",
        start=dt.date(2025, 11, 3),
        end=dt.date(2026, 7, 15),
        duration="8.5 months",
        outcome="Inadequate pain relief",
    )
    case = CaseFacts(prior_treatments=[t])
    trial = case_facts(case, as_of=dt.date(2026, 11, 20)).trials[0]
    line = fact_line(case, "prior_treatments[0]", trial)
    assert line is not None and "November 3, 2025 – July 15, 2026" in line
    assert "8.5 months" not in line


# ------------------------------------------------------------ the harness's rewrites


def test_every_variant_writes_a_case_the_schema_accepts(tmp_path):
    from evals.variants.measure import ROOT, dump
    from pipeline.fileio import load_yaml

    data = load_yaml((ROOT / "examples" / "tka-aca" / "case.yaml").read_text())
    for variant in VARIANTS:
        rewritten = variant.rewrite(data, random.Random(variant.name))
        if rewritten is not None:
            parse_case(dump(rewritten), variant.name)


def test_outcomes_are_relabelled_only_when_they_state_a_failure():
    assert outcome_class("Continued") is None
    assert outcome_class("Effective: aborts attacks within 10 minutes") is None
    assert outcome_class("Inadequate response; no adverse event") == "failure"
    assert outcome_class("Stopped due to dyspepsia") == "intolerance"
    assert outcome_class("Transient relief only") == "partial"


def test_a_titration_splits_into_its_doses_not_its_daily_totals():
    case = {
        "prior_treatments": [
            {
                "name": "Verapamil",
                "kind": "medication",
                "dose": "80 mg three times daily (240 mg/day), increased to 120 mg three times "
                "daily (360 mg/day)",
                "start": dt.date(2025, 10, 6),
                "end": dt.date(2025, 11, 3),
            }
        ]
    }
    out = split_doses(case, random.Random(0))
    assert out is not None
    assert [t["dose"] for t in out["prior_treatments"]] == ["80 mg", "120 mg"]
    assert out["prior_treatments"][0].get("end") is None
    assert out["prior_treatments"][1].get("start") is None


# ------------------------------------------------------------ claims the case itself writes


@pytest.fixture(scope="module")
def tka_draft():
    from evals.variants.measure import ROOT
    from pipeline.casefile import load_case
    from pipeline.ingest import ingest
    from pipeline.run import draft_letter

    tka = ROOT / "examples" / "tka-aca"
    return draft_letter(
        ingest(tka / "letter.txt"), load_case(tka / "case.yaml"), today=dt.date(2026, 12, 5)
    )


def _claims(draft, case_update: dict, section: str, sentence: str) -> list[str]:
    from pipeline import letter_format as lf
    from pipeline.validate import validate_markdown

    case = draft.case.model_copy(update=case_update)
    heading = lf.heading(section)
    markdown = draft.markdown.replace(heading, f"{heading}\n\n{sentence}", 1)
    assert markdown != draft.markdown
    found = validate_markdown(markdown, draft.model_copy(update={"case": case})).findings
    return [f.excerpt or "" for f in found if f.code == "claim.unsupported"]


def test_a_findings_interpretation_with_the_letters_period_is_the_cases_words(tka_draft):
    from pipeline.models import Finding

    finding = Finding(
        kind="other",
        name="Nephrology note",
        value="Advised against further NSAIDs",
        interpretation="Contraindication to repeat triamcinolone injection",
    )
    update = {"objective_findings": [*tka_draft.case.objective_findings, finding]}
    line = "- Nephrology note: Advised against further NSAIDs — Contraindication to repeat "
    line += "triamcinolone injection."
    assert _claims(tka_draft, update, "Objective findings", line) == []


def test_a_sentence_carrying_the_cases_own_clause_is_supported(tka_draft):
    extra = PriorTreatment(
        name="Aripiprazole augmentation", kind="medication", outcome="Stopped for akathisia"
    )
    consequences = "Continued pain after two failed NSAIDs and an augmentation stopped early"
    update = {
        "prior_treatments": [*tka_draft.case.prior_treatments, extra],
        "consequences_of_denial": consequences,
    }
    said = f"If this denial stands, he faces {consequences[0].lower()}{consequences[1:]}."
    assert _claims(tka_draft, update, "Consequences of denial", said) == []
    # the same claim in the letter's own words is still checked
    own = "The aripiprazole augmentation failed."
    assert _claims(tka_draft, update, "Consequences of denial", own) == ["failed"]


def test_a_comparisons_count_is_about_the_treatments_its_record_part_names(tka_draft):
    # the plan's words ('during the current episode') name no treatment of the case, though a
    # treatment's name holds one of them ('Sertraline, 2019 episode')
    extra = PriorTreatment(name="Sertraline, 2019 episode", kind="medication", outcome="Remission")
    update = {"prior_treatments": [*tka_draft.case.prior_treatments, extra]}
    said = (
        "The plan requires at least 2 trials during the current episode; the record shows "
        "3 failed trials, which meets it."
    )
    assert _claims(tka_draft, update, "Consequences of denial", said) == []


# ------------------------------------------------------------ date fields as physicians write them


@pytest.mark.parametrize(
    "written", ["11/02/2026", "November 2, 2026", "2 Nov 2026", "Nov. 2, 2026"]
)
def test_a_date_field_in_a_written_form_is_that_date(written):
    # the harness's date-fields variants: every case was refused (exit 2) for 'start: 11/02/2026'
    case = parse_case(
        f'prior_treatments:\n  - name: X\n    start: "{written}"\n'
        f'documents:\n  - title: Notes\n    date: "{written}"\n'
    )
    assert case.prior_treatments[0].start == dt.date(2026, 11, 2)
    assert case.documents[0].date == dt.date(2026, 11, 2)


@pytest.mark.parametrize(
    "written", ["13/45/2026", "soon", "02/30/2026", "02.11.2026", "13.11.2026", "02-11-2026"]
)
def test_a_date_field_that_is_no_date_is_still_refused(written):
    from pipeline.errors import InputError

    with pytest.raises(InputError):
        parse_case(f'prior_treatments:\n  - name: X\n    start: "{written}"\n')


# ------------------------------------------------------------ units, dates and results read once


def _candidates(*findings):
    from pipeline.models import Finding

    facts = case_facts(CaseFacts(objective_findings=[Finding(**f) for f in findings]))
    return {c.path: c for c in facts.meaning.candidates}


def test_a_lab_value_without_its_unit_is_in_the_unit_its_test_is_reported_in():
    # lab-units-dropped: 'Serum uric acid: 7.9' was no uric acid in mg/dL, and a criterion on
    # serum uric acid compared the creatinine's '1.5 mg/dL' instead
    got = _candidates(
        {"kind": "lab", "name": "Serum uric acid (on febuxostat 80 mg daily)", "value": "7.9"},
        {"kind": "lab", "name": "C-reactive protein", "value": "12"},
        {"kind": "lab", "name": "Serum uric acid", "value": "7.9 mg/dL"},
    )
    assert (7.9, "mg/dl") in got["objective_findings[0]"].numbers
    assert got["objective_findings[1]"].numbers == ()  # mg/L or mg/dL: no unit is assumed
    assert got["objective_findings[2]"].numbers == ((7.9, "mg/dl"),)


def test_equivalent_wordings_of_a_finding_read_the_same():
    # text-dates-long / unit-spellings: the fact chosen by meaning changed with the wording
    a, b, c = _candidates(
        {"kind": "exam", "name": "BP", "value": "148/94 mmHg on 2026-10-06; 132 mg/dL"},
        {"kind": "exam", "name": "BP", "value": "148/94 mm Hg on October 6, 2026; 132 mg/dl"},
        {"kind": "exam", "name": "BP", "value": "148/94 mmHg on 10/06/2026; 132 mg/dL"},
    ).values()
    assert a.words == b.words == c.words
    assert a.numbers == b.numbers == c.numbers


@pytest.mark.parametrize(
    ("value", "polarity"),
    [
        ("Negative", "negative"),
        ("All non-reactive", "negative"),
        ("Nonreactive", "negative"),
        ("Not detected (<10 ng/mL)", "negative"),
        ("None detected", "negative"),
        ("Indeterminate (low mitogen response)", "indeterminate"),
        ("Inconclusive; repeat testing needed", "indeterminate"),
        ("Reactive", "positive"),
        ("7.9 mg/dL", None),
    ],
)
def test_a_results_polarity_is_read_once_from_its_words(value, polarity):
    from pipeline.models import Finding
    from pipeline.reasoning.facts import _observation

    finding = Finding(kind="lab", name="Hepatitis B surface antigen", value=value)
    assert _observation(0, finding).polarity == polarity


def test_a_weight_in_pounds_is_the_same_weight_and_a_bmi_is_no_weight():
    from pipeline.models import Finding, Service
    from pipeline.reasoning.request import per_kg

    notice = "The dose may be no more than 0.24 mg/kg/week."
    service = Service(code="J2941", description="somatropin", details="5.6 mg weekly")

    def dosed(value):
        finding = Finding(kind="vital", name="Height and weight", value=value)
        case = CaseFacts(service=service, objective_findings=[finding])
        return per_kg(notice, case)

    kg, lb = dosed("Height 125.8 cm; weight 23.8 kg"), dosed("Height 125.8 cm; weight 52.5 lb")
    assert kg is not None and lb is not None
    assert lb.weight == kg.weight == 23.8 and lb.value == kg.value
    assert "52.5 lb (23.8 kg)" in lb.sentence() and "23.8 kg (" in kg.sentence()
    assert "23.8 kg" in lb.strings()  # a figure the letter computes, not a claim
    # 'BMI 15.0 kg/m2' was read as a weight of 15 kg (the dose then 'above your limit')
    assert dosed("Height 125.8 cm; BMI 15.0 kg/m2") is None


def test_heights_in_inches_are_the_same_heights():
    from types import SimpleNamespace

    from pipeline.models import Finding
    from pipeline.reasoning.facts import _observation
    from pipeline.reasoning.verdicts import _heights

    def heights(*values):
        days = (dt.date(2025, 10, 14), dt.date(2026, 10, 20))
        found = [
            _observation(i, Finding(kind="vital", name="Height", value=v, date=d))
            for i, (v, d) in enumerate(zip(values, days, strict=True))
        ]
        return [h[1] for h in _heights(SimpleNamespace(facts=SimpleNamespace(observations=found)))]

    assert heights("122.0 cm", "125.8 cm") == [122.0, 125.8]
    assert heights("48.0 in", "49.5 inches") == [121.9, 125.7]
