"""Citations that fit (session 35): a passage fits by its population and by the step of
treatment it is about (starting a drug, intensifying its dose, a switch, continuation), not
only by the disease and the drug; an NCD about a procedure is found by the procedure's code;
and the physician's own sources sit under the criterion they are about, or under none."""

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
    TherapyStep,
)
from pipeline.reasoning.fit import fits as fits_criterion
from pipeline.reasoning.fit import topic_words
from pipeline.relevance import Scope, off_topic
from pipeline.therapy_steps import request_step, step_reason
from tests.test_relevance import passage

TODAY = dt.date(2026, 12, 2)
CHILD = dt.date(2013, 4, 9)
ADULT = dt.date(1980, 1, 5)
INTENSIFY = (
    "Intensified maintenance: 400 mg IV every 4 weeks, 6 infusions. This replaces the approved "
    "200 mg every 8 weeks."
)


def corpus(pid: str) -> Passage:
    return R.get_index().passages[pid]


def scope_of(
    born: dt.date,
    details: str,
    *,
    code: str = "Q5103",
    description: str = "Injection, infliximab-dyyb, biosimilar (Inflectra), 10 mg",
    dx: tuple[str, ...] = ("K50.813",),
    plan: PlanType = PlanType.government_or_church,
) -> Scope:
    case = CaseFacts(
        patient=Patient(date_of_birth=born),
        diagnoses=[Diagnosis(code=d) for d in dx],
        service=Service(code=code, description=description, details=details),
    )
    return Scope.of(DenialAnalysis(plan_type=plan), case, TODAY)


# ------------------------------------------------------------------ the request's step


def test_a_requests_step_is_read_from_its_words_most_specific_first() -> None:
    assert request_step(INTENSIFY.lower()) is TherapyStep.dose_intensification
    assert request_step("shorten the dosing interval to every 6 weeks") is (
        TherapyStep.dose_intensification
    )
    assert request_step("switch to ustekinumab after loss of response") is TherapyStep.switch
    assert request_step("re-authorization of ongoing therapy") is TherapyStep.continuation
    assert request_step("initiate adalimumab 40 mg every other week") is TherapyStep.initiation
    # no step named: unknown, and no passage is set aside for it
    assert request_step("adalimumab 40 mg every other week") is None
    starting = passage(steps=[TherapyStep.initiation])
    assert step_reason(starting, None) is None
    assert step_reason(passage(), TherapyStep.dose_intensification) is None


def test_a_switch_is_answered_by_a_passage_on_starting_the_new_agent() -> None:
    starting = passage(steps=[TherapyStep.initiation])
    assert step_reason(starting, TherapyStep.switch) is None
    assert step_reason(starting, TherapyStep.dose_intensification) == (
        "it is about starting the treatment, and the request is for intensifying its dose"
    )


# ------------------------------------------------------------------ population and step


def test_a_childs_dose_intensification_gets_no_adult_guideline_on_starting_anti_tnf() -> None:
    child = scope_of(CHILD, INTENSIFY)
    assert child.step is TherapyStep.dose_intensification
    # the adult guidelines on starting anti-TNF therapy: off by population and by step
    for pid in ("aga-crohns-2021-anti-tnf", "aga-crohns-2021-early-biologic"):
        assert off_topic(corpus(pid), child) is not None, pid
    # the pediatric guideline on optimising anti-TNF therapy and the pediatric label fit
    assert (
        off_topic(corpus("ecco-espghan-2020-pediatric-crohns-anti-tnf-optimisation"), child) is None
    )
    assert off_topic(corpus("fda-infliximab-pediatric-crohns"), child) is None
    assert off_topic(corpus("fda-infliximab-adult-crohns"), child) is not None
    pool = R._fitting_main(R.get_index(), child)
    assert "ecco-espghan-2020-pediatric-crohns-anti-tnf-optimisation" in pool
    assert "aga-crohns-2021-anti-tnf" not in pool


def test_an_adult_starting_infliximab_keeps_the_adult_guideline_not_the_childs() -> None:
    adult = scope_of(ADULT, "Induction 5 mg/kg at weeks 0, 2 and 6; initiate therapy.")
    assert adult.step is TherapyStep.initiation
    assert off_topic(corpus("aga-crohns-2021-anti-tnf"), adult) is None
    assert off_topic(corpus("fda-infliximab-adult-crohns"), adult) is None
    # the pediatric passages are for children (population), the ECCO one for intensifying
    ecco = corpus("ecco-espghan-2020-pediatric-crohns-anti-tnf-optimisation")
    assert off_topic(ecco, adult) is not None
    assert off_topic(corpus("fda-infliximab-pediatric-crohns"), adult) is not None


def test_an_adults_intensification_gets_the_label_allowing_it_not_initiation() -> None:
    adult = scope_of(ADULT, "Dose escalation to 10 mg/kg every 8 weeks after loss of response.")
    assert adult.step is TherapyStep.dose_intensification
    assert off_topic(corpus("aga-crohns-2021-anti-tnf"), adult) is not None
    assert off_topic(corpus("fda-infliximab-adult-crohns"), adult) is None


# ------------------------------------------------------------------ an NCD by its procedure


