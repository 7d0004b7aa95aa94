"""Evidence chosen by meaning and kind (pipeline/reasoning/meaning.py): the fact that answers a
requirement shares few words with it; a device never answers an event; the physician's summary
sentences are evidence; a measurement no measure names is read in the requirement's unit."""

from __future__ import annotations

import datetime as dt

from pipeline.embedding import embed
from pipeline.models import CaseFacts, Criterion, DenialAnalysis, Requirement
from pipeline.reasoning import evaluate, meaning
from pipeline.reasoning.meaning import Candidate, Meaning, numbers_in, query_of, unit_key

D = dt.date


def _analysis(*criteria: tuple[str, list[dict]]) -> DenialAnalysis:
    return DenialAnalysis(
        criteria=[
            Criterion(text=text, requirements=[Requirement(**r) for r in reqs])
            for text, reqs in criteria
        ],
        letter_date=D(2026, 10, 1),
    )


def test_an_event_is_answered_by_the_finding_not_by_a_device():
    text = "A documented episode of syncope that required emergency care"
    analysis = _analysis((text, [{"kind": "other", "subject": "episode of syncope", "span": text}]))
    case = CaseFacts.model_validate(
        {
            "prior_treatments": [
                {
                    "name": "Home blood pressure cuff",
                    "kind": "device",
                    "start": D(2025, 1, 1),
                    "outcome": "Readings logged",
                },
                {
                    "name": "Midodrine",
                    "kind": "medication",
                    "dose": "5 mg",
                    "start": D(2026, 2, 1),
                    "outcome": "Ongoing",
                },
            ],
            "objective_findings": [
                {
                    "kind": "other",
                    "name": "Ambulance record",
                    "value": "Collapsed at church, unresponsive for one minute; taken to hospital",
                    "date": D(2026, 8, 3),
                },
                {"kind": "lab", "name": "Sodium", "value": "139 mmol/L", "date": D(2026, 8, 3)},
            ],
        }
    )
    verdict = evaluate(analysis, case)[0]
    assert verdict.status == "met"
    assert verdict.evidence == ["objective_findings[0]"]
    assert "Ambulance record (August 3, 2026)" in verdict.requirements[0].found


def test_a_summary_sentence_is_evidence_quoted_with_its_date():
    text = "The member was cleared by a cardiologist before the procedure"
    analysis = _analysis(
        (text, [{"kind": "specialist", "subject": "cardiology clearance", "span": text}])
    )
    case = CaseFacts.model_validate(
        {
            "clinical_summary": (
                "He has aortic stenosis and hypertension. "
                "Cardiology consultation on 2026-09-02: cleared for the operation from a "
                "cardiac standpoint."
            ),
            "objective_findings": [
                {"kind": "lab", "name": "Creatinine", "value": "1.0 mg/dL", "date": D(2026, 9, 1)}
            ],
        }
    )
    rv = evaluate(analysis, case)[0].requirements[0]
    assert rv.status == "met"
    assert rv.evidence == ["clinical_summary[1]"]
    assert "clinical summary: “Cardiology consultation on 2026-09-02" in rv.found


def test_nothing_near_is_not_shown():
    text = "A documented episode of syncope that required emergency care"
    analysis = _analysis((text, [{"kind": "other", "subject": "episode of syncope", "span": text}]))
    case = CaseFacts.model_validate(
        {"objective_findings": [{"kind": "lab", "name": "LDL", "value": "88 mg/dL"}]}
    )
    rv = evaluate(analysis, case)[0].requirements[0]
    assert rv.status == "unknown" and rv.found == "not shown"


def test_a_measurement_no_measure_names_is_read_in_its_unit():
    text = "Resting oxygen saturation of 88 percent or less on room air"
    req = {
        "kind": "threshold",
        "subject": "oxygen saturation",
        "comparator": "<=",
        "value": 88,
        "unit": "%",
        "span": text,
    }
    case = CaseFacts.model_validate(
        {
            "objective_findings": [
                {
                    "kind": "other",
                    "name": "FEV1",
                    "value": "41% of predicted",
                    "date": D(2026, 9, 1),
                },
                {
                    "kind": "other",
                    "name": "Pulse oximetry",
                    "value": "SpO2 85% at rest, room air",
                    "date": D(2026, 9, 1),
                },
            ]
        }
    )
    rv = evaluate(_analysis((text, [req])), case)[0].requirements[0]
    assert rv.evidence == ["objective_findings[1]"]
    assert rv.value == 85 and rv.status == "met"
    high = case.model_copy(deep=True)
    high.objective_findings[1].value = "SpO2 93% at rest, room air"
    rv = evaluate(_analysis((text, [req])), high)[0].requirements[0]
    assert rv.value == 93 and rv.status == "not_met"


