"""pipeline.corpus: loading, merging, checking and hashing the YAML corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.corpus import check_corpus, corpus_hash, load_corpus, normalize_condition
from pipeline.errors import InputError
from pipeline.models import DenialCategory, PlanType
from pipeline.paths import PROJECT_ROOT

SOURCE = {
    "issuing_body": "American Academy of Orthopaedic Surgeons (AAOS)",
    "short_body": "AAOS",
    "title": "Management of Osteoarthritis of the Knee",
    "version": "3rd edition",
    "year": 2021,
    "url": "https://example.org/aaos-knee",
    "license": "Quoted for citation",
    "specialty": "orthopaedics",
    "kind": "guideline",
    "verified": False,
    "verified_against": None,
}


def passage(pid: str, **fields: object) -> dict:
    """A minimal valid passage entry."""
    return {"id": pid, "section": "Recommendations", "text": f"Text of {pid}.", **fields}


def write(root: Path, rel: str, source: dict, passages: list[dict]) -> Path:
    """Write one corpus file under root."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"source": source, "passages": passages}), encoding="utf-8")
    return path


BARE_SOURCE = {
    "issuing_body": "B",
    "short_body": "B",
    "title": "T",
    "year": 2020,
    "url": "https://e.org",
    "license": "l",
    "specialty": "general",
    "kind": "guideline",
    "verified": False,
    "verified_against": None,
}


def one_passage_corpus(root: Path, **fields: object) -> Path:
    """A corpus of one passage ('a-1', section 'S', text 't', and ``fields``) of a bare
    source, in guidelines/x/a.yaml under ``root``."""
    return write(
        root, "guidelines/x/a.yaml", BARE_SOURCE, [passage("a-1", text="t", section="S", **fields)]
    )


def test_merges_source_and_overrides(tmp_path: Path) -> None:
    write(
        tmp_path,
        "guidelines/orthopaedics/knee.yaml",
        SOURCE,
        [
            passage(
                "knee-a",
                recommendation="Strong",
                services=[" 27447 "],
                conditions=["m17.11", "M17"],
                categories=["not_medically_necessary"],
                keywords=["exercise"],
            ),
            passage(
                "knee-b",
                year=2022,
                url="https://example.org/other",
                verified=True,
                verified_against="publisher PDF, table 2",
            ),
        ],
    )
    a, b = load_corpus(tmp_path)
    assert a.issuing_body == SOURCE["issuing_body"] and a.version == "3rd edition"
    assert a.year == 2021 and a.recommendation == "Strong"
    assert a.services == ["27447"]
    assert a.conditions == ["M1711", "M17"]
    assert a.categories == [DenialCategory.not_medically_necessary]
    assert a.file == "guidelines/orthopaedics/knee.yaml"
    assert (b.year, b.url, b.verified) == (2022, "https://example.org/other", True)
    assert b.services == [] and b.plan_types == []


def test_regulation_plan_types_and_provenance_keys(tmp_path: Path) -> None:
    source = {**SOURCE, "kind": "regulation", "specialty": "law", "plan_types": ["erisa"]}
    write(
        tmp_path,
        "regulations/erisa.yaml",
        source,
        [
            passage("reg-a", source_id="x--chunk1", upstream_source="github:example"),
            passage("reg-b", plan_types=[]),
        ],
    )
    a, b = load_corpus(tmp_path)
    assert a.plan_types == [PlanType.erisa] and a.kind == "regulation"
    assert b.plan_types == []


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", SOURCE, [passage("same")])
    write(tmp_path, "b.yaml", SOURCE, [passage("same")])
    problems = check_corpus(tmp_path)
    assert len(problems) == 1
    assert "b.yaml" in problems[0] and "a.yaml" in problems[0] and "'same'" in problems[0]
    with pytest.raises(InputError, match="duplicates"):
        load_corpus(tmp_path)


