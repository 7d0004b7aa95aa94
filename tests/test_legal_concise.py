"""The legal-basis paragraph and the claim-file request of each plan type say each rule once,
briefly, in the physician's voice, and still cite every rule a reviewer needs: who reviews and
how (the review standard), and the claim file and criteria (the records request)."""

from __future__ import annotations

import pytest

from pipeline.appeal import plan_spec
from pipeline.models import PlanType

# plan type -> citations its paragraph and records request must keep
KEPT = {
    PlanType.erisa: [
        "29 CFR 2560.503-1(h)",
        "(h)(2)(iv)",
        "(h)(3)(ii)",
        "(h)(3)(iii) and (v)",
        "(h)(2)(iii), (m)(8)",
        "(h)(3)(iv)",
    ],
    PlanType.aca_individual: ["45 CFR 147.136(b)(3)", "(b)(3)(i), (b)(3)(ii)(C)", "300gg-19"],
    PlanType.government_or_church: [
        "45 CFR 147.136(b)(2)(i)",
        "(b)(2)(ii)(C)",
        "300gg-19",
    ],
    PlanType.medicaid: ["42 CFR 438.402", "438.406(b)(2)", "438.406(b)(5)", "438.404(b)(2)"],
    PlanType.medicare_advantage: ["422.578, 422.582", "1395w-22(g)(2)(B)", "422.586"],
}


# plan type -> the words of the reviewer-independence rules its citations stand for: the
# reviewer took no part in the denial and is not a subordinate of who did; the health care
# professional consulted (ERISA (h)(3)(iii) and (v), as the ACA and governmental rules apply it)
RULES = {
    PlanType.erisa: [
        "took no part in it",
        "does not report to who did",
        "consulting a health care",
        "was not consulted on the denial and does not report to anyone who was",
    ],
    PlanType.aca_individual: [
        "took no part in it",
        "does not report to who did",
        "consulting a health care professional",
        "The plan owes",
    ],
    PlanType.government_or_church: [
        "took no part in it",
        "does not report to who did",
        "consulting a health care professional",
    ],
    PlanType.medicaid: ["took no part in the denial", "not subordinates of anyone who did"],
}


def _words(text: str | None) -> int:
    return len((text or "").split())


@pytest.mark.parametrize("plan", list(KEPT))
def test_legal_basis_is_short_and_keeps_every_citation(plan: PlanType) -> None:
    spec = plan_spec(plan)
    said = f"{spec.legal_basis} {spec.records_ask or ''}"
    for citation in KEPT[plan]:
        assert citation in said, citation
    for rule in RULES.get(plan, []):  # each citation still says what its rule requires
        assert rule in " ".join((spec.legal_basis or "").split()), rule
    assert "They " not in (spec.legal_basis or "")  # no pronoun without its plan
    assert _words(spec.legal_basis) <= 75  # one sentence per rule, no restatement
    assert _words(spec.records_ask) <= 40
    # the physician asks; the paragraph does not restate the regulation's text
    assert "I " in said or "Please" in said or plan is PlanType.medicaid
    assert "whether or not it was before the initial decision" not in said


def test_provision_sentences_stay_short() -> None:
    for plan in KEPT:
        for provision in plan_spec(plan).provisions:
            if provision.sentence:
                assert _words(provision.sentence) <= 75, provision.key


def test_program_paragraphs_stay_short_and_keep_their_citation() -> None:
    kept = {"tricare": "32 CFR 199.10", "part_d": "42 CFR 423.590", "fehb": "OPM"}
    seen = set()
    for plan in (PlanType.government_or_church, PlanType.medicare_advantage):
        for program in plan_spec(plan).programs:
            if program.legal_basis and program.key in kept:
                seen.add(program.key)
                assert kept[program.key] in program.legal_basis
                assert _words(program.legal_basis) <= 60, program.key
    assert seen == set(kept)
