"""The fit lane's passages (issue 16): Medicare's home health and skilled nursing facility
criteria (the IMR file's two largest level-of-care gaps), and specialty services a new denial
is likely to name (a PCSK9 inhibitor, fecal microbiota transplantation, capsule endoscopy) and
the lead's blind shapes that cited nothing (anifrolumab for lupus, ruxolitinib cream for
vitiligo, balloon dilation of the Eustachian tube), and the AUA/SUFU overactive bladder
passage rewritten to say which line each treatment is and its grade (tibial nerve stimulation
for a patient whose symptoms persist after behavioural therapy and drugs, Recommendation).
Each fits the request it is about and not the same patient's other care nor another disease;
each states what it recommends, for whom, and (for a guideline) its grade."""

from __future__ import annotations

import pytest

from pipeline.reasoning.fit import position
from tests.passage_cases import case_tests, corpus
from tests.test_coverage_passages_round26 import shipped_coverage
from tests.test_relevance import scope

HOME = "Skilled nursing visits in the home"
SNF = "Skilled nursing facility admission for daily therapy"

# (passage, a request it is about, the same patient's other care it must not fit,
#  the same request for another disease it must not fit; None: the passage is about the
#  service for any condition, as Medicare's benefit rules are)
CASES = [
    (
        "cms-mbpm-ch7-30-home-health-eligibility",
        scope(["G12.21"], "G0299", service=HOME),
        scope(["G12.21"], None, service=SNF),
        None,
    ),
    (
        "cms-mbpm-ch7-40-1-skilled-nursing-in-the-home",
        scope(["G80.9"], None, service=HOME),
        scope(["G80.9"], "97110", service="Outpatient physical therapy"),
        None,
    ),
    (
        "cms-mbpm-ch8-30-snf-skilled-level-of-care",
        scope(["S72.001D"], None, service=SNF),
        scope(["S72.001D"], "G0299", service=HOME),
        None,
    ),
    (
        "cms-mbpm-ch8-30-2-snf-skilled-services-and-maintenance",
        scope(["I63.9"], None, service="SNF stay"),
        scope(["I63.9"], None, service="Acute inpatient rehabilitation facility admission"),
        None,
    ),
    (
        "aha-acc-cholesterol-2018-pcsk9-very-high-risk-ascvd",
        scope(["I25.10", "E78.00"], None, service="evolocumab 140 mg every 2 weeks"),
        scope(["I25.10"], "92928", service="Coronary stent placement"),
        scope(["I48.91"], None, service="evolocumab"),
    ),
    (
        "aha-acc-cholesterol-2018-pcsk9-familial-hypercholesterolemia",
        scope(["E78.01"], None, service="alirocumab (Praluent)"),
        scope(["E78.01"], None, service="atorvastatin"),
        scope(["E11.9"], None, service="alirocumab"),
    ),
    (
        "acg-cdi-2021-fecal-microbiota-transplantation",
        scope(["A04.72"], "44705", service="Fecal microbiota transplantation by colonoscopy"),
        scope(["A04.72"], None, service="fidaxomicin"),
        scope(["K51.90"], "44705", service="Fecal microbiota transplantation"),
    ),
    (
        "idsa-shea-cdi-2017-fmt-multiple-recurrences",
        scope(["A04.71"], "G0455", service="Fecal microbiota transplant"),
        scope(["A04.71"], "45378", service="Diagnostic colonoscopy"),
        scope(["K58.0"], "G0455", service="Fecal transplant"),
    ),
    (
        "eular-2023-sle-biologics-add-on",
        scope(["M32.14"], "J0491", service="Anifrolumab infusion"),
        scope(["M32.14"], "50360", service="Kidney transplant"),
        scope(["M05.79"], "J0491", service="Anifrolumab"),
    ),
    (
        "fda-label-anifrolumab-sle",
        scope(["M32.10"], None, service="Saphnelo (anifrolumab-fnia) 300 mg every 4 weeks"),
        scope(["M32.10"], None, service="hydroxychloroquine"),
        scope(["L93.0"], None, service="anifrolumab"),
    ),
    (
        "fda-label-ruxolitinib-cream-vitiligo",
        scope(["L80"], None, service="Opzelura cream twice daily"),
        scope(["L80"], "96910", service="Narrowband UVB phototherapy"),
        scope(["L20.9"], None, service="Opzelura cream"),
    ),
    (
        "aao-hnsf-bdet-2019-candidates",
        scope(["H69.83"], "69705", service="Balloon dilation of the eustachian tube"),
        scope(["H69.83"], "69436", service="Tympanostomy tube placement"),
        scope(["J32.9"], "31295", service="Balloon dilation of the maxillary sinus ostium"),
    ),
    (
        "aua-sufu-2019-oab-treatment-lines",
        scope(["N32.81"], "64566", service="Percutaneous tibial nerve stimulation"),
        scope(["N32.81"], "97110", service="Physical therapy"),
        scope(["N40.1"], "64566", service="Tibial nerve stimulation"),
    ),
    (
        "aua-sufu-2019-oab-behavioral-and-medication",
        scope(["N32.81"], None, service="mirabegron 50 mg daily"),
        scope(["N32.81"], "64561", service="Sacral nerve stimulator trial"),
        scope(["N40.1"], None, service="mirabegron"),
    ),
    (
        "acg-small-bowel-bleeding-2015-capsule-endoscopy",
        scope(["K92.2"], "91110", service="Capsule endoscopy of the small bowel"),
        scope(["K92.2"], "45378", service="Colonoscopy"),
        scope(["K50.00"], "91110", service="Capsule endoscopy"),
    ),
]


