"""pipeline.retrieve: index build/open/rebuild and ranked retrieval on a small corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from pipeline import embedding
from pipeline import retrieve as R
from pipeline.errors import EngineError
from pipeline.models import CaseFacts, Criterion, DenialAnalysis, Diagnosis, PlanType, Service
from pipeline.relevance import condition_fits

GUIDE = {
    "issuing_body": "Test Society",
    "short_body": "TS",
    "title": "Test guideline",
    "version": None,
    "year": 2021,
    "url": "https://example.org/guide",
    "license": "test",
    "specialty": "orthopaedics",
    "kind": "guideline",
    "verified": False,
    "verified_against": None,
}
LAW = {
    **GUIDE,
    "title": "Test law",
    "specialty": "law",
    "kind": "regulation",
    "verified": True,
    "verified_against": "statute text",
}


def entry(pid: str, text: str, **fields: object) -> dict:
    """One passage entry."""
    return {"id": pid, "section": pid.replace("-", " ").title(), "text": text, **fields}


TKA = dict(services=["27447"], conditions=["M17"])
MRI = dict(services=["72148"], conditions=["M54.5"], specialty="radiology")
TMS = dict(services=["90867"], conditions=["F33"], specialty="psychiatry")

FILES = {
    "guidelines/orthopaedics/knee.yaml": (GUIDE, [
        entry("tka-conservative",
              "Before total knee arthroplasty, patients with knee osteoarthritis should complete "
              "a trial of physical therapy, NSAIDs and weight loss for at least three months.",
              categories=["conservative_treatment_not_exhausted"], **TKA),
        entry("tka-imaging",
              "Total knee arthroplasty is indicated for severe osteoarthritis with radiographic "
              "joint space narrowing, Kellgren-Lawrence grade 3 or 4.",
              recommendation="Strong", categories=["not_medically_necessary"], **TKA),
        entry("tka-outcomes",
              "Knee replacement improves pain and function in end-stage knee arthritis.", **TKA),
    ]),
    "guidelines/radiology/spine.yaml": (GUIDE, [
        entry("mri-red-flags",
              "Lumbar spine MRI is appropriate for low back pain with red flags such as "
              "progressive neurologic deficit or suspected cauda equina syndrome.", **MRI),
        entry("mri-six-weeks",
              "Imaging for uncomplicated low back pain should wait six weeks of conservative "
              "care including physical therapy.",
              categories=["conservative_treatment_not_exhausted"], **MRI),
        entry("mri-radiculopathy",
              "MRI of the lumbar spine is indicated for radiculopathy in surgical candidates.",
              **MRI),
    ]),
    "guidelines/psychiatry/tms.yaml": (GUIDE, [
        entry("tms-trd",
              "Transcranial magnetic stimulation is recommended for major depressive disorder "
              "after failure of two antidepressant medication trials.", **TMS),
        entry("tms-course",
              "A course of TMS consists of 36 sessions over six weeks.", **TMS),
    ]),
    "guidelines/general/arguments.yaml": ({**GUIDE, "kind": "argument", "specialty": "general"}, [
        entry("arg-treating-physician",
              "The treating physician's clinical judgment about medical necessity deserves "
              "weight in an appeal of a denial.",
              categories=["not_medically_necessary"]),
    ]),
    "regulations/laws.yaml": (LAW, [
        entry("reg-erisa-review",
              "Every employee benefit plan shall afford a full and fair review of a denied "
              "claim for benefits.", plan_types=["erisa"]),
        entry("reg-ma-appeal",
              "A Medicare Advantage organization must reconsider an adverse organization "
              "determination on request of the enrollee.", plan_types=["medicare_advantage"]),
        entry("reg-external-review",
              "A health plan must provide an external review of an adverse benefit determination "
              "based on medical necessity.", plan_types=[]),
    ]),
}


def write_corpus(root: Path) -> Path:
    """Write the test corpus under root."""
    for rel, (source, passages) in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump({"source": source, "passages": passages}), "utf-8")
    return root


def tka_analysis(plan_type: PlanType = PlanType.erisa) -> DenialAnalysis:
    """A total knee arthroplasty denial with two criteria."""
    return DenialAnalysis(
        plan_type=plan_type,
        cpt_codes=["27447"],
        icd10_codes=["M17.11"],
        denial_categories=["conservative_treatment_not_exhausted", "not_medically_necessary"],
        criteria=[
            Criterion(text="Three months of physical therapy and NSAIDs were not documented"),
            Criterion(text="No radiographs showing severe joint space narrowing"),
        ],
    )


TKA_CASE = CaseFacts(
    service=Service(code="27447", description="Total knee arthroplasty, right knee"),
    diagnoses=[Diagnosis(code="M17.11", description="Primary osteoarthritis, right knee")],
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, R.Index]:
    """(corpus root, index dir, open index) shared by the read-only tests."""
    corpus = write_corpus(tmp_path_factory.mktemp("corpus"))
    index_dir = tmp_path_factory.mktemp("index")
    index = R.open_index(index_dir, corpus_root=corpus)
    yield corpus, index_dir, index
    index.close()


def ids(results: list) -> list[str]:
    return [r.passage.id for r in results]


def test_first_use_builds_index(built: tuple[Path, Path, R.Index]) -> None:
    _, index_dir, index = built
    assert (index_dir / "CURRENT").read_text().strip() == index.path.name
    assert index.collection.count() == len(index.passages) == 12
    assert index.collection.metadata["corpus_hash"] == index.corpus_hash
    meta = index.collection.get(ids=["tka-imaging"], include=["metadatas"])["metadatas"][0]
    assert meta["services"] == "|27447|" and meta["conditions"] == "|M17|"
    assert meta["kind"] == "guideline" and meta["plan_types"] == ""


def test_tka_denial_ranks_tka_passages_first(built: tuple[Path, Path, R.Index]) -> None:
    index = built[2]
    results = R.retrieve(tka_analysis(), TKA_CASE, k=6, index=index)
    main = [r for r in results if r.passage.kind != "regulation"]
    assert set(ids(main[:3])) == {"tka-conservative", "tka-imaging", "tka-outcomes"}
    # MRI/TMS guidelines match neither service nor diagnosis and are dropped;
    # the general argument passage stays.
    assert ids(main[3:]) == ["arg-treating-physician"]
    assert [r.rank for r in results] == list(range(1, len(results) + 1))
    scores = [r.score for r in main]
    assert scores == sorted(scores, reverse=True)


def test_regulations_follow_plan_type(built: tuple[Path, Path, R.Index]) -> None:
    index = built[2]
    erisa = R.retrieve(tka_analysis(PlanType.erisa), TKA_CASE, index=index)
    regs = [r for r in erisa if r.passage.kind == "regulation"]
    assert regs == erisa[-len(regs):]
    assert set(ids(regs)) == {"reg-erisa-review", "reg-external-review"}
    ma = R.retrieve(tka_analysis(PlanType.medicare_advantage), TKA_CASE, index=index)
    assert {r.passage.id for r in ma if r.passage.kind == "regulation"} == {
        "reg-ma-appeal", "reg-external-review"}
    unknown = R.retrieve(tka_analysis(PlanType.unknown), TKA_CASE, index=index)
    unknown_regs = [r for r in unknown if r.passage.kind == "regulation"]
    # Unknown plan type: ERISA or MA rules are not shown to apply, only general law is.
    assert ids(unknown_regs) == ["reg-external-review"]


def test_criteria_indices_recorded(built: tuple[Path, Path, R.Index]) -> None:
    results = R.retrieve(tka_analysis(), TKA_CASE, index=built[2])
    by_id = {r.passage.id: r.criteria for r in results}
    assert 0 in by_id["tka-conservative"]
    assert 1 in by_id["tka-imaging"]
    for i in (0, 1):
        tagged = [r for r in results if i in r.criteria and r.passage.kind != "regulation"]
        assert 1 <= len(tagged) <= R.CRITERION_HITS


def test_deterministic(built: tuple[Path, Path, R.Index]) -> None:
    corpus, index_dir, index = built

    def summary(results: list) -> list[tuple]:
        return [(r.rank, r.passage.id, r.score, r.criteria) for r in results]

    first = summary(R.retrieve(tka_analysis(), TKA_CASE, index=index))
    assert summary(R.retrieve(tka_analysis(), TKA_CASE, index=index)) == first
    reopened = R.open_index(index_dir, corpus_root=corpus)
    assert reopened.path == index.path  # unchanged corpus: no rebuild
    assert summary(R.retrieve(tka_analysis(), TKA_CASE, index=reopened)) == first


def test_vector_mode_never_builds_bm25_and_prepare_builds_everything(
    built: tuple[Path, Path, R.Index],
) -> None:
    corpus, index_dir, _ = built
    index = R.open_index(index_dir, corpus_root=corpus)
    R.retrieve(tka_analysis(), TKA_CASE, index=index, mode="vector")
    assert "vectors" in vars(index) and "lexical" not in vars(index)
    assert list(index.order) == list(index.passages)
    index.prepare()
    assert {"lexical", "vectors", "code_map", "_pools"} <= set(vars(index))
    # BM25 columns and vector rows share one order: the passages'.
    assert index.lexical.ids == list(index.order)
    regs = index.pool(regulations=True)
    assert regs.vectors.flags.c_contiguous and regs.vectors.shape[0] == len(regs.ids) == 3
    assert (regs.vectors == index.vectors[[index.order[i] for i in regs.ids]]).all()
    index.close()


def test_diagnosis_prefix_rule() -> None:
    """One rule for boosts and for the contract: either (dotless) code starts with the other."""
    assert condition_fits(["M17"], ["M1711"]) and condition_fits(["M1711"], ["M17"])
    assert condition_fits(["M17"], ["F332", "M1711"])
    assert not condition_fits(["M17"], ["M545"]) and not condition_fits(["M17"], [])


def test_passages_by_diagnosis_are_those_whose_prefixes_fit_it() -> None:
    """Index.condition_ids finds by lookup what trying every prefix of the shipped corpus
    against the diagnoses finds (relevance.condition_fits)."""
    from pipeline.corpus import load_corpus

    passages = {p.id: p for p in load_corpus()}
    index = R.Index(Path("."), None, None, passages, "")
    conditions = index.code_map[1]
    assert len(conditions) > 100  # the shipped corpus: enough to mean something

    def every_prefix(diagnoses: list[str]) -> set[str]:
        return {
            pid
            for prefix, pids in conditions.items()
            if condition_fits([prefix], diagnoses)
            for pid in pids
        }

    shapes = sorted(conditions)[::25]
    asked = [[d] for d in shapes] + [[d[:2]] for d in shapes] + [[d + "9"] for d in shapes]
    asked += [[], ["Z99.89"], ["M17.11", "E11.65", "F33.2"], ["C"], ["Q99"]]
    for diagnoses in asked:
        assert index.condition_ids(diagnoses) == every_prefix(diagnoses), diagnoses
    assert index.condition_ids(["M17.11"])  # a diagnosis the corpus covers finds something


def test_without_case_and_without_codes(built: tuple[Path, Path, R.Index]) -> None:
    index = built[2]
    bare = DenialAnalysis(criteria=[Criterion(text="TMS after two failed antidepressants")])
    results = R.retrieve(bare, None, k=3, index=index)
    assert results[0].passage.id == "tms-trd"
    assert len([r for r in results if r.passage.kind != "regulation"]) == 3
    empty = R.retrieve(DenialAnalysis(), None, k=2, index=index)
    assert 0 < len(empty) <= 5 and all(r.criteria == [] for r in empty)


def test_search(built: tuple[Path, Path, R.Index]) -> None:
    hits = R.search("magnetic stimulation for depression", k=3, index=built[2])
    assert [h.rank for h in hits] == [1, 2, 3]
    assert hits[0].passage.id == "tms-trd"


def test_default_index_from_environment(
    built: tuple[Path, Path, R.Index], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, index_dir, index = built
    monkeypatch.setenv("LMN_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("LMN_INDEX_DIR", str(index_dir))
    results = R.retrieve(tka_analysis(), TKA_CASE)
    assert results[0].passage.id.startswith("tka-")
    assert R.get_index().path == index.path


def test_rebuilds_when_corpus_changes(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    old = R.open_index(index_dir, corpus_root=corpus)
    assert "tka-new" not in old.passages
    knee = corpus / "guidelines/orthopaedics/knee.yaml"
    doc = yaml.safe_load(knee.read_text("utf-8"))
    doc["passages"].append(entry("tka-new", "Robotic knee arthroplasty.", **TKA))
    knee.write_text(yaml.safe_dump(doc), "utf-8")
    new = R.open_index(index_dir, corpus_root=corpus)
    assert new.path != old.path and "tka-new" in new.passages
    assert new.collection.count() == 13
    assert [p.name for p in index_dir.glob("build-*")] == [new.path.name]
    old.close()
    new.close()


def test_crash_mid_build_keeps_old_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    old = R.build_index(index_dir=index_dir, corpus_root=corpus)
    expected = ids(R.retrieve(tka_analysis(), TKA_CASE, index=old))

    real_embed = embedding.embed
    calls = {"n": 0}

    def failing_embed(texts: list[str]):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("simulated crash halfway")
        return real_embed(texts)

    monkeypatch.setattr(R, "ADD_BATCH", 4)
    monkeypatch.setattr(embedding, "embed", failing_embed)
    with pytest.raises(RuntimeError, match="simulated"):
        R.build_index(index_dir=index_dir, corpus_root=corpus, force=True)
    monkeypatch.setattr(embedding, "embed", real_embed)

    assert calls["n"] == 3
    assert (index_dir / "CURRENT").read_text().strip() == old.path.name
    assert not list(index_dir.glob(".tmp-*"))
    assert ids(R.retrieve(tka_analysis(), TKA_CASE, index=old)) == expected
    reopened = R.open_index(index_dir, corpus_root=corpus)
    assert reopened.path == old.path
    assert ids(R.retrieve(tka_analysis(), TKA_CASE, index=reopened)) == expected
    old.close()


def test_document_text_and_metadata() -> None:
    passage = R.Passage(
        id="x", kind="guideline", issuing_body="B", short_body="B", title="Title",
        year=2020, section="Sec 1", recommendation="Grade A", text="Body.",
        specialty="s", services=["1", "2"], keywords=["alpha", "beta"], url="u", license="l",
    )
    assert R.document_text(passage) == "Title. Sec 1. Recommendation: Grade A. " \
        "Keywords: alpha, beta. Body"
    meta = R.passage_metadata(passage)
    assert meta["services"] == "|1|2|" and meta["conditions"] == ""
    assert all(isinstance(v, str | int | float | bool) for v in meta.values())


def test_corrupt_index_is_rebuilt(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    first = R.build_index(index_dir=index_dir, corpus_root=corpus)
    first.close()
    (first.path / "chroma.sqlite3").write_bytes(b"not a database")
    again = R.open_index(index_dir, corpus_root=corpus)
    assert again.path != first.path and again.collection.count() == 12
    assert R.retrieve(tka_analysis(), TKA_CASE, index=again)[0].passage.id.startswith("tka-")
    again.close()


# --------------------------------------------------------------------------- modes


@pytest.mark.parametrize("mode", ["vector", "lexical", "hybrid"])
def test_every_mode_ranks_the_service_first(built: tuple[Path, Path, R.Index], mode: str) -> None:
    results = R.retrieve(tka_analysis(), TKA_CASE, k=4, index=built[2], mode=mode)
    main = [r for r in results if r.passage.kind != "regulation"]
    assert set(ids(main[:3])) == {"tka-conservative", "tka-imaging", "tka-outcomes"}
    assert any(r.passage.kind == "regulation" for r in results)


def test_lexical_mode_never_embeds(
    built: tuple[Path, Path, R.Index], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_embedding(texts: list[str]):
        raise AssertionError("lexical mode must not embed")

    monkeypatch.setattr(embedding, "embed", no_embedding)
    bare = DenialAnalysis(criteria=[Criterion(text="transcranial magnetic stimulation")])
    results = R.retrieve(bare, None, k=2, index=built[2], mode="lexical")
    assert results[0].passage.id == "tms-trd"
    assert R.search("magnetic stimulation", k=1, index=built[2], mode="lexical")[0].passage.id \
        == "tms-trd"


def test_hybrid_relevance_is_the_weighted_sum(built: tuple[Path, Path, R.Index]) -> None:
    index = built[2]
    texts = ["knee arthroplasty after physical therapy"]
    pids = ["tka-conservative", "mri-six-weeks", "tms-course"]
    parts = {
        m: R._Scorer.create(index, texts, R.Mode(m)).score(pids) for m in ("vector", "lexical")
    }
    hybrid = R._Scorer.create(index, texts, R.Mode.hybrid).score(pids)
    w = R.HYBRID_LEXICAL_WEIGHT
    for pid in pids:
        expected = (1 - w) * parts["vector"][pid].similarity + w * parts["lexical"][pid].similarity
        assert hybrid[pid].similarity == pytest.approx(expected, abs=1e-6)
    assert parts["lexical"]["tms-course"].similarity == 0.0
    assert max(c.similarity for c in parts["lexical"].values()) == pytest.approx(1.0)


def test_unknown_mode_is_a_clear_error(built: tuple[Path, Path, R.Index]) -> None:
    with pytest.raises(ValueError, match="unknown retrieval mode 'fuzzy'"):
        R.retrieve(tka_analysis(), TKA_CASE, index=built[2], mode="fuzzy")


LETTER = """ACME HEALTH PLAN
Member: Jane Roe
Service requested: transcranial magnetic stimulation, 36 sessions
Diagnosis: major depressive disorder, recurrent
We denied this request because it is not medically necessary.
You may appeal within 180 days. Call 800-555-0100 or fax your appeal.
"""


def test_request_context_keeps_request_lines_and_skips_rights() -> None:
    context = R.request_context(LETTER)
    assert "transcranial magnetic stimulation" in context
    assert "major depressive disorder" in context and "not medically necessary" in context
    assert "appeal" not in context and "Jane Roe" not in context and "800" not in context
    assert R.request_context(None) == "" and R.request_context("") == ""
    assert len(R.request_context("Service requested: scan. " * 100)) <= R.MAX_LETTER_CONTEXT


def test_letter_text_describes_the_service_when_nothing_else_does(
    built: tuple[Path, Path, R.Index],
) -> None:
    index = built[2]
    bare = DenialAnalysis(denial_categories=["not_medically_necessary"])
    with_letter = R.retrieve(bare, None, k=2, index=index, letter_text=LETTER)
    assert with_letter[0].passage.id == "tms-trd"
    without = R.retrieve(bare, None, k=2, index=index)
    assert "tms-trd" not in ids(without)[:1]


def test_letter_text_is_ignored_when_there_is_a_case(built: tuple[Path, Path, R.Index]) -> None:
    """The case describes the request; the letter only does when there is no case, so
    callers that pass it (lmn retrieve, evals) get what the drafter gets."""
    index = built[2]

    def summary(results: list) -> list[tuple]:
        return [(r.rank, r.passage.id, r.score, r.criteria) for r in results]

    with_case = summary(R.retrieve(tka_analysis(), TKA_CASE, index=index))
    assert summary(R.retrieve(tka_analysis(), TKA_CASE, index=index, letter_text=LETTER)) == (
        with_case
    )
    bare = DenialAnalysis(denial_categories=["not_medically_necessary"])
    assert summary(R.retrieve(bare, None, index=index, letter_text=LETTER)) != summary(
        R.retrieve(bare, None, index=index)
    )


# --------------------------------------------------------------------------- eval


def test_eval_metrics_on_a_synthetic_suite(built: tuple[Path, Path, R.Index]) -> None:
    from evals import retrieval_eval as E

    def case(cid: str, text: str, sub: str, bodies: list[str]) -> dict:
        meta = {"TreatmentSubCategory": sub, "TreatmentCategory": "x", "DiagnosisSubCategory": ""}
        return {"id": cid, "denial_letter": text, "metadata": meta,
                "expected": {"authorities": bodies}}

    cases = [
        case("hit", "Service requested: MRI of the lumbar spine for back pain.", "MRI", ["TS"]),
        case("wrong-body", "Service requested: MRI of the lumbar spine.", "MRI", ["ACR"]),
        case("no-body", "Service requested: MRI of the lumbar spine.", "MRI", []),
    ]
    scores, results = E.evaluate(cases, modes=["lexical", "hybrid"], k=5, index=built[2])
    by_mode = {s.mode: s for s in scores}
    for mode in ("lexical", "hybrid"):
        s = by_mode[mode]
        assert s.cases == 2 and s.service_cases == 3
        assert s.recall == pytest.approx(0.5)  # "hit" found, "wrong-body" never can be
        assert 0 < s.mrr <= 0.5 and s.service_recall == pytest.approx(1.0)
    first = {(r.mode, r.case_id): r.first_hit() for r in results}
    assert first[("hybrid", "hit")] == 1 and first[("hybrid", "wrong-body")] is None


def test_eval_hit_rule() -> None:
    from evals.retrieval_eval import is_hit

    p = R.Passage(
        id="x", kind="guideline", issuing_body="B", short_body="ACC/AHA", title="Lung cancer",
        year=2020, section="Therapy", text="t", specialty="s", url="u", license="l",
        keywords=["chemotherapy", "NSCLC"],
    )
    rx = {"TreatmentSubCategory": "Cancer Rx", "DiagnosisSubCategory": "Lung"}
    assert is_hit(p, ["AHA"], rx)
    assert not is_hit(p, ["NCCN"], rx)
    assert not is_hit(p, ["AHA"], {**rx, "DiagnosisSubCategory": "Gastric/Stomach"})
    assert not is_hit(p, ["AHA"], {**rx, "TreatmentSubCategory": "MRI"})


SUITE = Path(__file__).resolve().parent.parent / "evals/suites/imr.jsonl"


@pytest.mark.skipif(not SUITE.is_file(), reason="converted IMR suite not present")
def test_imr_retrieval_eval_meets_target() -> None:
    """The IMR eval on the real corpus: hybrid recall@5 >= 0.8 (runs in ~5 s once the
    session's real-corpus index exists; the index build itself is shared with other tests)."""
    from evals.retrieval_eval import eligible, evaluate, load_suite

    cases = eligible(load_suite(SUITE))
    assert len(cases) >= 8
    scores, _ = evaluate(cases, modes=["hybrid"], k=5, index=R.get_index())
    assert scores[0].recall >= 0.8, scores


@pytest.mark.skipif(not SUITE.is_file(), reason="converted IMR suite not present")
def test_corpus_covers_every_imr_treatment() -> None:
    """Each IMR case's treatment (and diagnosis, where the eval names terms) has a passage."""
    from evals.retrieval_eval import about_service, load_suite
    from pipeline.corpus import load_corpus

    passages = [p for p in load_corpus() if p.kind != "regulation"]
    uncovered = [
        c["metadata"]["TreatmentSubCategory"]
        for c in load_suite(SUITE)
        if not any(about_service(p, c["metadata"]) for p in passages)
    ]
    assert not uncovered


def test_too_few_fitting_passages_are_not_padded_with_off_topic_ones(
    built: tuple[Path, Path, R.Index],
) -> None:
    """A shoulder case: no knee, spine or TMS guideline fits, so none is offered, even though
    k=6 leaves room and the query shares their words (physical therapy, MRI)."""
    index = built[2]
    case = CaseFacts(
        service=Service(code="97110", description="Physical therapy after rotator cuff repair"),
        diagnoses=[Diagnosis(code="M75.121", description="Rotator cuff tear")],
    )
    analysis = DenialAnalysis(
        plan_type=PlanType.erisa,
        cpt_codes=["97110"],
        criteria=[Criterion(text="Physical therapy and MRI of the shoulder were not documented")],
    )
    results = R.retrieve(analysis, case, k=6, index=index)
    assert [r.passage.kind for r in results if r.passage.kind != "regulation"] == ["argument"]


def test_a_shared_service_code_does_not_bring_another_disease(
    built: tuple[Path, Path, R.Index],
) -> None:
    """TMS (90867) for bipolar depression: the TMS passages are about F33, so none fits."""
    index = built[2]
    case = CaseFacts(
        service=Service(code="90867", description="Transcranial magnetic stimulation"),
        diagnoses=[Diagnosis(code="F31.4", description="Bipolar disorder, depressed")],
    )
    results = R.retrieve(DenialAnalysis(cpt_codes=["90867"]), case, k=6, index=index)
    assert not [r for r in results if r.passage.id.startswith("tms-")]
    major = case.model_copy(update={"diagnoses": [Diagnosis(code="F33.2")]})
    results = R.retrieve(DenialAnalysis(cpt_codes=["90867"]), major, k=6, index=index)
    assert {"tms-trd", "tms-course"} <= set(ids(results))


def test_the_physicians_sources_come_first_for_every_criterion(
    built: tuple[Path, Path, R.Index],
) -> None:
    from pipeline.models import CaseCitation

    own = CaseCitation(
        issuing_body="American Academy of Orthopaedic Surgeons", title="Knee OA guideline",
        year="2022", recommendation="Arthroplasty after failed non-operative care.",
    )
    case = TKA_CASE.model_copy(update={"citations": [own]})
    results = R.retrieve(tka_analysis(), case, k=6, index=built[2])
    first = results[0]
    assert first.passage.id == "case-citation-1" and first.passage.supplied_by_physician
    assert first.criteria == [0, 1] and first.rank == 1
    assert ids(results[1:]) == ids(R.retrieve(tka_analysis(), TKA_CASE, k=6, index=built[2]))
    assert [r.rank for r in results] == list(range(1, len(results) + 1))


def test_the_case_vector_serves_every_criterion_and_is_embedded_once(
    built: tuple[Path, Path, R.Index],
) -> None:
    index = built[2]
    analysis = tka_analysis()
    query = R._build_query(analysis, TKA_CASE)
    assert len(query.vector_texts) == len(query.texts) == 1 + len(analysis.criteria)
    assert len(set(query.vector_texts)) == 1  # the case's compact query, no criterion's words
    # the codes are BM25's, the boosts' and the contract's, not the model's
    assert "27447" in query.texts[0] and "M1711" in query.texts[0]
    assert "27447" not in query.vector_texts[0] and "M1711" not in query.vector_texts[0]
    assert "Total knee arthroplasty" in query.vector_texts[0]
    asked: list[list[str]] = []

    def embedder(texts: list[str]):
        asked.append(list(texts))
        return embedding.embed(texts)

    scorer = R._Scorer.create(
        index, ["a", "b", "c"], R.Mode.vector, vector_texts=["x y", "z", "x y"], embedder=embedder
    )
    assert scorer.vectors is not None
    assert asked == [["x y", "z"]]  # each distinct text once, a row for every query
    assert (scorer.vectors == embedding.embed(["x y", "z", "x y"])).all()


def test_a_criterion_ranks_passages_by_its_own_words(built: tuple[Path, Path, R.Index]) -> None:
    """The case's vector is the same for every criterion: a criterion's relevance is the BM25
    of its words, so two criteria single out different passages (with the shared cosine
    added, every criterion ranked the same passages first)."""
    index = built[2]
    texts = ["knee arthroplasty", "physical therapy and NSAIDs", "radiographic joint narrowing"]
    scorer = R._Scorer.create(index, texts, R.Mode.hybrid, vector_texts=[texts[0]] * 3)
    pids = ["tka-conservative", "tka-imaging", "tka-outcomes"]
    got = scorer.score(pids)
    for i, text in enumerate(texts[1:]):
        words = R._Scorer.create(index, [text], R.Mode.lexical).score(pids)
        assert [got[p].by_criterion[i] for p in pids] == pytest.approx(
            [words[p].similarity for p in pids], abs=1e-6
        )
    assert got["tka-conservative"].by_criterion[0] > got["tka-imaging"].by_criterion[0]
    assert got["tka-imaging"].by_criterion[1] > got["tka-conservative"].by_criterion[1]
    assert got["tka-outcomes"].similarity > 0  # the case's vector still ranks the passages


def test_the_psychotherapy_guideline_answers_the_psychotherapy_criterion() -> None:
    """TMS example, real corpus: the APA psychotherapy passage is retrieved for the criterion
    asking for a failed psychotherapy, not for the one counting antidepressant trials."""
    from pipeline.casefile import load_case
    from pipeline.engines import get_engine
    from pipeline.ingest import ingest
    from pipeline.pipeline import Pipeline

    example = Path(__file__).resolve().parent.parent / "examples" / "tms-erisa"
    out = Pipeline(get_engine("offline")).run(
        ingest(str(example / "letter.txt")), load_case(example / "case.yaml"), until="retrieve"
    )
    criteria = [c.text.lower() for c in out.analysis.criteria]
    therapy = next(i for i, c in enumerate(criteria) if "psychotherapy" in c)
    trials = next(i for i, c in enumerate(criteria) if "antidepressant medication trials" in c)
    tags = {r.passage.id: r.criteria for r in out.passages}
    assert therapy in tags["apa-mdd-2010-psychotherapy"]
    assert trials not in tags["apa-mdd-2010-psychotherapy"]


def test_queries_embedded_meanwhile_are_the_model_vectors_and_errors_still_surface(
    built: tuple[Path, Path, R.Index], monkeypatch: pytest.MonkeyPatch
) -> None:
    index = built[2]
    texts = ["knee arthroplasty after physical therapy", "magnetic stimulation"]
    scorer = R._Scorer.create(index, texts, R.Mode.vector)
    assert scorer.vectors is not None
    assert (scorer.vectors == embedding.embed(texts)).all()  # the same rows, bit for bit

    def broken(texts: list[str]):
        raise EngineError("Could not load the embedding model; reinstall")

    monkeypatch.setattr(embedding, "embed", broken)
    bare = DenialAnalysis(criteria=[Criterion(text="transcranial magnetic stimulation")])
    with pytest.raises(EngineError, match="reinstall"):
        R.retrieve(bare, None, k=2, index=index, mode="hybrid")


def test_without_codes_the_passages_offered_are_those_the_contract_admits() -> None:
    """The fitting pool of a scope with no code is found through the treatment names' words
    (Index.treatment_words), yet it is every non-regulation passage relevance.fits admits."""
    from pipeline.casefile import load_case
    from pipeline.extract import extract
    from pipeline.ingest import ingest
    from pipeline.relevance import Scope, fits

    index = R.get_index()
    main = index.pool(regulations=False).ids
    scopes = []
    for request in ("", "coverage for adalimumab 40 mg", "a continuous glucose monitor (CGM)"):
        scopes.append(Scope.of(DenialAnalysis(), None, letter_request=request))
    root = Path(__file__).resolve().parent.parent / "examples"
    for folder in sorted(p.parent for p in root.glob("*/case.yaml"))[:6]:
        letter = ingest(str(folder / "letter.txt"))
        analysis = extract(letter)
        request = R.request_context(letter.text)
        scopes.append(Scope.of(analysis, None, letter_request=request))
        scopes.append(Scope.of(analysis, load_case(folder / "case.yaml")))
    _, others = index.treatment_words
    named = []
    for scope in scopes:
        # what the contract admits, less what the dispute does not ask (a site-of-care
        # statement for a necessity notice) and what newer guidance replaces
        expected = [
            pid
            for pid in main
            if fits(index.passages[pid], scope)
            and R.answers(index.passages[pid], None)
            and index.passages[pid].superseded_by is None
        ]
        assert R._fitting_main(index, scope) == expected
        named.append([pid for pid in expected if pid not in others])
    assert not named[0] and named[1]  # found through a treatment's name only when one is named


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_embeds_queries_on_threads_of_its_own(
    built: tuple[Path, Path, R.Index],
) -> None:
    """The parent's embedding threads do not exist in a forked child: its first query must not
    wait on them forever."""
    index = built[2]
    texts = ["knee arthroplasty after physical therapy"]
    expected = R._Scorer.create(index, texts, R.Mode.vector).vectors  # the parent's threads
    assert expected is not None
    pid = os.fork()
    if pid == 0:  # the child: exit 0 when the query is embedded in time and the same
        import signal

        signal.alarm(60)
        got = R._Scorer.create(index, texts, R.Mode.vector).vectors
        os._exit(0 if got is not None and (got == expected).all() else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
