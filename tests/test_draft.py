"""compose / render_markdown / number_citations: layout, grounding, gaps."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from pipeline import letter_format as lf
from pipeline.draft import compose, number_citations
from pipeline.engines import (
    AnalysisRequest,
    AnalysisResponse,
    ArgumentRequest,
    ArgumentResponse,
    OfflineEngine,
)
from pipeline.errors import GapsError
from pipeline.models import (
    CaseFacts,
    Criterion,
    CriterionArgument,
    DenialAnalysis,
    Draft,
    Passage,
    PlanType,
    RetrievedPassage,
)
from pipeline.reasoning.rights import rights_strings

TODAY = dt.date(2024, 6, 3)

LETTER_TEXT = """Evergreen Health Plan
May 2, 2024
Member ID: EHP123456789    Claim: CLM-2024-000123
Service: CPT 90867 transcranial magnetic stimulation. Diagnosis F33.2.
Your request was denied as not medically necessary. Criteria not met (Evergreen Medical
Policy MP-045):
1. Failure of at least four antidepressant trials at adequate dose and duration.
2. Severe depression documented by a standardized rating scale such as PHQ-9 or HAM-D.
3. An adequate trial of evidence-based psychotherapy.
You may request an expedited appeal. Reviewer: Alan Reed, MD.
"""


def complete_case(**changes: object) -> CaseFacts:
    """A case with every fact the letter needs; keyword arguments replace top-level fields."""
    data: dict[str, object] = {
        "patient": {
            "name": "Jane Q. Doe",
            "date_of_birth": "1980-03-14",
            "member_id": "EHP123456789",
        },
        "claim_reference": "CLM-2024-000123",
        "insurer": "Evergreen Health Plan",
        "physician": {
            "name": "Maria Lopez",
            "credentials": "MD, FAPA",
            "specialty": "Psychiatry",
            "npi": "1234567893",
            "license": "WA MD60412345",
            "practice_name": "Cascade Psychiatry",
            "address": "100 Pine St, Seattle, WA 98101",
            "phone": "(206) 555-0142",
            "fax": "(206) 555-0143",
        },
        "diagnoses": [
            {"code": "F33.2", "description": "Major depressive disorder, recurrent, severe"}
        ],
        "service": {
            "code": "90867",
            "description": "Transcranial magnetic stimulation, initial treatment",
            "details": "36 sessions over 6 weeks",
        },
        "clinical_summary": "Ms. Doe has severe recurrent depression. She has not responded to "
        "four antidepressant trials and a course of psychotherapy.",
        "prior_treatments": [
            {
                "name": "Sertraline",
                "kind": "medication",
                "dose": "200 mg",
                "frequency": "once daily",
                "start": "2023-01-10",
                "end": "2023-04-15",
                "outcome": "inadequate response",
                "outcome_measure": "PHQ-9 22 at start, 19 at week 12",
            },
            {
                "name": "Bupropion XL",
                "kind": "medication",
                "dose": "450 mg",
                "frequency": "once daily",
                "duration": "12 weeks",
                "outcome": "inadequate response",
            },
            {
                "name": "Venlafaxine XR",
                "kind": "medication",
                "dose": "225 mg",
                "frequency": "once daily",
                "start": "2023-08-01",
                "end": "2023-11-20",
                "outcome": "intolerance (hypertension)",
            },
            {
                "name": "Duloxetine",
                "kind": "medication",
                "dose": "120 mg",
                "frequency": "once daily",
                "duration": "10 weeks",
                "outcome": "inadequate response",
            },
            {
                "name": "Cognitive behavioral therapy",
                "kind": "therapy",
                "frequency": "weekly",
                "duration": "16 sessions",
                "outcome": "no remission",
            },
        ],
        "objective_findings": [
            {
                "kind": "rating_scale",
                "name": "PHQ-9",
                "value": "24",
                "date": "2024-04-20",
                "interpretation": "severe depression",
            },
            {"kind": "rating_scale", "name": "HAM-D-17", "value": "26", "date": "2024-04-20"},
        ],
        "consequences_of_denial": "Without treatment she remains unable to work, her depression "
        "is likely to deepen further, and she is at substantial risk of psychiatric "
        "hospitalization; the remaining alternative, electroconvulsive therapy, carries "
        "cognitive side effects she has declined.",
        "urgency": "expedited",
        "urgency_reason": "Passive suicidal ideation is worsening",
    }
    data.update(changes)
    return CaseFacts.model_validate(data)


def analysis_for(**changes: object) -> DenialAnalysis:
    """The analysis of LETTER_TEXT; keyword arguments replace fields."""
    source = "Evergreen Medical Policy MP-045"
    data: dict[str, object] = {
        "insurer": "Evergreen Health Plan",
        "plan_type": PlanType.erisa,
        "member_id": "EHP123456789",
        "claim_number": "CLM-2024-000123",
        "letter_date": dt.date(2024, 5, 2),
        "cpt_codes": ["90867"],
        "icd10_codes": ["F33.2"],
        "denial_categories": ["not_medically_necessary"],
        "criteria": [
            Criterion(
                text="Failure of at least four antidepressant trials at adequate dose and "
                "duration.",
                source=source,
            ),
            Criterion(
                text="Severe depression documented by a standardized rating scale such as PHQ-9 "
                "or HAM-D.",
                source=source,
            ),
            Criterion(text="An adequate trial of evidence-based psychotherapy."),
        ],
        "expedited_available": True,
        "peer_to_peer_offered": True,
        "reviewer": "Alan Reed, MD",
    }
    data.update(changes)
    return DenialAnalysis.model_validate(data)


def passage(pid: str, kind: str = "guideline", **changes: object) -> Passage:
    """A corpus passage with citation metadata."""
    data: dict[str, object] = {
        "id": pid,
        "kind": kind,
        "issuing_body": "American Psychiatric Association",
        "short_body": "APA",
        "title": "Practice Guideline for the Treatment of Patients With Major Depressive Disorder",
        "version": "Third Edition",
        "year": 2010,
        "section": "Somatic treatments",
        "recommendation": "II",
        "text": "TMS may be considered for patients who have not responded to antidepressants.",
        "specialty": "psychiatry",
        "url": "https://example.org/apa",
        "license": "quoted for review",
        "verified": True,
    }
    data.update(changes)
    return Passage.model_validate(data)


def retrieved(p: Passage, score: float, rank: int, criteria: list[int]) -> RetrievedPassage:
    return RetrievedPassage(passage=p, score=score, rank=rank, criteria=criteria)


def sample_passages() -> list[RetrievedPassage]:
    """Guidelines per criterion, an ERISA regulation, a Medicare one and an unrelated guideline."""
    return [
        retrieved(passage("apa-mdd-tms"), 0.9, 1, [0, 2]),
        retrieved(
            passage(
                "apa-mdd-scales",
                section="Assessment",
                recommendation=None,
                text="Rating scales such as the PHQ-9 measure severity.",
            ),
            0.8,
            2,
            [1],
        ),
        retrieved(
            passage(
                "usc-29-1133",
                kind="regulation",
                issuing_body="U.S. Congress (United States Code)",
                short_body="U.S. Congress",
                title="Claims procedure",
                version=None,
                year=2023,
                section="29 U.S.C. § 1133",
                recommendation=None,
                text="afford a reasonable opportunity ... for a full and fair review",
                plan_types=["erisa"],
                categories=["administrative"],
            ),
            0.5,
            3,
            [],
        ),
        retrieved(
            passage(
                "usc-42-1395ff",
                kind="regulation",
                short_body="U.S. Congress",
                section="42 U.S.C. § 1395ff",
                recommendation=None,
                plan_types=["medicare"],
            ),
            0.6,
            4,
            [],
        ),
        retrieved(passage("acr-imaging", short_body="ACR", title="Appropriateness"), 0.1, 5, []),
    ]


def sample_draft(analysis: DenialAnalysis | None = None, **case_changes: object) -> Draft:
    """The sample letter drafted offline (``analysis``: else :func:`analysis_for`'s)."""
    return compose(
        LETTER_TEXT,
        analysis if analysis is not None else analysis_for(),
        complete_case(**case_changes),
        sample_passages(),
        OfflineEngine(),
        today=TODAY,
    )


def draft_markdown(**case_changes: object) -> str:
    return sample_draft(**case_changes).markdown


# --------------------------------------------------------------------------- layout


def test_complete_case_has_every_section_in_order() -> None:
    markdown = draft_markdown()
    headings = lf.SECTION_HEADING_RE.findall(markdown)
    assert set(lf.REQUIRED_SECTIONS) <= set(headings)
    assert headings == [s for s in lf.SECTION_ORDER if s in headings]
    assert markdown.startswith(lf.TITLE)
    assert lf.DRAFT_BANNER not in markdown
    assert not lf.PLACEHOLDER_RE.search(markdown)
    assert "[[cite:" not in markdown


def test_one_heading_per_criterion_with_source() -> None:
    markdown = draft_markdown()
    assert lf.CRITERION_HEADING_RE.findall(markdown) == ["1", "2", "3"]
    assert "### Criterion 1 — Evergreen Medical Policy MP-045" in markdown
    # a criterion the notice gives no source for is named by its number alone (no 'Plan
    # criterion' label that names nothing)
    assert "Plan criterion" not in markdown
    (third,) = [line for line in markdown.splitlines() if line.startswith("### Criterion 3")]
    assert third in ("### Criterion 3", "### Criterion 3 — met")


def test_references_list_only_cited_passages_and_every_citation_resolves() -> None:
    markdown = draft_markdown()
    body, references = markdown.split(lf.heading(lf.REFERENCES))
    entries = {int(n): (ref, pid) for n, ref, pid in lf.REFERENCE_LINE_RE.findall(references)}
    assert sorted(entries) == list(range(1, len(entries) + 1))
    by_id = {rp.passage.id: rp.passage for rp in sample_passages()}
    for ref, pid in entries.values():
        assert ref == by_id[pid].reference()
    cited = {int(n) for m in lf.CITATION_RE.findall(body) for n in m.split(",")}
    assert cited == set(entries)
    cited_ids = {pid for _, pid in entries.values()}
    assert "usc-29-1133" in cited_ids  # ERISA plan: the ERISA regulation is cited
    assert "usc-42-1395ff" not in cited_ids  # a Medicare regulation is not
    assert "acr-imaging" not in cited_ids  # retrieved but never cited


def test_legal_basis_cites_only_law_for_the_plan_type() -> None:
    device = passage(
        "fda-clearance", kind="regulation", short_body="FDA", section="510(k) clearance"
    )
    passages = [*sample_passages(), retrieved(device, 0.99, 0, [])]
    markdown = compose(
        LETTER_TEXT, analysis_for(), complete_case(), passages, OfflineEngine(), today=TODAY
    ).markdown
    sections = lf.split_sections(markdown)
    assert "29 U.S.C. § 1133 [" in sections[lf.LEGAL_BASIS]
    assert "510(k)" not in markdown
    # the decision clock is this appeal's own rule (the plan type's spec; the case is urgent),
    # not a retrieved provision cited as 'the time limits of'; it is said once, in the Request's
    # expedited ask, not again in the Legal basis
    clock = "within 72 hours of its receipt (29 CFR 2560.503-1(i)(2)(i))"
    assert clock in sections[lf.REQUEST]
    assert "72 hours" not in sections[lf.LEGAL_BASIS]
    assert "time limits of" not in sections[lf.REQUEST]


def test_unknown_plan_type_cites_no_plan_specific_law() -> None:
    markdown = compose(
        LETTER_TEXT,
        analysis_for(plan_type=PlanType.unknown),
        complete_case(),
        sample_passages(),
        OfflineEngine(),
        today=TODAY,
    ).markdown
    sections = lf.split_sections(markdown)
    assert "U.S.C." not in markdown
    assert "CFR" not in sections[lf.LEGAL_BASIS] + sections[lf.REQUEST]


def test_clinical_criteria_cite_guidelines_not_regulations() -> None:
    criteria = lf.split_sections(draft_markdown())[lf.CRITERIA]
    assert "29 U.S.C." not in criteria
    # the guideline is named briefly (body, edition, grade); References carry the full title
    assert "Guideline (APA 2010, II)" in criteria


def test_identification_table_and_signature() -> None:
    sections = lf.split_sections(draft_markdown())
    ident = sections[lf.IDENTIFICATION]
    assert ident.startswith(
        "I am Jane Q. Doe's treating physician in psychiatry. I ask you to reverse your May 2, "
        "2024 denial and approve transcranial magnetic stimulation, initial treatment (CPT 90867) "
        "for major depressive disorder, recurrent, severe (ICD-10-CM F33.2)."
    )
    assert f"| {lf.ID_NPI} | 1234567893 |" in ident
    assert f"| {lf.ID_DOB} | March 14, 1980 |" in ident
    assert f"| {lf.ID_DENIAL_DATE} | May 2, 2024 |" in ident
    assert "| Treating physician | Maria Lopez, MD, FAPA, Psychiatry |" in ident
    signature = sections[lf.SIGNATURE]
    for line in ("NPI: 1234567893", "State licence: WA MD60412345", "Fax: (206) 555-0143"):
        assert line in signature
    assert (
        sections[lf.DIAGNOSIS] == "- ICD-10-CM F33.2 — Major depressive disorder, recurrent, severe"
    )
    assert sections[lf.REQUESTED_SERVICE].startswith("CPT 90867 — Transcranial")


def test_prior_treatment_table() -> None:
    # Treatments a criterion states are set out under it (dose, dates, outcome), not repeated in
    # a table: with every treatment stated, the section is left out (a pointer to the criteria
    # said nothing about the patient).
    sections = lf.split_sections(draft_markdown())
    assert lf.PRIOR_TREATMENT not in sections
    assert "Sertraline 200 mg" in sections[lf.CRITERIA]
    # With no criterion to state them under, the table lists each treatment the answer to the
    # denial does not set out in full (Sertraline is, with its dose and dates: not again here).
    sections = lf.split_sections(_no_criteria_markdown())
    table = sections[lf.PRIOR_TREATMENT].splitlines()
    assert table[0] == "| " + " | ".join(lf.PRIOR_TREATMENT_COLUMNS) + " |"
    assert "- Sertraline 200 mg once daily from January 10, 2023" in sections[lf.CRITERIA]
    assert not any("Sertraline" in row for row in table)
    assert table[2] == (
        "| Venlafaxine XR | 225 mg | once daily | August 1, 2023 – November 20, 2023 | "
        "intolerance (hypertension) |"
    )
    assert table[-1].startswith(f"| Cognitive behavioral therapy | {lf.NOT_APPLICABLE} | weekly |")


def test_expedited_and_peer_to_peer() -> None:
    sections = lf.split_sections(draft_markdown())
    # the reason is given once, in the opening, and expedited review asked once, in the
    # Request (the clinical summary no longer repeats both)
    assert "passive suicidal ideation is worsening" in sections[lf.IDENTIFICATION]
    assert "passive suicidal ideation" not in sections[lf.CLINICAL_SUMMARY]
    assert "expedited" in sections[lf.REQUEST]
    assert sections[lf.PEER_TO_PEER] == (
        "The reviewing physician, Alan Reed, MD, can reach me for a peer-to-peer discussion at "
        "(206) 555-0142."
    )


def test_no_objective_findings_section_when_none() -> None:
    assert lf.heading(lf.OBJECTIVE_FINDINGS) not in draft_markdown(objective_findings=[])


def _no_criteria_markdown() -> str:
    """The letter for a denial that cites no criterion."""
    return compose(
        LETTER_TEXT,
        analysis_for(criteria=[]),
        complete_case(),
        sample_passages(),
        OfflineEngine(),
        today=TODAY,
    ).markdown


def test_no_criteria_answers_the_primary_category() -> None:
    criteria = lf.split_sections(_no_criteria_markdown())[lf.CRITERIA]
    assert not lf.CRITERION_HEADING_RE.search(criteria)
    assert "not medically necessary" in criteria
    assert lf.CITATION_RE.search(criteria)
    # the guideline says what it recommends; no sentence ties the records to a source by its
    # name alone, nor cites a statute in the medical argument (the Legal basis states the law)
    assert "Guideline (" in criteria
    assert "This meets the standard set out by" not in criteria
    assert "The plan must weigh this evidence" not in criteria


# --------------------------------------------------------------------------- grounding


def _input_numbers(
    case: CaseFacts, analysis: DenialAnalysis, passages: list[RetrievedPassage]
) -> set[str]:
    dates = [TODAY, *[d for d in _dates(case.model_dump())], *_dates(analysis.model_dump())]
    sources = [
        LETTER_TEXT,
        case.model_dump_json(),
        *(lf.fmt_date(d) for d in dates),
        *(rp.passage.text + " " + rp.passage.reference() for rp in passages),
        # the plan type's law and the review statistic, which the validator grounds too
        *rights_strings(analysis, LETTER_TEXT, case),
    ]
    return {n for s in sources for n in re.findall(r"\d+", s)}


def _dates(value: object) -> list[dt.date]:
    if isinstance(value, dt.date):
        return [value]
    if isinstance(value, dict):
        return [d for v in value.values() for d in _dates(v)]
    if isinstance(value, list):
        return [d for v in value for d in _dates(v)]
    return []


_STRUCTURE_RE = re.compile(
    r"^### Criterion \d+|^\d+\. (?=.*\(ref: )|\[\d+(?:, \d+)*\]|ICD-10-CM"
    # enclosure numbers: the list's and those the table and the sections refer to
    r"|^\d+\. |\bEnclosures? \d+(?:, \d+)*",
    re.MULTILINE,
)


@pytest.mark.parametrize("plan_type", list(PlanType))
def test_every_number_in_the_letter_comes_from_the_inputs(plan_type: PlanType) -> None:
    case, analysis, passages = complete_case(), analysis_for(plan_type=plan_type), sample_passages()
    markdown = compose(LETTER_TEXT, analysis, case, passages, OfflineEngine(), today=TODAY).markdown
    allowed = _input_numbers(case, analysis, passages)
    numbers = re.findall(r"\d+", _STRUCTURE_RE.sub(" ", markdown))
    assert numbers
    assert set(numbers) <= allowed, set(numbers) - allowed


# --------------------------------------------------------------------------- gaps


def test_missing_npi_raises_gaps_error() -> None:
    physician = complete_case().physician.model_copy(update={"npi": None})
    with pytest.raises(GapsError) as raised:
        draft_markdown(physician=physician.model_dump())
    assert "physician.npi" in [g.field for g in raised.value.gaps]
    assert "physician.npi" in str(raised.value)


def test_invalid_npi_is_a_gap() -> None:
    physician = complete_case().physician.model_copy(update={"npi": "1234567890"})
    with pytest.raises(GapsError) as raised:
        draft_markdown(physician=physician.model_dump())
    (gap,) = [g for g in raised.value.gaps if g.field == "physician.npi"]
    assert "check digit" in gap.message


def test_allow_gaps_writes_a_draft_with_placeholders_in_place() -> None:
    physician = complete_case().physician.model_copy(update={"npi": None})
    draft = compose(
        LETTER_TEXT,
        analysis_for(),
        complete_case(physician=physician.model_dump()),
        sample_passages(),
        OfflineEngine(),
        today=TODAY,
        allow_gaps=True,
    )
    assert draft.is_draft
    assert draft.markdown.startswith(lf.DRAFT_BANNER)
    (gap,) = draft.gaps
    sections = lf.split_sections(draft.markdown)
    assert f"| {lf.ID_NPI} | {gap.placeholder} |" in sections[lf.IDENTIFICATION]
    assert f"{lf.SIG_NPI}: {gap.placeholder}" in sections[lf.SIGNATURE]
    assert draft.run.engine == "offline" and draft.run.created == TODAY


def test_criterion_without_evidence_is_a_gap() -> None:
    analysis = analysis_for(
        criteria=[*analysis_for().criteria, Criterion(text="Absence of seizure disorder.")]
    )
    with pytest.raises(GapsError) as raised:
        compose(
            LETTER_TEXT, analysis, complete_case(), sample_passages(), OfflineEngine(), today=TODAY
        )
    assert [g.field for g in raised.value.gaps] == ["criteria[3]"]


# --------------------------------------------------------------------------- engines & citations


class _FakeEngine:
    """An engine that cites with bare local numbers and an unknown passage."""

    name = "fake"
    model = "fake-model"

    def analyze(self, request: AnalysisRequest) -> AnalysisResponse:
        return AnalysisResponse(analysis=request.found)

    def argue(self, request: ArgumentRequest) -> ArgumentResponse:
        return ArgumentResponse(arguments=[
            CriterionArgument(
                criterion_index=i,
                argument=f"Criterion answered by the record [1] and by [[cite:not-retrieved]] {i}.",
                passage_ids=["apa-mdd-scales"],
                evidence=["prior_treatments[0]"],
            )
            for i in range(len(request.analysis.criteria))
        ])


def test_other_engine_local_citations_are_numbered_and_unknown_ones_dropped() -> None:
    # its bare numbers cite no guideline, so the letter names the citation gap (allowed here)
    draft = compose(
        LETTER_TEXT, analysis_for(), complete_case(), sample_passages(), _FakeEngine(), today=TODAY,
        allow_gaps=True,
    )
    assert [g.field for g in draft.gaps] == ["citations"]
    criteria = lf.split_sections(draft.markdown)[lf.CRITERIA]
    assert "Criterion answered by the record [1] and by 0." in criteria
    assert "not-retrieved" not in draft.markdown
    assert draft.run.model == "fake-model"


def test_number_citations_orders_by_first_citation_and_merges_adjacent() -> None:
    text = "a [[cite:usc-29-1133]]. b [[cite:apa-mdd-tms]] [[cite:usc-29-1133]]. c [[cite:x]]."
    numbered, cited = number_citations(text, sample_passages())
    assert numbered == "a [1]. b [1, 2]. c."
    assert [p.id for p in cited] == ["usc-29-1133", "apa-mdd-tms"]


def test_compose_is_deterministic() -> None:
    assert draft_markdown() == draft_markdown()


def test_json_round_trip_of_the_draft() -> None:
    draft = sample_draft()
    assert json.loads(draft.model_dump_json())["markdown"] == draft.markdown


def test_the_physicians_own_sources_are_stated_first_and_none_is_left_out() -> None:
    """The case's citations are preferred under a criterion over a verified corpus guideline,
    and a source no criterion states is still stated (before, a verified corpus passage won
    the criterion and the physician's source appeared nowhere)."""
    from pipeline.models import CaseCitation
    from pipeline.relevance import Scope, physician_passages

    case = complete_case(
        citations=[
            CaseCitation(
                issuing_body="Clinical TMS Society",
                title="Consensus recommendations for TMS in depression",
                year="2018",
                recommendation="TMS is recommended after two failed antidepressant trials.",
            ),
            CaseCitation(
                issuing_body="VA/DoD",
                title="Clinical Practice Guideline for Major Depressive Disorder",
                year="2022",
                recommendation="rTMS is suggested for treatment-resistant depression.",
            ),
        ]
    )
    analysis = analysis_for()
    scope = Scope.of(analysis, case, TODAY)
    every = list(range(len(analysis.criteria)))
    own = [
        RetrievedPassage(passage=p, score=10.0, rank=i, criteria=every)
        for i, p in enumerate(physician_passages(case, scope), start=1)
    ]
    corpus = [
        RetrievedPassage(
            passage=rp.passage.model_copy(update={"verified": True, "verified_against": "x"}),
            score=rp.score,
            rank=rp.rank + 2,
            criteria=rp.criteria,
        )
        for rp in sample_passages()
    ]
    draft = compose(LETTER_TEXT, analysis, case, own + corpus, OfflineEngine(), today=TODAY)
    criteria = lf.split_sections(draft.markdown)[lf.CRITERIA]
    first = criteria.split("### Criterion 2")[0]
    assert "after two failed antidepressant trials" in first
    assert "suggested for treatment-resistant depression" in criteria


def test_the_notices_dates_of_service_are_a_sentence_each_said_once() -> None:
    """The planned dates the notice gives for the service are stated in a sentence, not a label,
    and a date the physician's order already states is not written again; a date before the
    notice of care not yet given is the request's (received, reviewed), not the service's, and
    is not written ('Your notice dates the service or request ...' read as a template's seam)."""
    case = complete_case()
    case = case.model_copy(
        update={"service": case.service.model_copy(update={"details": "Planned June 3, 2024"})}
    )

    def service_section(dates: list[dt.date]) -> str:
        analysis = analysis_for(service_dates=dates)
        markdown = compose(
            LETTER_TEXT, analysis, case, sample_passages(), OfflineEngine(), today=TODAY
        ).markdown
        return lf.split_sections(markdown)[lf.REQUESTED_SERVICE]

    service = service_section([dt.date(2024, 4, 20), dt.date(2024, 6, 3)])
    assert "as stated in the denial" not in service and "Your notice dates" not in service
    assert "April 20, 2024" not in service  # the request's date, before the May 2 notice
    assert service.count("June 3, 2024") == 1
    later = service_section([dt.date(2024, 4, 20), dt.date(2024, 6, 10)])
    assert "The service is planned for June 10, 2024." in later and "April 20" not in later


def test_a_letter_citing_no_fitting_passage_names_the_citation_gap() -> None:
    # the only guideline retrieved fits the case but states no position on care (a definition):
    # the letter can cite nothing clinical, so it says so, with both ways to fill it
    definition = passage(
        "tms-definition", conditions=["F33"], services=["90867"], text="TMS uses a magnetic coil."
    )
    only = [retrieved(definition, 1.0, 1, [0, 1, 2])]
    draft = compose(
        LETTER_TEXT, analysis_for(), complete_case(), only, OfflineEngine(), today=TODAY,
        allow_gaps=True,
    )
    assert "(ref: tms-definition)" not in draft.markdown
    (gap,) = [g for g in draft.gaps if g.field == "citations"]
    assert "F332 with 90867 and bears on the criteria" in gap.message
    assert "citations:" in gap.message and "corpus passage" in gap.message
    with pytest.raises(GapsError):
        compose(LETTER_TEXT, analysis_for(), complete_case(), only, OfflineEngine(), today=TODAY)
    cited = compose(
        LETTER_TEXT, analysis_for(), complete_case(), sample_passages(), OfflineEngine(),
        today=TODAY,
    )
    assert not [g for g in cited.gaps if g.field == "citations"]


def test_a_criterion_without_evidence_is_the_physicians_gap_not_the_letters() -> None:
    # the letter the physician signs never argues against the patient: no placeholder in the
    # argument, no 'not shown' cell, no DRAFT banner for a gap the letter shows nothing for;
    # the gap stays on the draft (the CLI lists it, the review file names it)
    analysis = analysis_for(
        criteria=[*analysis_for().criteria, Criterion(text="Absence of seizure disorder.")]
    )
    draft = compose(
        LETTER_TEXT,
        analysis,
        complete_case(),
        sample_passages(),
        OfflineEngine(),
        today=TODAY,
        allow_gaps=True,
    )
    assert [g.field for g in draft.gaps] == ["criteria[3]"]
    assert not lf.PLACEHOLDER_RE.search(draft.markdown)
    assert lf.DRAFT_BANNER not in draft.markdown
    criteria = lf.split_sections(draft.markdown)[lf.CRITERIA]
    assert "Absence of seizure disorder" in criteria  # the criterion is still quoted
    for adverse in ("Not shown", "does not show", "does not meet it", "| No |"):
        assert adverse not in draft.markdown


def test_said_or_nothing_leaves_out_what_holds_a_placeholder() -> None:
    from pipeline.draft import said_or_nothing

    gap = lf.PLACEHOLDER.format(what="why leflunomide does not fit this patient")
    text = (
        "### Criterion 1\n\nThe plan requires: “x”.\n\n"
        f"I ask for the exception. The grounds the record supports:\n\n- Tried: {gap}.\n\n"
        f"### Preferred alternatives your notice names\n\n- Leflunomide: {gap}.\n\n"
        f"She meets it. The reason: {gap}."
    )
    assert said_or_nothing(text) == (
        "### Criterion 1\n\nThe plan requires: “x”.\n\nI ask for the exception.\n\n"
        "### Preferred alternatives your notice names\n\nShe meets it."
    )


def test_diagnosis_lists_only_conditions_that_bear_on_the_request() -> None:
    # a comorbidity the notice, the criteria, the service and the record as the letter gives
    # it never name is left out; one the record sets out (the rating scale's depression, a
    # condition the summary states) stays, and the primary always does
    diagnoses = [
        {"code": "F33.2", "description": "Major depressive disorder, recurrent, severe"},
        {"code": "E78.5", "description": "Hyperlipidemia, unspecified"},
        {"code": "K21.9", "description": "Gastro-esophageal reflux disease without esophagitis"},
        {"code": "F41.1", "description": "Generalized anxiety disorder"},
    ]
    summary = complete_case().clinical_summary + " Her anxiety worsens with each relapse."
    markdown = draft_markdown(diagnoses=diagnoses, clinical_summary=summary)
    listed = lf.split_sections(markdown)[lf.DIAGNOSIS]
    assert "F33.2" in listed and "F41.1" in listed
    assert "E78.5" not in listed and "K21.9" not in listed


def test_a_treatment_the_case_gives_no_dose_or_dates_for_has_blank_cells_not_placeholders() -> None:
    # the gaps stay the physician's (listed with their fields); the table says nothing there
    treatments = [t.model_dump() for t in complete_case().prior_treatments]
    treatments.append({"name": "Lithium augmentation", "kind": "medication",
                       "frequency": "twice daily", "outcome": "No response"})  # fmt: skip
    draft = compose(
        LETTER_TEXT,
        analysis_for(),
        complete_case(prior_treatments=treatments),
        sample_passages(),
        OfflineEngine(),
        today=TODAY,
        allow_gaps=True,
    )
    fields = {g.field for g in draft.gaps}
    assert {"prior_treatments[5].dose", "prior_treatments[5].duration"} <= fields
    table = lf.split_sections(draft.markdown)[lf.PRIOR_TREATMENT]
    assert "| Lithium augmentation |  | twice daily |  | No response |" in table
    assert "[MISSING" not in draft.markdown and lf.DRAFT_BANNER not in draft.markdown
