"""The relevance contract (pipeline/relevance.py), one rule per test."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pipeline.models import (
    Applicability,
    CaseFacts,
    DenialAnalysis,
    Diagnosis,
    Passage,
    Patient,
    PlanType,
    RetrievedPassage,
    Service,
)
from pipeline.relevance import Scope, _whole_words, citable, fits, fitting, off_topic

TODAY = dt.date(2026, 12, 5)


def passage(pid: str = "p", kind: str = "guideline", **fields: Any) -> Passage:
    base: dict[str, Any] = dict(
        id=pid,
        kind=kind,
        issuing_body="Body",
        short_body="B",
        title="T",
        year=2020,
        section="S",
        text="text",
        specialty="x",
        url="https://example.org",
        license="l",
    )
    return Passage(**{**base, **fields})


def scope(
    dx: list[str] = (),  # type: ignore[assignment]
    code: str | None = None,
    plan: PlanType = PlanType.erisa,
    born: dt.date | None = None,
    categories: list[str] = (),  # type: ignore[assignment]
    service: str | None = None,
    letter_codes: list[str] = (),  # type: ignore[assignment]
) -> Scope:
    analysis = DenialAnalysis(
        plan_type=plan, denial_categories=list(categories), cpt_codes=list(letter_codes)
    )
    case = CaseFacts(
        patient=Patient(date_of_birth=born),
        diagnoses=[Diagnosis(code=d) for d in dx],
        service=Service(code=code, description=service),
    )
    return Scope.of(analysis, case, TODAY)


# --------------------------------------------------------------------------- clinical


def test_condition_must_match_a_diagnosis_by_prefix() -> None:
    crohns = passage(conditions=["K50"], services=["J0135"])
    assert fits(crohns, scope(["K50.10"], "J0135"))
    assert fits(passage(conditions=["K5010"]), scope(["K50"], "J0135"))  # either way round
    reason = off_topic(crohns, scope(["K51.90"], "J0135"))
    assert reason == "it is about K50, none of the patient's diagnoses"


def test_shared_service_code_does_not_make_another_disease_fit() -> None:
    """Ulcerative colitis answered with a Crohn's guideline for the same drug: off topic."""
    crohns = passage(conditions=["K50"], services=["J0135"])
    assert not fits(crohns, scope(["K51.90"], "J0135"))


def test_passage_without_conditions_fits_by_requested_service() -> None:
    mri = passage(services=["72148"])
    assert fits(mri, scope(["M54.5"], "72148"))
    assert fits(mri, scope(["M54.5"], None, letter_codes=["72148"]))  # code from the letter
    assert off_topic(mri, scope(["M54.5"], "27447")) == "it covers 72148, none of them requested"


def test_clinical_passage_naming_nothing_is_not_shown_to_fit() -> None:
    assert not fits(passage(), scope(["M17.11"], "27447"))
    assert not fits(passage(kind="coverage_policy"), scope(["M17.11"], "27447"))


def test_unknown_diagnoses_compare_services_and_nothing_known_compares_nothing() -> None:
    crohns = passage(conditions=["K50"], services=["J0135"])
    assert fits(crohns, scope([], "J0135"))
    assert not fits(crohns, scope([], "27447"))
    assert not fits(passage(conditions=["K50"]), scope([], "27447"))
    assert fits(passage(conditions=["K50"]), scope([], None))


# --------------------------------------------------------------------------- regulations


def law(**fields: Any) -> Passage:
    return passage(kind="regulation", **fields)


def test_parity_law_needs_a_mental_health_or_substance_use_diagnosis() -> None:
    parity = law(applies_if=[Applicability.behavioral_health])
    assert fits(parity, scope(["F33.2"], "90867"))
    assert fits(parity, scope(["F10.20"], "H0018"))
    reason = off_topic(parity, scope(["M75.121"], "97110"))
    assert reason is not None and "parity" in reason


