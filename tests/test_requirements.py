"""Typed requirements read from a criterion's wording by the offline rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.criteria_rules import find_criteria, readable_text
from pipeline.extract import enforce_provenance
from pipeline.ingest import normalize_text
from pipeline.models import Criterion, DenialAnalysis, Requirement
from pipeline.models import RequirementKind as K
from pipeline.requirements import parse_requirements

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def typed(text: str) -> list[tuple[int, str, str | None, float | None, str | None]]:
    reqs, _ = parse_requirements(text)
    return [(r.branch, r.kind.value, r.comparator, r.value, r.unit) for r in reqs]


def test_treatment_resistance_counts_classes_each_and_window() -> None:
    text = (
        "Treatment resistance, defined as failure of 4 or more antidepressant medication trials "
        "from at least 2 different pharmacologic classes during the current depressive episode, "
        "each at an adequate dose for 6 weeks or more, or intolerance to 4 or more antidepressant "
        "medications."
    )
    reqs, logic = parse_requirements(text)
    assert logic == "any"
    first = [r for r in reqs if r.branch == 0]
    assert (first[0].kind, first[0].comparator, first[0].value, first[0].unit) == (
        K.trial_count,
        ">=",
        4,
        "trials",
    )
    assert first[0].subject == "antidepressant medication trials"
    assert first[0].window == "during the current depressive episode"
    assert (first[1].kind, first[1].value, first[1].unit) == (K.class_count, 2, "classes")
    duration = next(r for r in first if r.kind is K.duration)
    assert (duration.comparator, duration.value, duration.unit, duration.each) == (
        ">=",
        6,
        "weeks",
        True,
    )
    assert "each" in duration.span and duration.span in " ".join(text.split())
    assert any(r.kind is K.dose_adequacy and r.each for r in first)
    second = [r for r in reqs if r.branch == 1]
    assert [(r.kind, r.value, r.unit) for r in second] == [(K.trial_count, 4, "medications")]


def test_augmentation_classes_and_alternative() -> None:
    reqs, logic = parse_requirements(
        "Failure of augmentation with a second-generation antipsychotic, lithium, or thyroid "
        "hormone for 6 weeks or more at a therapeutic dose, or documented intolerance or "
        "contraindication to augmentation."
    )
    assert logic == "any"
    trial = reqs[0]
    assert (trial.kind, trial.subject, trial.value) == (K.trial_count, "augmentation", 1)
    assert trial.classes == ["second-generation antipsychotic", "lithium", "thyroid hormone"]
    assert (K.duration, 6.0, "weeks", 0) in [(r.kind, r.value, r.unit, r.branch) for r in reqs]
    assert [r.branch for r in reqs if r.kind is K.other] == [1]


def test_shared_object_is_not_an_alternative() -> None:
    reqs, logic = parse_requirements(
        "Failure of, contraindication to, or intolerance of at least one intra-articular "
        "injection (corticosteroid or hyaluronic acid)"
    )
    assert logic == "all"
    assert typed("at least one intra-articular injection") == [
        (0, "trial_count", ">=", 1.0, "injections")
    ]
    assert reqs[0].kind is K.trial_count and reqs[0].value == 1


def test_parenthesised_measured_alternatives_share_the_rest() -> None:
    reqs, logic = parse_requirements(
        "Advanced joint disease demonstrated on weight-bearing radiographs obtained within the "
        "past 12 months (Kellgren-Lawrence grade 3 or 4, or bone-on-bone articulation in at "
        "least one compartment)"
    )
    assert logic == "any"
    for branch in (0, 1):
        kinds = {r.kind for r in reqs if r.branch == branch}
        assert {K.test_done, K.time_window, K.threshold} <= kinds
    grade = next(r for r in reqs if r.branch == 0 and r.kind is K.threshold)
    assert (grade.subject, grade.comparator, grade.value) == ("Kellgren-Lawrence grade", ">=", 3)
    window = next(r for r in reqs if r.kind is K.time_window)
    assert (window.comparator, window.value, window.unit) == ("<=", 12, "months")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BMI of 40 kg/m2 or greater", [(0, "threshold", ">=", 40.0, "kg/m2")]),
        ("an AHI less than 15 events per hour", [(0, "threshold", "<", 15.0, "events/hour")]),
        ("at least 3 mm of translation", [(0, "threshold", ">=", 3.0, "mm")]),
        ("diagnosed at age 50 or younger", [(0, "threshold", "<=", 50.0, "years")]),
        ("a tumor proportion score of 1% or greater", [(0, "threshold", ">=", 1.0, "%")]),
        ("Six (6) weeks of physical therapy", [(0, "duration", ">=", 6.0, "weeks")]),
        ("metformin at least 1,500 mg per day", [(0, "dose_adequacy", ">=", 1500.0, "mg/day")]),
        ("ECOG performance status of 0 or 1", [(0, "threshold", "<=", 1.0, None)]),
        ("recurrent level 2 hypoglycemic events", [(0, "other", None, None, None)]),
    ],
)
def test_quantities(text: str, expected: list[tuple[object, ...]]) -> None:
    assert typed(text) == expected


def test_phrase_kinds() -> None:
    kinds = {
        r.kind
        for r in parse_requirements(
            "No active substance use disorder within the past 6 months, documented by clinical "
            "assessment; prescribed by a board-certified rheumatologist; an updated plan of "
            "care; delivered concurrently with antidepressant pharmacotherapy"
        )[0]
    }
    assert kinds == {K.absence, K.time_window, K.test_done, K.specialist, K.document, K.concurrency}


def test_shared_each_qualifier_governs_every_trial() -> None:
    reqs, _ = parse_requirements(
        "A trial of mesalamine and azathioprine for at least 12 weeks each"
    )
    trials = [r.subject for r in reqs if r.kind is K.trial_count]
    assert trials == ["mesalamine", "azathioprine"]
    durations = [(r.subject, r.value, r.each) for r in reqs if r.kind is K.duration]
    assert durations == [("mesalamine", 12, True), ("azathioprine", 12, True)]


def test_unreadable_wording_is_kept_whole_as_other() -> None:
    reqs, logic = parse_requirements("Medication overuse headache has been addressed")
    assert logic == "all"
    assert [(r.kind, r.span) for r in reqs] == [
        (K.other, "Medication overuse headache has been addressed")
    ]


SLUGS = sorted(p.name for p in EXAMPLES.iterdir() if (p / "letter.txt").exists())


@pytest.mark.parametrize("slug", SLUGS)
def test_every_bundled_criterion_has_requirements_with_verbatim_spans(slug: str) -> None:
    letter = normalize_text((EXAMPLES / slug / "letter.txt").read_text(encoding="utf-8"))
    flat = " ".join(readable_text(letter).split()).casefold()  # table cells read whole
    criteria = find_criteria(letter)
    assert criteria
    for criterion in criteria:
        assert criterion.requirements
        for requirement in criterion.requirements:
            assert " ".join(requirement.span.split()).casefold() in flat


def test_provenance_drops_a_model_requirement_whose_span_is_not_in_the_letter() -> None:
    text = "The policy requires at least 6 weeks of physical therapy."
    real = Requirement(
        kind=K.duration,
        subject="physical therapy",
        comparator=">=",
        value=6,
        unit="weeks",
        span="at least 6 weeks",
    )
    invented = real.model_copy(update={"span": "at least 12 weeks", "value": 12})
    criterion = Criterion(
        text="at least 6 weeks of physical therapy", requirements=[real, invented]
    )
    checked = enforce_provenance(DenialAnalysis(criteria=[criterion]), text)
    assert [r.span for r in checked.criteria[0].requirements] == ["at least 6 weeks"]
    bare = enforce_provenance(
        DenialAnalysis(criteria=[Criterion(text="at least 6 weeks of physical therapy")]), text
    )
    assert [(r.kind, r.value) for r in bare.criteria[0].requirements] == [(K.duration, 6)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("reflux of 500 milliseconds or longer", ("threshold", 500.0, "milliseconds")),
        ("at least 500 grams per breast", ("threshold", 500.0, "grams")),
        ("a peak flow rate of 12 mL per second or less", ("threshold", 12.0, "mL per second")),
        ("prostate volume between 30 and 80 cc", ("threshold", 30.0, "cc")),
    ],
)
def test_more_measurement_units(text: str, expected: tuple[str, float, str]) -> None:
    reqs, _ = parse_requirements(text)
    assert expected in [(r.kind, r.value, r.unit) for r in reqs]


def test_photographs_are_a_document_unless_they_are_what_shows_the_finding() -> None:
    kinds = [r.kind for r in parse_requirements("Photographs of the chest")[0]]
    assert "document" in kinds
    shows = parse_requirements("external photographs show the upper lid at the pupil")[0]
    assert "document" not in [r.kind for r in shows]


def test_a_class_list_reads_its_last_item_whole() -> None:
    reqs, _ = parse_requirements(
        "Failure of at least 12 weeks of nonsurgical treatment, including physical therapy and "
        "an anti-inflammatory drug or an intra-articular injection"
    )
    assert [r.classes for r in reqs if r.kind == "duration"] == [
        ["physical therapy", "anti-inflammatory drug", "intra-articular injection"]
    ]


def test_prescription_grade_is_no_prescription_document() -> None:
    graded = parse_requirements("Trial of prescription-grade compression stockings for 3 months")
    assert "document" not in [r.kind for r in graded[0]]
    assert "document" in [r.kind for r in parse_requirements("a signed prescription")[0]]


def test_at_least_one_of_a_colon_list_is_any() -> None:
    _, logic = parse_requirements(
        "At least one problem caused by the jaw: pain on chewing or biting, speech problems, or"
        " obstructive sleep apnea"
    )
    assert logic == "any"


def test_a_specialists_statement_is_a_branch_and_a_statement_requirement() -> None:
    requirements, logic = parse_requirements(
        "Completion of 12 months of orthodontic treatment, or an orthodontist's statement that"
        " braces alone cannot correct the bite"
    )
    assert logic == "any"
    assert any(r.kind == "statement" for r in requirements)
    requirements, _ = parse_requirements(
        "A written statement from the treating radiation oncologist that surgery is safe"
    )
    assert [r.kind for r in requirements] == ["statement"]


def test_no_more_than_n_days_before_is_a_window_and_at_least_is_a_duration() -> None:
    requirements, _ = parse_requirements(
        "an order signed no more than 30 days before the first delivery is on file"
    )
    assert [(r.kind, r.value, r.unit) for r in requirements if r.value] == [
        (K.time_window, 30.0, "days")
    ]
    requirements, _ = parse_requirements("no tobacco use for at least 8 weeks before surgery")
    assert [(r.kind, r.value) for r in requirements if r.value] == [(K.duration, 8.0)]


def test_a_radiation_dose_cap_in_gray_is_a_threshold() -> None:
    requirements, _ = parse_requirements("the total dose does not exceed 78 Gy")
    assert [(r.kind, r.value, r.unit, r.comparator) for r in requirements] == [
        (K.threshold, 78.0, "Gy", "<=")
    ]


def test_intervals_travel_bounds_and_an_opening_no_are_typed() -> None:
    """The time between treatments is an interval (at least the value), a distance or travel
    time is a threshold on the travel (at most the value), and a criterion opening with 'No'
    is an absence; the time since an event of the disease stays a duration."""

    def typed(text: str) -> list[tuple[str, str | None, float | None, str | None]]:
        reqs, _ = parse_requirements(text)
        return [(r.kind.value, r.comparator, r.value, r.unit) for r in reqs]

    assert typed("Injections given no more often than once every 12 weeks") == [
        ("interval", ">=", 12, "weeks")
    ]
    assert typed("At least 6 months since the prior ablation at that level") == [
        ("interval", ">=", 6, "months")
    ]
    assert typed("At least 5 years since the diagnosis") == [("duration", ">=", 5, "years")]
    assert typed("relief for at least 3 months after the prior injection") == [
        ("duration", ">=", 3, "months")
    ]
    assert typed("The member lives within 30 miles of a network specialist") == [
        ("threshold", "<=", 30, "miles")
    ]
    assert ("threshold", ">", 60, "minutes") in typed(
        "The closest network provider is more than 60 minutes away"
    )
    assert typed("At least 30 minutes of moderate exercise per session") == [
        ("duration", ">=", 30, "minutes")
    ]
    assert ("time_window", "<=", 2, "years") in typed("Mammogram within 2 years")
    assert typed("A six-minute walk test")[0][0] == "test_done"  # a name, no quantity
    assert typed("A TWSTRS total score of 20 or more") == [("threshold", ">=", 20, None)]
    (absence,) = parse_requirements("No cardiogenic shock or symptomatic hypotension")[0]
    assert (absence.kind.value, absence.subject) == ("absence", "cardiogenic shock")
