"""What the letter states and how: the clinical summary and findings that bear on the request,
ongoing treatments, a measure read at its name, the legal basis of an FEHB plan, a pre-service
request, a benefit limit conceded for an exception."""

from __future__ import annotations

import datetime as dt

from pipeline.reasoning.summary import condensed, topics

SUMMARY = (
    "52-year-old roofer with right hip osteoarthritis for six years. "
    "Pain limits walking to one block and he stopped working in May. "
    "Radiographs show Kellgren-Lawrence grade 4 change with bone-on-bone contact. "
    "He had an appendectomy in 1998 and keeps two dogs. "
    "Physical therapy for twelve weeks and naproxen for four months did not help. "
    "Influenza vaccine given in October. "
)


def test_a_short_summary_is_kept_whole() -> None:
    assert condensed(SUMMARY, topics(["radiographic grade"]), budget=500) == SUMMARY


def test_a_long_summary_keeps_the_opening_and_what_bears_on_the_criteria_in_order() -> None:
    about = ["Kellgren-Lawrence grade 3 or 4 on radiographs", "physical therapy and naproxen"]
    out = condensed(SUMMARY, topics(about), budget=45)
    assert out.startswith("52-year-old roofer") and "stopped working" in out
    assert "Kellgren-Lawrence grade 4" in out and "Physical therapy for twelve weeks" in out
    assert "appendectomy" not in out and "Influenza" not in out
    assert out.index("Kellgren") < out.index("Physical therapy")
    assert set(out.split(". ")) <= set(SUMMARY.split(". ")) | {out.split(". ")[-1]}


def test_a_finding_naming_two_measures_is_read_at_the_measure_asked_for() -> None:
    from pipeline.models import Finding
    from pipeline.reasoning.facts import _observation
    from pipeline.reasoning.verdicts import _measured

    finding = Finding(
        name="Weight / BMI at consultation",
        value="241 lb, height 66 in, BMI 38.9 kg/m2",
        date=dt.date(2026, 10, 22),
    )
    assert _measured(_observation(0, finding), "BMI") == 38.9
    plain = Finding(name="BMI", value="41.2 kg/m2", date=dt.date(2026, 10, 22))
    assert _measured(_observation(1, plain), "BMI") == 41.2


def test_an_fehb_letter_states_the_fehb_disputed_claims_process_not_aca_law() -> None:
    from pipeline.casefile import load_case
    from pipeline.ingest import ingest
    from pipeline.run import draft_letter

    from .conftest import ROOT

    example = ROOT / "examples" / "brca-fehb"
    draft = draft_letter(
        ingest(example / "letter.txt"), load_case(example / "case.yaml"), today=dt.date(2026, 12, 5)
    )
    legal = draft.markdown.split("## Legal basis for this appeal", 1)[1].split("\n## ", 1)[0]
    assert (
        "Federal Employees Health Benefits" in legal and "Office of Personnel Management" in legal
    )
    assert "300gg" not in legal and "ERISA" not in legal


def test_a_pre_service_denial_asks_for_approval_not_payment() -> None:
    from pipeline.reasoning.specs import request_timing

    timing = request_timing()
    assert timing.is_pre_service("NOTICE OF DENIAL OF MEDICAL COVERAGE\nRequest received: 10/28")
    assert timing.is_pre_service("your request for prior authorization of the services")
    assert not timing.is_pre_service("EXPLANATION OF BENEFITS. Claim 123 for services on 09/01")


def test_bears_on_needs_a_shared_topic_word() -> None:
    from pipeline.reasoning.summary import bears_on, topics

    about = topics(["Blood eosinophil count >= 150 cells/uL", "Severe persistent asthma"])
    assert bears_on("Blood eosinophil count 460 cells/uL", about)
    assert not bears_on("TSH 2.1 mIU/L", about)