def test_a_course_only_the_summary_states_is_measured_from_it():
    text = "Completion of a structured smoking-cessation program of at least 3 months"
    req = {
        "kind": "duration",
        "subject": "structured smoking-cessation program",
        "comparator": ">=",
        "value": 3,
        "unit": "months",
        "span": text,
    }
    case = CaseFacts.model_validate(
        {
            "clinical_summary": (
                "She has COPD. She finished a 12-week quit-smoking course with the county "
                "tobacco clinic in March 2026."
            )
        }
    )
    rv = evaluate(_analysis((text, [req])), case)[0].requirements[0]
    assert rv.evidence == ["clinical_summary[1]"]
    assert rv.status == "not_met"  # 12 weeks is 2.8 months
    assert rv.found.startswith("2.8 months (clinical summary: “She finished a 12-week")


def test_units_and_queries():
    assert numbers_in("glucose 41 mg/dL, SpO2 86%") == ((41.0, "mg/dl"), (86.0, "%"))
    assert unit_key("mg/dL") == "mg/dl" and unit_key("kg/m2") == "kg/m2"
    assert unit_key(None) is None
    short = Requirement(
        kind="test_done", subject="psychological evaluation", span="psychological evaluation"
    )
    assert query_of(short, "A psychological evaluation before surgery") == (
        "A psychological evaluation before surgery"
    )
    window = Requirement(
        kind="time_window",
        subject="time window",
        comparator="<=",
        value=6,
        unit="months",
        span="a visit within 6 months",
    )
    assert query_of(window) == "a visit within 6 months"


def test_two_measures_joined_by_or_are_alternatives_each_read_before_its_name():
    from pipeline.requirements import parse_requirements

    text = (
        "Spondylolisthesis with instability, demonstrated by at least 4 mm of translation or at "
        "least 11 degrees of angular motion on flexion-extension radiographs"
    )
    reqs, logic = parse_requirements(text)
    assert logic == "any"
    assert {(r.subject, r.branch) for r in reqs if r.kind.value == "threshold"} == {
        ("translation", 0),
        ("angular motion", 1),
    }
    case = CaseFacts.model_validate(
        {
            "objective_findings": [
                {"kind": "imaging", "name": "Flexion-extension radiographs",
                 "value": "3 mm in extension, 9 mm in flexion (6 mm dynamic translation), "
                          "7 degrees angular motion", "date": D(2026, 9, 1)},
            ]
        }
    )  # fmt: skip
    analysis = DenialAnalysis(
        criteria=[Criterion(text=text, requirements=reqs, logic=logic)],
        letter_date=D(2026, 10, 1),
    )
    verdict = evaluate(analysis, case)[0]
    values = {rv.requirement.subject: rv.value for rv in verdict.requirements}
    assert values == {"translation": 6, "angular motion": 7, "flexion-extension radiographs": None}
    assert verdict.status == "met"  # the translation branch is met
    and_text = "BMI of at least 40 and an AHI of at least 15 events per hour"
    assert parse_requirements(and_text)[1] == "all"


def _candidates() -> list[Candidate]:
    return [
        Candidate("prior_treatments[0]", "treatment", "medication", "Sertraline 100 mg daily"),
        Candidate("objective_findings[0]", "finding", "exam", "Face-to-face examination"),
        Candidate("objective_findings[1]", "finding", "lab", "Negative cotinine test"),
        Candidate("clinical_summary[0]", "summary", "", "She stopped smoking in March."),
    ]


def test_only_the_facts_a_requirement_may_use_and_its_query_are_embedded(monkeypatch):
    embedded: list[list[str]] = []

    def spy(texts: list[str]):
        embedded.append(list(texts))
        return embed(texts)

    monkeypatch.setattr(meaning, "vectors", spy)
    lazy = Meaning(_candidates())
    findings = lazy.nearest(
        "nicotine abstinence confirmed by testing", lambda c: c.kind != "treatment"
    )
    assert embedded == [
        [
            "Face-to-face examination",
            "Negative cotinine test",
            "She stopped smoking in March.",
            "nicotine abstinence confirmed by testing",
        ]
    ]
    # the same query again embeds nothing; a wider one embeds only the fact not seen yet
    lazy.nearest("nicotine abstinence confirmed by testing", lambda c: c.kind != "treatment")
    lazy.nearest("nicotine abstinence confirmed by testing", lambda c: True)
    assert embedded[1:] == [["Sertraline 100 mg daily"]]
    # what it finds is what it finds with every fact embedded up front
    eager = Meaning(_candidates())
    eager._embed([c.text for c in eager.candidates])
    assert findings == eager.nearest(
        "nicotine abstinence confirmed by testing", lambda c: c.kind != "treatment"
    )
    assert findings  # something to compare


