"""Citations that fit (session 36): a passage stands under a criterion only when the sentence
the letter states takes a position on what the criterion asks; a physician's fitting source
outranks a corpus passage there, and the corpus passage it displaces goes under another
criterion it answers; Medicare's own rules stand under a criterion only for a plan they bind; a
guideline's clinical-trial pathway supports only care given in a trial; and a guideline's
first-line recommendation is no support for a second-line drug."""

from __future__ import annotations

import datetime as dt

from pipeline import retrieve as R
from pipeline.models import (
    CaseFacts,
    Criterion,
    DenialAnalysis,
    Diagnosis,
    Passage,
    Patient,
    PlanType,
    RetrievedPassage,
    Service,
)
from pipeline.reasoning.argument import NO_HOME, passage_homes
from pipeline.reasoning.fit import fits, states_indication, topic_words
from pipeline.reasoning.verdicts import CriterionVerdict
from pipeline.relevance import Scope, off_topic
from tests.test_relevance import passage

TODAY = dt.date(2026, 12, 2)


def corpus(pid: str) -> Passage:
    return R.get_index().passages[pid]


def retrieved(*passages: Passage, criteria: list[int]) -> list[RetrievedPassage]:
    return [
        RetrievedPassage(passage=p, score=1.0 - i / 10, rank=i, criteria=criteria)
        for i, p in enumerate(passages, 1)
    ]


DBT = CaseFacts(
    diagnoses=[Diagnosis(code="F60.3", description="Borderline personality disorder")],
    service=Service(code="90837", description="Dialectical behavior therapy"),
)
SELF_INJURY = Criterion(
    text="Persisting target behaviors: within 60 days, non-suicidal self-injury that required "
    "medical attention, or a psychiatric emergency department visit or inpatient psychiatric "
    "admission"
)


# ------------------------------------------------------------------ a position on the criterion


def test_a_word_of_the_passages_own_field_is_no_shared_subject() -> None:
    """A level-of-care instrument 'for Psychiatric and Addiction Services' shares 'psychiatric'
    with a self-injury criterion and states nothing of it; its dimension of the recovery
    environment's support does bear on a criterion on the member's support system."""
    locus = corpus("aacp-locus-dimensions")
    rp = retrieved(locus, criteria=[0])[0]
    assert not fits(rp, 0, topic_words(SELF_INJURY, DBT), DBT, PlanType.erisa)
    support = Criterion(
        text="The member's family or community support system is insufficient to maintain "
        "stability during treatment at a less intensive level of care"
    )
    assert fits(rp, 0, topic_words(support, DBT), DBT, PlanType.erisa)


def test_a_corpus_passage_fits_only_by_the_sentence_the_letter_states() -> None:
    """The criterion's words in the passage's description of its population are no position
    on the criterion: the line the letter would quote recommends something else."""
    elsewhere = passage(
        "elsewhere",
        text="Structured psychotherapy is recommended for borderline personality disorder. "
        "Many patients have had a psychiatric admission or self-injury before referral.",
    )
    stated = passage(
        "stated",
        text="Self-injury that needed medical attention within 60 days is an indication to "
        "continue comprehensive DBT, which the guideline recommends.",
    )
    rps = retrieved(elsewhere, stated, criteria=[0])
    assert not fits(rps[0], 0, topic_words(SELF_INJURY, DBT), DBT)
    assert fits(rps[1], 0, topic_words(SELF_INJURY, DBT), DBT)


# ------------------------------------------------------------------ Medicare's rules


