"""Guidelines that fit the request are stated (issue 16, round 12): a fitting passage about the
requested service is cited under the criterion it bears on most, else under 'Guideline support'
with what it recommends; a drug's label only when its text states the patient's indication,
introduced as the label; never a passage on care given with the request or on the condition
alone, nor one sharing only a word of time or measurement with a criterion."""

from __future__ import annotations

from pipeline import letter_format as lf
from pipeline.draft import SUPPORT_HEADING, compose
from pipeline.engines import OfflineEngine
from pipeline.models import CaseFacts, Criterion, Diagnosis, Patient, RetrievedPassage, Service
from pipeline.reasoning.argument import criterion_passages
from pipeline.reasoning.fit import (
    STATED_PASSAGE_RE,
    fits,
    guideline_line,
    position,
    source_label,
    states_indication,
    topic_words,
)
from tests.test_draft import LETTER_TEXT, TODAY, analysis_for, complete_case, passage
from tests.test_relevance import passage as bare


def _retrieved(*passages: object, criteria: list[int] | None = None) -> list[RetrievedPassage]:
    return [
        RetrievedPassage(passage=p, score=1.0 - i / 10, rank=i, criteria=criteria or [])
        for i, p in enumerate(passages, 1)
    ]


def _criteria_section(passages: list[RetrievedPassage], case: CaseFacts | None = None) -> str:
    draft = compose(
        LETTER_TEXT,
        analysis_for(),
        case or complete_case(),
        passages,
        OfflineEngine(),
        today=TODAY,
        allow_gaps=True,  # a letter citing nothing carries the citation gap
    )
    return lf.split_sections(draft.markdown)[lf.CRITERIA]


TMS = passage(
    "rtms-standard",
    services=["90867"],
    conditions=["F33"],
    section="Somatic treatments: rTMS",
    text="The society recommends repetitive transcranial magnetic stimulation for adults with "
    "major depressive disorder who have not responded to antidepressant medication.",
)


def test_a_fitting_guideline_no_criterion_states_is_stated_under_guideline_support() -> None:
    section = _criteria_section(_retrieved(TMS))
    support = section.split(SUPPORT_HEADING, 1)[1]
    assert "Guideline (APA 2010, II): The society recommends repetitive transcranial" in support
    assert "[1]" in support


def test_guideline_support_states_no_passage_on_other_care_or_on_the_condition_alone() -> None:
    other = passage(
        "psychotherapy",
        services=["90834"],
        conditions=["F33"],
        treatments=["psychotherapy"],
        text="The society recommends psychotherapy for mild depression.",
    )
    condition = passage(
        "screening",
        conditions=["F33"],
        text="The society recommends screening adults for depression.",
    )
    # it shares the requested code, and recommends other care (a pump passage's CGM code)
    shared_code = passage(
        "ect",
        services=["90867", "90870"],
        conditions=["F33"],
        text="The society recommends electroconvulsive therapy for psychotic depression.",
    )
    # its scope, not a recommendation
    scope = passage(
        "scope",
        services=["90867"],
        conditions=["F33"],
        text="The guideline addresses patients for whom magnetic stimulation is being considered.",
    )
    section = _criteria_section(_retrieved(other, condition, shared_code, scope))
    assert SUPPORT_HEADING not in section
    # the drug given with the stimulation is not the request
    with_drug = complete_case(
        service={
            "code": "90867",
            "description": "Transcranial magnetic stimulation, in combination with sertraline",
        }
    )
    sertraline = passage(
        "sertraline",
        conditions=["F33"],
        treatments=["sertraline"],
        text="The society recommends sertraline as a first-line antidepressant.",
    )
    assert SUPPORT_HEADING not in _criteria_section(_retrieved(sertraline), with_drug)


def _pbc() -> CaseFacts:
    return CaseFacts(
        patient=Patient(),
        diagnoses=[Diagnosis(code="K74.3", description="Primary biliary cholangitis")],
        service=Service(description="Seladelpar (Livdelzi) 10 mg capsule once daily"),
    )


def _label(text: str) -> object:
    return bare(
        "livdelzi",
        kind="coverage_policy",
        indication=True,
        purpose=["drug"],
        short_body="FDA",
        year=2024,
        section="Indications and Usage: Primary biliary cholangitis (K743)",
        treatments=["seladelpar", "livdelzi"],
        conditions=["K743"],
        text=text,
    )


