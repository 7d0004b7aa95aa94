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
from pipeline.requirements import parse_requirements

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


def test_a_drug_class_offered_instead_of_a_test_answers_it():
    (verdict,) = _evaluate(
        [("Medical management including an intranasal corticosteroid and, when allergic rhinitis "
          "is present, an antihistamine and/or allergy evaluation",
          [{"kind": "test_done", "subject": "allergy evaluation",
            "span": "an antihistamine and/or allergy evaluation"}])],
        {"prior_treatments": [
            {"name": "Cetirizine", "kind": "medication", "start": "2026-04-01", "dose": "10 mg",
             "outcome": "Minimal benefit"},
        ]},
    )  # fmt: skip
    rv = verdict.requirements[0]
    assert rv.status == "met" and rv.evidence == ["prior_treatments[0]"]
    # without the alternative in the span, a drug is no allergy evaluation
    (plain,) = _evaluate(
        [("An allergy evaluation", [{"kind": "test_done", "subject": "allergy evaluation"}])],
        {"prior_treatments": [
            {"name": "Cetirizine", "kind": "medication", "start": "2026-04-01", "dose": "10 mg"},
        ]},
    )  # fmt: skip
    assert plain.requirements[0].status != "met"


def test_not_in_conjunction_with_is_an_absence():
    text = "The procedure is not performed in conjunction with a cosmetic rhinoplasty"
    req = {"kind": "concurrency", "subject": "cosmetic rhinoplasty",
           "span": "in conjunction with a cosmetic rhinoplasty"}  # fmt: skip
    (said,) = _evaluate(
        [(text, [req])],
        {"clinical_summary": "He has not requested and will not have a rhinoplasty or any "
                             "external nasal work. He has a deviated septum."},
    )  # fmt: skip
    rv = said.requirements[0]
    assert rv.status == "met" and rv.evidence == ["clinical_summary[0]"]
    assert rv.required.startswith("no cosmetic rhinoplasty")
    (silent,) = _evaluate([(text, [req])], {"clinical_summary": "He has a deviated septum."})
    assert silent.requirements[0].status != "met"


_GH = {
    "objective_findings": [
        {"kind": "lab", "name": "Arginine GH stimulation test, peak GH", "value": "4.8 ng/mL",
         "date": "2026-09-16"},
        {"kind": "imaging", "name": "Pituitary MRI with contrast",
         "value": "Anterior pituitary hypoplasia", "date": "2026-11-05"},
    ],
}  # fmt: skip
_GH_TEXT = (
    "Biochemical GH deficiency (a) Two GH stimulation tests with peak GH below 10 ng/mL; OR (b) "
    "one stimulation test with peak below 10 ng/mL AND either a structural abnormality on MRI or "
    "deficiency of at least one other pituitary hormone"
)
_GH_REQS = [
    {"kind": "threshold", "subject": "peak GH", "comparator": "<", "value": 10,
     "unit": "ng/mL", "span": "below 10 ng/mL"},
    {"kind": "threshold", "subject": "peak", "comparator": "<", "value": 10, "unit": "ng/mL",
     "span": "below 10 ng/mL", "branch": 1},
    {"kind": "test_done", "subject": "MRI", "span": "a structural abnormality on MRI",
     "branch": 1},
    {"kind": "threshold", "subject": "other pituitary hormone", "comparator": ">=", "value": 1,
     "span": "at least one", "branch": 1},
]  # fmt: skip


def test_a_value_read_from_the_finding_its_words_name_and_how_many_results_a_clause_asks():
    from pipeline.reasoning.verdicts import shown

    (verdict,) = _evaluate([(_GH_TEXT, _GH_REQS)], _GH, logic="any")
    two, one, mri, _other = verdict.requirements
    # one test on record where two are asked: not shown, never met on the one
    assert two.status == "unknown" and two.required.startswith("2 results")
    assert one.status == "met" and one.value == 4.8 and one.evidence == ["objective_findings[0]"]
    assert mri.status == "met" and mri.evidence == ["objective_findings[1]"]
    # MRI or another hormone: the MRI answers for the pair, and the letter states branch (b)
    assert verdict.status == "met"
    assert shown(verdict) == [one, mri]
    # without the MRI neither alternative holds
    (without,) = _evaluate(
        [(_GH_TEXT, _GH_REQS)], {"objective_findings": _GH["objective_findings"][:1]}, "any"
    )
    assert without.status != "met"


