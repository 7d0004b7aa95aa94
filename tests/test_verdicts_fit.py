"""Verdicts fitted to the record (issue 17, the blind judge's kinds): a distance or travel time
against a network's standard, a percentage against its floor with the gap named, the interval
since a last dose from dates, a named scale against its cut-off (another scale is no answer), a
team whose every member must be shown (the signer's specialty alone is one member), and a
qualifier ('recurrent') or a lesion (site, side, specimen) the record must itself state."""

from __future__ import annotations

import datetime as dt

from pipeline.models import CaseFacts, Criterion, DenialAnalysis, Requirement
from pipeline.reasoning import evaluate
from pipeline.reasoning.facts import measure_book

D = dt.date


def _one(text: str, req: dict, case: dict, service_dates: list[dt.date] | None = None):
    analysis = DenialAnalysis(
        criteria=[Criterion(text=text, requirements=[Requirement(**{"span": text, **req})])],
        letter_date=D(2026, 11, 20),
        service_dates=service_dates or [],
    )
    verdict = evaluate(analysis, CaseFacts.model_validate(case), as_of=D(2026, 12, 1))[0]
    return verdict, verdict.requirements[0]


# ------------------------------------------------------------------ distance and travel time

NETWORK = "No in-network maternal-fetal medicine specialist is available within 30 miles"


def test_distance_against_the_network_standard_shows_the_arithmetic():
    distance = {"kind": "other", "name": "Distance to nearest in-network MFM", "value": "58 miles"}
    case = {"objective_findings": [distance]}
    typed = {"kind": "threshold", "subject": "distance", "comparator": ">", "value": 30,
             "unit": "miles", "span": "within 30 miles"}  # fmt: skip
    _, rv = _one(NETWORK, typed, case)
    assert rv.status == "met"
    assert "58 miles" in rv.found and "28 miles more than 30 miles" in rv.found
    assert rv.evidence == ["objective_findings[0]"]


def test_an_untyped_distance_is_read_from_the_requirement_text():
    """Until the reader types it: 'no ... within 30 miles' asks that the nearest be farther."""
    case = {"clinical_summary": "The nearest in-network MFM practice is 22 miles from her home."}
    _, rv = _one(NETWORK, {"kind": "other", "subject": NETWORK}, case)
    assert rv.status == "not_met"
    assert "22 miles" in rv.found and "8 miles short of the 30 miles required" in rv.found


def test_travel_time_in_hours_is_compared_in_minutes():
    text = "Travel time to the nearest participating provider exceeds 60 minutes"
    case = {"clinical_summary": "The closest participating surgeon is a 1.5 hours drive away."}
    typed = {"kind": "threshold", "subject": "travel time", "comparator": ">", "value": 60,
             "unit": "minutes", "span": "exceeds 60 minutes"}  # fmt: skip
    _, rv = _one(text, typed, case)
    assert rv.status == "met"
    assert "90 minutes" in rv.found


def test_the_nearest_in_network_provider_binds_not_an_out_of_network_one():
    case = {"clinical_summary": (
        "Our out-of-network center is 58 miles away. "
        "The nearest in-network provider is 22 miles from her home.")}  # fmt: skip
    typed = {"kind": "threshold", "subject": "distance", "comparator": ">", "value": 30,
             "unit": "miles", "span": "within 30 miles"}  # fmt: skip
    _, rv = _one(NETWORK, typed, case)
    assert rv.status == "not_met"
    assert rv.evidence == ["clinical_summary[1]"]


# ------------------------------------------------------------------ percentages

RELIEF = "At least 80% pain relief after each of two diagnostic nerve blocks"
RELIEF_REQ = {"kind": "threshold", "subject": "pain relief", "comparator": ">=", "value": 80,
              "unit": "%", "span": "At least 80%"}  # fmt: skip


