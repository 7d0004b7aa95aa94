"""The page's honest status: what still blocks or weakens the letter, each issue with the form
field that fixes it, the peer-to-peer offer read from the letter, and "ready to sign" only when
nothing remains. Also the page's "Start the case from the denial" (/api/case/init)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from pipeline.models import CaseFacts, Draft, Severity, ValidationFinding, ValidationReport
from pipeline.web import create_app
from pipeline.web.review import NEAR_DEADLINE_DAYS, peer_to_peer_offer, status

from .conftest import LOCAL, ROOT

EXAMPLES = ROOT / "examples"
DATE = "2026-11-23"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(), raise_server_exceptions=False, base_url=LOCAL) as test_client:
        yield test_client


def case_json(example: Path) -> dict:
    facts = CaseFacts.model_validate(yaml.safe_load((example / "case.yaml").read_text()))
    return json.loads(facts.model_dump_json(exclude_none=True))


def draft(client: TestClient, name: str, case: dict | None = None) -> dict:
    example = EXAMPLES / name
    response = client.post(
        "/api/draft",
        json={
            "letter": (example / "letter.txt").read_text(encoding="utf-8"),
            "case": case or case_json(example),
            "date": DATE,
        },
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def brca(client: TestClient) -> dict:
    return draft(client, "brca-fehb")


def untyped(draft: Draft) -> Draft:
    """The draft with its criteria's typed requirements left out (no computed verdicts)."""
    criteria = [c.model_copy(update={"requirements": []}) for c in draft.analysis.criteria]
    analysis = draft.analysis.model_copy(update={"criteria": criteria})
    return draft.model_copy(update={"analysis": analysis})


def test_a_letter_with_nothing_left_is_ready_to_sign(brca: dict) -> None:
    """No finding, no missing fact, no unmet requirement, the deadline far: ready."""
    draft = untyped(Draft.model_validate(brca["draft"]))
    today = draft.analysis.appeal_deadline - dt.timedelta(days=NEAR_DEADLINE_DAYS + 30)
    result = status(draft.markdown, draft, ValidationReport(), today)
    assert result.ready and result.issues == []
    assert result.headline.endswith("Ready for the physician to check and sign.")
    assert result.peer_to_peer is not None and result.peer_to_peer.startswith("a call at (")


def test_a_warning_weakens_the_letter_and_names_its_field(client: TestClient) -> None:
    status_ = draft(client, "tms-erisa")["review"]["status"]
    assert not status_["ready"]
    assert status_["headline"].startswith("Passed validation, but not ready to sign yet: ")
    assert all(i["kind"] == "weakens" for i in status_["issues"])
    (issue,) = [i for i in status_["issues"] if i["code"] == "length.over_three_pages"]
    assert issue["field"] == "clinical_summary" and "Shorten" in issue["what"]
    assert status_["peer_to_peer"] == "a call at (206) 555-0143"


def test_a_deadline_passed_blocks_and_a_near_one_weakens(brca: dict) -> None:
    draft = untyped(Draft.model_validate(brca["draft"]))
    report = ValidationReport()
    deadline = draft.analysis.appeal_deadline
    late = status(draft.markdown, draft, report, deadline + dt.timedelta(days=3))
    (issue,) = late.issues
    assert (issue.kind, issue.code) == ("blocks", "deadline.passed")
    assert "passed 3 days ago" in issue.what and not late.ready
    near = status(draft.markdown, draft, report, deadline - dt.timedelta(days=5))
    (issue,) = near.issues
    assert (issue.kind, issue.code) == ("weakens", "deadline.near") and "in 5 days" in issue.what
    assert not near.ready


def test_an_error_blocks_and_a_warning_weakens_whatever_the_check(brca: dict) -> None:
    draft = untyped(Draft.model_validate(brca["draft"]))
    today = draft.analysis.appeal_deadline - dt.timedelta(days=60)
    report = ValidationReport(
        findings=[
            ValidationFinding(code="citation.unused", severity=Severity.warning, message="w."),
            ValidationFinding(code="npi.invalid", severity=Severity.error, message="e."),
        ]
    )
    result = status(draft.markdown, draft, report, today)
    assert [(i.kind, i.code) for i in result.issues] == [
        ("blocks", "npi.invalid"),
        ("weakens", "citation.unused"),
    ]
    assert result.headline.startswith("Rejected: 1 error. Not ready to sign: 1 thing blocks")


