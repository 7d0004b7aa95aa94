"""Letters a physician would sign (issue 17, second round): where passages are placed, the
peer-to-peer window, class membership from clinical class names, functional criteria, the
enclosures, the request and the length. Cases here are written for these tests, in clinical areas
other than the bundled examples."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pipeline import letter_format as lf
from pipeline.draft import compose, p2p_closes
from pipeline.engines import OfflineEngine
from pipeline.models import DenialAnalysis, Passage, RetrievedPassage
from tests.reasoning_fixtures import TMS, load


@pytest.fixture(scope="module")
def tms():
    return load("tms-erisa", TMS)


def _passage(pid: str, kind: str, **changes: object) -> Passage:
    data: dict[str, object] = {
        "id": pid,
        "kind": kind,
        "issuing_body": "U.S. Department of Labor",
        "short_body": "DOL",
        "title": "Claims procedure",
        "year": 2000,
        "section": "29 CFR 2560.503-1(h)",
        "text": "A full and fair review takes into account all information submitted.",
        "url": "https://example.org/reg",
        "license": "public domain",
        "specialty": "general",
        "verified": True,
    }
    data.update(changes)
    return Passage.model_validate(data)


def _draft(analysis, case, text, passages=(), today=dt.date(2026, 10, 25)):
    return compose(
        text, analysis, case, list(passages), OfflineEngine(), today=today, allow_gaps=True
    )


# --------------------------------------------------------------------------- passages


def test_law_is_never_placed_under_a_clinical_criterion(tms):
    analysis, case, text = tms
    regulation = _passage("erisa-full-fair", "regulation", plan_types=["erisa"])
    retrieved = RetrievedPassage(passage=regulation, score=1.0, rank=1, criteria=[0, 1, 2, 3])
    markdown = _draft(analysis, case, text, [retrieved]).markdown
    sections = lf.split_sections(markdown)
    assert "Guideline (" not in sections[lf.CRITERIA]
    assert "2560.503-1" not in sections[lf.CRITERIA]
    assert "2560.503-1(h)" in sections[lf.LEGAL_BASIS]


def test_a_guideline_is_stated_once_and_only_under_criteria_it_was_retrieved_for(tms):
    analysis, case, text = tms
    canmat = _passage(
        "canmat-rtms", "guideline", short_body="CANMAT", year=2016, title="Neurostimulation",
        section="Section 4", recommendation="First-line",
        text="High-frequency rTMS is a first-line treatment after failure of one antidepressant.",
    )  # fmt: skip
    other = _passage(
        "imaging-guideline", "guideline", short_body="ACR", year=2020, title="Imaging",
        section="Low back pain", text="Imaging is not indicated for acute low back pain.",
    )  # fmt: skip
    markdown = _draft(
        analysis,
        case,
        text,
        [
            RetrievedPassage(passage=canmat, score=1.0, rank=1, criteria=[0, 1, 2, 3]),
            RetrievedPassage(passage=other, score=0.9, rank=2, criteria=[]),
        ],
    ).markdown
    criteria = lf.split_sections(markdown)[lf.CRITERIA]
    assert criteria.count("Guideline (CANMAT 2016, Section 4, First-line)") == 1
    assert "stricter than this guideline" in criteria
    assert "ACR" not in criteria  # retrieved for no criterion: not placed under one


# --------------------------------------------------------------------------- peer to peer


@pytest.mark.parametrize(
    ("window", "closes"),
    [
        ("within 14 calendar days of the date of this letter", dt.date(2026, 11, 4)),
        # 10/21/2026 is a Wednesday: five business days end on Wednesday 10/28
        ("within 5 business days of this notice", dt.date(2026, 10, 28)),
        ("within 3 working days", dt.date(2026, 10, 26)),
        ("at any time before the appeal is decided", None),
    ],
)
def test_p2p_window_is_counted_from_the_notice(window, closes):
    analysis = DenialAnalysis(letter_date=dt.date(2026, 10, 21), peer_to_peer_window=window)
    assert p2p_closes(analysis) == closes


def test_a_passed_p2p_window_is_stated_as_passed(tms):
    analysis, case, text = tms
    late = analysis.model_copy(
        update={"peer_to_peer_window": "within 5 business days of this notice"}
    )
    open_now = lf.split_sections(_draft(late, case, text, today=dt.date(2026, 10, 26)).markdown)
    assert "through October 28, 2026" in open_now[lf.PEER_TO_PEER]
    assert "closed" not in open_now[lf.PEER_TO_PEER]
    passed = lf.split_sections(_draft(late, case, text, today=dt.date(2026, 11, 20)).markdown)
    p2p = passed[lf.PEER_TO_PEER]
    assert "closed on October 28, 2026" in p2p
    assert "I ask for one nonetheless" in p2p
    assert "(206) 555-0143" in p2p  # the physician's own line
    assert "I am requesting one through that line" not in p2p


# --------------------------------------------------------------------------- classes


def _case(treatments, findings=(), **extra):
    from pipeline.models import CaseFacts

    return CaseFacts.model_validate(
        {"prior_treatments": list(treatments), "objective_findings": list(findings), **extra}
    )


def _criterion(text, *reqs, logic="all"):
    from pipeline.models import Criterion

    return Criterion(text=text, logic=logic, requirements=list(reqs))


def _med(name, start, end, **kw):
    return {"name": name, "kind": "medication", "start": start, "end": end,
            "outcome": kw.pop("outcome", "Inadequate response"), **kw}  # fmt: skip


D = dt.date
MIGRAINE = (
    "Failure of at least two preventive medications from different classes (a beta blocker, an "
    "anticonvulsant, or a tricyclic antidepressant), each for at least 8 weeks"
)


def _migraine(treatments):
    from pipeline.reasoning import evaluate
    from tests.reasoning_fixtures import R

    criterion = _criterion(
        MIGRAINE,
        R("trial_count", "preventive medications", ">=", 2, "medications"),
        R("duration", "preventive medications", ">=", 8, "weeks", each=True),
    )
    return evaluate(DenialAnalysis(criteria=[criterion]), _case(treatments))[0]


def test_clinical_class_names_in_parentheses_map_to_drugs():
    verdict = _migraine(
        [
            _med("Propranolol LA", D(2025, 1, 6), D(2025, 3, 31), dose="80 mg"),
            _med("Topiramate", D(2025, 4, 7), D(2025, 6, 16), dose="100 mg"),
            _med("Amitriptyline", D(2025, 6, 23), D(2025, 7, 28), dose="25 mg"),
            _med("Sumatriptan", D(2025, 1, 1), D(2025, 12, 1), dose="50 mg"),  # acute, not listed
        ]
    )
    count, weeks = verdict.requirements
    assert count.status == "met" and count.value == 3
    assert count.evidence == [f"prior_treatments[{i}]" for i in (0, 1, 2)]
    # each trial is measured: two qualify, the 5-week amitriptyline trial is named as short
    assert weeks.status == "met"
    assert "2 of 3 qualify" in weeks.found
    assert "Amitriptyline 5 weeks falls short" in weeks.found
    assert verdict.status == "met"


def test_each_duration_fails_honestly_and_names_the_missing_field():
    verdict = _migraine(
        [
            _med("Metoprolol succinate", D(2025, 1, 6), D(2025, 4, 28), dose="100 mg"),
            _med("Nortriptyline", D(2025, 5, 5), D(2025, 6, 9), dose="25 mg"),
            _med("Divalproex sodium", None, None, dose="500 mg"),
        ]
    )
    count, weeks = verdict.requirements
    assert count.status == "met" and count.value == 3
    assert weeks.status == "not_met"
    assert "1 of 3 qualify (Metoprolol succinate 16 weeks)" in weeks.found
    assert "Nortriptyline 5 weeks falls short" in weeks.found
    assert "Divalproex sodium: no duration recorded" in weeks.found
    assert weeks.field == "prior_treatments[2].start/end"


def test_an_exhaustive_drug_list_restricts_and_an_example_list_does_not():
    from pipeline.reasoning import evaluate
    from tests.reasoning_fixtures import R

    treatments = [
        _med("Methotrexate", D(2025, 1, 6), D(2025, 6, 2), dose="20 mg"),
        _med("Sulfasalazine", D(2025, 6, 9), D(2025, 10, 6), dose="1000 mg"),
    ]
    exhaustive = _criterion(
        "Inadequate response to a conventional synthetic DMARD (leflunomide or sulfasalazine)",
        R("trial_count", "conventional synthetic DMARD", ">=", 1, "trials"),
    )
    examples = _criterion(
        "Inadequate response to a conventional synthetic DMARD (e.g., leflunomide or "
        "sulfasalazine)",
        R("trial_count", "conventional synthetic DMARD", ">=", 1, "trials"),
    )
    a, b = evaluate(DenialAnalysis(criteria=[exhaustive, examples]), _case(treatments))
    assert a.requirements[0].evidence == ["prior_treatments[1]"]
    assert b.requirements[0].evidence == ["prior_treatments[0]", "prior_treatments[1]"]


def test_classes_are_counted_by_the_names_the_criterion_uses():
    from pipeline.reasoning import evaluate
    from tests.reasoning_fixtures import R

    criterion = _criterion(
        "Failure of agents from at least two classes (an SSRI, an SNRI, or a tricyclic "
        "antidepressant)",
        R("class_count", "agents", ">=", 2, "classes"),
    )
    treatments = [
        _med("Fluoxetine", D(2025, 1, 6), D(2025, 3, 3), dose="40 mg"),
        _med("Desvenlafaxine", D(2025, 3, 10), D(2025, 5, 5), dose="100 mg"),
        _med("Clomipramine", D(2025, 5, 12), D(2025, 7, 7), dose="150 mg"),
    ]
    (verdict,) = evaluate(DenialAnalysis(criteria=[criterion]), _case(treatments))
    (classes,) = verdict.requirements
    assert classes.status == "met" and classes.value == 3
    assert "SSRI: Fluoxetine" in classes.found and "SNRI: Desvenlafaxine" in classes.found


# --------------------------------------------------------------------------- enclosures, request


def test_enclosures_are_derived_from_the_facts_the_letter_cites(tms):
    analysis, case, text = tms
    assert not case.documents
    sections = lf.split_sections(_draft(analysis, case, text).markdown)
    items = sections[lf.ENCLOSURES].splitlines()
    assert items[0].startswith("1. Denial notice of October 21, 2026")
    meds = next(i for i in items if i.startswith("2. Medication records"))
    for name in ("Sertraline", "Escitalopram", "Bupropion XL", "Venlafaxine XR", "Duloxetine"):
        assert name in meds
    assert "October 7, 2024 – March 2, 2026" in meds  # the trials' first and last dates
    assert any(i.startswith(("3. Medication records", "3. Treatment notes")) for i in items)
    assert any("Urine drug screen" in i and "October 8, 2026" in i for i in items)
    # nothing the case does not imply: one record group per kind of fact, no invented document
    assert len(items) <= 2 + len(case.prior_treatments) + len(case.objective_findings)
    # the criterion the medication records document names them by number
    first = sections[lf.CRITERIA].split("### Criterion 2")[0]
    assert re.search(r"\(Enclosures? 2\b", first), first


def test_the_records_the_reviewer_lacked_are_named_under_the_criterion(tms):
    analysis, case, text = tms
    criteria = list(analysis.criteria)
    criteria[0] = criteria[0].model_copy(
        update={
            "payer_status": "not_documented",
            "payer_reason": "The records show only three antidepressant trials.",
        }
    )
    canmat = _passage(
        "canmat-rtms", "guideline", short_body="CANMAT", year=2016, title="Neurostimulation",
        section="Section 4", text="rTMS is first-line after failure of one antidepressant trial.",
    )  # fmt: skip
    retrieved = [RetrievedPassage(passage=canmat, score=1.0, rank=1, criteria=[0])]
    draft = _draft(analysis.model_copy(update={"criteria": criteria}), case, text, retrieved)
    body = lf.split_sections(draft.markdown)[lf.CRITERIA]
    first = body[: body.index("### Criterion 2")]
    noted = "Your reviewer noted: “The records show only three antidepressant trials.”"
    assert noted in first
    assert "(Enclosure 2)" in first
    # the answer on the records stands with the record, before the guideline's position
    assert "Guideline (" in first and first.index(noted) < first.index("Guideline (")


def test_revenue_codes_are_a_code_kind():
    from pipeline.casecheck import case_problems
    from pipeline.codes import is_revenue
    from pipeline.draft import code_label
    from pipeline.models import CaseFacts

    assert is_revenue("0128") and is_revenue("1001") and not is_revenue("01281")
    assert not is_revenue("2744")  # a CPT code missing a digit, not a revenue code
    assert code_label("0128") == "Revenue code" and code_label("97110") == "CPT"
    ok = CaseFacts.model_validate({"service": {"code": "0128", "description": "Inpatient rehab"}})
    assert not [g for g in case_problems(ok) if g.field == "service.code"]
    bad = CaseFacts.model_validate({"service": {"code": "12A", "description": "x"}})
    assert [g for g in case_problems(bad) if g.field == "service.code"]


def test_the_request_names_units_administrations_and_period():
    from pipeline.models import CaseFacts
    from pipeline.reasoning.request import administrations, requested_codes

    assert administrations("300 mg IV at weeks 0, 2 and 6: 3 infusions") == "3 infusions"
    assert administrations("inpatient rehabilitation, 14 days") == "14 days"
    assert administrations(None) == ""
    assert administrations("40 mg every 14 days (2 units per dose)") == ""  # an interval
    case = CaseFacts.model_validate(
        {"service": {"code": "0128", "description": "Inpatient rehabilitation",
                     "details": "revenue code 0128 x 14 (days), physician visits CPT 99233 x 10"}}
    )  # fmt: skip
    assert requested_codes(DenialAnalysis(), case) == [
        ("0128", 14, []),
        ("99233", 10, []),
    ]


# --------------------------------------------------------------------------- functional criteria

IRF_CRITERIA = [
    "The patient requires the active and ongoing intervention of multiple therapy disciplines "
    "(physical therapy, occupational therapy, speech-language pathology), one of which must be "
    "physical or occupational therapy",
    "The patient is able to tolerate and benefit from an intensive rehabilitation therapy "
    "program, generally 3 hours of therapy a day at least 5 days a week",
    "The patient requires supervision by a rehabilitation physician, with face-to-face visits at "
    "least 3 days a week",
    "The patient has significant functional deficits in mobility and self-care and is expected "
    "to make measurable improvement",
]


def _hip_fracture_case(minutes: int = 210):
    return _case(
        [
            {"name": "Physical therapy (acute hospital)", "kind": "therapy",
             "start": D(2026, 10, 6), "end": D(2026, 10, 12), "frequency": "twice daily",
             "outcome": "Progressing; needs moderate assistance for transfers"},
            {"name": "Occupational therapy (acute hospital)", "kind": "therapy",
             "start": D(2026, 10, 7), "end": D(2026, 10, 12), "frequency": "daily",
             "outcome": "Maximal assistance for lower-body dressing"},
        ],
        [
            {"kind": "exam", "name": "Therapy participation (acute hospital)",
             "value": f"tolerated {minutes} minutes of therapy per day, 2026-10-10 to 2026-10-12",
             "date": D(2026, 10, 12)},
            {"kind": "rating_scale", "name": "Section GG self-care",
             "value": "18/42; maximal assistance for toileting and lower-body dressing",
             "date": D(2026, 10, 12)},
            {"kind": "rating_scale", "name": "Section GG mobility",
             "value": "transfers with moderate assistance; ambulates 15 feet with a walker",
             "date": D(2026, 10, 12)},
            {"kind": "lab", "name": "INR", "value": "2.4 on warfarin", "date": D(2026, 10, 12),
             "interpretation": "Therapeutic; anticoagulation needs monitoring"},
        ],
        clinical_summary=(
            "78-year-old woman after right hip hemiarthroplasty for a femoral neck fracture. "
            "Type 2 diabetes on insulin with labile glucose and atrial fibrillation on warfarin "
            "make her medically complex. She is expected to return home with her husband; her "
            "goals are independent transfers and walking 150 feet."
        ),
        service={
            "code": "0128",
            "description": "Inpatient rehabilitation facility admission",
            "details": (
                "Inpatient rehabilitation, 12 days; physical therapy and occupational therapy, "
                "3 hours a day, 5 days a week; rehabilitation physician face-to-face visits "
                "daily."
            ),
        },
    )  # fmt: skip


def _irf(case):
    from pipeline.models import Criterion
    from pipeline.reasoning import evaluate
    from pipeline.requirements import parse_requirements

    criteria = []
    for text in IRF_CRITERIA:
        requirements, logic = parse_requirements(text)
        criteria.append(Criterion(text=text, requirements=requirements, logic=logic))
    return evaluate(DenialAnalysis(criteria=criteria), case)


def test_functional_criteria_find_their_facts():
    disciplines, tolerance, supervision, deficits = _irf(_hip_fracture_case())
    assert disciplines.status == "met"
    assert {"prior_treatments[0]", "prior_treatments[1]"} <= set(disciplines.evidence)
    assert tolerance.status == "met"
    hours, days = tolerance.requirements
    # what she tolerated is a finding, never the plan; the program's days a week are its schedule
    assert hours.evidence == ["objective_findings[0]"] and hours.value == 210
    assert hours.comparison.startswith(
        "The plan requires at least 3 hours of therapy a day; the record shows"
    )
    assert days.evidence == ["service.details"] and days.value == 5
    assert supervision.status == "met"
    assert "clinical_summary" in supervision.evidence or "objective_findings[3]" in (
        supervision.evidence
    )
    assert deficits.status == "met"
    assert {"objective_findings[1]", "objective_findings[2]"} <= set(deficits.evidence)
    for verdict in (disciplines, tolerance, supervision, deficits):
        assert all(rv.status == "met" for rv in verdict.requirements), verdict.requirements


def test_an_intensity_the_patient_did_not_tolerate_is_not_met():
    _, tolerance, _, _ = _irf(_hip_fracture_case(minutes=90))
    hours = [rv for rv in tolerance.requirements if rv.value is not None and rv.value == 90]
    assert hours and hours[0].status == "not_met"
    assert tolerance.status == "not_met"


def test_adequate_dose_is_compared_with_the_label_dose_for_the_diagnosis():
    from pipeline.reasoning import evaluate
    from tests.reasoning_fixtures import R

    criterion = _criterion(
        "Failure of two antidepressants, each at an adequate dose",
        R("trial_count", "antidepressants", ">=", 2, "trials"),
        R("dose_adequacy", "adequate dose"),
    )
    treatments = [
        _med("Sertraline", D(2025, 1, 6), D(2025, 3, 31), dose="25 mg", frequency="once daily"),
        _med("Escitalopram", D(2025, 4, 7), D(2025, 6, 30), dose="20 mg", frequency="daily"),
    ]
    depressed = {"diagnoses": [{"code": "F33.1"}]}
    (low,) = evaluate(DenialAnalysis(criteria=[criterion]), _case(treatments, **depressed))
    dose = low.requirements[1]
    assert dose.status == "not_met"
    assert "Sertraline 25 mg/day (label's effective dose 50)" in dose.found
    treatments[0]["dose"] = "100 mg"
    (ok,) = evaluate(DenialAnalysis(criteria=[criterion]), _case(treatments, **depressed))
    assert ok.requirements[1].status == "met"
    assert (
        "Sertraline 100 mg/day, label minimum 50, Escitalopram 20 mg/day, label minimum 10"
        in ok.requirements[1].found
    )
    # another indication: the depression doses do not apply (no row for migraine)
    (other,) = evaluate(
        DenialAnalysis(criteria=[criterion]), _case(treatments, diagnoses=[{"code": "G43.709"}])
    )
    assert "final doses as recorded" in other.requirements[1].found


def test_each_preferred_alternative_gets_the_cases_reason_or_a_gap():
    from pipeline.draft import alternative_gaps
    from pipeline.extract import extract_facts
    from pipeline.reasoning.alternatives import alternatives

    notice = extract_facts(
        "Coverage of ustekinumab is denied. Preferred alternatives on the formulary include "
        "methotrexate, cyclosporine and acitretin. You may appeal within 180 days."
    )
    case = _case(
        [_med("Methotrexate", D(2025, 6, 16), D(2025, 12, 15), dose="20 mg")],
        clinical_summary=(
            "Plaque psoriasis, BSA 22%. Acitretin is contraindicated because she is planning a "
            "pregnancy."
        ),
    )
    found = {a.name: a for a in alternatives(notice, case)}
    assert list(found) == ["methotrexate", "cyclosporine", "acitretin"]
    assert found["methotrexate"].reason.startswith("tried already: Methotrexate 20 mg, June 16")
    assert found["methotrexate"].paths == ("prior_treatments[0]",)
    assert "contraindicated because she is planning a pregnancy" in found["acitretin"].reason
    assert found["cyclosporine"].reason is None
    (gap,) = alternative_gaps(notice, case)
    assert gap.field == "prior_treatments" and "cyclosporine" in gap.message
    assert "acitretin" not in gap.message
    assert alternatives(extract_facts("No alternatives are named here."), case) == []


def test_alternatives_are_the_analysis_list_read_once_brand_names_by_their_ingredient():
    from pipeline.draft import alternative_gaps
    from pipeline.reasoning.alternatives import alternatives

    case = _case(
        [_med("Methotrexate", D(2025, 6, 16), D(2025, 12, 15), dose="20 mg")],
        clinical_summary="Plaque psoriasis, BSA 22%.",
    )
    # the analysis's list, as a model or the rules filled it, is what the letter answers
    listed = DenialAnalysis(
        preferred_alternatives=["OTREXUP (methotrexate)", "cyclosporine", "Not A Drug Name"]
    )
    assert [a.name for a in alternatives(listed, case)] == ["methotrexate", "cyclosporine"]
    (gap,) = alternative_gaps(listed, case)
    assert "cyclosporine" in gap.message and "methotrexate" not in gap.message
    # nothing is read again from a text: an analysis without alternatives has none to answer
    assert alternatives(DenialAnalysis(), case) == []
    assert alternative_gaps(DenialAnalysis(), case) == []


def test_an_ungraded_criterion_is_argued_and_a_met_one_is_not(tms):
    analysis, case, text = tms
    criteria = list(analysis.criteria)
    criteria[0] = criteria[0].model_copy(update={"payer_status": "met"})
    criteria[1] = criteria[1].model_copy(update={"payer_status": "not_stated"})
    canmat = _passage(
        "canmat-rtms", "guideline", short_body="CANMAT", year=2016, title="Neurostimulation",
        section="Section 4", text="rTMS is first-line after failure of one antidepressant trial.",
    )  # fmt: skip
    retrieved = [RetrievedPassage(passage=canmat, score=1.0, rank=1, criteria=[0, 1, 2, 3])]
    draft = _draft(analysis.model_copy(update={"criteria": criteria}), case, text, retrieved)
    sections = lf.split_sections(draft.markdown)
    body = sections[lf.CRITERIA]
    first = body[: body.index("### Criterion 2")]
    assert "Guideline (" not in first  # a criterion the payer called met needs no support
    second = body[body.index("### Criterion 2") : body.index("### Criterion 3")]
    # it is answered by one sentence, not a section of its own
    assert "Your notice found criterion 1 met; I do not argue it further." in first
    assert "### Criterion 1" not in first
    assert "Required:" not in first
    assert "The plan requires at least 1 trial" in second and "do not dispute" not in second
    # the sentence above answers it: no summary table up front says it again
    assert "Met, per your notice" not in draft.markdown
    assert "| Plan requirement |" not in sections[lf.IDENTIFICATION]
    from pipeline.validate import validate_markdown

    def codes(md: str) -> set[str]:
        return {f.code for f in validate_markdown(md, draft).findings}

    assert "criteria.unanswered" not in codes(draft.markdown)
    # without the sentence, the criterion is unanswered
    dropped = draft.markdown.replace(lf.met_by_notice_sentence([1]), "")
    assert "criteria.unanswered" in codes(dropped)


def test_a_criterion_the_notice_marks_not_applicable_has_no_section(tms):
    analysis, case, text = tms
    criteria = list(analysis.criteria)
    criteria[2] = criteria[2].model_copy(update={"payer_status": "not_applicable"})
    draft = _draft(analysis.model_copy(update={"criteria": criteria}), case, text)
    sections = lf.split_sections(draft.markdown)
    # no section of its own: one sentence, which the validator reads as its answer
    body = sections[lf.CRITERIA]
    assert "Your notice marks criterion 3 not applicable; I do not argue it." in body
    assert "### Criterion 3" not in body
    from pipeline.validate import validate_markdown

    found = {f.code for f in validate_markdown(draft.markdown, draft).findings}
    assert "criteria.unanswered" not in found
