"""The Medicare coverage rule that governs a service (issue 16, round 27): every part of an NCD
is about the patients its opening names; the letter names the rule by its number and title;
under Medicare and Medicare Advantage the rule the notice applies is cited as binding."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import ClassVar

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from import_ncd import build_passages

from pipeline.models import Passage, PlanType, RetrievedPassage
from pipeline.reasoning.fit import (
    governing_paragraph,
    governing_rule,
    named_rules,
    rule_name,
    rule_number,
    source_label,
)
from pipeline.relevance import Scope, off_topic
from tests.test_relevance import passage, scope


class Matcher:
    """Names I35 for 'aortic stenosis' and I63 for 'stroke' (the real matcher's kind of
    answer, without its code set)."""

    TERMS: ClassVar[dict[str, str]] = {"aortic stenosis": "I35", "stroke": "I63"}

    def conditions(self, text: str, *, longest: bool = False) -> list[str]:
        return sorted(code for term, code in self.TERMS.items() if term in text.lower())

    def applies_if(self, text: str, conditions: list[str]) -> list[str]:
        return []


def _ncd(description: str, indications: str) -> dict[str, str]:
    return {
        "document_display_id": "20.99",
        "title": "Transcatheter Valve Replacement",
        "item_service_description": description,
        "indications_limitations": indications,
        "document_id": "999",
        "document_version": "2",
        "effective_date": "06/21/2019",
        "last_updated": "08/16/2023",
        "benefit_category": "Inpatient Hospital Services",
    }


def test_every_part_of_an_ncd_is_about_the_patients_its_opening_names() -> None:
    # the registry part names only the outcomes it tracks (stroke): it is still about the
    # aortic-stenosis patients of the opening, and an aortic-stenosis patient may cite it
    record = _ncd(
        "The procedure treats aortic stenosis.",
        "The hospital takes part in a registry that tracks stroke and death.",
    )
    passages, _ = build_passages([record], Matcher())  # type: ignore[arg-type]
    by_section = {p["section"]: p for p in passages}
    registry = by_section["Indications and Limitations of Coverage"]
    assert registry["conditions"] == ["I63", "I35"]
    assert by_section["Item/Service Description"]["conditions"] == ["I35"]


def test_a_part_naming_nothing_is_still_left_out_and_ids_stay_in_order() -> None:
    record = _ncd(
        "The procedure treats aortic stenosis.",
        "A. General\nThe study has a written protocol.\nB. Registry\nThe registry tracks stroke.",
    )
    passages, skipped = build_passages([record], Matcher())  # type: ignore[arg-type]
    assert [p["id"] for p in passages] == ["cms-ncd-20-99-p1", "cms-ncd-20-99-p2"]
    assert skipped["no_codes"] == 1  # the protocol part names no condition or code of its own


# --------------------------------------------------------------------------- naming the rule


def _retrieved(*passages: Passage) -> list[RetrievedPassage]:
    return [RetrievedPassage(passage=p, score=1.0, rank=i) for i, p in enumerate(passages, 1)]


def _rule(pid: str, title: str, section: str, text: str) -> Passage:
    return passage(
        pid,
        kind="coverage_policy",
        issuing_body="Centers for Medicare & Medicaid Services (CMS)",
        short_body="CMS",
        title=title,
        section=section,
        text=text,
        year=2019,
    )


LAAC = "National Coverage Determination (NCD) 20.34: Percutaneous Left Atrial Appendage Closure"
PACER = "National Coverage Determination (NCD) 20.8.3: Single Chamber and Dual Chamber Pacemakers"
GENERAL = _rule("laac-1", LAAC, "A. General", "Patients with atrial fibrillation risk stroke.")
COVERED = _rule(
    "laac-2",
    LAAC,
    "B. Nationally Covered Indications",
    "CMS covers LAAC for non-valvular atrial fibrillation when all of the following are met: "
    "- a CHA2DS2-VASc score of 3 or more.",
)
OTHER = _rule("pacer-1", PACER, "B. Nationally Covered Indications", "Pacemakers are covered.")


def test_a_medicare_rule_is_named_by_its_number_and_title() -> None:
    assert rule_number(COVERED) == "NCD 20.34"
    assert rule_name(COVERED) == "NCD 20.34, “Percutaneous Left Atrial Appendage Closure”"
    lcd = _rule("lcd", "Local Coverage Determination L33718: Positive Airway Pressure", "S", "x")
    assert rule_name(lcd) == "LCD L33718, “Positive Airway Pressure”"
    guideline = passage("g", title="2023 ACC/AHA/ACCP/HRS Guideline for Atrial Fibrillation")
    assert rule_name(guideline) is None
    assert source_label(COVERED, PlanType.medicare_advantage).startswith(
        "Medicare coverage rule NCD 20.34, “Percutaneous Left Atrial Appendage Closure”, which "
        "binds this plan (CMS 2019"
    )
    assert "benchmark only" in source_label(COVERED, PlanType.erisa)
    assert named_rules(
        "conditions of the National Coverage\nDetermination (NCD) 20.34 and LCD L33690"
    ) == [
        "NCD 20.34",
        "LCD L33690",
    ]


def test_the_governing_rule_is_the_one_the_notice_names_and_its_covered_indications() -> None:
    retrieved = _retrieved(OTHER, GENERAL, COVERED)
    # the notice names NCD 20.34: its covered-indications part, though another rule ranks first
    assert governing_rule(retrieved, PlanType.medicare_advantage, "under NCD 20.34") == COVERED
    # a notice naming none: the best-ranked rule
    assert governing_rule(retrieved, PlanType.medicare_advantage) == OTHER
    # no plan but Medicare's is governed by an NCD (a benchmark there, never the rule)
    assert governing_rule(retrieved, PlanType.erisa, "under NCD 20.34") is None
    assert governing_rule(_retrieved(passage("g")), PlanType.medicare_advantage) is None


def test_the_governing_paragraph_names_the_rule_once_and_stops_at_its_list() -> None:
    retrieved = _retrieved(GENERAL, COVERED)
    said = governing_paragraph(retrieved, PlanType.medicare_advantage, "NCD 20.34", "")
    assert said.startswith("The rule that governs this service is Medicare coverage rule NCD 20.34")
    assert said.endswith("when all of the following are met [[cite:laac-2]].")
    # an argument above already cites it: not again; a heading naming the notice's source is
    # no citation of the rule
    cited = "as NCD 20.34 requires [[cite:laac-1]]"
    assert governing_paragraph(retrieved, PlanType.medicare_advantage, "", cited) == ""
    assert governing_paragraph(retrieved, PlanType.medicare_advantage, "", "— NCD 20.34") == said


# --------------------------------------------------------------------------- the round's passages


def _corpus(pid: str) -> Passage:
    from pipeline.corpus import load_corpus

    return next(p for p in load_corpus() if p.id == pid)


ADULT = dt.date(1955, 3, 1)


@pytest.mark.parametrize(
    ("pid", "fitting", "other"),
    [
        # a DME MAC LCD binds Medicare plans only, and only for its own item and conditions
        (
            "cms-lcd-l33690-wearable-defibrillator-indications",
            scope(["I42.0"], "K0606", PlanType.medicare_advantage, ADULT),
            scope(["I42.0"], "K0606", PlanType.erisa, ADULT),
        ),
        (
            "cms-lcd-l33821-initial-coverage",
            scope(["E11.621", "L97.422"], "E2402", PlanType.medicare_advantage, ADULT),
            scope(["E11.621"], "E0601", PlanType.medicare_advantage, ADULT),
        ),
        (
            "ats-ers-jrs-alat-2015-ipf-antifibrotics",
            scope(["J84.112"], None, PlanType.medicare, ADULT, service="Ofev (nintedanib) 150 mg"),
            scope(["J44.1"], None, PlanType.medicare, ADULT, service="Ofev (nintedanib) 150 mg"),
        ),
        (
            "wpath-soc8-adult-surgery-assessment",
            scope(["F64.0"], "19303", PlanType.aca_individual, dt.date(2000, 8, 14)),
            scope(["C50.412"], "19303", PlanType.aca_individual, dt.date(1970, 1, 1)),
        ),
        (
            "asha-2007-cas-intensive-treatment",
            scope(["R48.2"], "92507", PlanType.government_or_church, dt.date(2022, 7, 9)),
            scope(["R48.2"], "92507", PlanType.government_or_church, ADULT),  # an adult's
        ),
        (
            "smfm-2013-monochorionic-twin-surveillance",
            scope(["O30.032"], "76816", PlanType.medicaid, dt.date(1999, 3, 22)),
            scope(["O30.042"], "76816", PlanType.medicaid, dt.date(1999, 3, 22)),  # dichorionic
        ),
        (
            "acr-af-2019-knee-oa-radiofrequency-ablation",
            scope(["M17.11"], "64624", PlanType.government_or_church, ADULT),
            scope(["M47.816"], "64635", PlanType.government_or_church, ADULT),  # lumbar facets
        ),
        (
            "acc-aha-af-2023-left-atrial-appendage-occlusion",
            scope(["I48.19"], "33340", PlanType.medicare_advantage, ADULT),
            scope(["I48.19"], "93656", PlanType.medicare_advantage, ADULT),  # an ablation
        ),
    ],
)
def test_each_new_passage_fits_its_own_request_only(pid: str, fitting: Scope, other: Scope) -> None:
    p = _corpus(pid)
    assert off_topic(p, fitting) is None
    assert off_topic(p, other) is not None


# --------------------------------------------------------------------------- a whole letter

NOTICE = """\
NORTHWIND SENIOR CARE (HMO), a Medicare Advantage plan
PO Box 5521, Columbus, OH 43216

