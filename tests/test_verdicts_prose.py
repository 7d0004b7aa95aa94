"""Verdicts for requirements the case answers outside its structured rows (issue 17): a
consultation stated in prose or as an enclosed record's title, a team review, a dose that cannot
be raised for a reason the prose gives, a change between two dated findings against a threshold,
an age from the date of birth, a count of diagnoses of a kind; and what is never such an answer
(a person's age is no length of symptoms, a referral is no consultation)."""

from __future__ import annotations

import datetime as dt

from pipeline.gaps import requirement_gaps
from pipeline.models import CaseFacts, Criterion, DenialAnalysis, Requirement
from pipeline.reasoning import evaluate
from pipeline.reasoning.classes import book
from pipeline.reasoning.facts import spans_in

D = dt.date


def _one(text: str, req: dict, case: dict):
    analysis = DenialAnalysis(
        criteria=[Criterion(text=text, requirements=[Requirement(**{"span": text, **req})])],
        letter_date=D(2026, 11, 20),
    )
    verdict = evaluate(analysis, CaseFacts.model_validate(case), as_of=D(2026, 12, 1))[0]
    return verdict, verdict.requirements[0]


def test_a_persons_age_is_no_length_of_time():
    assert spans_in("37-year-old man with nasal obstruction") == []
    assert spans_in("she is 75 years old, aged 58 years at onset, at age 44") == []
    assert spans_in("a 37-year-old man with 6 months of obstruction") == [182.625]


def test_the_age_in_the_summary_is_not_the_symptoms_duration():
    text = "Persistent symptoms of nasal obstruction for at least 3 months"
    _, rv = _one(
        text,
        {"kind": "duration", "subject": "duration", "comparator": ">=", "value": 3,
         "unit": "months"},
        {"clinical_summary": "37-year-old man with bilateral nasal obstruction."},
    )  # fmt: skip
    assert "444" not in rv.found
    assert rv.status != "met"


def test_age_from_the_date_of_birth():
    req = {"kind": "threshold", "subject": "age", "comparator": ">=", "value": 18, "unit": "years",
           "span": "18 years of age or older"}  # fmt: skip
    _, rv = _one("Patient is 18 years of age or older", req,
                 {"patient": {"date_of_birth": "1971-02-10"}})  # fmt: skip
    assert rv.status == "met"
    assert rv.evidence == ["patient.date_of_birth"]
    assert "55 years" in rv.found
    _, young = _one("Patient is 18 years of age or older", req,
                    {"patient": {"date_of_birth": "2012-02-10"}})  # fmt: skip
    assert young.status == "not_met"


def test_an_age_over_the_limit_is_not_a_gap_to_fill():
    req = {"kind": "threshold", "subject": "age", "comparator": "<=", "value": 50,
           "unit": "years", "span": "age 50 or younger"}  # fmt: skip
    verdict, rv = _one(
        "Personal history of breast cancer diagnosed at age 50 or younger",
        req,
        {"patient": {"date_of_birth": "1963-03-27"},
         "clinical_summary": "She was diagnosed on 2026-09-18 with breast cancer."},
    )  # fmt: skip
    assert rv.status == "not_met"
    assert "63 years at diagnosis" in rv.found
    assert requirement_gaps([verdict]) == []


def test_a_relatives_age_is_read_from_the_family_history():
    req = {"kind": "threshold", "subject": "age", "comparator": "<=", "value": 50,
           "unit": "years", "span": "age 50 or younger"}  # fmt: skip
    _, rv = _one(
        "At least one close blood relative with breast cancer diagnosed at age 50 or younger",
        req,
        {"patient": {"date_of_birth": "1963-03-27"},
         "objective_findings": [{"kind": "other", "name": "Family history",
                                 "value": "Sister: ovarian cancer at age 58; maternal aunt: "
                                          "breast cancer at age 44"}]},
    )  # fmt: skip
    assert rv.status == "met"
    assert "aunt" in rv.found and "44" in rv.found
    assert rv.evidence == ["objective_findings[0]"]


def test_congenital_anomalies_are_counted_from_the_diagnosis_codes():
    _, rv = _one(
        "Member has at least 2 major congenital anomalies",
        {"kind": "threshold", "subject": "major congenital anomalies", "comparator": ">=",
         "value": 2},
        {"diagnoses": [{"code": "F88", "description": "Global developmental delay"},
                       {"code": "Q02", "description": "Microcephaly"},
                       {"code": "Q04.0", "description": "Malformation of corpus callosum"}]},
    )  # fmt: skip
    assert rv.status == "met"
    assert rv.evidence == ["diagnoses[1]", "diagnoses[2]"]


