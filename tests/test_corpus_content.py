"""Content checks for the curated passage corpus in corpus/**.yaml.

Deliberately independent of the loader: reads the YAML files directly with PyYAML (only the
required-field lists come from pipeline.corpus, the loader's own contract).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.corpus import REQUIRED_PASSAGE_FIELDS as PASSAGE_REQUIRED
from pipeline.corpus import REQUIRED_SOURCE_FIELDS as SOURCE_REQUIRED

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO_ROOT / "corpus"
US_CODE_YAML = CORPUS_DIR / "regulations" / "us_code.yaml"
US_CODE_JSONL = (
    REPO_ROOT.parent / "shared" / "data" / "regulations" / "us_code_appeals_sections.jsonl"
)

ID_RE = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
# CPT (5 digits, or 4 digits + F/T/U) or HCPCS Level II (letter + 4 digits).
SERVICE_RE = re.compile(r"^(\d{5}|\d{4}[FTU]|[A-V]\d{4})$")
# ICD-10-CM code or prefix, with or without the dot (a bare chapter letter is allowed).
CONDITION_RE = re.compile(r"^[A-Z](\d{1,2}[0-9A-Z]?)?(\.?[0-9A-Z]{1,4})?$")

CATEGORIES = {
    "not_medically_necessary",
    "conservative_treatment_not_exhausted",
    "step_therapy",
    "experimental_investigational",
    "frequency_limit",
    "level_of_care",
    "insufficient_documentation",
    "cosmetic",
    "not_covered_benefit",
    "out_of_network",
    "administrative",
}
PLAN_TYPES = {
    "erisa",
    "aca_individual",
    "medicare_advantage",
    "medicare",
    "medicaid",
    "government_or_church",
    "unknown",
}
SPECIALTIES = {
    "cardiology",
    "orthopaedics",
    "oncology",
    "neurology",
    "rheumatology",
    "radiology",
    "gastroenterology",
    "psychiatry",
    "endocrinology",
    "sleep_medicine",
    "surgery",
    "genetics",
    "physical_medicine",
    "radiation_oncology",
    "dermatology_plastics",
    "allergy_immunology",
    "general",
    "law",
}
KINDS = {"guideline", "regulation", "coverage_policy", "argument"}
REQUIRED_SPECIALTIES = SPECIALTIES - {"general", "law"}
# Services the brief names explicitly; each must be supported by at least one passage.
REQUIRED_SERVICES = {
    "90867",  # TMS
    "27447",  # total knee arthroplasty
    "63047",  # lumbar laminectomy
    "22633",  # lumbar fusion
    "72148",  # MRI lumbar spine
    "70553",  # MRI brain
    "78815",  # PET/CT
    "J9271",  # pembrolizumab
    "E2103",  # CGM
    "43775",  # sleeve gastrectomy
    "J0135",  # adalimumab
    "J1745",  # infliximab
    "81162",  # BRCA1/2
    "15879",  # liposuction, lower extremity
    "77520",  # proton beam
    "77385",  # IMRT
    "E0601",  # CPAP
    "33361",  # TAVR
    "93798",  # cardiac rehab
    "J0585",  # onabotulinumtoxinA
    "S0013",  # esketamine
    "97110",  # therapeutic exercise
}
SOURCE_LEVEL_OVERRIDABLE = (
    "issuing_body",
    "short_body",
    "title",
    "version",
    "year",
    "url",
    "license",
    "specialty",
    "kind",
    "verified",
    "verified_against",
)


def _yaml_files() -> list[Path]:
    return sorted(CORPUS_DIR.rglob("*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def docs() -> dict[Path, dict[str, Any]]:
    files = _yaml_files()
    assert files, f"no corpus YAML files under {CORPUS_DIR}"
    return {p: _load(p) for p in files}


@pytest.fixture(scope="module")
def passages(docs: dict[Path, dict[str, Any]]) -> list[dict[str, Any]]:
    """Every passage with source-level fields resolved (passage values override)."""
    out: list[dict[str, Any]] = []
    for path, doc in docs.items():
        src = doc["source"]
        for p in doc["passages"]:
            eff = {k: src.get(k) for k in SOURCE_LEVEL_OVERRIDABLE}
            eff.update(p)
            eff["_file"] = str(path.relative_to(REPO_ROOT))
            out.append(eff)
    return out


def _nonempty(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return True


def test_every_file_has_source_and_passages(docs: dict[Path, dict[str, Any]]) -> None:
    for path, doc in docs.items():
        assert isinstance(doc, dict), path
        assert set(doc) >= {"source", "passages"}, path
        src = doc["source"]
        for field in SOURCE_REQUIRED:
            assert _nonempty(src.get(field)), f"{path}: source.{field} missing or empty"
        assert isinstance(src.get("verified"), bool), f"{path}: source.verified must be a bool"
        assert isinstance(doc["passages"], list) and doc["passages"], f"{path}: no passages"


def test_guideline_files_live_under_their_specialty(docs: dict[Path, dict[str, Any]]) -> None:
    for path, doc in docs.items():
        rel = path.relative_to(CORPUS_DIR)
        if rel.parts[0] == "guidelines":
            assert len(rel.parts) == 3, f"{rel}: expected guidelines/<specialty>/<slug>.yaml"
            assert rel.parts[1] == doc["source"]["specialty"], rel


def test_passage_required_fields(passages: list[dict[str, Any]]) -> None:
    for p in passages:
        where = f"{p['_file']}:{p.get('id')}"
        for field in PASSAGE_REQUIRED + SOURCE_REQUIRED:
            assert _nonempty(p.get(field)), f"{where}: {field} missing or empty"
        assert "recommendation" in p, f"{where}: recommendation key missing (use null)"
        rec = p["recommendation"]
        assert rec is None or (isinstance(rec, str) and rec.strip()), where
        for field in ("services", "conditions", "categories"):
            assert isinstance(p.get(field), list), f"{where}: {field} must be a list"
        assert p["categories"], f"{where}: categories must not be empty"
        assert isinstance(p.get("plan_types", []), list), f"{where}: plan_types must be a list"
        if p["verified"]:
            assert _nonempty(p.get("verified_against")), f"{where}: verified without source"


def test_ids_unique_and_well_formed(passages: list[dict[str, Any]]) -> None:
    ids = [p["id"] for p in passages]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, f"duplicate passage ids: {dupes}"
    bad = [i for i in ids if not isinstance(i, str) or not ID_RE.match(i)]
    assert not bad, f"malformed ids: {bad}"


def test_enumerated_fields(passages: list[dict[str, Any]]) -> None:
    for p in passages:
        where = f"{p['_file']}:{p['id']}"
        assert set(p["categories"]) <= CATEGORIES, f"{where}: {set(p['categories']) - CATEGORIES}"
        plan_types = set(p.get("plan_types") or [])
        assert plan_types <= PLAN_TYPES, f"{where}: {plan_types - PLAN_TYPES}"
        assert p["specialty"] in SPECIALTIES, f"{where}: specialty {p['specialty']}"
        assert p["kind"] in KINDS, f"{where}: kind {p['kind']}"


def test_codes_well_formed(passages: list[dict[str, Any]]) -> None:
    for p in passages:
        where = f"{p['_file']}:{p['id']}"
        for code in p["services"]:
            assert isinstance(code, str) and SERVICE_RE.match(code), f"{where}: service {code!r}"
        for code in p["conditions"]:
            assert isinstance(code, str) and CONDITION_RE.match(code), f"{where}: ICD {code!r}"


def test_years_plausible(passages: list[dict[str, Any]]) -> None:
    for p in passages:
        year = p["year"]
        assert isinstance(year, int) and not isinstance(year, bool), f"{p['id']}: year {year!r}"
        assert 1990 <= year <= 2026, f"{p['id']}: implausible year {year}"


def test_urls_look_like_urls(passages: list[dict[str, Any]]) -> None:
    for p in passages:
        assert str(p["url"]).startswith("https://"), f"{p['id']}: url {p['url']!r}"


def test_enough_non_regulation_passages(passages: list[dict[str, Any]]) -> None:
    non_reg = [p for p in passages if p["kind"] != "regulation"]
    assert len(non_reg) >= 45, f"only {len(non_reg)} guideline/policy/argument passages"


def test_service_coverage(passages: list[dict[str, Any]]) -> None:
    services = {s for p in passages for s in p["services"]}
    assert len(services) >= 12, f"only {len(services)} distinct services"
    missing = REQUIRED_SERVICES - services
    assert not missing, f"required services without a passage: {sorted(missing)}"


def test_every_required_specialty_present(passages: list[dict[str, Any]]) -> None:
    present = {p["specialty"] for p in passages if p["kind"] != "regulation"}
    missing = REQUIRED_SPECIALTIES - present
    assert not missing, f"specialties without guideline passages: {sorted(missing)}"


def test_guideline_passages_are_short_summaries(passages: list[dict[str, Any]]) -> None:
    for p in passages:
        if p["kind"] == "regulation" and p["_file"].endswith("us_code.yaml"):
            continue
        text = p["text"]
        assert len(text) <= 1000, f"{p['id']}: {len(text)} characters"
        words = len(text.split())
        assert 40 <= words <= 120, f"{p['id']}: {words} words (expected 40-120)"


def test_recommendation_strings_are_not_placeholders(passages: list[dict[str, Any]]) -> None:
    for p in passages:
        rec = p["recommendation"]
        if rec is not None:
            assert rec.strip().lower() not in {"unknown", "tbd", "n/a", "none", "?"}, p["id"]


def test_regulation_file_covers_all_source_ids() -> None:
    doc = _load(US_CODE_YAML)
    src = doc["source"]
    assert src["kind"] == "regulation"
    assert src["verified"] is True
    assert src["license"] == "Public domain (17 U.S.C. 105)"
    reg = doc["passages"]
    source_ids = {p["source_id"] for p in reg}
    assert len(source_ids) == 43, f"{len(source_ids)} source ids in us_code.yaml"
    if US_CODE_JSONL.exists():
        expected = {
            json.loads(line)["id"]
            for line in US_CODE_JSONL.read_text(encoding="utf-8").splitlines()
            if line.strip()
        }
        assert source_ids == expected
    for p in reg:
        assert ID_RE.match(p["id"]) and p["id"].isascii(), p["id"]
        assert len(p["text"]) <= 1800, f"{p['id']}: part too long ({len(p['text'])})"
        assert p["plan_types"], f"{p['id']}: plan_types must be set for statutes"
        assert p["title"].strip() and p["section"].strip()


def test_regulation_plan_type_mapping() -> None:
    reg = _load(US_CODE_YAML)["passages"]
    for p in reg:
        section = p["section"]
        pts = set(p["plan_types"])
        if section.startswith("29 U.S.C."):
            assert pts == {"erisa"}, p["id"]
        elif "300gg" in section:
            assert pts == {"erisa", "aca_individual", "government_or_church"}, p["id"]
        elif "1395w-22" in section:
            assert pts == {"medicare_advantage"}, p["id"]
        elif "1396d" in section:
            assert pts == {"medicaid"}, p["id"]
        else:
            assert pts >= {"medicare"} or pts >= {"medicare_advantage"}, p["id"]


def test_appeal_rules_summaries_present(passages: list[dict[str, Any]]) -> None:
    appeal = [p for p in passages if p["_file"].endswith("regulations/appeal_rules.yaml")]
    assert len(appeal) >= 14, f"only {len(appeal)} appeal-rule summaries"
    joined = " ".join(p["section"] for p in appeal)
    for cite in ("2560.503-1", "147.136", "422.590", "422.101", "438.408", "1185a", "1374.30"):
        assert cite in joined, f"no appeal-rule passage cites {cite}"


def test_at_least_150_passages_each_stating_verification(passages: list[dict[str, Any]]) -> None:
    assert len(passages) >= 150, f"only {len(passages)} passages"
    for p in passages:
        where = f"{p['_file']}:{p['id']}"
        assert isinstance(p["verified"], bool), f"{where}: verified must be true or false"