NOTICE OF DENIAL OF MEDICAL COVERAGE

Date: 11/30/2026        Member ID: NSC-5512034
Name: Walter P. Osei     Reference: OD-26-7713

We denied the following service your doctor asked for:
  Percutaneous left atrial appendage closure (Watchman FLX), CPT 33340
  Diagnosis: I48.19 Other persistent atrial fibrillation

Why we denied it: Medicare covers left atrial appendage closure only under the National
Coverage Determination for Percutaneous Left Atrial Appendage Closure (NCD 20.34). The
records do not show a formal shared decision-making interaction with an independent
non-interventional physician using an evidence-based decision tool on oral anticoagulation.

You have the right to ask us for a reconsideration within 65 days of the date of this notice.
Medicare Advantage appeals: mail a written request to Northwind Senior Care Appeals, PO Box
5522, Columbus, OH 43216.
"""

CASE = """\
patient: {name: Walter P. Osei, date_of_birth: "1947-09-12", member_id: NSC-5512034}
claim_reference: OD-26-7713
insurer: Northwind Senior Care (HMO), a Medicare Advantage plan
physician: {name: Dana Ruiz, credentials: MD, specialty: Cardiac Electrophysiology}
diagnoses:
  - {code: I48.19, description: Other persistent atrial fibrillation}