def test_epsdt_needs_a_patient_under_21_on_medicaid() -> None:
    epsdt = law(plan_types=[PlanType.medicaid], applies_if=[Applicability.under_21])
    child = dt.date(2010, 1, 1)
    assert fits(epsdt, scope(["G80.9"], "E1161", PlanType.medicaid, born=child))
    assert not fits(epsdt, scope(["I63.9"], "97110", PlanType.medicaid, born=dt.date(1968, 3, 1)))
    assert not fits(epsdt, scope(["G80.9"], "E1161", PlanType.erisa, born=child))
    assert not fits(epsdt, scope(["G80.9"], "E1161", PlanType.medicaid, born=None))
    # the day before and on the 21st birthday
    assert fits(epsdt, scope(["G80.9"], "E1161", PlanType.medicaid, born=dt.date(2005, 12, 6)))
    assert not fits(epsdt, scope(["G80.9"], "E1161", PlanType.medicaid, born=dt.date(2005, 12, 5)))


def test_no_surprises_needs_emergency_or_out_of_network_care() -> None:
    nsa = law(applies_if=[Applicability.emergency_or_out_of_network])
    assert fits(nsa, scope(["R07.9"], "99285"))
    assert fits(nsa, scope(["N40.1"], "55866", categories=["out_of_network"]))
    assert fits(nsa, scope(["S72.001A"], "27236", service="Emergency hip fixation"))
    reason = off_topic(nsa, scope(["M17.11"], "27447", categories=["not_medically_necessary"]))
    assert reason == "it applies only to emergency or out-of-network care"


def test_emergency_coverage_rules_need_emergency_care_not_just_out_of_network() -> None:
    rule = law(applies_if=[Applicability.emergency])
    assert fits(rule, scope(["R10.9"], "99284"))
    assert fits(rule, scope(["J02.9"], None, service="Emergency room visit for sore throat"))
    reason = off_topic(rule, scope(["N40.1"], "55866", categories=["out_of_network"]))
    assert reason == "the emergency-coverage rule applies only to emergency care"


def test_erisa_rules_only_for_erisa_plans() -> None:
    erisa = law(plan_types=[PlanType.erisa])
    assert fits(erisa, scope(["M17.11"], "27447", PlanType.erisa))
    for plan in (PlanType.aca_individual, PlanType.medicaid, PlanType.unknown):
        assert not fits(erisa, scope(["M17.11"], "27447", plan))


def test_medicare_advantage_rules_only_for_ma() -> None:
    ma = law(plan_types=[PlanType.medicare_advantage])
    assert fits(ma, scope(["M17.11"], "27447", PlanType.medicare_advantage))
    reason = off_topic(ma, scope(["M17.11"], "27447", PlanType.medicare))
    assert reason == "it applies to medicare_advantage plans, not medicare"


def test_general_law_fits_every_plan() -> None:
    for plan in PlanType:
        assert fits(law(), scope(["M17.11"], "27447", plan))


# --------------------------------------------------------------------------- arguments


def test_argument_notes_fit_but_are_never_citable() -> None:
    note = passage(kind="argument")
    assert fits(note, scope(["M17.11"], "27447"))
    assert not citable(note)
    assert citable(passage(conditions=["M17"])) and citable(law())


def test_fitting_keeps_order_and_drops_what_does_not_fit() -> None:
    rps = [
        RetrievedPassage(passage=passage("a", conditions=["K51"]), score=1.0, rank=1),
        RetrievedPassage(passage=passage("b", conditions=["K50"]), score=0.9, rank=2),
        RetrievedPassage(passage=law(id="c"), score=0.5, rank=3),
    ]
    assert [rp.passage.id for rp in fitting(rps, scope(["K51.90"], "J0135"))] == ["a", "c"]


def test_age_is_taken_on_the_letters_date_unless_a_date_is_given() -> None:
    case = CaseFacts(patient=Patient(date_of_birth=dt.date(2005, 6, 1)))
    analysis = DenialAnalysis(letter_date=dt.date(2026, 1, 1))
    assert Scope.of(analysis, case).age == 20
    assert Scope.of(analysis, case, dt.date(2026, 6, 1)).age == 21
    assert Scope.of(analysis, CaseFacts()).age is None


# --------------------------------------------------------------------------- drugs


