"""A result the case says is pending: the request asks for approval now or on condition of it,
with an expedited reconsideration when it comes, and never states the result."""

from __future__ import annotations

import datetime as dt

from pipeline.models import CaseFacts
from pipeline.reasoning.pending import pending_paragraph, pending_results


def case(**kw: object) -> CaseFacts:
    data: dict[str, object] = {"patient": {"name": "Ana Lee", "date_of_birth": "1970-01-02"}}
    data.update(kw)
    return CaseFacts.model_validate(data)


def test_a_finding_whose_value_is_pending_is_asked_around_not_stated() -> None:
    c = case(objective_findings=[
        {"kind": "lab", "name": "Anti-MuSK antibody", "value": "sent out, result pending",
         "date": "2026-11-18"},
        {"kind": "lab", "name": "Acetylcholine receptor antibody", "value": "negative"},
    ])  # fmt: skip
    said = pending_paragraph(c)
    assert said.startswith("The result of anti-MuSK antibody is still pending.")
    assert "approve this request now" in said and "on condition of it" in said
    # a result not yet back is no urgency: a standard case asks no expedited review for it
    assert "as soon as it is reported." in said and "expedited" not in said
    assert "negative" not in said and "Acetylcholine" not in said


def test_two_pending_findings_are_named_together() -> None:
    c = case(objective_findings=[
        {"kind": "imaging", "name": "MRI brain", "value": "report awaited"},
        {"kind": "lab", "name": "IGF-1", "value": "not yet resulted", "date": "2026-12-01"},
    ])  # fmt: skip
    said = pending_paragraph(c)
    assert said.startswith("The results of MRI brain and IGF-1 are still pending.")
    assert "those results" in said and "on condition of them" in said


def test_a_summary_sentence_that_a_test_is_pending_is_stated_as_the_case_says_it() -> None:
    c = case(clinical_summary="Relapsed lymphoma. A PET-CT was done on 12/01/2026 and the report "
             "is pending. She is otherwise well.")  # fmt: skip
    assert [p.what for p in pending_results(c)] == [
        "A PET-CT was done on December 1, 2026 and the report is pending."
    ]


def test_what_is_pending_but_no_result_is_nothing() -> None:
    c = case(
        clinical_summary="The prior authorization is pending. Surgery is on hold pending the "
        "appeal. He is awaiting approval for transfer.",
        objective_findings=[
            {"kind": "other", "name": "Referral", "value": "authorization pending"}
        ],
    )
    assert pending_results(c) == []
    assert pending_paragraph(c) == ""
    assert pending_paragraph(case(clinical_summary="HbA1c 7.1% on 11/02/2026.")) == ""


def test_a_pending_result_reaches_the_request_of_a_letter() -> None:
    from pipeline.draft import compose
    from pipeline.engines import OfflineEngine
    from pipeline.extract import extract_facts
    from pipeline.letter_format import REQUEST, split_sections

    notice = (
        "PRIOR AUTHORIZATION DENIAL\nDate: November 20, 2026\nWe denied your request for CPT "
        "81162 (BRCA1/BRCA2 sequencing). Reason: not medically necessary; a personal or family "
        "history meeting criteria was not documented.\n"
    )
    c = case(
        service={"code": "81162", "description": "BRCA1/BRCA2 full sequencing"},
        objective_findings=[{"kind": "lab", "name": "Tumor pathology (HER2 status)",
                             "value": "pending", "date": "2026-11-25"}],
    )  # fmt: skip
    draft = compose(notice, extract_facts(notice), c, [], OfflineEngine(),
                    today=dt.date(2026, 12, 1), allow_gaps=True)  # fmt: skip
    request = split_sections(draft.markdown)[REQUEST]
    assert "The result of tumor pathology (HER2 status) is still pending." in request
    assert "November 25" not in request  # the order's date is no result's date
    assert "I will send it as soon as it is reported." in request and "expedited" not in request


def test_a_pending_result_is_listed_to_follow_not_as_an_enclosed_report() -> None:
    from pipeline.reasoning.enclosures import enclosures

    c = case(objective_findings=[
        {"kind": "lab", "name": "Hepatitis B surface antigen", "value": "Drawn 2026-12-02; "
         "results pending", "date": "2026-12-02"},
        {"kind": "lab", "name": "QuantiFERON-TB Gold", "value": "negative", "date": "2026-11-02"},
    ])  # fmt: skip
    titles = [e.title for e in enclosures(c, [])]
    assert titles == [
        "Laboratory report: Hepatitis B surface antigen, to follow (drawn December 2, 2026; "
        "results pending)",
        "Laboratory report: QuantiFERON-TB Gold (November 2, 2026)",
    ]