def test_a_named_cognitive_score_and_a_dose_count():
    (moca,) = _evaluate(
        [("No dementia: MoCA of 21 or higher",
          [{"kind": "threshold", "subject": "MoCA", "comparator": ">=", "value": 21}])],
        {"objective_findings": [
            {"kind": "rating_scale", "name": "Montreal Cognitive Assessment", "value": "24/30",
             "date": "2026-10-28"},
            {"kind": "rating_scale", "name": "Montreal Cognitive Assessment", "value": "19/30",
             "date": "2026-06-10"},
        ]},
    )  # fmt: skip
    assert moca.status == "met" and moca.requirements[0].value == 24
    (doses,) = _evaluate(
        [("Prior trial of an intermediate regimen (10 mg/kg every 8 weeks) for at least 2 doses",
          [{"kind": "threshold", "subject": "doses", "comparator": ">=", "value": 2,
            "span": "at least 2"}])],
        {"prior_treatments": [
            {"name": "Infliximab 5 mg/kg every 8 weeks", "kind": "medication", "dose": "5 mg/kg",
             "frequency": "every 8 weeks", "start": "2023-04-18", "end": "2026-07-14"},
            {"name": "Infliximab 10 mg/kg every 8 weeks", "kind": "medication",
             "dose": "10 mg/kg (800 mg)", "frequency": "every 8 weeks", "start": "2026-08-04",
             "duration": "3 doses (08/04, 09/29, 11/24/2026)"},
        ]},
    )  # fmt: skip
    rv = doses.requirements[0]
    assert rv.status == "met" and rv.value == 3 and rv.evidence == ["prior_treatments[1]"]


def test_a_unit_for_a_subject_is_named_by_its_clause_and_the_record_not_stating_is_unknown():
    (trough,) = _evaluate(
        [("a. Trough drawn within 30 days; AND b. Trough concentration below 5 mcg/mL",
          [{"kind": "threshold", "subject": "mcg/mL", "comparator": "<", "value": 5,
            "span": "below 5"}])],
        {"objective_findings": [
            {"kind": "lab", "name": "Infliximab trough concentration",
             "value": "3.4 mcg/mL; antibodies not detected", "date": "2026-10-24"},
        ]},
    )  # fmt: skip
    assert trough.status == "met" and trough.requirements[0].value == 3.4
    (silent,) = _evaluate(
        [("The prescriber has considered combination therapy with an immunomodulator",
          [{"kind": "other",
            "subject": "considered combination therapy with an immunomodulator"}])],
        {"clinical_summary": "The record available here does not state whether combination "
                             "therapy with an immunomodulator was tried or why not."},
    )  # fmt: skip
    assert silent.status != "met"


def test_a_caregivers_injury_and_a_course_just_ended_bear_on_progress():
    (verdict,) = _evaluate(
        [("Measurable progress toward the goals in the plan of care, or documentation explaining "
          "why progress has not occurred",
          [{"kind": "document", "subject": "plan of care",
            "span": "measurable progress toward the goals in the plan of care"}])],
        {
            "clinical_summary": (
                "Progress toward the goals stalled. "
                "His wife and only caregiver fractured her hip on 2026-10-09 and is restricted "
                "from lifting. "
                "He had a cholecystectomy in 2015."
            ),
            "prior_treatments": [
                {"name": "Home physical therapy", "kind": "therapy", "start": "2026-09-01",
                 "end": "2026-10-15", "outcome": "Transfer goals partially met"},
                {"name": "Inpatient rehabilitation", "kind": "therapy", "start": "2025-06-09",
                 "end": "2025-07-11", "outcome": "Discharged home; some improvement"},
            ],
        },
    )  # fmt: skip
    for path in ("clinical_summary[0]", "clinical_summary[1]", "prior_treatments[0]"):
        assert path in verdict.evidence, path
    for path in ("clinical_summary[2]", "prior_treatments[1]"):
        assert path not in verdict.evidence, path