def _at_cosines(query: str, cosines: dict[str, float]):
    """An embedder placing each fact text at the given cosine to ``query`` (unit vectors)."""
    import numpy as np

    def embed_fixed(texts: list[str]) -> np.ndarray:
        rows = []
        for n, t in enumerate(texts):
            v = np.zeros(8, dtype=np.float32)
            if t == query:
                v[0] = 1.0
            else:
                c = cosines[t]
                v[0], v[1 + n % 7] = c, (1 - c * c) ** 0.5
            rows.append(v)
        return np.stack(rows)

    return embed_fixed


def test_a_near_tie_is_decided_by_the_requirements_words_not_the_vectors_third_decimal():
    query = "visit to evaluate diabetes control"
    training = "documented event: Device training visit with the diabetes educator"
    control = "examination: Diabetes control evaluated at the endocrinology visit"
    facts = [
        Candidate("objective_findings[0]", "finding", "other", training),
        Candidate("objective_findings[1]", "finding", "exam", control),
    ]
    keep = lambda c: True  # noqa: E731
    # the fact stating more of the requirement's words comes first whichever is 0.01 nearer
    for near_training in (0.51, 0.49):
        cosines = {training: near_training, control: 0.50}
        found = Meaning(facts, embedder=_at_cosines(query, cosines)).nearest(query, keep)
        assert [c.path for c in found] == ["objective_findings[1]", "objective_findings[0]"]
        found = Meaning(facts, embedder=_at_cosines(query, cosines)).nearest(query, keep, limit=1)
        assert [c.path for c in found] == ["objective_findings[1]"]
    # outside the tie the nearer fact still comes first
    cosines = {training: 0.60, control: 0.50}
    found = Meaning(facts, embedder=_at_cosines(query, cosines)).nearest(query, keep, limit=1)
    assert [c.path for c in found] == ["objective_findings[0]"]


def test_a_near_tie_no_word_decides_goes_by_the_cases_order():
    query = "one referral letter from a qualified mental health professional"
    first = "I evaluated him in consultation on 10/20/2026."
    second = "rating scale: GAD-7 5 Mild"
    facts = [
        Candidate("clinical_summary[7]", "summary", "", first),
        Candidate("objective_findings[1]", "finding", "rating_scale", second),
    ]
    for near_second in (0.41, 0.39):
        cosines = {first: 0.40, second: near_second}
        found = Meaning(facts, embedder=_at_cosines(query, cosines)).nearest(
            query, lambda c: True, limit=1
        )
        assert [c.path for c in found] == ["clinical_summary[7]"]


def test_a_treatment_is_embedded_without_its_dates(monkeypatch):
    """The model reads a treatment's course without its calendar dates (the requirements that
    ask when read ``Candidate.date``); the fact's text, quoted in the letter, keeps them."""
    from pipeline.reasoning.facts import case_facts

    case = CaseFacts.model_validate(
        {
            "prior_treatments": [
                {
                    "name": "Sertraline",
                    "kind": "medication",
                    "dose": "200 mg",
                    "duration": "14 weeks",
                    "start": D(2024, 10, 7),
                    "end": D(2025, 1, 13),
                    "outcome": "Inadequate response",
                }
            ]
        }
    )
    embedded: list[str] = []

    def spy(texts: list[str]):
        embedded.extend(texts)
        return embed(texts)

    facts = case_facts(case, as_of=D(2026, 10, 1), embedder=spy)
    (fact,) = facts.meaning.candidates
    assert "October 7, 2024" in fact.text and fact.date == D(2025, 1, 13)
    facts.meaning.nearest("trial of an antidepressant", lambda c: True, floor=-1.0)
    assert embedded == [
        "medication: Sertraline 200 mg for 14 weeks: inadequate response.",
        "trial of an antidepressant",
    ]