def test_a_drug_label_fits_only_when_its_drug_is_requested() -> None:
    wegovy = passage(kind="coverage_policy", conditions=["I63", "I25"], treatments=["semaglutide"])
    rehab = scope(["I63.512"], "0128", service="Inpatient rehabilitation admission after stroke")
    assert off_topic(wegovy, rehab) == "it is about semaglutide, which is not the requested service"
    asked = scope(["I63.512"], None, service="Semaglutide 2.4 mg (Wegovy) weekly")
    assert fits(wegovy, asked)
    # the drug is requested but the label's conditions are not the patient's
    assert not fits(wegovy, scope(["K51.90"], None, service="semaglutide"))


def test_a_drug_name_matches_as_a_whole_word_also_from_the_letter() -> None:
    label = passage(kind="coverage_policy", conditions=["K51"], treatments=["vedolizumab"])
    assert not fits(label, scope(["K51.90"], "J3380", service="vedolizumabx"))
    analysis = DenialAnalysis(
        plan_type=PlanType.erisa,
        requested=[{"code": "J3380", "system": "hcpcs", "description": "Injection, vedolizumab"}],
    )
    case = CaseFacts(diagnoses=[Diagnosis(code="K51.90")])
    assert fits(label, Scope.of(analysis, case, TODAY))


def test_a_regulation_naming_conditions_must_also_fit_the_patient() -> None:
    cardiac_rehab = passage(
        kind="regulation",
        plan_types=[PlanType.medicare],
        conditions=["I21", "I25"],
        services=["93798"],
    )
    assert fits(cardiac_rehab, scope(["I25.10"], "93798", plan=PlanType.medicare))
    reason = off_topic(cardiac_rehab, scope(["I63.9"], "0128", plan=PlanType.medicare))
    assert reason == "it is about I21, I25, none of the patient's diagnoses"


# --------------------------------------------------------------------------- for the drafter


def test_clinical_passages_never_offer_a_law_and_put_the_criterions_first() -> None:
    from pipeline.relevance import clinical_passages

    law = RetrievedPassage(passage=passage("law", kind="regulation"), score=9, rank=1, criteria=[0])
    general = RetrievedPassage(passage=passage("g1", conditions=["K51"]), score=2, rank=2)
    tagged = RetrievedPassage(
        passage=passage("g2", kind="coverage_policy", conditions=["K51"]),
        score=1,
        rank=3,
        criteria=[1],
    )
    assert [p.id for p in clinical_passages([law, general, tagged], 1)] == ["g2", "g1"]
    assert [p.id for p in clinical_passages([law, general, tagged])] == ["g1", "g2"]
    assert clinical_passages([law]) == []


def test_no_fitting_guideline_is_a_gap_naming_diagnosis_service_and_both_remedies() -> None:
    from pipeline.relevance import citation_gap

    law = RetrievedPassage(passage=passage("law", kind="regulation"), score=9, rank=1)
    gap = citation_gap(scope(["K51.90"], "J3380"), [law])
    assert gap is not None and gap.field == "citations"
    assert "no guideline in the corpus covers K5190 with J3380" in gap.message
    assert "citations:" in gap.message and "corpus passage" in gap.message
    guideline = RetrievedPassage(passage=passage(conditions=["K51"]), score=1, rank=2)
    assert citation_gap(scope(["K51.90"], "J3380"), [law, guideline]) is None


def test_the_physicians_sources_become_passages_about_this_patient() -> None:
    from pipeline.models import CaseCitation
    from pipeline.relevance import physician_passages

    analysis = DenialAnalysis(plan_type=PlanType.erisa)
    case = CaseFacts(
        diagnoses=[Diagnosis(code="K51.90")],
        service=Service(code="J3380"),
        citations=[
            CaseCitation(
                issuing_body="American Gastroenterological Association",
                title="UC guideline",
                year="2020",
                recommendation="Use vedolizumab in moderate-to-severe UC.",
                url="https://example.org/uc",
            ),
            CaseCitation(issuing_body="B", title="T", year="v3", recommendation="R"),
        ],
    )
    s = Scope.of(analysis, case, TODAY)
    first, second = physician_passages(case, s)
    assert first.id == "case-citation-1" and first.supplied_by_physician
    assert first.conditions == ["K5190"] and first.services == ["J3380"] and fits(first, s)
    ref = first.reference()
    assert ref.startswith("American Gastroenterological Association. UC guideline. 2020.")
    assert ref.endswith("https://example.org/uc. (Source supplied by the treating physician.)")
    assert "T. v3." in second.reference()