def test_a_percentage_short_of_its_floor_is_not_met_with_the_gap_named():
    case = {"objective_findings": [
        {"kind": "other", "name": "Pain relief after first nerve block", "value": "90%",
         "date": "2026-09-10"},
        {"kind": "other", "name": "Pain relief after second nerve block", "value": "70%",
         "date": "2026-10-01"}]}  # fmt: skip
    _, rv = _one(RELIEF, RELIEF_REQ, case)
    assert rv.status == "not_met"  # each block must reach it; the second does not
    assert "10 percentage points short of the 80% required" in rv.found
    assert rv.evidence == ["objective_findings[0]", "objective_findings[1]"]


# ------------------------------------------------------------------ intervals from dates

SPACING = "Injections are given no more often than every 12 weeks"
SPACING_REQ = {"kind": "duration", "subject": "interval", "comparator": ">=", "value": 12,
               "unit": "weeks", "span": "no more often than every 12 weeks"}  # fmt: skip


def _toxin(details: str | None) -> dict:
    return {
        "service": {"description": "OnabotulinumtoxinA injection", "details": details},
        "prior_treatments": [{"name": "OnabotulinumtoxinA 200 units", "kind": "procedure",
                              "start": "2026-09-01", "end": "2026-09-01"}],
    }  # fmt: skip


def test_the_interval_since_the_last_dose_is_counted_to_the_requested_date():
    _, rv = _one(SPACING, SPACING_REQ, _toxin("Next injection 2026-11-10"))
    assert rv.status == "not_met"
    assert "10 weeks" in rv.found and "2 weeks short of the 12 weeks required" in rv.found
    assert rv.evidence == ["prior_treatments[0]"]
    _, later = _one(SPACING, SPACING_REQ, _toxin("Next injection 2026-12-08"))
    assert later.status == "met"
    assert "14 weeks" in later.found


def test_the_denial_s_date_of_service_is_the_next_dose_when_the_case_has_none():
    _, rv = _one(SPACING, SPACING_REQ, _toxin(None), service_dates=[D(2026, 12, 8)])
    assert rv.status == "met"


def test_without_a_next_date_an_interval_not_yet_reached_is_a_gap_not_a_failure():
    _, rv = _one(SPACING, SPACING_REQ, {**_toxin(None), "prior_treatments": [
        {"name": "OnabotulinumtoxinA 200 units", "kind": "procedure", "start": "2026-10-20",
         "end": "2026-10-20"}]})  # fmt: skip
    assert rv.status == "unknown"
    assert rv.field and "service.details" in rv.field


# ------------------------------------------------------------------ named scales


def test_a_scale_named_in_full_is_its_abbreviation_and_another_scale_is_no_answer():
    text = "A Toronto Western Spasmodic Torticollis Rating Scale severity score of 15 or more"
    req = {"kind": "threshold", "subject": "Rating Scale severity", "comparator": ">=",
           "value": 15, "span": "15 or more"}  # fmt: skip
    case = {"objective_findings": [
        {"kind": "rating_scale", "name": "PHQ-9", "value": "19", "date": "2026-10-01"},
        {"kind": "rating_scale", "name": "TWSTRS severity", "value": "12",
         "date": "2026-10-01"}]}  # fmt: skip
    _, rv = _one(text, req, case)
    assert rv.status == "not_met"
    assert rv.evidence == ["objective_findings[1]"]
    assert "3 points short of the 15 required" in rv.found
    ham = {"kind": "threshold", "subject": "Hamilton depression", "comparator": ">=", "value": 15,
           "span": "15 or more"}  # fmt: skip
    _, other = _one("A Hamilton depression score of 15 or more", ham, case)
    assert other.status != "met" and "objective_findings[0]" not in other.evidence


# ------------------------------------------------------------------ teams

TWO = "Evaluation by two cardiac surgeons"
TWO_REQ = {"kind": "specialist", "subject": "two cardiac surgeons"}


def test_the_signer_alone_is_one_of_two_surgeons_never_both():
    signer = {"physician": {"name": "Paul Ito", "specialty": "Cardiac Surgery"}}
    _, alone = _one(TWO, TWO_REQ, {**signer, "clinical_summary": "I evaluated her on 10/02."})
    assert alone.status != "met"
    assert "1 of the 2 required" in alone.found
    second = "A second cardiac surgeon, Dr. Ana Ruiz, evaluated her on 10/09/2026."
    _, both = _one(TWO, TWO_REQ, {**signer, "clinical_summary": second})
    assert both.status == "met"
    assert set(both.evidence) == {"physician.specialty", "clinical_summary[0]"}


