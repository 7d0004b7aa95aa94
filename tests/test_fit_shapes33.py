"""Citations that fit (issue 16, stop 33): a procedure named with a word between its name's
words, a guideline on another item of the same condition, a criterion and a passage sharing
only a kind of care or a comparison, a specific passage over a general verified one, and the
binding NCD's threshold the notice states stricter."""

from __future__ import annotations

import datetime as dt

from pipeline.evidence import choose_passages, cite
from pipeline.letter_format import CRITERIA
from pipeline.models import (
    CaseFacts,
    Criterion,
    Diagnosis,
    Finding,
    Patient,
    PlanType,
    RetrievedPassage,
    Service,
)
from pipeline.reasoning.fit import governing_paragraph, overlap, topic_words
from pipeline.reasoning.rule_terms import differences, stricter_terms
from pipeline.relevance import _spaced_words, about_the_request, fits, off_topic
from tests.test_relevance import passage, scope

# --------------------------------------------------------------------------- spaced names


def test_a_procedure_is_named_with_a_word_between_its_names_words() -> None:
    ncd = passage(
        kind="coverage_policy",
        conditions=["H90"],
        treatments=["cochlear implantation"],
        purpose=["procedure"],
    )
    request = scope(["H90.3"], "69930", service="Cochlear device implantation, right ear")
    assert fits(ncd, request)
    assert not fits(ncd, scope(["H90.3"], "69930", service="Cochlear device programming"))


def test_words_joined_by_a_conjunction_or_a_drug_apart_name_nothing() -> None:
    assert _spaced_words("hip replacement", "total hip joint replacement")
    assert not _spaced_words("hip replacement", "hip and knee replacement")
    assert not _spaced_words("hip replacement", "hip pain no replacement")
    assert not _spaced_words("replacement", "hip replacement")  # one word: exact only
    label = passage(
        kind="coverage_policy",
        conditions=["E11"],
        treatments=["insulin lispro"],
        purpose=["drug"],
        indication=True,
    )
    # a drug is named exactly: 'insulin glargine lispro-free' is no lispro request
    assert not fits(label, scope(["E11.65"], service="insulin glargine lispro-free pen"))


# --------------------------------------------------------------------------- other items


def test_a_guideline_on_another_item_of_the_same_condition_does_not_fit() -> None:
    pumps = passage(conditions=["E10", "E11"], services=["E0784", "A9274"], purpose=["device"])
    stimulator = scope(["E11.42"], "63650", service="Spinal cord stimulator trial")
    assert off_topic(pumps, stimulator) == "it is about E0784, A9274, none of them requested"
    assert fits(pumps, scope(["E11.65"], "E0784", service="Insulin pump"))
    # named by its treatment: about the requested item though its codes are others
    named = passage(
        conditions=["E11"], services=["E0784"], purpose=["device"], treatments=["insulin pump"]
    )
    assert fits(named, scope(["E11.65"], "E0787", service="Insulin pump with sensor"))


def test_a_therapy_guideline_may_be_about_the_step_a_payer_asks_first() -> None:
    psychotherapy = passage(conditions=["F33"], services=["90834", "90837"], purpose=["therapy"])
    assert fits(
        psychotherapy, scope(["F33.2"], "90867", service="Transcranial magnetic stimulation")
    )


# --------------------------------------------------------------------------- placement


def _case(service: str) -> CaseFacts:
    return CaseFacts(
        patient=Patient(),
        diagnoses=[Diagnosis(code="E66.01", description="Morbid obesity")],
        service=Service(code="43775", description=service),
    )


def _for_first(text: str, section: str) -> RetrievedPassage:
    """A passage retrieved for the first criterion."""
    return RetrievedPassage(
        passage=passage(text=text, section=section), score=1.0, rank=1, criteria=[0]
    )


def test_a_kind_of_care_or_a_comparison_is_no_shared_subject() -> None:
    referral = _for_first(
        "The AASM recommends referral to a sleep surgeon for adults with a BMI under 40.",
        "Referral for surgery",
    )
    psych = Criterion(
        text="A psychological evaluation within 12 months before surgery, BMI 35 or greater"
    )
    case = _case("Laparoscopic sleeve gastrectomy")
    # 'surgery' and 'greater' are shared, and 'BMI': only BMI is a subject
    assert overlap(referral, topic_words(psych, case)) == 1
    only_kind = Criterion(text="A psychological evaluation before surgery")
    assert overlap(referral, topic_words(only_kind, case)) == 0


def test_words_of_care_in_general_are_no_shared_subject() -> None:
    protocol = _for_first(
        "The choice of anti-VEGF agent for macular edema depends on the eye's vision.",
        "Management",
    )
    a1c = Criterion(
        text="A hemoglobin A1c result within 6 months, and the member under the care of a "
        "physician for glycemic management"
    )
    assert overlap(protocol, topic_words(a1c, _case("Intravitreal faricimab"))) == 0


def test_a_passage_about_the_request_outranks_a_general_verified_one() -> None:
    general = RetrievedPassage(
        passage=passage("general", verified=True), score=1.6, rank=1, criteria=[]
    )
    exome = RetrievedPassage(passage=passage("exome"), score=1.1, rank=2, criteria=[])
    assert [p.id for p in choose_passages([general, exome], None)] == ["general"]
    chosen = choose_passages([general, exome], None, specific=["exome"])
    assert [p.id for p in chosen] == ["exome"]
    request = scope(["F88"], "81415", service="Trio exome sequencing")
    assert about_the_request(passage(services=["81415"], conditions=["F88"]), request)
    assert not about_the_request(passage(conditions=["F88"]), request)