def test_the_preventive_services_rule_needs_a_preventive_service() -> None:
    rule = passage(kind="regulation", applies_if=[Applicability.preventive_service])
    assert fits(rule, scope(["Z12.31"], "77067", service="Screening mammography, bilateral"))
    assert fits(rule, scope(["Z80.3"], "81162", service="BRCA1/2 full sequence analysis"))
    reason = off_topic(rule, scope(["M05.79"], "J0135", service="Adalimumab 40 mg"))
    assert reason is not None and "preventive" in reason


def test_direct_obgyn_access_needs_obstetric_or_gynecological_care() -> None:
    rule = passage(kind="regulation", applies_if=[Applicability.obstetric_gynecological])
    assert fits(rule, scope(["O24.410"], "E2103"))
    assert fits(rule, scope(["R10.2"], "58571", service="Laparoscopic hysterectomy (gynecologic)"))
    assert not fits(rule, scope(["M17.11"], "27447", service="Total knee arthroplasty"))


def test_california_law_needs_a_california_plan_patient_or_practice() -> None:
    from pipeline.models import Physician

    rule = passage(kind="regulation", applies_if=[Applicability.california])
    assert not fits(rule, scope(["M17.11"], "27447"))
    analysis = DenialAnalysis(
        plan_type=PlanType.erisa, appeal_address="PO Box 1, Oakland, CA 94612"
    )
    assert fits(rule, Scope.of(analysis, CaseFacts(diagnoses=[Diagnosis(code="M17.11")]), TODAY))
    case = CaseFacts(physician=Physician(address="12 Main St, Fresno, California"))
    assert fits(rule, Scope.of(DenialAnalysis(plan_type=PlanType.erisa), case, TODAY))


@given(
    st.text(alphabet="ab1 -é", max_size=6).filter(str.strip),
    st.text(alphabet="ab1 -é", max_size=14),
)
def test_whole_words_is_the_pattern_it_replaced(needle: str, text: str) -> None:
    pattern = rf"(?<![a-z0-9]){re.escape(needle)}(?![a-z0-9])"
    assert _whole_words(needle, text) == bool(re.search(pattern, text))


# --------------------------------------------------------------------------- the request's purpose


def test_a_comorbiditys_guideline_does_not_fit_a_service_it_is_not_about() -> None:
    """Bariatric surgery for obesity (knee osteoarthritis a comorbidity): the knee guideline
    is no support; the obesity guideline and a passage about the operation itself are."""
    case = scope(["E66.01", "Z68.41", "M17.0"], "43775")
    knee = passage(conditions=["M17"], services=["27447", "20610"])
    reason = off_topic(knee, case)
    assert reason is not None and "comorbidity" in reason and "E6601" in reason
    assert fits(passage(conditions=["E66"]), case)
    # about the requested operation: a comorbidity is then a reason for it (metabolic surgery)
    assert fits(
        passage(conditions=["E11"], services=["43775"]), scope(["E66.01", "E11.9"], "43775")
    )
    # the same knee guideline fits a knee arthroplasty, where knee OA is what is treated
    assert fits(knee, scope(["M17.11", "E66.01"], "27447"))


def test_a_statin_guideline_does_not_fit_a_hip_arthroplasty() -> None:
    lipids = passage(conditions=["E78", "I10"], services=["75571"])
    assert not fits(lipids, scope(["M16.11", "E78.5"], "27130"))
    assert fits(
        passage(conditions=["M16"], services=["27130"]), scope(["M16.11", "E78.5"], "27130")
    )


def test_the_treated_condition_is_the_first_diagnosis_with_its_icd10_block() -> None:
    stroke = scope(["I63.512", "I69.351", "I10"], "0128")
    assert stroke.treated == ("I63512", "I69351")  # one block (I60-I69); hypertension is not
    assert fits(passage(conditions=["I69"]), stroke)
    assert not fits(passage(conditions=["I10"]), stroke)
    # a status or aftercare code first brings in the first disease code after it
    rehab = scope(["Z47.1", "Z96.651", "M25.661"], "97110")
    assert rehab.treated == ("Z471", "M25661")
    assert fits(passage(conditions=["M25"]), rehab)
    assert not fits(passage(conditions=["Z96"]), rehab)
    # with no case diagnosis, the letter's first code is the treated one
    analysis = DenialAnalysis(plan_type=PlanType.erisa, icd10_codes=["M17.11", "E11.9"])
    assert Scope.of(analysis, None, TODAY).treated == ("M1711",)