def test_a_criterion_answered_by_a_sentence_renders_with_that_fact_and_passes_validation():
    """A verdict met on the physician's sentence (an absence read from 'will not have a
    rhinoplasty') must still name a fact in its section: the letter is never refused for it."""
    from pipeline.draft import compose
    from pipeline.engines import OfflineEngine
    from pipeline.validate import validate_markdown

    text = "The procedure is not performed in conjunction with a cosmetic rhinoplasty"
    analysis = DenialAnalysis(
        criteria=[Criterion(text=text, requirements=[Requirement(
            kind="concurrency", subject="cosmetic rhinoplasty",
            span="in conjunction with a cosmetic rhinoplasty")])],
        letter_date=D(2026, 11, 10),
    )  # fmt: skip
    case = CaseFacts.model_validate({
        "patient": {"name": "Ari Test", "member_id": "M1"},
        "physician": {"name": "Dana Roe", "credentials": "MD", "specialty": "Otolaryngology"},
        "service": {"code": "30520", "description": "Septoplasty"},
        "clinical_summary": "He has not requested and will not have a rhinoplasty or any "
                            "external nasal work. He has a deviated septum.",
    })  # fmt: skip
    draft = compose("", analysis, case, [], OfflineEngine(), today=D(2026, 12, 6), allow_gaps=True)
    section = draft.markdown.split("### Criterion 1", 1)[1]
    assert "will not have a rhinoplasty" in section
    assert "alongside" not in section
    codes = {f.code for f in validate_markdown(draft.markdown, draft).findings}
    assert "criteria.no_evidence" not in codes


def test_a_fact_saying_the_opposite_never_meets_a_requirement():
    book = measure_book()
    assert book.denies("immunocompromised", "She is immunocompetent.")
    assert book.denies("recurrent basal cell carcinoma", "Primary lesion, first occurrence.")
    assert book.denies("history of seizures", "He has no history of seizures.")
    assert not book.denies("history of seizures", "Two seizures in 2025.")
    assert not book.denies("no active infection", "No active infection.")  # an absence asked
    for text, sentence in (
        ("The patient is immunocompromised", "She is immunocompetent and otherwise healthy."),
        ("The lesion is recurrent", "This is a primary lesion, its first occurrence."),
    ):
        (verdict,) = _evaluate(
            [(text, [{"kind": "other", "subject": text}])],
            {"clinical_summary": sentence},
        )
        assert verdict.status != "met", text


def test_advice_against_a_drug_is_no_trial_of_it():
    (verdict,) = _evaluate(
        [("Trial and failure of isotretinoin for at least 5 months",
          [{"kind": "trial_count", "subject": "isotretinoin", "comparator": ">=", "value": 1,
            "unit": "trials", "span": "Trial and failure of isotretinoin"}])],
        {"clinical_summary": "Dermatology advised against isotretinoin for 6 months because of "
                             "her pregnancy plans."},
    )  # fmt: skip
    assert verdict.requirements[0].status != "met"


def test_a_dose_adjusted_to_its_target_is_stated_not_missing():
    (verdict,) = _evaluate(
        [("Warfarin at a dose of at least 2 mg per day for at least 3 months",
          [{"kind": "dose_adequacy", "subject": "warfarin", "comparator": ">=", "value": 2,
            "unit": "mg/day", "span": "at least 2 mg per day"}])],
        {"prior_treatments": [
            {"name": "Warfarin", "kind": "medication", "dose": "INR-adjusted (target 2-3)",
             "start": "2026-01-10", "end": "2026-06-30",
             "outcome": "Failed: recurrent DVT at therapeutic INR"},
        ]},
    )  # fmt: skip
    rv = verdict.requirements[0]
    assert rv.confirm and rv.field is None and "INR-adjusted" in rv.found