def test_a_change_between_two_dated_findings_is_compared():
    case = {"objective_findings": [
        {"kind": "other", "name": "Six-minute walk distance", "value": "420 m",
         "date": "2025-09-10"},
        {"kind": "other", "name": "Six-minute walk distance", "value": "330 m",
         "date": "2026-09-15"},
    ]}  # fmt: skip
    req = {"kind": "threshold", "subject": "six-minute walk distance decline", "comparator": ">=",
           "value": 15, "unit": "%"}  # fmt: skip
    _, rv = _one("Decline in six-minute walk distance of at least 15%", req, case)
    assert rv.status == "met"
    assert "21.4%" in rv.found
    assert rv.evidence == ["objective_findings[0]", "objective_findings[1]"]
    _, more = _one("Decline of at least 25%", {**req, "value": 25}, case)
    assert more.status == "not_met"


def test_a_percent_change_of_percentages_that_reads_two_ways_is_to_confirm():
    case = {"objective_findings": [
        {"kind": "lab", "name": "FVC", "value": "70% predicted", "date": "2025-10-01"},
        {"kind": "lab", "name": "FVC", "value": "62% predicted", "date": "2026-10-01"},
    ]}  # fmt: skip
    _, rv = _one(
        "FVC decline of 10% or more",
        {"kind": "threshold", "subject": "FVC decline", "comparator": ">=", "value": 10,
         "unit": "%"},
        case,
    )  # fmt: skip
    # 8 points, 11.4% relative: the code does not choose; the letter states it to confirm
    assert rv.status == "unknown" and rv.confirm
    assert "8 points" in rv.found and "11.4%" in rv.found
    assert "not shown" not in rv.comparison


def test_a_consultation_stated_in_prose_answers_a_specialist_requirement():
    summary = (
        "He has an enlarging lung nodule. "
        "A biopsy was not attempted because of the risk of pneumothorax. "
        "Thoracic surgery (Dr. Lee) saw him on 2026-07-02 and judged him inoperable."
    )
    _, rv = _one(
        "Evaluation by a thoracic surgeon documenting that the patient is not a surgical candidate",
        {"kind": "specialist", "subject": "thoracic surgeon"},
        {"clinical_summary": summary},
    )
    assert rv.status == "met"
    assert rv.evidence == ["clinical_summary[2]"]


def test_a_referral_is_no_consultation_and_the_own_specialty_counts():
    text = "Prescribed by or in consultation with a neurologist"
    req = {"kind": "specialist", "subject": "neurologist"}
    _, pending = _one(text, req, {
        "physician": {"specialty": "Family Medicine"},
        "clinical_summary": "Her referral to neurology has a first appointment on 2027-02-11.",
    })  # fmt: skip
    assert pending.status != "met"
    _, own = _one(text, req, {"physician": {"specialty": "Neurology"}})
    assert own.status == "met" and own.evidence == ["physician.specialty"]


def test_an_enclosed_records_title_answers_a_team_review():
    _, rv = _one(
        "Case reviewed by a multidisciplinary tumor board",
        {"kind": "document", "subject": "multidisciplinary tumor board review"},
        {"documents": [{"title": "CT chest reports", "date": "2026-03-01"},
                       {"title": "Thoracic tumor board summary", "date": "2026-08-27"}]},
    )  # fmt: skip
    assert rv.status == "met"
    assert rv.evidence == ["documents[1]"]
    assert "no therapy disciplines" not in rv.found


def test_a_dose_that_cannot_be_raised_answers_a_maximal_dose():
    _, rv = _one(
        "Beta-blocker at the maximally tolerated dose",
        {"kind": "dose_adequacy", "subject": "maximally tolerated dose of beta-blocker"},
        {"prior_treatments": [{"name": "Metoprolol succinate", "kind": "medication",
                               "dose": "25 mg", "start": "2025-01-10",
                               "outcome": "Angina persists"}],
         "clinical_summary": "Metoprolol cannot be raised above 25 mg daily because of "
                             "bradycardia to 48 beats per minute."},
    )  # fmt: skip
    assert rv.status == "met"
    assert "bradycardia" in rv.found
    assert rv.evidence == ["prior_treatments[0]", "clinical_summary[0]"]


