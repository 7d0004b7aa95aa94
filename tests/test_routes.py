"""The route out of its ground that a plan's own definition gives, argued only when a source the
physician cites for this patient meets it (with a grade the route names)."""

from __future__ import annotations

from pipeline.models import CaseFacts
from pipeline.reasoning.routes import fitting_route

DEFINITION = (
    "DETERMINATION: Not covered.\n\nOur policy defines a drug as experimental or "
    "investigational unless it (a) has final FDA approval for the condition, or (b) is "
    "supported for the condition by a category 1 or 2A recommendation of the NCCN Compendium.\n"
)


def case(*citations: dict) -> CaseFacts:
    return CaseFacts.model_validate({"citations": list(citations)})


NCCN = {"issuing_body": "National Comprehensive Cancer Network", "title": "NCCN Guidelines: "
        "Biliary Tract Cancers", "year": "2026", "recommendation": "Pembrolizumab is a category "
        "2A option for TMB-H tumors."}  # fmt: skip


def test_the_route_a_cited_source_meets_is_argued_with_its_grade() -> None:
    route = fitting_route(DEFINITION, case(NCCN))
    assert route is not None
    assert route.route.startswith("it is supported for the condition by a category 1 or 2A")
    said = route.paragraph()
    assert said.startswith("Your notice quotes the definition it applied: “Our policy defines")
    assert "states: “Pembrolizumab is a category 2A option for TMB-H tumors.”" in said
    assert said.endswith("That is grade 2A; the route takes 1 or 2A.")


def test_no_route_is_argued_without_a_source_that_meets_it() -> None:
    assert fitting_route(DEFINITION, case()) is None
    # a grade the route does not take
    weaker = {**NCCN, "recommendation": "Pembrolizumab is a category 3 option."}
    assert fitting_route(DEFINITION, case(weaker)) is None
    # a source of another kind than the route asks for
    journal = {"issuing_body": "J Clin Oncol", "title": "Phase 2 trial", "year": "2025",
               "recommendation": "Response rate 31% in TMB-H tumors."}  # fmt: skip
    assert fitting_route(DEFINITION, case(journal)) is None
    # a notice that quotes no definition with a route out of it
    plain = "This service is experimental and investigational and is not covered.\n"
    assert fitting_route(plain, case(NCCN)) is None


def test_a_guideline_route_without_markers_is_read_at_its_semicolons() -> None:
    notice = (
        "A service is considered investigational except when it is recommended in a "
        "nationally recognized clinical practice guideline; or it has FDA approval for the "
        "indication.\n"
    )
    cited = {"issuing_body": "American Academy of Neurology", "title": "Practice guideline "
             "update: botulinum neurotoxin", "year": "2016", "recommendation": "OnabotulinumtoxinA "
             "is established as effective for chronic migraine (Level A)."}  # fmt: skip
    route = fitting_route(notice, case(cited))
    assert route is not None and route.route.startswith("it is recommended in a nationally")
    assert route.graded == ""


def test_an_experimental_denial_with_no_criteria_is_answered_with_the_fda_status() -> None:
    import datetime as dt

    from pipeline.draft import compose
    from pipeline.engines import OfflineEngine
    from pipeline.extract import extract
    from pipeline.ingest import ingest_text

    notice = (
        "Northfield Health Plan\nDate: November 2, 2026\nRequest: CPT 64568 hypoglossal nerve "
        "stimulator implantation\n\nReason for denial: The requested service is considered "
        "experimental and investigational for this member.\n\nYou may appeal within 180 days.\n"
    )
    c = CaseFacts.model_validate({
        "patient": {"name": "Ray Dunn", "date_of_birth": "1966-01-02"},
        "service": {"code": "64568", "description": "Hypoglossal nerve stimulator implantation"},
        "clinical_summary": "Obstructive sleep apnea, AHI 38. The Inspire system received FDA "
        "premarket approval in 2014 for moderate to severe OSA in CPAP-intolerant adults. He "
        "works as a welder.",
    })  # fmt: skip
    analysis = extract(ingest_text(notice, source="test"), OfflineEngine())
    draft = compose(notice, analysis, c, [], OfflineEngine(), today=dt.date(2026, 11, 20),
                    allow_gaps=True)  # fmt: skip
    answer = draft.markdown.split("## Response to each criterion")[1].split("## Consequences")[0]
    assert "received FDA premarket approval in 2014" in answer
    assert "welder" not in answer