def test_a_team_names_each_member_and_the_signer_answers_only_for_their_own():
    text = (
        "Evaluation by a heart team including an interventional cardiologist and a cardiac surgeon"
    )
    req = {"kind": "specialist", "subject": "heart team"}
    signer = {"physician": {"name": "Mina Park", "specialty": "Interventional Cardiology"}}
    _, alone = _one(text, req, signer)
    assert alone.status != "met"
    surgeon = {"clinical_summary": "Dr. Lee of cardiothoracic surgery evaluated her on 10/02."}
    _, team = _one(text, req, {**signer, **surgeon})
    assert team.status == "met"


# ------------------------------------------------------------------ qualifiers and lesions


def test_recurrent_is_never_met_by_a_record_that_does_not_say_so():
    text = "Recurrent basal cell carcinoma of the face"
    case = {"objective_findings": [
        {"kind": "lab", "name": "Shave biopsy, left nasal ala",
         "value": "Nodular basal cell carcinoma of the face", "date": "2026-10-02"}]}  # fmt: skip
    _, rv = _one(text, {"kind": "other", "subject": text}, case)
    assert rv.status != "met"
    recurrent = "Recurrent basal cell carcinoma of the face at the prior excision scar"
    said = {**case, "objective_findings": [{**case["objective_findings"][0], "value": recurrent}]}
    _, stated = _one(text, {"kind": "other", "subject": text}, said)
    assert stated.status == "met"


def test_a_negated_qualifier_is_not_stated():
    book = measure_book()
    assert book.unqualified("recurrent hernia", "Open repair in 2019; no recurrence")
    assert not book.unqualified("recurrent hernia", "recurrence at the prior repair site")
    assert book.unqualified("refractory migraine", "Migraine without aura")
    assert not book.unqualified("refractory migraine", "failed topiramate and propranolol")


def test_a_finding_of_another_side_or_specimen_is_about_another_lesion():
    book = measure_book()
    assert book.elsewhere("lesion of the left nasal ala", "right nasal ala: BCC")
    assert not book.elsewhere("lesion of the left nasal ala", "left nasal ala: BCC")
    assert book.elsewhere("specimen B", "Specimen A: squamous cell carcinoma in situ")
    assert not book.elsewhere("specimen B", "Specimen B: basal cell carcinoma")
    assert not book.elsewhere("specimen B", "Pathology report 2026-10-02")  # names no label


def test_a_requirements_words_are_read_once_for_every_fact_it_weighs(monkeypatch):
    """``elsewhere_of`` / ``unqualified_of`` read the requirement's words (which hold the
    criterion's whole text) once; each fact is then judged as ``elsewhere`` / ``unqualified``
    judge it."""
    from pipeline.reasoning.facts import MeasureBook

    book = measure_book()
    asked = "recurrent lesion of the left nasal ala, specimen B"
    facts = [
        "right nasal ala: BCC",
        "left nasal ala: BCC",
        "Specimen A: squamous cell carcinoma in situ",
        "Recurrence at the left nasal ala, specimen B",
        "Pathology report 2026-10-02",
    ]
    read: list[str] = []
    sites_in = MeasureBook.sites_in

    def counted(self: MeasureBook, text: str) -> frozenset[str]:
        read.append(text)
        return sites_in(self, text)

    monkeypatch.setattr(MeasureBook, "sites_in", counted)
    away, lacks = book.elsewhere_of(asked), book.unqualified_of(asked)
    judged = [(away(f), lacks(f)) for f in facts]
    assert read.count(asked) == 1
    assert judged == [(book.elsewhere(asked, f), book.unqualified(asked, f)) for f in facts]
    assert judged[0][0] and not judged[1][0] and judged[2][0] and judged[1][1]
    assert judged[3] == (False, False)