def test_a_medicare_rule_stands_under_a_criterion_only_for_a_plan_it_binds() -> None:
    ncd = passage(
        "ncd",
        kind="coverage_policy",
        issuing_body="Centers for Medicare & Medicaid Services (CMS)",
        short_body="CMS",
        text="Insulin pumps are covered for patients who meet the fasting C-peptide testing "
        "requirement or are beta cell autoantibody positive.",
    )
    case = CaseFacts(
        diagnoses=[Diagnosis(code="E10.65", description="Type 1 diabetes with hyperglycemia")],
        service=Service(code="E0784", description="External ambulatory insulin infusion pump"),
    )
    peptide = Criterion(text="Fasting C-peptide at or below 110% of the lab's lower limit")
    rp = retrieved(ncd, criteria=[0])[0]
    assert fits(rp, 0, topic_words(peptide, case), case, PlanType.medicare_advantage)
    assert fits(rp, 0, topic_words(peptide, case), case, PlanType.medicare)
    assert not fits(rp, 0, topic_words(peptide, case), case, PlanType.medicaid)
    assert not fits(rp, 0, topic_words(peptide, case), case, PlanType.erisa)


# ------------------------------------------------------------------ placement


def test_a_physicians_source_outranks_the_corpus_under_its_criterion() -> None:
    """The physician's source holds the criterion both are most about; the corpus passage is
    stated under no other criterion it touches less (and the validator asks for none there)."""
    own = passage(
        "case-citation-1",
        supplied_by_physician=True,
        text="Propranolol and primidone are the first-line drugs for essential tremor.",
    )
    review = passage(
        "review",
        text="The review recommends propranolol and primidone as efficacious first-line drugs "
        "and deep brain stimulation for disabling tremor.",
    )
    case = CaseFacts(
        diagnoses=[Diagnosis(code="G25.0", description="Essential tremor")],
        service=Service(code="61867", description="Deep brain stimulation"),
    )
    drugs = Criterion(text="Inadequate response to propranolol and primidone")
    disabling = Criterion(text="Disabling tremor in activities of daily living")
    verdicts = [
        CriterionVerdict(index=i, criterion=c, status="unknown")
        for i, c in enumerate([drugs, disabling])
    ]
    homes = passage_homes(retrieved(own, review, criteria=[0, 1]), verdicts, case)
    assert homes == {"case-citation-1": 0, "review": NO_HOME}
    # without the physician's source the corpus passage holds the criterion it is most about
    alone = passage_homes(retrieved(review, criteria=[0, 1]), verdicts, case)
    assert alone == {"review": 0}


# ------------------------------------------------------------------ pathway and line of therapy


def scope_of(code: str, description: str, dx: str, details: str = "") -> Scope:
    case = CaseFacts(
        patient=Patient(date_of_birth=dt.date(1954, 3, 1)),
        diagnoses=[Diagnosis(code=dx)],
        service=Service(code=code, description=description, details=details),
    )
    return Scope.of(DenialAnalysis(plan_type=PlanType.medicare_advantage), case, TODAY)


def test_a_clinical_trial_pathway_supports_only_care_given_in_a_trial() -> None:
    group2 = corpus("astro-pbt-group-2")
    standard = scope_of("77525", "Proton beam re-irradiation", "C10.9")
    assert "clinical trial" in (off_topic(group2, standard) or "")
    enrolled = scope_of(
        "77525",
        "Proton beam therapy",
        "C61",
        "Treated on an IRB-approved protocol; enrolled in the PCG registry.",
    )
    assert off_topic(group2, enrolled) is None


def test_first_line_guidance_is_no_support_for_a_second_line_drug() -> None:
    romiplostim = scope_of("J2796", "Romiplostim (Nplate) injection", "D69.3")
    assert off_topic(corpus("ash-2019-itp-second-line"), romiplostim) is None
    assert off_topic(corpus("ash-2019-itp-treatment-sequence"), romiplostim) is not None


def test_the_cross_linking_label_states_the_keratoconus_indication() -> None:
    label = corpus("fda-photrexa-kxl-progressive-keratoconus")
    cxl = scope_of("0402T", "Collagen cross-linking of cornea (epithelium-off CXL)", "H18.622")
    assert off_topic(label, cxl) is None
    case = CaseFacts(
        diagnoses=[Diagnosis(code="H18.622", description="Keratoconus, unstable, left eye")],
        service=Service(code="0402T", description="Collagen cross-linking of cornea"),
    )
    assert states_indication(label, case)