def test_missing_metadata_names_file_and_field(tmp_path: Path) -> None:
    source = {k: v for k, v in SOURCE.items() if k != "url"}
    write(tmp_path, "guidelines/x/no-url.yaml", source, [passage("p1")])
    with pytest.raises(InputError) as info:
        load_corpus(tmp_path)
    message = str(info.value)
    assert "guidelines/x/no-url.yaml" in message and "url" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("drop", "entry", "needle"),
    [
        ("verified", passage("p1"), "verified: missing"),
        ("verified_against", passage("p1"), "verified_against: missing"),
        (None, passage("p1", verified=True), "verified_against: required when verified"),
        (None, passage("p1", verified="yes"), "verified: must be true or false"),
        ("url", passage("p1"), "url: missing or empty"),
        (None, passage("p1", url="  "), "url: missing or empty"),
    ],
)
def test_accuracy_fields_and_source_address_required(
    tmp_path: Path, drop: str | None, entry: dict, needle: str
) -> None:
    source = {k: v for k, v in SOURCE.items() if k != drop}
    write(tmp_path, "guidelines/x/p.yaml", source, [entry])
    problems = check_corpus(tmp_path)
    assert len(problems) == 1 and needle in problems[0], problems
    assert problems[0].startswith("guidelines/x/p.yaml: passage 'p1': ")


def test_unverified_passage_may_leave_verified_against_null(tmp_path: Path) -> None:
    write(tmp_path, "ok.yaml", SOURCE, [passage("p1", verified=False, verified_against=None)])
    assert check_corpus(tmp_path) == []


def test_passage_may_supply_missing_source_field(tmp_path: Path) -> None:
    source = {k: v for k, v in SOURCE.items() if k != "url"}
    write(tmp_path, "ok.yaml", source, [passage("p1", url="https://example.org/p1")])
    assert load_corpus(tmp_path)[0].url == "https://example.org/p1"


@pytest.mark.parametrize(
    ("entry", "needle"),
    [
        (passage("p1", categories=["too_expensive"]), "categories"),
        (passage("p1", plan_types=["tricare"]), "plan_types"),
        (passage("p1", text="  "), "text"),
        (passage("p1", servics=["27447"]), "servics: unknown field"),
        ({"section": "s", "text": "t"}, "id"),
        (passage("p1", year="recent"), "year"),
    ],
)
def test_invalid_passage_fields(tmp_path: Path, entry: dict, needle: str) -> None:
    write(tmp_path, "bad.yaml", SOURCE, [entry])
    problems = check_corpus(tmp_path)
    assert len(problems) == 1
    assert problems[0].startswith("bad.yaml: ") and needle in problems[0]


