"""This round's IMR-coverage passages (gynecomastia evaluation and surgery, ME/CFS diagnosis
and symptom medicines, cognitive-communication therapy after brain injury, knee osteoarthritis
radiofrequency ablation and mind-body therapies, erectile dysfunction treatments, breast
implant complications and rupture imaging, systemic sclerosis transplant and drugs, stress
incontinence surgery) fit the requests they are about and not the same patient's other care,
nor another disease; and the coverage table maps named diagnosis sub-categories that lie
outside their category's codes."""

from __future__ import annotations

import pytest

from evals.imr_coverage import Coverage, load_terms, load_unnamed_members, lookup
from pipeline.corpus import load_corpus
from tests.passage_cases import case_tests, fit
from tests.test_coverage_passages_round26 import shipped_coverage
from tests.test_relevance import scope

# (passage, a request it is about, the same patient's other care it must not fit,
#  the same request for another disease it must not fit)
CASES = [
    (
        "eaa-2019-gynecomastia-treatment",
        scope(["N62"], "19300", service="Mastectomy for gynecomastia"),
        scope(["N62"], "76641", service="Breast ultrasound"),
        scope(["C50.912"], "19303", service="Mastectomy"),
    ),
    (
        "eaa-2019-gynecomastia-evaluation",
        scope(["N62"], "76641", service="Breast ultrasound"),
        scope(["N62"], "19300", service="Mastectomy for gynecomastia"),
        scope(["N63.0"], "76641", service="Breast ultrasound"),
    ),
    (
        "nice-ng206-me-cfs-diagnosis",
        scope(["G93.32"], "85025", service="Laboratory tests"),
        scope(["G93.32"], "97110", service="Physical therapy"),
        scope(["M79.7"], "85025", service="Laboratory tests"),
    ),
    (
        "nice-ng206-me-cfs-managing-symptoms",
        scope(["G93.32"], None, service="midodrine"),
        scope(["G93.32"], "97110", service="Physical therapy"),
        scope(["M79.7"], None, service="midodrine"),
    ),
    (
        "incog-2014-tbi-cognitive-communication",
        scope(["S06.2X0S"], "92507", service="Speech therapy"),
        scope(["S06.2X0S"], "97110", service="Physical therapy"),
        scope(["F80.2"], "92507", service="Speech therapy"),
    ),
    (
        "acr-af-2019-knee-oa-radiofrequency-ablation",
        scope(["M17.11"], "64624", service="Genicular nerve radiofrequency ablation"),
        scope(["M17.11"], "20610", service="Corticosteroid injection of the knee"),
        scope(["M54.50"], "64635", service="Radiofrequency ablation"),
    ),
    (
        "acr-af-2019-oa-acupuncture-tai-chi-yoga",
        scope(["M16.11"], "97810", service="Acupuncture"),
        scope(["M16.11"], "27130", service="Total hip arthroplasty"),
        scope(["M54.50"], "97810", service="Acupuncture"),
    ),
    (
        "aua-2018-erectile-dysfunction-treatment-options",
        scope(["C61"], None, service="tadalafil for erectile dysfunction"),
        scope(["C61"], "55866", service="Robotic prostatectomy"),
        scope(["I27.20"], None, service="tadalafil"),
    ),
    (
        "fda-2020-breast-implant-complications-reoperation",
        scope(["T85.44XA"], "19371", service="Peri-implant capsulectomy and implant removal"),
        scope(["T85.44XA"], "J0696", service="ceftriaxone"),
        scope(["N62"], "19371", service="Capsulectomy"),
    ),
    (
        "fda-2020-silicone-implant-rupture-screening",
        scope(["Z98.82"], "77049", service="Breast MRI for implant rupture"),
        scope(["Z98.82"], "19371", service="Capsulectomy"),
        scope(["C50.912"], "77049", service="Breast MRI"),
    ),
    (
        "eular-2017-systemic-sclerosis-autologous-hsct",
        scope(["M34.0"], "38241", service="Autologous stem cell transplant"),
        scope(["M34.0"], None, service="bosentan"),
        scope(["M32.14"], "38241", service="Autologous stem cell transplant"),
    ),
    (
        "eular-2017-systemic-sclerosis-drug-treatment",
        scope(["M34.0"], None, service="bosentan"),
        scope(["M34.0"], "38241", service="Autologous stem cell transplant"),
        scope(["I27.0"], None, service="bosentan"),
    ),
    (
        "aua-sufu-2017-stress-incontinence-surgery",
        scope(["N39.3"], "57288", service="Midurethral sling"),
        scope(["N39.3"], "J0585", service="onabotulinumtoxinA bladder injection"),
        scope(["N32.81"], "57288", service="Sling operation"),
    ),
]


test_passage_fits_its_request_only, test_passage_states_a_position_the_drafter_can_cite = (
    case_tests(CASES)
)


def test_the_gynecomastia_passage_is_for_gynecomastia_surgery_not_a_reduction_mammaplasty() -> None:
    # N62 is also a woman's breast hypertrophy: the passage names the male operations only
    pid = "eaa-2019-gynecomastia-treatment"
    assert not fit(pid, scope(["N62"], "19318", service="Reduction mammaplasty"))


def test_the_tbi_passage_is_written_for_adults() -> None:
    import datetime as dt

    child = scope(["S06.2X0S"], "92507", service="Speech therapy", born=dt.date(2019, 1, 1))
    assert not fit("incog-2014-tbi-cognitive-communication", child)