def test_a_benefit_limit_the_payer_says_was_reached_is_conceded_for_an_exception() -> None:
    from pipeline.models import Criterion
    from pipeline.reasoning.argument import limit_reached

    cap = "Visits are within the benefit maximum of 30 visits per plan year."
    assert limit_reached(Criterion(text=cap, payer_reason="30 of 30 visits have been used."))
    assert not limit_reached(Criterion(text=cap, payer_reason="Only 12 visits were used."))
    assert not limit_reached(
        Criterion(text="A trial of 6 weeks of therapy.", payer_reason="The limit was reached.")
    )


def test_a_treatment_with_a_start_and_no_end_is_ongoing_not_a_gap() -> None:
    from pipeline.gaps import has_duration
    from pipeline.models import PriorTreatment
    from pipeline.reasoning.facts import case_facts

    going = PriorTreatment(name="Duloxetine", start=dt.date(2026, 4, 15), outcome="Ongoing")
    stopped = PriorTreatment(name="Bupropion", start=dt.date(2026, 7, 14), outcome="Stopped")
    assert going.ongoing and has_duration(going)
    assert not stopped.ongoing and not has_duration(stopped)
    unsaid = PriorTreatment(name="Physical therapy", start=dt.date(2026, 1, 5))
    assert not unsaid.ongoing and not has_duration(unsaid)  # the end may simply be missing
    from pipeline.casefile import load_case

    from .conftest import ROOT

    tka = load_case(ROOT / "examples" / "tka-aca" / "case.yaml")
    case = tka.model_copy(update={"prior_treatments": [going, stopped]})
    trials = case_facts(case, as_of=dt.date(2026, 11, 2)).trials
    assert [t.days for t in trials] == [201, None]


def test_a_pharmacy_drug_named_by_ndc_is_requested_by_name_not_as_a_revenue_code() -> None:
    """An office that writes 'NDC 0169-4772-12' in service.code means a pharmacy-benefit drug:
    the NDC's first part is not a revenue code, and the letter names the drug instead of an
    empty code slot ('to appeal the denial of .')."""
    from pipeline.casefile import load_case
    from pipeline.ingest import ingest
    from pipeline.models import Service
    from pipeline.run import draft_letter

    from .conftest import ROOT

    service = Service(code="NDC 0169-4772-12", description="Semaglutide pen")
    assert service.code is None and "NDC 0169-4772-12" in (service.details or "")
    assert Service(code="NDC 00002-2495-80; J3490").codes == ["J3490"]
    assert Service(code="Revenue 0128").codes == ["0128"]

    example = ROOT / "examples" / "semaglutide-aca"
    case = load_case(example / "case.yaml")
    case = case.model_copy(
        update={
            "service": Service(
                code="NDC 0169-4772-12",
                **case.service.model_dump(exclude={"code", "additional_codes"}),
            )
        }
    )
    md = draft_letter(ingest(example / "letter.txt"), case, today=dt.date(2026, 12, 5)).markdown
    assert "Revenue code" not in md
    # the opening asks for the drug by its name, strength and form (the Request's words)
    assert "denial and approve Semaglutide (Ozempic) 2 mg/dose pen-injector" in md
    assert "denial of ." not in md and "approve —" not in md


def test_an_aside_about_other_conditions_is_left_out_of_the_summary_however_short() -> None:
    # 'She also has ...' about other conditions and a grandson bears on nothing the payer
    # asked ('care for her grandson' is no 'standard wound care'); a short summary used to be
    # kept whole. An aside that bears on the request stays.
    about = topics(
        ["Failed an adequate course of standard wound care", "Hyperbaric oxygen therapy"]
    )
    summary = (
        "73-year-old woman with a diabetic foot ulcer. The wound has not healed. "
        "She also has hypothyroidism on levothyroxine and helps care for her grandson."
    )
    assert "grandson" not in condensed(summary, about)
    kept = "She also has a second wound that failed standard wound care."
    assert kept in condensed(summary.replace(summary.split(". ")[2], kept), about)