# --------------------------------------------------------------------------- binding rule


NCD_TEXT = (
    "Limited benefit from amplification is defined by test scores of less than or equal to 60% "
    "correct in the best-aided listening condition on recorded tests of open-set sentence "
    "recognition. Patients must meet all of the following criteria."
)
NOTICE = (
    "2. Limited benefit from amplification, defined by test scores of less than or equal to "
    "40% correct in the best-aided listening condition on recorded tests of open-set sentence "
    "recognition (HINT or AzBio sentences). Finding: Not met. Your best-aided AzBio score was "
    "52%, which is above 40%. We applied NCD 50.3."
)


def _hearing_case(value: str) -> CaseFacts:
    return CaseFacts(
        patient=Patient(),
        diagnoses=[Diagnosis(code="H90.3")],
        service=Service(code="69930", description="Cochlear device implantation"),
        objective_findings=[
            Finding(
                kind="other",
                name="Aided speech recognition, recorded materials",
                value=value,
                date=dt.date(2026, 7, 21),
            )
        ],
    )


def test_the_notices_stricter_threshold_is_found_with_the_patients_value() -> None:
    case = _hearing_case("right ear aided 34%, bilateral best-aided 52%")
    [d] = stricter_terms(NCD_TEXT, NOTICE, case)
    assert (d.rule.shown, d.notice.shown) == ("60%", "40%")
    assert d.patient is not None and d.patient.startswith("bilateral best-aided 52%")
    assert d.patient_meets_rule
    # the same figure in both: nothing to say
    assert differences(NCD_TEXT, NOTICE.replace("40%", "60%"), case) == []
    # a looser notice is no argument
    assert stricter_terms(NCD_TEXT, NOTICE.replace("40%", "70%"), case) == []


def test_two_findings_answering_alike_give_no_patient_value() -> None:
    case = _hearing_case("left best-aided 48%; right best-aided 52%")
    [d] = stricter_terms(NCD_TEXT, NOTICE, case)
    assert d.patient is None and d.patient_meets_rule is None


def test_the_binding_rules_stricter_threshold_is_said_under_medicare_advantage_only() -> None:
    ncd = passage(
        "cms-ncd-50-3-p1",
        kind="coverage_policy",
        issuing_body="Centers for Medicare & Medicaid Services (CMS)",
        short_body="CMS",
        title="National Coverage Determination (NCD) 50.3: Cochlear Implantation",
        section="B. Nationally Covered Indications",
        text=f"Cochlear implantation may be covered for hearing loss. {NCD_TEXT}",
        conditions=["H90"],
        treatments=["cochlear implantation"],
    )
    passages = [RetrievedPassage(passage=ncd, score=1.0, rank=1, criteria=[])]
    case = _hearing_case("bilateral best-aided 52%")
    said = governing_paragraph(passages, PlanType.medicare_advantage, NOTICE, "", case)
    assert "the current NCD 50.3 sets 60%" in said and "applies 40%" in said
    assert "42 CFR 422.101(b)(2)" in said and "bilateral best-aided 52%" in said
    assert said.startswith("The rule that governs this service is")
    assert said.count(cite("cms-ncd-50-3-p1")) == 2
    # already cited above: the stricter threshold is still said, the rule not named again
    written = f"see {cite('cms-ncd-50-3-p1')}"
    cited = governing_paragraph(passages, PlanType.medicare_advantage, NOTICE, written, case)
    assert cited.startswith("The notice applies 40%")
    assert governing_paragraph(passages, PlanType.erisa, NOTICE, "", case) == ""
    # Original Medicare: the NCD binds its contractors (42 CFR 405.1060), not the MA rule
    original = governing_paragraph(passages, PlanType.medicare, NOTICE, "", case)
    assert "405.1060" in original and "422.101" not in original


OUTDATED_NOTICE = (
    "Evergreen Senior Advantage (Medicare Advantage HMO)\nNOTICE OF DENIAL OF MEDICAL COVERAGE\n"
    "Date: November 17, 2026\nMember ID: ESA-1102\n"
    "Service requested: 69930 Cochlear device implantation, right ear\n\n"
    "We denied this request under our Cochlear Implant Medical Policy CI-07. It requires:\n"
    "1. Bilateral moderate-to-profound sensorineural hearing loss. Met.\n"
    "2. Limited benefit from amplification, defined by test scores of less than or equal to 40% "
    "correct in the best-aided listening condition on recorded tests of open-set sentence "
    "recognition. Not met.\n\nYou have 65 days from the date of this notice to ask for a "
    "reconsideration.\n"
)


def test_the_criterion_stating_the_outdated_figure_says_the_rules_once() -> None:
    from tests.test_strategy_kinds import NCD_TEXT as HEARING_NCD
    from tests.test_strategy_kinds import _criterion, _ma_draft, _ncd

    rule = f"{HEARING_NCD} {NCD_TEXT}"
    sections = _ma_draft(OUTDATED_NOTICE, _ncd(rule))
    own = _criterion(sections, 2)
    assert "applies 40%" in own and "the current NCD 50.3 sets 60%" in own
    assert "42 CFR 422.101(b)(2)" in own
    # said under the criterion that states it, not again above the criteria
    assert sections[CRITERIA].count("the current NCD 50.3 sets 60%") == 1
    assert "sets 60%" not in _criterion(sections, 1)