def test_a_device_clearance_is_no_reference_for_a_drug_for_the_same_disease() -> None:
    """A coverage policy naming service codes is about those services: a TMS clearance does not
    fit an esketamine request although both treat depression."""
    tms = passage(kind="coverage_policy", conditions=["F32", "F33"], services=["90867"])
    esketamine = scope(["F33.2"], "S0013", service="Esketamine (Spravato) nasal spray")
    reason = off_topic(tms, esketamine)
    assert reason is not None and "not the requested service" in reason
    assert fits(tms, scope(["F33.2"], "90867"))
    # a disease guideline naming services still fits a request for another treatment of it
    assert fits(passage(conditions=["F32", "F33"], services=["90867"]), esketamine)


def test_medicare_only_rules_fit_only_medicare_plans_whatever_their_kind() -> None:
    jimmo = passage(
        kind="coverage_policy",
        services=["97110"],
        plan_types=[PlanType.medicare, PlanType.medicare_advantage],
    )
    assert fits(jimmo, scope(["M75.121"], "97110", plan=PlanType.medicare_advantage))
    reason = off_topic(jimmo, scope(["M75.121"], "97110", plan=PlanType.aca_individual))
    assert reason == "it applies to medicare, medicare_advantage plans, not aca_individual"


def fehb_scope(insurer: str | None) -> Scope:
    analysis = DenialAnalysis(plan_type=PlanType.government_or_church, insurer=insurer)
    return Scope.of(analysis, CaseFacts(diagnoses=[Diagnosis(code="M17.11")]), TODAY)


def test_an_fehb_plan_gets_opms_rules_and_not_the_acas() -> None:
    aca = passage(
        kind="regulation",
        plan_types=[PlanType.erisa, PlanType.government_or_church],
        applies_if=[Applicability.not_fehb],
    )
    opm = passage(
        kind="regulation",
        plan_types=[PlanType.government_or_church],
        applies_if=[Applicability.fehb],
    )
    fehb = fehb_scope("Blue Cross and Blue Shield Service Benefit Plan (FEHB)")
    county = fehb_scope("Larkspur County Employee Health Plan")
    assert fehb.program == "fehb" and county.program == "default"
    assert fits(opm, fehb) and not fits(aca, fehb)
    assert "5 CFR 890.105" in (off_topic(aca, fehb) or "")
    assert fits(aca, county) and not fits(opm, county)


def test_parity_law_does_not_reach_a_speech_delay() -> None:
    """F80-F82 are treated under the rehabilitative benefit, not a mental-health benefit."""
    parity = passage(kind="regulation", applies_if=[Applicability.behavioral_health])
    assert not fits(parity, scope(["F80.2"], "92507"))
    assert fits(parity, scope(["F84.0"], "97153"))


def test_the_fehb_phrases_are_the_plan_specs() -> None:
    """relevance.FEHB mirrors the FEHB program's phrases in government_or_church.yaml."""
    from pipeline.appeal import plan_spec
    from pipeline.relevance import FEHB

    programs = {p.key: p.when for p in plan_spec(PlanType.government_or_church).programs}
    assert all(FEHB.search(w) for w in programs["fehb"])
    assert not any(FEHB.search(w) for key, ws in programs.items() if key != "fehb" for w in ws)


def test_the_fehb_program_is_read_from_the_letter_when_the_payer_fields_miss_it() -> None:
    analysis = DenialAnalysis(plan_type=PlanType.government_or_church, insurer="Capitol Mutual")
    case = CaseFacts(diagnoses=[Diagnosis(code="C50.912")])
    letter = "A plan participating in the Federal Employees Health Benefits (FEHB) Program"
    assert Scope.of(analysis, case, TODAY).program == "default"
    assert Scope.of(analysis, case, TODAY, letter_text=letter).program == "fehb"
    # an ERISA plan naming OPM somewhere is still an ERISA plan
    erisa = DenialAnalysis(plan_type=PlanType.erisa)
    assert Scope.of(erisa, case, TODAY, letter_text=letter).program == "default"