def test_evidence_at_large_leaves_out_another_lesion():
    text = "Basal cell carcinoma of the left nasal ala, specimen B, confirmed by biopsy"
    case = {"objective_findings": [
        {"kind": "lab", "name": "Biopsy specimen A, right nasal ala",
         "value": "Basal cell carcinoma"},
        {"kind": "lab", "name": "Biopsy specimen B, left nasal ala",
         "value": "Basal cell carcinoma"}]}  # fmt: skip
    verdict, _ = _one(text, {"kind": "other", "subject": text}, case)
    assert "objective_findings[0]" not in verdict.evidence


# ------------------------------------------------------------------ a status the record must state

WCD = {
    "clinical_summary": (
        "Coronary angiogram showed no obstructive disease. "
        "He has worn the wearable cardioverter-defibrillator consistently since discharge."
    ),
    "objective_findings": [
        {"kind": "other", "name": "Inpatient telemetry",
         "value": "Three runs of nonsustained ventricular tachycardia", "date": "2026-09-29"},
        {"kind": "other", "name": "Wear-time report", "value": "22.8 hours a day",
         "date": "2026-11-17"}],
}  # fmt: skip
STATUSES = (
    "A documented familial or inherited condition with a high risk of life-threatening "
    "ventricular tachyarrhythmia",
    "The member is listed for heart transplantation",
    "A previously implanted defibrillator now requires explantation",
)


def _status(text: str, case: dict, payer: str):
    analysis = DenialAnalysis(
        criteria=[Criterion(text=text, payer_status=payer,  # type: ignore[arg-type]
                            requirements=[Requirement(kind="other", subject=text, span=text)])],
        letter_date=D(2026, 11, 20),
    )  # fmt: skip
    return evaluate(analysis, CaseFacts.model_validate(case), as_of=D(2026, 12, 1))[0]


def test_a_status_the_notice_found_not_met_is_never_met_by_a_line_near_in_meaning():
    for text in STATUSES:
        verdict = _status(text, WCD, "not_met")
        rv = verdict.requirements[0]
        assert rv.status != "met" and not rv.confirm, (text, rv.found)
        assert not verdict.evidence, (text, verdict.evidence)


def test_a_line_only_near_in_meaning_is_stated_to_confirm_never_as_met():
    for text in STATUSES:
        rv = _status(text, WCD, "not_stated").requirements[0]
        assert rv.status != "met", (text, rv.found)


def test_a_line_that_states_the_status_meets_it_even_where_the_notice_said_not_met():
    listed = {"clinical_summary": "She was placed on the UNOS heart transplant waiting list on "
              "2026-09-01."}  # fmt: skip
    rv = _status(STATUSES[1], listed, "not_met").requirements[0]
    assert rv.status == "met"
    assert rv.evidence == ["clinical_summary[0]"]


def test_in_one_sentence_the_figure_of_the_in_network_provider_binds():
    case = {"clinical_summary": "He lives alone 41 miles from town; the nearest in-network "
            "infusion suite is 58 miles away."}  # fmt: skip
    typed = {"kind": "threshold", "subject": "distance", "comparator": ">", "value": 30,
             "unit": "miles", "span": "within 30 miles"}  # fmt: skip
    _, rv = _one(NETWORK, typed, case)
    assert rv.status == "met" and rv.value == 58


def test_a_percentage_measure_reads_the_percent_not_the_litres():
    text = "Baseline FVC of at least 50% predicted"
    req = {"kind": "threshold", "subject": "FVC", "comparator": ">=", "value": 50, "unit": "%",
           "span": "at least 50%"}  # fmt: skip
    case = {"objective_findings": [{"kind": "lab", "name": "Spirometry",
            "value": "FVC 2.28 L (72% predicted)", "date": "2026-11-18"}]}  # fmt: skip
    _, rv = _one(text, req, case)
    assert rv.status == "met" and rv.value == 72


def test_a_long_status_is_asserted_by_two_of_its_terms_not_one():
    text = "Capacity to make a fully informed decision and to consent to treatment"
    title = {"clinical_summary": "I assessed his decision-making capacity and found it intact, "
             "and we documented informed consent for the procedure."}  # fmt: skip
    verdict = _status(text, title, "not_documented")
    assert verdict.requirements[0].status == "met"
    one = {"clinical_summary": "Treatment was discussed at length with his mother."}
    assert _status(text, one, "not_documented").requirements[0].status != "met"


