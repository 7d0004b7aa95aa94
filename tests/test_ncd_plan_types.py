"""An NCD of one of Medicare's statutory benefits is cited only to Medicare plans.

An NCD is Medicare's rule: under another plan it may be cited only as a clinical standard that
fits the patient's condition and service, never as the governing rule. A screening or
preventive NCD (lung cancer screening under Social Security Act 1861(ddd)) states who the
Medicare benefit is for, not a clinical standard: a marketplace patient's screening is
governed by the USPSTF and the ACA, and the NCD is not offered there
(``scripts/data/ncd_plan_types.yaml``, written by ``scripts/import_ncd.py``).
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from import_ncd import build_passages

from pipeline.corpus import load_corpus
from pipeline.models import Passage, PlanType
from pipeline.relevance import fits, off_topic
from tests.test_governing_rule import Matcher
from tests.test_relevance import scope

BORN = dt.date(1964, 2, 14)


def _record(benefit_category: str) -> dict[str, Any]:
    return {
        "document_display_id": "210.99",
        "title": "Screening for Aortic Stenosis",
        "item_service_description": "",
        "indications_limitations": "Medicare covers screening for aortic stenosis.",
        "document_id": "999",
        "document_version": "1",
        "effective_date": "01/01/2020",
        "last_updated": "01/01/2020",
        "benefit_category": benefit_category,
    }


def test_an_ncd_of_a_statutory_benefit_only_is_imported_for_medicare_plans() -> None:
    passages, _ = build_passages([_record("Additional Preventive Services")], Matcher())  # type: ignore[arg-type]
    assert [p.get("plan_types") for p in passages] == [["medicare", "medicare_advantage"]]


@pytest.mark.parametrize(
    "category",
    ["Inpatient Hospital Services", "Diagnostic Tests (other), Screening Mammography", ""],
)
def test_an_ncd_of_any_other_benefit_keeps_every_plan(category: str) -> None:
    # a clinical indication (or a statutory benefit beside a diagnostic test): cited to any
    # plan it fits by condition and service, as a benchmark outside Medicare
    passages, _ = build_passages([_record(category)], Matcher())  # type: ignore[arg-type]
    assert passages and all("plan_types" not in p for p in passages)


@functools.cache
def _corpus() -> dict[str, Passage]:
    return {p.id: p for p in load_corpus()}


def _parts(prefix: str) -> list[Passage]:
    found = [p for pid, p in _corpus().items() if pid.startswith(prefix)]
    assert found, prefix
    return found


def test_lung_screening_ncd_is_not_offered_to_a_marketplace_patient() -> None:
    smoker = dict(
        dx=["Z12.2", "F17.210"],
        code="71271",
        born=BORN,
        service="Low-dose CT lung cancer screening, 30 pack-year current smoker",
    )
    for part in _parts("cms-ncd-210-14-"):
        assert off_topic(part, scope(plan=PlanType.aca_individual, **smoker))  # type: ignore[arg-type]
        assert off_topic(part, scope(plan=PlanType.erisa, **smoker))  # type: ignore[arg-type]
    # Medicare's own patient: the NCD is the rule that governs the benefit
    assert any(
        fits(part, scope(plan=PlanType.medicare, **smoker))  # type: ignore[arg-type]
        for part in _parts("cms-ncd-210-14-")
    )


def test_a_device_ncd_still_fits_another_plan_as_a_clinical_standard() -> None:
    # NCD 50.3 (cochlear implantation, a prosthetic device) states clinical indications
    toddler = dict(
        dx=["H90.3"], code="69930", born=dt.date(2024, 9, 1), service="Cochlear implantation"
    )
    assert any(
        fits(part, scope(plan=PlanType.medicaid, **toddler))  # type: ignore[arg-type]
        for part in _parts("cms-ncd-50-3-")
    )
    assert all(not part.plan_types for part in _parts("cms-ncd-50-3-"))


def test_every_screening_ncd_in_the_corpus_is_for_medicare_plans_only() -> None:
    for prefix in ("cms-ncd-210-3-", "cms-ncd-210-1-", "cms-ncd-210-12-", "cms-ncd-210-14-"):
        assert all(
            set(p.plan_types) == {PlanType.medicare, PlanType.medicare_advantage}
            for p in _parts(prefix)
        ), prefix