service:
  code: "33340"
  description: Percutaneous left atrial appendage closure with a Watchman FLX device
clinical_summary: >-
  Mr. Osei has persistent atrial fibrillation with a CHA2DS2-VASc score of 4 and two
  gastrointestinal bleeds on apixaban in 2026; warfarin caused a third bleed in 2024.
"""


def test_a_medicare_advantage_letter_names_the_ncd_its_notice_applies() -> None:
    """A new synthetic MA notice naming NCD 20.34: the letter names the NCD by number and
    title, says it binds the plan, and cites it beside a guideline about AF and LAAC."""
    from pipeline.casefile import parse_case
    from pipeline.pipeline import Pipeline

    outcome = Pipeline().run(
        NOTICE, parse_case(CASE), today=dt.date(2026, 12, 6), allow_gaps=True, reject=False
    )
    assert outcome.draft is not None
    body, _, references = outcome.draft.markdown.partition("## References")
    assert "NCD 20.34, “Percutaneous Left Atrial Appendage Closure (LAAC)”" in body
    assert "which binds this plan" in body
    assert "(ref: cms-ncd-20-34-" in references
    # beside the rule, the clinical guideline that fits the condition and the service
    assert "(ref: acc-aha-af-2023-left-atrial-appendage-occlusion)" in references


def test_a_network_gap_cites_a_guideline_on_care_at_the_patients_risk_level() -> None:
    """A Medicaid notice refusing a maternal-fetal medicine practice out of network: the
    network ground's argument cites the ACOG/SMFM levels-of-maternal-care consensus (refer
    for consultation with a maternal-fetal medicine specialist, or to a higher-level
    center), not a guideline silent on who gives the care."""
    from pipeline.reasoning.fit import ground_guideline
    from pipeline.reasoning.grounds import grounds_spec

    network = next(g for g in grounds_spec().grounds if g.key == "network")
    levels = _corpus("acog-smfm-2019-levels-of-maternal-care-referral")
    surveillance = _corpus("smfm-2013-monochorionic-twin-surveillance")
    found = ground_guideline(_retrieved(surveillance, levels), network.guideline)
    assert found is not None and found[0] == levels
    assert "maternal-fetal medicine specialist" in found[1]