def test_the_laac_ncd_is_found_by_the_procedures_code_whatever_its_wording() -> None:
    laao = scope_of(
        ADULT,
        "Left atrial appendage occlusion for non-valvular atrial fibrillation.",
        code="33340",
        description="Percutaneous transcatheter closure of the left atrial appendage with "
        "endocardial implant (WATCHMAN FLX Pro)",
        dx=("I48.19",),
        plan=PlanType.medicaid,
    )
    assert off_topic(corpus("cms-ncd-20-34-p2"), laao) is None
    assert "cms-ncd-20-34-p2" in R._fitting_main(R.get_index(), laao)
    # not for another cardiac procedure of the same patient
    ablation = scope_of(
        ADULT, "", code="93656", description="Catheter ablation", dx=("I48.19",),
        plan=PlanType.medicaid,
    )  # fmt: skip
    assert off_topic(corpus("cms-ncd-20-34-p2"), ablation) is not None


def test_medicares_ltch_criteria_are_offered_for_an_ltch_stay_under_medicare_only() -> None:
    description = "Long-term care hospital inpatient continued stay: revenue code 0120"
    ma = scope_of(
        ADULT, "", code="0120", description=description, dx=("J96.22", "Z99.11"),
        plan=PlanType.medicare_advantage,
    )  # fmt: skip
    assert "cfr-42-412-522-ltch-patient-criteria" in R._fitting_main(R.get_index(), ma)
    commercial = scope_of(
        ADULT, "", code="0120", description=description, dx=("J96.22",), plan=PlanType.erisa
    )
    assert off_topic(corpus("cfr-42-412-522-ltch-patient-criteria"), commercial) is not None


# ------------------------------------------------------------------ placement


def test_a_physicians_source_sits_only_under_a_criterion_it_is_about() -> None:
    approval = passage(
        "case-citation-2",
        kind="coverage_policy",
        supplied_by_physician=True,
        text="Approved for reconstruction of the disc at one level or two contiguous levels "
        "from C3 to C7 following discectomy in skeletally mature patients.",
    )
    rp = RetrievedPassage(passage=approval, score=1.0, rank=1, criteria=[0, 1])
    case = CaseFacts(
        diagnoses=[
            Diagnosis(code="M50.121", description="Cervical disc disorder with radiculopathy")
        ],
        service=Service(code="22856", description="Total disc arthroplasty, cervical"),
    )
    contraindication = Criterion(
        text="No contraindication: marked facet arthropathy, instability on flexion-extension "
        "radiographs, osteoporosis with a DXA T-score below -1.5."
    )
    levels = Criterion(text="Two contiguous levels from C3 to C7 in a skeletally mature patient.")
    assert not fits_criterion(rp, 0, topic_words(contraindication, case), case)
    assert fits_criterion(rp, 1, topic_words(levels, case), case)


def test_a_passage_most_about_a_met_criterion_is_placed_under_no_other() -> None:
    from pipeline.models import CriterionVerdict
    from pipeline.reasoning.argument import NO_HOME, passage_homes

    approval = passage(
        "case-citation-2",
        kind="coverage_policy",
        supplied_by_physician=True,
        text="Approved for skeletally mature patients with radiculopathy or myelopathy.",
    )
    guideline = passage(
        "nass", text="Surgery is suggested after six weeks of failed nonoperative treatment."
    )
    rps = [
        RetrievedPassage(passage=approval, score=1.0, rank=1, criteria=[0, 1]),
        RetrievedPassage(passage=guideline, score=0.5, rank=2, criteria=[0, 1]),
    ]
    case = CaseFacts(service=Service(code="22856", description="Cervical disc arthroplasty"))
    met = CriterionVerdict(
        index=0,
        criterion=Criterion(text="Skeletally mature adult patient"),
        status="met",
        payer_met=True,
    )
    argued = CriterionVerdict(
        index=1,
        status="unknown",
        criterion=Criterion(
            text="Failed nonoperative treatment for 6 weeks, or signs of myelopathy"
        ),
    )
    homes = passage_homes(rps, [met, argued], case)
    # the approval is most about the met criterion: under none; the guideline under its own
    assert homes == {"case-citation-2": NO_HOME, "nass": 1}


def test_a_guideline_the_physician_cites_is_not_cited_again_from_the_corpus() -> None:
    from pipeline.relevance import same_source

    own = passage(
        "case-citation-1",
        supplied_by_physician=True,
        issuing_body="European Crohn's and Colitis Organisation and European Society for "
        "Paediatric Gastroenterology, Hepatology and Nutrition",
        title="Guidelines on the Medical Management of Pediatric Crohn's Disease (van Rheenen "
        "PF et al., J Crohns Colitis 2021;15:171-194)",
        year=2020,
    )
    ecco = corpus("ecco-espghan-2020-pediatric-crohns-anti-tnf-optimisation")
    assert same_source(ecco, own)
    # another guideline of the same disease, or the same title in another edition, is not
    assert not same_source(corpus("aga-crohns-2021-anti-tnf"), own)
    assert not same_source(ecco, own.model_copy(update={"year": 2014}))


def test_a_new_start_with_a_conditional_later_increase_is_an_initiation():
    # review35 F11: a step named only in a clause that foresees it ('if response is
    # inadequate') places the request at no step; the order's own step word wins
    order = (
        "Adalimumab 40 mg every 2 weeks (new start); increase the dose to weekly if response is "
        "inadequate at week 12"
    )
    assert request_step(order) == TherapyStep.initiation
    assert request_step("increase the dose to weekly if response is inadequate") is None
    assert request_step("Dose escalation of infliximab to 10 mg/kg every 4 weeks") == (
        TherapyStep.dose_intensification
    )