# ------------------------------------------------------------------ a window and its own clause

LVEF = (
    "LVEF of 35% or less AND ONE of the following: a. myocardial infarction within the past 40 "
    "days; b. CABG or PCI within the past 90 days"
)


def test_a_window_governs_the_event_of_its_own_clause_and_the_list_items_are_alternatives():
    reqs = [
        Requirement(kind="threshold", subject="LVEF", comparator="<=", value=35, unit="%",
                    window="within the past 40 days", span="35% or less"),
        Requirement(kind="time_window", subject="LVEF", comparator="<=", value=40, unit="days",
                    span="within the past 40 days"),
        Requirement(kind="time_window", subject="LVEF", comparator="<=", value=90, unit="days",
                    span="within the past 90 days"),
    ]  # fmt: skip
    case = {
        "clinical_summary": "He had an anterior myocardial infarction on 11/02/2026.",
        "objective_findings": [{"kind": "imaging", "name": "Echocardiogram", "value": "LVEF 25%",
                                "date": "2026-09-29"}],
    }  # fmt: skip
    analysis = DenialAnalysis(
        criteria=[Criterion(text=LVEF, requirements=reqs)], letter_date=D(2026, 11, 20)
    )
    (verdict,) = evaluate(analysis, CaseFacts.model_validate(case), as_of=D(2026, 12, 1))
    lvef, infarction, _ = verdict.requirements
    assert lvef.status == "met" and lvef.requirement.window is None
    assert infarction.requirement.subject == "myocardial infarction"
    assert infarction.status == "met" and infarction.evidence == ["clinical_summary[0]"]
    assert verdict.status == "met"  # one item of the 'ONE of' list is enough


# ------------------------------------------------------------------ stated in its own terms


def test_an_event_stated_in_its_own_terms_far_in_meaning_is_still_found():
    """'The service was urgent and could not be delayed': the vectors rank a row about the
    request's timing nearest, which states nothing of it; the finding that says the deficit
    required same-day imaging (an alias of 'urgent', measures.yaml) answers it. A case that
    states no urgency stays not shown."""
    text = "The service was urgent and could not be delayed long enough to obtain authorization"
    req = {"kind": "other", "subject": "The service was urgent and could not be delayed"}
    timing = {"kind": "other", "name": "Retrospective request timing",
              "value": "Retrospective request submitted 09/09/2026, 13 days after the service",
              "date": "2026-09-09"}  # fmt: skip
    exam = {"kind": "exam", "name": "Neurological examination",
            "value": "New right pronator drift", "date": "2026-08-27",
            "interpretation": "New focal deficit requiring same-day imaging"}  # fmt: skip
    _, rv = _one(text, req, {"objective_findings": [timing, exam]})
    assert rv.status == "met"
    assert rv.evidence == ["objective_findings[1]"]
    _, none = _one(text, req, {"objective_findings": [timing]})
    assert none.status != "met"


def test_a_lung_volume_floor_is_compared_with_its_own_measure_not_another_percent():
    # 'TLC below 80%' against 'FVC 82%; FEV1 79%; TLC 84%': the TLC, 84%, misses it; the FEV1's
    # 79% is another measure and meets nothing
    text = "Restrictive pulmonary function: total lung capacity (TLC) below 80% of predicted"
    pft = {"kind": "other", "name": "Pulmonary function tests", "date": "2026-08-19",
           "value": "FVC 82% predicted; FEV1 79% predicted; TLC 84% predicted"}  # fmt: skip
    typed = {"kind": "threshold", "subject": "total lung capacity", "comparator": "<",
             "value": 80, "unit": "%", "span": "below 80%"}  # fmt: skip
    _, rv = _one(text, typed, {"objective_findings": [pft]})
    assert rv.status == "not_met" and "TLC 84%" in rv.found and "79" not in rv.found