def test_an_fda_class_written_in_the_criterion_is_a_group():
    assert [g.name for g in book().groups_in("a phosphodiesterase-5 inhibitor")] == [
        "phosphodiesterase 5 inhibitor"
    ]
    _, rv = _one(
        "Inadequate response to a phosphodiesterase-5 inhibitor",
        {"kind": "trial_count", "subject": "phosphodiesterase-5 inhibitor", "comparator": ">=",
         "value": 1, "unit": "trials"},
        {"prior_treatments": [{"name": "Sildenafil", "kind": "medication", "dose": "20 mg",
                               "start": "2025-10-01", "end": "2026-09-30",
                               "outcome": "Walk distance unchanged"}]},
    )  # fmt: skip
    assert rv.status == "met"
    assert rv.evidence == ["prior_treatments[0]"]


def test_a_drug_the_class_book_lacks_is_found_by_the_brand_the_criterion_lists():
    # erenumab is not in the 2019 FDA table; the criterion names its brand; 3 February to 5 May
    # is 3 calendar months though 91 days is short of 3 x 30.44
    _, rv = _one(
        "Trial and failure or intolerance of at least 3 months of a preferred injectable CGRP "
        "monoclonal antibody (Aimovig or Ajovy)",
        {"kind": "duration", "subject": "a preferred injectable CGRP monoclonal",
         "comparator": ">=", "value": 3, "unit": "months", "span": "at least 3 months"},
        {"prior_treatments": [{"name": "Erenumab (Aimovig)", "kind": "medication",
                               "dose": "70 mg", "start": "2025-02-03", "end": "2025-05-05",
                               "outcome": "Fecal impaction; discontinued"}],
         "clinical_summary": "At 8 tablets per 30 days the regimen covers only 16 of 30 days."},
    )  # fmt: skip
    assert rv.status == "met"
    assert rv.evidence == ["prior_treatments[0]"]


def test_symptoms_dated_by_a_year_are_counted_to_the_letter_date():
    _, rv = _one(
        "Persistent symptoms of nasal airway obstruction for at least 3 months",
        {"kind": "duration", "subject": "duration", "comparator": ">=", "value": 3,
         "unit": "months", "span": "at least 3 months"},
        {"clinical_summary": "He has had nasal obstruction, progressive since about 2019. "
                             "The swelling was present after about 2 weeks of steroid."},
    )  # fmt: skip
    assert rv.status == "met"
    assert rv.found.startswith("since about 2019")
    assert rv.evidence == ["clinical_summary[0]"]


def test_a_generic_duration_reads_its_criterion_for_the_treatment():
    _, rv = _one(
        "A trial of at least 6 months with appropriately fitted bilateral hearing aids",
        {"kind": "duration", "subject": "duration", "comparator": ">=", "value": 6,
         "unit": "months", "span": "at least 6 months"},
        {"prior_treatments": [{"name": "Binaural hearing aids", "kind": "device",
                               "start": "2017-03-01", "duration": "more than 9 years",
                               "outcome": "Limited benefit"}]},
    )  # fmt: skip
    assert rv.status == "met"
    assert rv.evidence == ["prior_treatments[0]"]


def _section_with(md: str, number: int, lines: str) -> str:
    """The letter with criterion ``number``'s section after its quoted requirement replaced."""
    start = md.index(f"### Criterion {number}")
    end = md.find("\n### ", start + 1)
    quote_end = md.index("”.", start) + 2
    return md[:quote_end] + "\n\n" + lines + "\n" + md[end:]


def test_a_quote_of_the_physicians_summary_is_evidence_and_an_invented_one_is_not():
    from pipeline.validate import FindingCode, validate_markdown

    from .test_validate_examples import EXAMPLES, drafted

    draft = drafted(next(e for e in EXAMPLES if e.name == "tms-erisa"))
    summary = (draft.case.clinical_summary or "").split()
    # six words in a row with no digit and no name of a record (the quote alone is the evidence)
    words = next(
        " ".join(summary[i : i + 6])
        for i in range(len(summary) - 6)
        if all(w.isalpha() and w.islower() for w in summary[i : i + 6])
    )
    quoted = _section_with(draft.markdown, 3, f"- Required: it; the record states: “{words}”.")
    codes = {(f.code, f.excerpt) for f in validate_markdown(quoted, draft).errors}
    assert (FindingCode.CRITERIA_NO_EVIDENCE, "### Criterion 3") not in codes
    invented = _section_with(
        draft.markdown, 3, "- Required: it; the record states: “she was seen by a committee”."
    )
    codes = {(f.code, f.excerpt) for f in validate_markdown(invented, draft).errors}
    assert any(code == FindingCode.CRITERIA_NO_EVIDENCE for code, _ in codes)


