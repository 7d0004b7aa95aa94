"""A letter for one drug cites nothing naming another (the blind judge's kind: a somatropin
appeal's reference named tirzepatide): a source's title names only the drug of its passages,
and a code that names no treatment (J3490 'unclassified drugs', an unlisted procedure) matches
no passage by code."""

from __future__ import annotations

from pathlib import Path

from evals.relevance_eval import build, evaluate, summarize
from pipeline.codes import is_unlisted
from pipeline.corpus import check_corpus, load_corpus
from pipeline.relevance import Scope
from pipeline.retrieve import get_index
from tests.test_corpus_loader import one_passage_corpus

ROOT = Path(__file__).resolve().parent.parent


def test_a_somatropin_label_names_no_other_drug() -> None:
    corpus = {p.id: p for p in load_corpus()}
    somatropin = corpus["fda-somatropin-pediatric-indications"]
    assert "tirzepatide" not in somatropin.title.lower()
    assert "mounjaro" not in corpus["fda-tirzepatide-mounjaro-type-2-diabetes"].title.lower() or (
        "somatropin" not in corpus["fda-tirzepatide-mounjaro-type-2-diabetes"].title.lower()
    )


def test_an_unclassified_code_is_no_requested_service() -> None:
    assert is_unlisted("J3490") and is_unlisted("64999") and not is_unlisted("J2941")
    analysis, case = build(
        {"plan_type": "erisa", "diagnoses": ["E23.0"],
         "service": {"code": "J3490", "description": "Somatropin, unclassified drug"}}
    )
    assert "J3490" not in Scope.of(analysis, case).services


def test_no_corpus_passage_lists_a_code_that_names_no_treatment(tmp_path: Path) -> None:
    assert not [p for p in load_corpus() if any(is_unlisted(c) for c in p.services)]
    one_passage_corpus(tmp_path, services=["J3490"], conditions=["E11"])
    assert any("J3490" in p and "names no treatment" in p for p in check_corpus(tmp_path))


def test_the_other_drug_set_offers_no_label_of_another_drug() -> None:
    path = ROOT / "evals/relevance/other_drug_cases.yaml"
    assert all(s.violations == [] for s in summarize(evaluate(path, index=get_index())))


def test_a_ph_adjusters_record_gives_no_label_passage() -> None:
    """The FDA data's 'Sodium Hydroxide' record gathers unrelated products' indications
    (amantadine, a chlorhexidine rinse, liraglutide, Wegovy): a semaglutide letter was offered
    it under a title naming four other drugs."""
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from corpus_import import ConditionMatcher
    from import_fda_labels import passages_for

    record = {
        "ingredient": "Sodium Hydroxide", "unii": "55X04QC32I",
        "product_names": ["AMANTADINE HYDROCHLORIDE", "Liraglutide", "WEGOVY"],
        "indication_text": "WEGOVY is indicated to reduce body weight in adults with obesity.",
    }  # fmt: skip
    assert passages_for(record, ConditionMatcher()) == []
    assert not [p for p in load_corpus() if p.id.startswith("fda-label-sodium-hydroxide")]