def test_a_passage_about_one_cancer_fits_no_patient_with_another() -> None:
    """Mapped to C34 (not the whole chapter C), a lung cancer screening passage is no
    reference for a breast cancer patient's screening mammogram."""
    lung = passage(kind="coverage_policy", conditions=["C34", "Z122"], treatments=["screening"])
    assert not fits(lung, scope(["C50.911", "Z12.31"], "77067", service="Screening mammogram"))
    assert fits(lung, scope(["Z12.2", "F17.210"], "71271", service="Lung cancer screening"))


def test_a_passage_about_cancer_in_general_needs_a_cancer_diagnosis() -> None:
    """NCD 90.2 covers tumor sequencing for any advanced cancer: the malignancy fact fits a
    lung cancer patient (or a history of cancer, Z85) and no patient without cancer."""
    ngs = passage(
        kind="coverage_policy",
        treatments=["next generation sequencing"],
        applies_if=[Applicability.malignancy],
    )
    service = "Next generation sequencing tumor panel"
    assert fits(ngs, scope(["C34.12"], "0022U", service=service))
    assert fits(ngs, scope(["Z85.3"], "0022U", service=service))
    reason = off_topic(ngs, scope(["I42.1"], "81439", service="Next generation sequencing panel"))
    assert reason is not None and "cancer" in reason


def test_parity_law_needs_the_treated_condition_to_be_behavioral() -> None:
    """Depression beside a knee replacement makes no behavioral-health benefit of it."""
    parity = law(applies_if=[Applicability.behavioral_health])
    assert fits(parity, scope(["F32.1", "M17.11"], "90837"))
    reason = off_topic(parity, scope(["M17.11", "F32.1"], "27447"))
    assert reason is not None and "parity" in reason


def test_a_drug_the_patient_cannot_take_is_no_support_for_the_request() -> None:
    """A left atrial appendage closure is requested because anticoagulation is contraindicated:
    the warfarin label the description names is the payer's alternative, not support; nor is a
    drug's label support for a device request that names the drug."""
    warfarin = passage(
        kind="coverage_policy", indication=True, purpose=["drug"], treatments=["warfarin"],
        conditions=["I48"],
    )  # fmt: skip
    laao = "Left atrial appendage closure (Watchman FLX); she cannot take warfarin or apixaban"
    assert not fits(warfarin, scope(["I48.91"], "33340", service=laao))
    named = "Left atrial appendage closure device to replace warfarin therapy"
    reason = off_topic(warfarin, scope(["I48.91"], "33340", service=named))
    assert reason is not None and "a drug" in reason
    # a drug requested after another failed is still the drug requested
    dupi = passage(
        kind="coverage_policy", indication=True, purpose=["drug"], treatments=["dupilumab"],
        conditions=["L20"],
    )  # fmt: skip
    mtx = passage(
        kind="coverage_policy", indication=True, purpose=["drug"], treatments=["methotrexate"],
        conditions=["L20"],
    )  # fmt: skip
    request = "Dupilumab 300 mg every 2 weeks after failure of methotrexate and cyclosporine"
    assert fits(dupi, scope(["L20.9"], service=request))
    assert not fits(mtx, scope(["L20.9"], service=request))


def test_a_conditions_name_is_no_clause_of_what_the_patient_cannot_take() -> None:
    """'Heart failure' or 'failed back surgery syndrome' names the condition: the treatment
    named after it is still the one requested."""
    scs = passage(kind="coverage_policy", treatments=["spinal cord stimulator"])
    service = "Failed back surgery syndrome, spinal cord stimulator trial"
    assert fits(scs, scope(["M96.1"], service=service))
    arni = passage(
        kind="coverage_policy", indication=True, purpose=["drug"], treatments=["sacubitril"],
        conditions=["I50"],
    )  # fmt: skip
    hfref = "Heart failure with reduced ejection fraction, sacubitril/valsartan"
    assert fits(arni, scope(["I50.22"], service=hfref))