test_passage_fits_its_request_only, test_passage_states_a_position_the_drafter_can_cite = (
    case_tests(CASES)
)


UNGRADED = {"eular-2023-sle-biologics-add-on"}
"""Its level of evidence and grade were not at hand to verify: left null, never guessed."""


@pytest.mark.parametrize("pid", [c[0] for c in CASES if not c[0].startswith("cms-")])
def test_a_passage_states_for_whom_and_a_guideline_its_grade(pid: str) -> None:
    passage = corpus()[pid]
    if passage.kind == "guideline" and pid not in UNGRADED:
        assert passage.recommendation
    said = position(passage) or ""
    assert " for " in said or " with " in said  # for whom it recommends


def test_a_medicare_benefit_rule_is_a_benchmark_for_any_plan_and_binds_medicare_advantage() -> None:
    from pipeline.models import PlanType
    from pipeline.reasoning.fit import source_label

    rule = corpus()["cms-mbpm-ch8-30-snf-skilled-level-of-care"]
    assert "benchmark only" in source_label(rule, PlanType.erisa)
    assert "binds this plan" in source_label(rule, PlanType.medicare_advantage)


@pytest.mark.parametrize(
    "key",
    [
        ("Central Nervous System/ Neuromuscular", "ALS- Amyotrophic Lateral Sclerosis",
         "Home Health Care", "Skilled Nursing Visits"),
        ("Central Nervous System/ Neuromuscular", "Cerebral Palsy", "Home Health Care", "Other"),
        ("Cardiac/Circulatory", "Cardiac/Heart problem",
         "Rehabilitation Services - Skilled Nursing Facility - Inpatient", "Inpatient Admission"),
        ("Orthopedic/ Musculoskeletal", "Back Pain",
         "Rehabilitation Services - Skilled Nursing Facility - Inpatient", "Inpatient Admission"),
    ],
)
def test_the_shipped_corpus_covers_these_decisions(key: tuple[str, str, str, str]) -> None:
    assert shipped_coverage().covered(key)


def test_considerable_is_no_recommendation() -> None:
    # '\bconsider' read 'a considerable and taxing effort' (the homebound definition) as the
    # manual's position, ahead of its sentence saying what Medicare covers
    said = position(corpus()["cms-mbpm-ch7-30-home-health-eligibility"]) or ""
    assert said.startswith("Medicare covers home health services")
