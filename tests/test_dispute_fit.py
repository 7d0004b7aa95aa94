"""A guideline that fits the condition but not the dispute (the blind judge's kind): under a
notice that approves the drug and denies only where it is given, the letter cites passages on
where and how the treatment is safely given (corpus ``questions: [site_of_care]``), never a
guideline on whether the drug works; and such a passage is never offered for a notice that
disputes whether the drug is needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evals.relevance_eval import build, evaluate, summarize
from pipeline.corpus import check_corpus
from pipeline.models import GroundKind, Passage, RetrievedPassage
from pipeline.reasoning.fit import ground_guideline
from pipeline.reasoning.grounds import grounds_spec
from pipeline.relevance import Scope, citation_gap
from pipeline.retrieve import answers, get_index, retrieve
from tests.test_corpus_loader import one_passage_corpus

ROOT = Path(__file__).resolve().parent.parent
SITE = GroundKind.site_of_care


def passage(pid: str, text: str, questions: list[str] | None = None) -> Passage:
    base: dict[str, Any] = dict(
        id=pid, kind="guideline", issuing_body="B", short_body="B", title="T", year=2021,
        section="S", text=text, specialty="x", url="https://example.org", license="l",
        questions=questions or [],
    )
    return Passage(**base)


EFFICACY = passage(
    "efficacy", "Infliximab is recommended for moderate disease; infusion-related reactions "
    "should be treated with antihistamines."
)
SITE_PASSAGE = passage(
    "site", "Biologics should be infused in a monitored setting with on-site supervision.",
    ["site_of_care"],
)


def test_a_dispute_question_decides_which_clinical_passages_may_be_offered() -> None:
    assert answers(SITE_PASSAGE, SITE) and not answers(EFFICACY, SITE)
    assert answers(EFFICACY, None) and not answers(SITE_PASSAGE, None)
    law = EFFICACY.model_copy(update={"kind": "regulation"})
    assert answers(law, SITE) and answers(law, None)


def test_the_site_of_care_ground_cites_only_a_passage_answering_where_the_drug_is_given() -> None:
    spec = next(g for g in grounds_spec().grounds if g.key == "site_of_care")
    assert spec.question is SITE
    efficacy = RetrievedPassage(passage=EFFICACY, score=1.0, rank=1)
    site = RetrievedPassage(passage=SITE_PASSAGE, score=0.5, rank=2)
    # the efficacy guideline's word on infusion reactions is no position on the site of care
    assert ground_guideline([efficacy], spec.guideline, (), spec.question) is None
    found = ground_guideline([efficacy, site], spec.guideline, (), spec.question)
    assert found is not None and found[0].id == "site"
    # a ground asking no question (a network gap) reads any passage's position, as before
    assert ground_guideline([efficacy], spec.guideline, ())[0].id == "efficacy"  # type: ignore[index]
    own = EFFICACY.model_copy(update={"supplied_by_physician": True, "id": "own"})
    chosen = ground_guideline([RetrievedPassage(passage=own, score=1, rank=1)], spec.guideline,
                              (), spec.question)  # fmt: skip
    assert chosen is not None and chosen[0].id == "own"  # the physician chose it for this


def _offered(case: dict[str, Any]) -> list[str]:
    analysis, facts = build(case)
    return [rp.passage.id for rp in retrieve(analysis, facts, index=get_index())]


RA = {
    "plan_type": "erisa", "born": "1970-05-05", "diagnoses": ["M05.79"],
    "service": {"code": "J1745", "description": "Infliximab IV every 8 weeks, hospital outpatient"},
    "categories": ["level_of_care"],
    "criteria": ["The member cannot safely be treated in a lower-cost setting"],
}


def test_a_site_of_care_notice_is_offered_the_site_statement_not_the_efficacy_guideline() -> None:
    site = _offered({**RA, "ground": "site_of_care"})
    assert "acr-2021-site-of-service-biologics" in site
    assert not [p for p in site if p.startswith(("acr-ra-2021-", "fda-label-"))]
    necessity = _offered({**RA, "categories": ["step_therapy"], "criteria": ["Methotrexate"]})
    assert "acr-2021-site-of-service-biologics" not in necessity
    assert any(p.startswith("acr-ra-2021-") for p in necessity)


def test_the_dispute_fit_set_offers_no_passage_off_the_dispute() -> None:
    summaries = summarize(evaluate(ROOT / "evals/relevance/site_cases.yaml", index=get_index()))
    assert [s.slice for s in summaries] == ["tuned", "held_out"]
    assert all(s.violations == [] for s in summaries)
    tuned = summaries[0]
    assert tuned.clinical_cases == tuned.cases


def test_the_citation_gap_of_a_site_dispute_asks_for_a_source_on_the_site() -> None:
    analysis, facts = build({**RA, "ground": "site_of_care"})
    gap = citation_gap(Scope.of(analysis, facts), [], question=SITE)
    assert gap is not None and "safely given (the site of care)" in gap.message
    assert "Indications and Usage" not in gap.message


def test_a_question_the_corpus_does_not_know_is_a_corpus_problem(tmp_path: Path) -> None:
    one_passage_corpus(tmp_path, questions=["efficacy"])
    problems = check_corpus(tmp_path)
    assert any("questions" in p and "efficacy" in p for p in problems)


def test_medicare_rule_under_a_plan_it_does_not_bind_is_offered_once() -> None:
    """An NCD is a benchmark for an employer plan: one part of it at most is offered, and its
    codes do not lift it above the guidelines on the same service."""
    cpap = {
        "plan_type": "erisa", "born": "1970-12-24", "diagnoses": ["G47.33"],
        "service": {"code": "E0601", "description": "Continuous positive airway pressure device"},
        "categories": ["not_medically_necessary"], "criteria": ["AHI of 15 or more"],
    }
    offered = _offered(cpap)
    assert len([p for p in offered if p.startswith("cms-ncd-")]) <= 1
    assert any(p.startswith("aasm-") for p in offered)
    ma = _offered({**cpap, "plan_type": "medicare_advantage"})
    assert len([p for p in ma if p.startswith("cms-ncd-240-4")]) > 1  # it binds this plan