def test_yaml_error_and_structure_problems(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("source: [unclosed\n", encoding="utf-8")
    (tmp_path / "list.yaml").write_text("- 1\n- 2\n", encoding="utf-8")
    write(tmp_path, "empty.yaml", SOURCE, [])
    write(tmp_path, "good.yaml", SOURCE, [passage("p1")])
    problems = check_corpus(tmp_path)
    assert [p.split(":")[0] for p in problems] == ["broken.yaml", "empty.yaml", "list.yaml"]
    assert "invalid YAML" in problems[0]
    with pytest.raises(InputError, match=r"broken\.yaml.*\(\+2 more"):
        load_corpus(tmp_path)


def test_empty_or_missing_corpus(tmp_path: Path) -> None:
    assert check_corpus(tmp_path) != []
    with pytest.raises(InputError, match="not found"):
        load_corpus(tmp_path / "nope")


def test_skips_hidden_and_underscore_files(tmp_path: Path) -> None:
    write(tmp_path, "real.yaml", SOURCE, [passage("p1")])
    (tmp_path / "_template.yaml").write_text("not: [valid\n", encoding="utf-8")
    write(tmp_path, ".drafts/x.yaml", SOURCE, [passage("p1")])
    assert [p.id for p in load_corpus(tmp_path)] == ["p1"]


def test_hash_changes_with_content_and_files(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", SOURCE, [passage("p1")])
    first = corpus_hash(tmp_path)
    assert corpus_hash(tmp_path) == first and len(first) == 64
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    second = corpus_hash(tmp_path)
    assert second != first
    write(tmp_path, "b.yaml", SOURCE, [passage("p2")])
    third = corpus_hash(tmp_path)
    assert third not in (first, second)
    (tmp_path / "b.yaml").rename(tmp_path / "c.yaml")
    assert corpus_hash(tmp_path) != third


def test_normalize_condition() -> None:
    assert normalize_condition(" m17.11 ") == "M1711"
    assert normalize_condition("F33") == "F33"


def test_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "a.yaml", SOURCE, [passage("env-p")])
    monkeypatch.setenv("LMN_CORPUS_DIR", str(tmp_path))
    assert [p.id for p in load_corpus()] == ["env-p"]


REAL_CORPUS = PROJECT_ROOT / "corpus"


@pytest.mark.skipif(not REAL_CORPUS.is_dir(), reason="no corpus/ in this checkout")
def test_real_corpus_is_clean() -> None:
    assert check_corpus(REAL_CORPUS) == []
    passages = load_corpus(REAL_CORPUS)
    assert passages and len({p.id for p in passages}) == len(passages)
    assert all(p.url and p.file for p in passages)


def test_lmn_corpus_check_fails_on_bad_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main

    write(tmp_path, "a.yaml", SOURCE, [passage("same")])
    write(tmp_path, "b.yaml", {k: v for k, v in SOURCE.items() if k != "url"}, [passage("x")])
    write(tmp_path, "c.yaml", SOURCE, [passage("same")])
    monkeypatch.setenv("LMN_CORPUS_DIR", str(tmp_path))
    assert main(["corpus", "check"]) == 2
    err = capsys.readouterr().err
    assert "b.yaml: passage 'x': url: missing" in err
    assert "c.yaml: passage id 'same' duplicates one in a.yaml" in err
    assert "corpus has 2 problem(s)" in err and "Traceback" not in err

    write(tmp_path, "b.yaml", SOURCE, [passage("x")])
    write(tmp_path, "c.yaml", SOURCE, [passage("y")])
    assert main(["corpus", "check"]) == 0


def test_an_indication_and_a_purpose_are_checked(tmp_path: Path) -> None:
    """An indication must name its treatment and conditions (else it could fit nothing or
    everything); a purpose must be a kind of care."""
    write(
        tmp_path,
        "coverage/labels.yaml",
        SOURCE,
        [
            passage("ok", indication=True, treatments=["mesalamine"], conditions=["K51"]),
            passage("no-drug", indication=True, conditions=["K51"]),
            passage("odd-purpose", purpose=["surgery"]),
        ],
    )
    problems = check_corpus(tmp_path)
    assert any("'no-drug'" in p and "indication: an indication names" in p for p in problems)
    assert any(
        "'odd-purpose'" in p and "'surgery' is not a valid service kind" in p for p in problems
    )
    assert len(problems) == 2


def test_check_rejects_a_whole_icd10_chapter_as_a_condition(tmp_path: Path) -> None:
    """'C' fits every cancer: the check names the passage and says what to write instead."""
    write(tmp_path, "g.yaml", SOURCE, [passage("p1", conditions=["C", "Z122"])])
    problems = check_corpus(tmp_path)
    assert len(problems) == 1 and "'p1'" in problems[0] and "whole ICD-10-CM chapter" in problems[0]
    write(tmp_path, "g.yaml", SOURCE, [passage("p1", conditions=["C34", "Z122"])])
    assert check_corpus(tmp_path) == []


def test_shipped_corpus_maps_no_passage_to_a_whole_chapter() -> None:
    assert [p.id for p in load_corpus() if any(len(c) == 1 for c in p.conditions)] == []


def test_a_passage_that_advises_the_letters_writer_is_a_corpus_problem(tmp_path: Path) -> None:
    """A clinical passage quoted to the plan states what its source says; a sentence telling
    the letter's writer what to do would read as the guideline's own words (review of stop 38:
    'When citing this guideline in a medical-necessity letter, ...' was quoted as support)."""
    advising = passage("rating")
    advising.update(
        text="Each recommendation carries a strength rating. Quote the rating when citing it."
    )
    write(tmp_path, "a.yaml", SOURCE, [advising])
    [problem] = check_corpus(tmp_path)
    assert problem.startswith("a.yaml: passage 'rating': text:") and "letter's writer" in problem
    advising.update(text="Each recommendation carries a strength rating from A to D.")
    write(tmp_path, "a.yaml", SOURCE, [advising])
    assert check_corpus(tmp_path) == []


def test_the_shipped_clinical_passages_do_not_advise_the_letters_writer() -> None:
    from pipeline.corpus import writer_advice_problems

    assert [p.id for p in load_corpus() if writer_advice_problems(p)] == []