def test_a_receptor_class_is_no_drug_name():
    from pipeline.validate import FindingCode, validate_markdown

    from .test_validate_examples import EXAMPLES, drafted

    draft = drafted(next(e for e in EXAMPLES if e.name == "tms-erisa"))
    at = draft.markdown.index("### Criterion 1")
    for text, flagged in (("(a histamine-1 receptor antagonist)", False), ("histamine", True)):
        md = draft.markdown[:at] + f"Also {text}.\n\n" + draft.markdown[at:]
        codes = {f.code for f in validate_markdown(md, draft).errors}
        assert (FindingCode.GROUNDING_DRUG_NOT_IN_INPUTS in codes) is flagged, text


def test_relatives_are_counted_from_the_family_history():
    _, rv = _one(
        "At least one close blood relative with breast cancer at age 50 or younger",
        {"kind": "threshold", "subject": "close blood relative", "comparator": ">=", "value": 1},
        {"clinical_summary": "Current guidelines recommend testing at any age.",
         "objective_findings": [{"kind": "other", "name": "Family history",
                                 "value": "Sister: ovarian cancer at age 58; maternal aunt: "
                                          "breast cancer at age 44"}]},
    )  # fmt: skip
    assert rv.status == "met"
    assert rv.value == 2
    assert rv.evidence == ["objective_findings[0]"]


def test_a_weekly_dose_is_compared_per_week_not_per_day():
    """Methotrexate '20 mg once weekly' is 20 mg/week (it was shown as '20 mg/day'); a daily
    drug against a weekly requirement counts its seven days."""
    text = "Methotrexate at a dose of at least 15 mg per week"
    req = {"kind": "dose_adequacy", "subject": "methotrexate", "comparator": ">=", "value": 15,
           "unit": "mg/week"}  # fmt: skip
    weekly = {"prior_treatments": [{"name": "Methotrexate", "kind": "medication",
              "dose": "20 mg", "frequency": "once weekly", "start": "2025-02-03",
              "outcome": "inadequate response"}]}  # fmt: skip
    _, rv = _one(text, req, weekly)
    assert rv.status == "met"
    assert "20 mg/week" in rv.found and "mg/day" not in rv.found
    low = {"prior_treatments": [{"name": "Methotrexate", "kind": "medication",
           "dose": "10 mg weekly", "start": "2025-02-03",
           "outcome": "inadequate response"}]}  # fmt: skip
    _, rv = _one(text, req, low)
    assert rv.status == "not_met" and "10 mg/week" in rv.found
    daily = {"prior_treatments": [{"name": "Methotrexate", "kind": "medication",
             "dose": "2.5 mg", "frequency": "daily", "start": "2025-02-03",
             "outcome": "inadequate response"}]}  # fmt: skip
    _, rv = _one(text, req, daily)
    assert rv.status == "met" and "17.5 mg/week" in rv.found


def test_a_team_requirement_needs_each_specialty_not_only_the_signing_physicians():
    """'A heart team including a cardiac surgeon and an interventional cardiologist': the
    signing cardiologist answers for cardiology only; the surgeon's evaluation must be shown
    too. Specialties joined by 'or' stay alternatives."""
    text = (
        "Evaluation by a heart team including a cardiac surgeon and an interventional "
        "cardiologist"
    )
    req = {"kind": "specialist", "subject": "heart team"}
    cardiologist = {"physician": {"specialty": "Cardiology (heart failure)"}}
    _, alone = _one(text, req, cardiologist)
    assert alone.status != "met"
    assert "cardiac surgery" in (alone.field or "")
    seen = {**cardiologist, "clinical_summary":
            "Cardiac surgery (Dr. Okafor) evaluated her on 2026-10-02 and judged her at high "
            "surgical risk."}  # fmt: skip
    _, both = _one(text, req, seen)
    assert both.status == "met"
    assert set(both.evidence) == {"physician.specialty", "clinical_summary[0]"}
    either = "Prescribed by or in consultation with a dermatologist or rheumatologist"
    _, own = _one(either, {"kind": "specialist", "subject": "dermatologist"},
                  {"physician": {"specialty": "Rheumatology"}})  # fmt: skip
    assert own.status == "met"