def test_missing_facts_block_with_the_field_that_fills_each(client: TestClient) -> None:
    result = draft(client, "incomplete")
    status_ = result["review"]["status"]
    assert status_["headline"].startswith("DRAFT: facts are missing. Not ready to sign")
    missing = [i for i in status_["issues"] if i["code"] == "missing"]
    assert missing and all(i["kind"] == "blocks" and i["field"] for i in missing)
    assert {g["field"] for g in result["draft"]["gaps"]} <= {i["field"] for i in missing}
    assert not any(i["code"] == "placeholder.left" for i in status_["issues"])


def test_the_peer_to_peer_offer_is_read_from_the_letter() -> None:
    assert peer_to_peer_offer("## Peer-to-peer review\n\nCall me at 206-555-0143.\n") == (
        "a call at 206-555-0143"
    )
    assert peer_to_peer_offer("## Peer-to-peer review\n\nI am available.\n") == (
        "a call, without a phone number"
    )
    assert peer_to_peer_offer("## Request\n\nApprove it.\n") is None


def test_an_edited_letter_is_checked_with_the_field_to_fix(client: TestClient, brca: dict) -> None:
    npi = brca["draft"]["case"]["physician"]["npi"]
    wrong = npi[:-1] + str((int(npi[-1]) + 1) % 10)
    response = client.post(
        "/api/validate",
        json={"markdown": brca["draft"]["markdown"].replace(npi, wrong), "draft": brca["draft"]},
    )
    review = response.json()
    assert not review["status"]["ready"]
    issue = review["status"]["issues"][0]  # blocking issues come first
    assert (issue["kind"], issue["code"]) == ("blocks", "npi.invalid")
    assert issue["field"] == "physician.npi"
    finding = review["report"]["findings"][0]
    assert finding["field"] == "physician.npi" and finding["section"] == "Identification"


def test_the_page_starts_a_case_from_the_denial(client: TestClient) -> None:
    letter = (EXAMPLES / "cpap-medicaid" / "letter.txt").read_text(encoding="utf-8")
    response = client.post("/api/case/init", json={"letter": letter})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["case"]["patient"]["member_id"] == "512884307"
    assert body["case"]["diagnoses"][0]["code"] == "G47.33"
    assert "TODO" in body["yaml"] and "# Criterion 1" in body["yaml"]
    assert len(body["criteria"]) == 3
    assert body["criteria"][0]["heading"].startswith("Criterion 1 (")
    assert body["criteria"][0]["notes"]


def test_criteria_the_verdicts_find_not_met_or_not_shown_weaken_the_letter(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The computed verdicts (pipeline.reasoning.evaluate) become issues: a requirement not met
    names the comparison and the way out (concede or correct); one not shown names the field to
    add; a criterion the payer called met, or the physician concedes, is no issue."""
    from pipeline import reasoning
    from pipeline.models import Requirement
    from pipeline.reasoning import CriterionVerdict, RequirementVerdict

    result = untyped(Draft.model_validate(draft(client, "cpap-medicaid")["draft"]))
    crit = result.analysis.criteria
    ahi = Requirement(kind="threshold", subject="AHI", comparator=">=", value=15, span="AHI")
    low = RequirementVerdict(
        requirement=ahi, status="not_met", required="at least 15 events/hour (AHI)",
        found="AHI 12.4 events/hour", field="objective_findings",
    )  # fmt: skip
    unseen = low.model_copy(update={"status": "unknown", "found": "no AHI recorded"})
    verdicts = [
        CriterionVerdict(index=0, criterion=crit[0], status="not_met", requirements=[low]),
        CriterionVerdict(index=1, criterion=crit[1], status="unknown", requirements=[unseen]),
        CriterionVerdict(
            index=2, criterion=crit[2], status="not_met", requirements=[low], payer_met=True
        ),
    ]
    monkeypatch.setattr(reasoning, "evaluate", lambda *args: verdicts)
    today = result.analysis.appeal_deadline - dt.timedelta(days=60)
    first, second = status(result.markdown, result, ValidationReport(), today).issues
    assert (first.kind, first.code, first.field) == (
        "weakens",
        "criterion.not_met",
        "objective_findings",
    )
    assert first.what.startswith(
        "Criterion 1 is not met by the case. The plan requires at least 15 events/hour (AHI)"
    )
    assert "concede it (case file conceded: criterion 1)" in first.what
    assert (second.code, second.field) == ("criterion.not_shown", "objective_findings")
    assert second.what.startswith("Criterion 2 is not shown to be met.")
    verdicts[:2] = [v.model_copy(update={"conceded": True}) for v in verdicts[:2]]
    assert status(result.markdown, result, ValidationReport(), today).ready