def test_a_label_is_cited_as_the_label_only_when_its_text_states_the_indication() -> None:
    stated = _label(
        "LIVDELZI is indicated for the treatment of primary biliary cholangitis in combination "
        "with ursodeoxycholic acid in adults. See full prescribing information."
    )
    assert position(stated) == (  # type: ignore[arg-type]
        "LIVDELZI is indicated for the treatment of primary biliary cholangitis in combination "
        "with ursodeoxycholic acid in adults."
    )
    assert states_indication(stated, _pbc())  # type: ignore[arg-type]
    line = guideline_line(stated)  # type: ignore[arg-type]
    assert line.startswith("FDA-approved labeling (FDA 2024, Indications and Usage: Primary")
    assert source_label(stated).startswith("FDA-approved labeling (")  # type: ignore[arg-type]
    assert STATED_PASSAGE_RE.search(line)
    # the import cut the text where the indications begin: it states none
    cut = _label("LIVDELZI is indicated for the treatment of:")
    assert position(cut) is None  # type: ignore[arg-type]
    assert not states_indication(cut, _pbc())  # type: ignore[arg-type]
    # its code was mapped to the patient's, its words name another indication
    other = _label("LIVDELZI is indicated for the treatment of hyponatremia in adults.")
    assert not states_indication(other, _pbc())  # type: ignore[arg-type]


def test_a_word_of_time_or_measurement_is_no_bearing_on_a_criterion() -> None:
    case = _pbc()
    trial = bare(
        "trial",
        conditions=["K743"],
        treatments=["seladelpar"],
        section="Phase 3 trial",
        text="The trial found seladelpar effective: at 12 months the pruritus score fell more "
        "than with placebo.",
    )
    cirrhosis = Criterion(
        text="No decompensated cirrhosis, and a Child-Pugh score of 5 or 6 documented within "
        "the last 6 months"
    )
    assert not fits(_retrieved(trial, criteria=[0])[0], 0, topic_words(cirrhosis, case), case)


def test_a_criterion_states_the_passage_sharing_most_of_what_it_asks() -> None:
    case = _pbc()
    trial = bare(
        "trial",
        conditions=["K743"],
        treatments=["seladelpar"],
        text="The trial found seladelpar effective after an inadequate response to ursodiol.",
    )
    guidance = bare(
        "guidance",
        conditions=["K743"],
        text="The guidance recommends a second-line agent after an inadequate response to 12 "
        "months of ursodiol at 13 to 15 mg/kg per day, judged by alkaline phosphatase.",
    )
    response = Criterion(
        text="Inadequate response to ursodiol after 12 months at 13 to 15 mg/kg/day, defined "
        "by alkaline phosphatase"
    )
    chosen = criterion_passages(_retrieved(trial, guidance, criteria=[0]), response, 0, set(), case)
    assert [p.id for p in chosen] == ["guidance"]


def test_each_passage_goes_under_the_criterion_it_bears_on_most() -> None:
    """Placed one criterion at a time, the first criterion took the family-history guideline
    by two shared words and the family-history criterion got nothing; placed by the pairs
    sharing the most, each criterion gets the passage about what it asks."""
    from pipeline.reasoning.argument import passage_homes
    from pipeline.reasoning.verdicts import CriterionVerdict

    case = CaseFacts(
        patient=Patient(),
        diagnoses=[Diagnosis(code="C50.912", description="Malignant neoplasm of left breast")],
        service=Service(code="81162", description="BRCA1, BRCA2 gene analysis"),
    )
    family = bare(
        "family",
        conditions=["C50"],
        services=["81162"],
        text="The task force recommends assessing women with a personal or family history of "
        "ovarian or pancreatic cancer in a close blood relative.",
    )
    personal = bare(
        "personal",
        conditions=["C50"],
        services=["81162"],
        text="The guideline recommends testing after a personal history of early-onset cancer.",
    )
    criteria = [
        Criterion(text="Personal history of cancer diagnosed at age 50 or younger"),
        Criterion(
            text="Personal history of cancer and a close blood relative with ovarian or "
            "pancreatic cancer"
        ),
    ]
    verdicts = [
        CriterionVerdict(index=i, criterion=c, status="unknown") for i, c in enumerate(criteria)
    ]
    retrieved = _retrieved(family, personal, criteria=[0, 1])
    homes = passage_homes(retrieved, verdicts, case)
    assert homes == {"family": 1, "personal": 0}
    first = criterion_passages(retrieved, criteria[0], 0, set(), case, homes)
    assert [p.id for p in first] == ["personal"]
