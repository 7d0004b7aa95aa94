"""Requirements answered by what the case file states in prose (issue 17): a count written only in
the clinical summary, a length of time the summary dates ('since October 2025'), and a course of
conservative care made of dated treatments of that kind. A value that falls short is 'not met'
with the arithmetic; no value stays 'not shown'."""

from __future__ import annotations

import datetime as dt

from pipeline.models import CaseFacts, Criterion, DenialAnalysis
from pipeline.reasoning import evaluate
from pipeline.requirements import parse_requirements

AS_OF = dt.date(2026, 12, 6)
AN = "Moderate to severe hidradenitis suppurativa with an abscess and inflammatory nodule (AN) count of 3 or more"  # noqa: E501


def _verdicts(text: str, **case: object):
    reqs, logic = parse_requirements(text)
    criterion = Criterion(text=text, logic=logic, requirements=reqs)
    facts = CaseFacts.model_validate(case)
    return evaluate(DenialAnalysis(criteria=[criterion]), facts, AS_OF, as_of=AS_OF)[0]


def test_a_count_written_only_in_the_summary_is_read_with_its_name():
    summary = (
        "Hurley stage II hidradenitis of both axillae. On examination on 2026-11-02 there were "
        "inflammatory nodules 10, abscesses 3 (AN count 13) and two draining tunnels."
    )
    (v,) = _verdicts(AN, clinical_summary=summary).requirements
    assert v.status == "met"
    assert v.value == 13
    assert "AN count 13" in v.found
    assert v.evidence == ["clinical_summary[1]"]


def test_a_count_below_the_threshold_is_not_met_not_unknown():
    summary = "She has Hurley stage I disease; AN count 2 on today's examination."
    (v,) = _verdicts(AN, clinical_summary=summary).requirements
    assert v.status == "not_met"
    assert v.value == 2
    assert v.field  # the gap names the field that would answer it


def test_no_count_stated_stays_not_shown():
    summary = "Painful recurrent lesions of both axillae; inflammatory nodules were present."
    (v,) = _verdicts(AN, clinical_summary=summary).requirements
    assert v.status == "unknown"
    assert v.value is None


WEIGHT = "Documented weight stability for 12 months"


def test_a_length_the_summary_dates_is_counted_to_the_letter_date():
    met = _verdicts(
        WEIGHT, clinical_summary="Her weight has been stable within 2 kg since October 2025."
    )
    (v,) = met.requirements
    assert v.status == "met"
    assert "since October 2025" in v.found and "13.2 months" in v.found
    short = _verdicts(
        WEIGHT, clinical_summary="Her weight has been stable within 2 kg since June 2026."
    )
    (s,) = short.requirements
    assert s.status == "not_met"
    assert "5.2 months" in s.found
    none = _verdicts(WEIGHT, clinical_summary="Her weight has been stable.")
    assert none.requirements[0].status == "unknown"


CONSERVATIVE = (
    "Conservative treatment for at least 3 months, including supportive bra fitting and physical "
    "therapy or analgesics, without relief"
)


def _pt(start: dt.date, end: dt.date) -> dict[str, object]:
    return {"name": "Physical therapy (postural strengthening)", "kind": "therapy",
            "start": start, "end": end,
            "outcome": "No lasting improvement in neck and upper back pain"}  # fmt: skip


def test_conservative_treatment_counts_dated_therapy_and_analgesics():
    ibuprofen = {"name": "Ibuprofen", "kind": "medication", "dose": "600 mg",
                 "start": dt.date(2025, 9, 1), "end": dt.date(2026, 8, 31),
                 "outcome": "Partial, short-lived relief"}  # fmt: skip
    v = _verdicts(
        CONSERVATIVE, prior_treatments=[_pt(dt.date(2026, 3, 2), dt.date(2026, 5, 22)), ibuprofen]
    )
    (d,) = v.requirements
    assert d.status == "met"
    assert set(d.evidence) == {"prior_treatments[0]", "prior_treatments[1]"}
    assert "364 days" in d.found


def test_conservative_treatment_too_short_is_not_met_with_its_length():
    v = _verdicts(CONSERVATIVE, prior_treatments=[_pt(dt.date(2026, 3, 2), dt.date(2026, 4, 13))])
    (d,) = v.requirements
    assert d.status == "not_met"
    assert "42 days" in d.found


IRF = (
    "requires active and ongoing therapy in at least two disciplines, one of which must be "
    "physical or occupational therapy"
)
INTENSITY = (
    "can reasonably be expected to actively participate in intensive rehabilitation, generally "
    "3 hours of therapy a day at least 5 days a week"
)


def _acute_therapy(outcome: str) -> dict[str, object]:
    return {"name": "Acute inpatient physical, occupational and speech therapy",
            "kind": "therapy", "frequency": "daily", "start": dt.date(2026, 11, 25),
            "end": dt.date(2026, 11, 30), "outcome": outcome}  # fmt: skip


def test_disciplines_are_counted_from_the_therapies_named():
    v = _verdicts(IRF, prior_treatments=[_acute_therapy("Improving")])
    (d,) = v.requirements
    assert d.status == "met" and d.value == 3
    assert "speech-language therapy" in d.found
    one = _verdicts(IRF, prior_treatments=[{"name": "Physical therapy", "kind": "therapy"}])
    assert one.requirements[0].status == "not_met" and one.requirements[0].value == 1
    assert _verdicts(IRF, clinical_summary="She is medically stable.").requirements[0].status == (
        "unknown"
    )


def test_minutes_on_a_day_are_compared_with_hours_a_day():
    v = _verdicts(INTENSITY, prior_treatments=[_acute_therapy("Participated 165 minutes on 11/30")])
    hours, days = v.requirements
    assert hours.status == "not_met" and hours.value == 165
    assert hours.found.startswith("165 minutes a day")
    assert days.status == "met" and days.value == 7  # daily therapy: 7 days a week
    enough = _verdicts(
        INTENSITY, prior_treatments=[_acute_therapy("Participated 190 minutes on 11/30")]
    )
    assert enough.requirements[0].status == "met"