def test_a_requirement_met_on_no_fact_is_not_shown(monkeypatch):
    """Whatever check called a requirement met, it must rest on a fact of the case: met with no
    evidence (an alternative of an any-of criterion claimed met without a fact) is not shown."""
    from pipeline.reasoning import verdicts
    from pipeline.reasoning.verdicts import _verdict

    monkeypatch.setattr(
        verdicts, "_check", lambda req, scope: _verdict(req, "met", "recurrent disease", [])
    )
    (verdict,) = _evaluate(
        [("Recurrent disease after surgery", [{"kind": "other", "subject": "recurrent disease"}])],
        {"clinical_summary": "She is well."},
    )
    assert verdict.requirements[0].status != "met"
    assert verdict.status != "met"


def test_a_finding_about_another_body_site_does_not_answer():
    text = "Biopsy-proven basal cell carcinoma of the nasal lesion"
    req = {"kind": "test_done", "subject": "biopsy of the nasal lesion"}
    (other_site,) = _evaluate(
        [(text, [req])],
        {"objective_findings": [
            {"kind": "lab", "name": "Pathology, shave biopsy of back lesion",
             "value": "Basal cell carcinoma, nodular", "date": "2026-09-01"},
        ]},
    )  # fmt: skip
    assert "objective_findings[0]" not in other_site.requirements[0].evidence
    assert other_site.status != "met"
    (same_site,) = _evaluate(
        [(text, [req])],
        {"objective_findings": [
            {"kind": "lab", "name": "Pathology, shave biopsy of left nasal ala lesion",
             "value": "Basal cell carcinoma, nodular", "date": "2026-09-01"},
        ]},
    )  # fmt: skip
    assert same_site.status == "met"


def test_advice_against_a_drug_chosen_by_meaning_meets_no_trial_or_contraindication():
    # the criterion as a payer writes it, read whole as one requirement; the summary sentence
    # nearest in meaning advises against the drug the patient never took
    text = (
        "Documented trial and failure of, or intolerance to, the formulary drug sotalol, OR an "
        "FDA-labeled contraindication to sotalol"
    )
    reqs, logic = parse_requirements(text)
    case = {
        "clinical_summary": (
            "He has persistent atrial fibrillation with palpitations despite rate control. "
            "His cardiologist advised in writing on 2026-09-14 against sotalol because of his "
            "QTc of 492 ms. He works as a bus driver."
        ),
        "prior_treatments": [
            {"name": "Metoprolol", "kind": "medication", "start": "2025-01-01",
             "outcome": "Palpitations persisted"},
        ],
    }  # fmt: skip
    analysis = DenialAnalysis(
        criteria=[Criterion(text=text, logic=logic, requirements=reqs)],
        letter_date=D(2026, 10, 20),
    )
    (verdict,) = evaluate(analysis, CaseFacts.model_validate(case), as_of=D(2026, 11, 1))
    assert verdict.status != "met"
    assert all(rv.status != "met" for rv in verdict.requirements)
    assert not any("which meets it" in rv.comparison for rv in verdict.requirements)
    # a real trial in prior_treatments still meets it, advice in its outcome or not
    case["prior_treatments"].append(
        {"name": "Sotalol", "kind": "medication", "start": "2025-06-01", "end": "2025-08-20",
         "outcome": "Stopped after 10 weeks for QTc prolongation; advised against restarting"}
    )  # fmt: skip
    (verdict,) = evaluate(analysis, CaseFacts.model_validate(case), as_of=D(2026, 11, 1))
    assert verdict.status == "met"
    book = measure_book()
    assert book.denies("trial and failure of sotalol", "Cardiology advised against sotalol.")
    assert not book.denies("cardiology consultation", "Cardiology advised against sotalol.")
    assert not book.denies("trial of sotalol", "Sotalol failed after 10 weeks; advised to stop.")