def test_named_sub_categories_outside_their_categorys_codes_are_mapped_by_name() -> None:
    dx, _ = load_terms()
    # gynecomastia is N62 (breast), not chapter E; scleroderma is M34, not in the
    # immunologic catch-all; a spasm is also the symptom code R25.2
    assert lookup(dx, "Endocrine/ Metabolic", "Gynecomastia") == ["N62"]
    assert "M34" in lookup(dx, "Immunologic", "Scleroderma")
    assert "R252" in lookup(dx, "Orthopedic/ Musculoskeletal", "Muscle Spasms")
    assert "G47" in lookup(dx, "Ears, Nose, Throat", "Sleep Disorder")
    assert lookup(dx, "OB-Gyn/ Pregnancy", "Leimyomata") == ["D25"]
    assert "C91" in lookup(dx, "Blood Related", "Leukemia")
    # the OB-Gyn catch-all holds the female breast (its own 'Female Breast Disorder' member)
    assert "N6" in lookup(dx, "OB-Gyn/ Pregnancy", "Other")
    # a joint problem is any arthropathy (M00-M25), knee osteoarthritis among them
    assert "M1" in lookup(dx, "Orthopedic/ Musculoskeletal", "Joint Problem")
    # stress incontinence (N39.3); dentofacial anomalies (M26) are dental; a breast implant's
    # complication (T85) is a post-surgical one
    assert "N393" in lookup(dx, "Genitourinary/ Kidney", "Incontinence")
    assert "M26" in lookup(dx, "Dental", "Other")
    assert "T85" in lookup(dx, "Post Surgical Complication", "Other")


@pytest.mark.parametrize(
    "key",
    [
        ("Endocrine/ Metabolic", "Gynecomastia", "General Surgery", "Breast Surgery"),
        ("Endocrine/ Metabolic", "Gynecomastia", "Reconstructive/Plastic Surgery", "Liposuction"),
        ("Immunologic", "Chronic Fatigue Syndrome", "Pharmacy/Prescription Drugs", "Other"),
        ("Trauma/Injuries", "Other", "Rehabilitation Services - Outpatient", "Speech Therapy"),
        ("Orthopedic/ Musculoskeletal", "Joint Problem",
         "Electrical/ Thermal/ Radiofreq. Interventions", "Radiofrequency Ablation"),
        ("Cancer", "Prostate Cancer", "Pharmacy/Prescription Drugs", "Treatment for Impotence"),
        ("Post Surgical Complication", "Other", "Reconstructive/Plastic Surgery", "Other"),
        ("Immunologic", "Scleroderma", "Special Procedure", "Stem Cell Transplant"),
    ],
)
def test_the_shipped_corpus_covers_these_decisions(key: tuple[str, str, str, str]) -> None:
    cov = shipped_coverage()
    assert isinstance(cov, Coverage) and cov.covered(key)


def test_the_breast_implant_guidance_does_not_stand_for_a_drug_by_its_agencys_name() -> None:
    # 'Food and Drug Administration' in a title would let the eval's word 'drug' find it
    key = ("Post Surgical Complication", "Other", "Pharmacy/Prescription Drugs", "Other")
    implant = [p for p in load_corpus() if p.id.startswith("fda-2020-")]
    assert not Coverage(implant, load_terms(), frozenset(), load_unnamed_members()).covered(key)


def test_a_gynecomastia_decision_is_not_covered_by_a_passage_of_another_endocrine_disease() -> None:
    # while the table left gynecomastia to chapter E, an obesity passage naming 'surgery'
    # stood for a gynecomastia operation
    from tests.test_imr_coverage import passage

    obesity = passage("bariatric", conditions=["E66.01"], text="Bariatric surgery is advised.")
    key = ("Endocrine/ Metabolic", "Gynecomastia", "General Surgery", "Other")
    assert not Coverage([obesity], load_terms()).covered(key)
    assert Coverage([obesity], load_terms()).covered(("Morbid Obesity", "", *key[2:]))


def test_an_ncd_part_about_any_malignancy_keeps_no_condition_of_the_ncds_opening() -> None:
    # FDG PET for cancer: the opening names a heart condition, the part names cancer only in
    # general (applies_if malignancy); with the opening's prefixes beside the fact the part fit
    # only patients with both, so no cancer patient's PET request could cite it
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from import_ncd import build_passages

    class Matcher:
        def conditions(self, text: str, *, longest: bool = False) -> list[str]:
            return ["I25"] if "coronary" in text.lower() else []

        def applies_if(self, text: str, conditions: list[str]) -> list[str]:
            return ["malignancy"] if "cancer" in text.lower() and not conditions else []

    record = {
        "document_display_id": "220.99", "title": "FDG PET", "effective_date": "01/01/2020",
        "benefit_category": "Diagnostic Tests", "document_id": 1, "document_version": 1,
        "last_updated": "01/01/2024", "mcd_url": "https://example.org",
        "item_service_description": "A. General\nFDG PET also images coronary disease.",
        "indications_limitations": "B. Cancer\nFDG PET guides the first treatment of cancer.",
    }
    passages, _ = build_passages([record], Matcher())  # type: ignore[arg-type]
    cancer = next(p for p in passages if "cancer" in p["text"])
    assert cancer["applies_if"] == ["malignancy"]
    assert cancer["conditions"] == []
