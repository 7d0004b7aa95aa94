"""Load and check the citation corpus: one YAML file per source document.

Each file has a ``source`` mapping (the document's citation metadata) and a ``passages``
list; a passage inherits every source field and may override any of them. Files whose
name starts with ``_`` or ``.`` (templates, drafts) are skipped.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .codes import is_unlisted
from .condition_subtypes import subtype_problems
from .errors import InputError
from .fileio import load_yaml
from .models import (
    Applicability,
    DenialCategory,
    GroundKind,
    Passage,
    PlanType,
    Population,
    ServiceKind,
    TherapyStep,
)
from .paths import corpus_dir
from .populations import derive as derive_population
from .positions import FINGERPRINT as READER
from .positions import with_reading
from .stances import derive as derive_stance

WRITER_ADVICE_FILE = Path(__file__).with_name("writer_advice.yaml")

REQUIRED_SOURCE_FIELDS = (
    "issuing_body",
    "short_body",
    "title",
    "year",
    "url",
    "license",
    "specialty",
    "kind",
)
"""Citation metadata every passage needs, from its source or from itself."""

VERIFICATION_FIELDS = ("verified", "verified_against")
"""Accuracy fields every passage must carry, from its source or from itself."""

REQUIRED_PASSAGE_FIELDS = ("id", "section", "text")
"""Fields each passage entry must give itself."""

PROVENANCE_KEYS = frozenset({"source_id", "upstream_source", "notes", "note", "comment"})
"""Bookkeeping keys import scripts write; accepted and not loaded into the Passage."""

PASSAGE_FIELDS = frozenset(Passage.model_fields) - {"file", "reading"}
_CATEGORIES = frozenset(c.value for c in DenialCategory)
_PLAN_TYPES = frozenset(p.value for p in PlanType)
_APPLICABILITY = frozenset(a.value for a in Applicability)
_SERVICE_KINDS = frozenset(k.value for k in ServiceKind)
_POPULATIONS = frozenset(p.value for p in Population)
_QUESTIONS = frozenset(g.value for g in GroundKind)
_STEPS = frozenset(s.value for s in TherapyStep)


@dataclass
class _Scan:
    """Result of reading the corpus: the valid passages and every problem found."""

    passages: list[Passage] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- public


def load_corpus(root: Path | None = None) -> list[Passage]:
    """Load every passage under ``root`` (default: the corpus dir), in file then list order.

    Raises InputError naming the file and field of the first problem found.
    """
    scan = _scan(_resolve(root))
    if scan.problems:
        more = len(scan.problems) - 1
        suffix = f" (+{more} more corpus problem{'s' if more > 1 else ''})" if more else ""
        raise InputError(f"Invalid corpus: {scan.problems[0]}{suffix}")
    return scan.passages


def check_corpus(root: Path | None = None) -> list[str]:
    """Every problem in the corpus as one-line messages naming file and field; [] if clean.
    Beyond what loading refuses, a passage whose conditions reach a condition subtype its
    words do not name (:mod:`pipeline.condition_subtypes`) or a whole ICD-10-CM chapter
    (:func:`chapter_problems`) is a problem here."""
    scan = _scan(_resolve(root))
    ids = [p.id for p in scan.passages]
    return scan.problems + [
        f"{p.file}: passage {p.id!r}: {problem}"
        for p in scan.passages
        for problem in [
            *chapter_problems(p), *subtype_problems(p), *unlisted_problems(p),
            *superseded_problems(p, ids), *writer_advice_problems(p),
        ]
    ]  # fmt: skip


@cache
def _writer_advice() -> re.Pattern[str]:
    data = yaml.safe_load(WRITER_ADVICE_FILE.read_text(encoding="utf-8"))
    return re.compile("|".join(f"(?:{p})" for p in data["patterns"]), re.IGNORECASE)


def writer_advice_problems(passage: Passage) -> list[str]:
    """A clinical or legal passage whose text tells the letter's writer what to do ('When
    citing this guideline ..., quote the rating'): quoted to the plan, the advice would read as
    the source's own words (``writer_advice.yaml``). The argument notes may advise."""
    if passage.kind == "argument":
        return []
    found = _writer_advice().search(" ".join(passage.text.split()))
    if found is None:
        return []
    return [
        f"text: {found.group(0)!r} addresses the letter's writer, not what the source says: "
        "state the source's content only (advice on the letter belongs in an argument note)"
    ]


def superseded_problems(passage: Passage, ids: list[str]) -> list[str]:
    """A ``superseded_by`` pattern that names no other passage of the corpus."""
    after = passage.superseded_by
    if after is None or any(i != passage.id and fnmatch.fnmatchcase(i, after) for i in ids):
        return []
    return [f"superseded_by: {after!r} matches no other passage of the corpus"]


def unlisted_problems(passage: Passage) -> list[str]:
    """A service code that names no particular service (J3490 'unclassified drugs', 64999
    'unlisted procedure'): every request billed so would share it, whatever its drug."""
    return [
        f"services: {c!r} is an unclassified or unlisted code and names no treatment: leave it "
        "out (the passage's treatments name the drug or procedure)"
        for c in passage.services
        if is_unlisted(c)
    ]


def chapter_problems(passage: Passage) -> list[str]:
    """A condition that is a bare ICD-10-CM chapter letter ('C' fits every cancer, so a lung
    cancer screening passage mapped to it fits a breast cancer patient): the passage names the
    prefixes its text is about, or, about a whole chapter's patients, an ``applies_if`` fact
    (malignancy, behavioral_health)."""
    return [
        f"conditions: {c!r} is a whole ICD-10-CM chapter: name the prefixes the passage is "
        "about (C34 for lung cancer), or for any patient of the chapter an applies_if fact "
        "(malignancy, behavioral_health)"
        for c in passage.conditions
        if len(c) == 1
    ]


def corpus_hash(root: Path | None = None) -> str:
    """sha256 over the corpus files' sorted relative paths and bytes (detects any change), and
    over how their passages are read (``positions.FINGERPRINT``: the loader stores each
    passage's reading, so a change to the reader is a change to the loaded corpus)."""
    root = _resolve(root)
    digest = hashlib.sha256(READER.encode())
    for rel, path in _corpus_files(root):
        data = path.read_bytes()
        name = rel.encode()
        digest.update(len(name).to_bytes(8, "big") + name)
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def normalize_condition(code: str) -> str:
    """An ICD-10-CM code or prefix as a dotless upper-case prefix: 'm17.11' -> 'M1711'."""
    return code.replace(".", "").replace(" ", "").strip().upper()


def normalize_service(code: str) -> str:
    """A CPT/HCPCS code as stripped upper case."""
    return code.strip().upper()


# --------------------------------------------------------------------------- scanning


def _resolve(root: Path | None) -> Path:
    """The corpus root to use; InputError if it is not a directory."""
    root = Path(root) if root is not None else corpus_dir()
    if not root.is_dir():
        raise InputError(f"Corpus directory not found: {root} (set LMN_CORPUS_DIR)")
    return root


def _corpus_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(relative posix path, path) of each corpus YAML file, sorted by relative path."""
    found = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if any(part.startswith((".", "_")) for part in rel.parts):
            continue
        if path.suffix in (".yaml", ".yml") and path.is_file():
            found.append((rel.as_posix(), path))
    yield from sorted(found)


def _scan(root: Path) -> _Scan:
    """Read and validate every file; duplicate ids are checked across files."""
    scan = _Scan()
    seen: dict[str, str] = {}
    for rel, path in _corpus_files(root):
        for passage in _load_file(rel, path, scan.problems):
            if passage.id in seen:
                scan.problems.append(
                    f"{rel}: passage id {passage.id!r} duplicates one in {seen[passage.id]}"
                )
                continue
            seen[passage.id] = rel
            scan.passages.append(passage)
    if not scan.passages and not scan.problems:
        scan.problems.append(f"{root}: no passages found (expected YAML files with passages)")
    return scan


def _load_file(rel: str, path: Path, problems: list[str]) -> list[Passage]:
    """The passages of one file; problems are appended, bad passages skipped."""
    doc = _read_yaml(rel, path, problems)
    if doc is None:
        return []
    source, entries = doc
    source_problems = _check_source(rel, source)
    problems.extend(source_problems)
    if source_problems:
        return []
    passages = []
    for i, entry in enumerate(entries):
        passage = _build_passage(rel, i, source, entry, problems)
        if passage is not None:
            passages.append(passage)
    return passages


def _read_yaml(rel: str, path: Path, problems: list[str]) -> tuple[dict, list] | None:
    """(source, passages) of a file, or None after recording why it is unusable."""
    try:
        doc = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        problems.append(f"{rel}: invalid YAML{where}: {problem}")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{rel}: unreadable: {type(exc).__name__}")
        return None
    if not isinstance(doc, dict):
        problems.append(f"{rel}: top level must be a mapping with 'source' and 'passages'")
        return None
    source, entries = doc.get("source"), doc.get("passages")
    if not isinstance(source, dict):
        problems.append(f"{rel}: source: missing or not a mapping")
        return None
    if not isinstance(entries, list) or not entries:
        problems.append(f"{rel}: passages: missing, empty or not a list")
        return None
    return source, entries


def _check_source(rel: str, source: dict) -> list[str]:
    """Problems with the source mapping's own keys (unknown keys)."""
    unknown = sorted(set(source) - PASSAGE_FIELDS - PROVENANCE_KEYS)
    return [f"{rel}: source.{key}: unknown field" for key in unknown]


def _build_passage(
    rel: str, index: int, source: dict, entry: Any, problems: list[str]
) -> Passage | None:
    """Merge source and entry into a Passage, or record the first problem and return None."""
    if not isinstance(entry, dict):
        problems.append(f"{rel}: passages[{index}]: not a mapping")
        return None
    label = f"passage {entry['id']!r}" if entry.get("id") else f"passages[{index}]"
    problem = _entry_problem(entry, source)
    if problem is not None:
        problems.append(f"{rel}: {label}: {problem}")
        return None
    merged = {k: v for k, v in {**source, **entry}.items() if k in PASSAGE_FIELDS}
    merged["conditions"] = [normalize_condition(str(c)) for c in merged.get("conditions") or []]
    merged["services"] = [normalize_service(str(c)) for c in merged.get("services") or []]
    for key in (
        "categories", "plan_types", "applies_if", "keywords", "purpose", "population", "questions",
        "not_for", "steps",
    ):  # fmt: skip
        merged[key] = merged.get(key) or []
    merged["file"] = rel
    try:
        passage = Passage.model_validate(merged)
    except ValidationError as exc:
        problems.append(f"{rel}: {label}: {_first_error(exc)}")
        return None
    # what the passage's words say, derived once here (and stored with the index build)
    passage = with_reading(derive_stance(derive_population(passage)))
    if passage.indication and not (passage.treatments and passage.conditions):
        problems.append(
            f"{rel}: {label}: indication: an indication names its treatment (treatments) "
            "and the conditions it is for (conditions)"
        )
        return None
    return passage


def _entry_problem(entry: dict, source: dict) -> str | None:
    """The first problem with a passage entry before model validation, if any."""
    unknown = sorted(set(entry) - PASSAGE_FIELDS - PROVENANCE_KEYS)
    if unknown:
        return f"{unknown[0]}: unknown field"
    for key in REQUIRED_PASSAGE_FIELDS:
        if _empty(entry.get(key)):
            return f"{key}: missing or empty"
    for key in REQUIRED_SOURCE_FIELDS:
        value = entry[key] if key in entry else source.get(key)
        if _empty(value):
            return f"{key}: missing or empty (set source.{key} or the passage's {key})"
    problem = _verification_problem(entry, source)
    if problem is not None:
        return problem
    for key, allowed, what in (
        ("categories", _CATEGORIES, "denial category"),
        ("plan_types", _PLAN_TYPES, "plan type"),
        ("applies_if", _APPLICABILITY, "applicability condition"),
        ("purpose", _SERVICE_KINDS, "service kind"),
        ("population", _POPULATIONS, "population"),
        ("steps", _STEPS, "therapy step"),
        ("questions", _QUESTIONS, "question (a denial ground kind)"),
    ):
        values = entry[key] if key in entry else source.get(key)
        if values is not None and not isinstance(values, list):
            return f"{key}: must be a list"
        for value in values or []:
            if value not in allowed:
                return f"{key}: {value!r} is not a valid {what}"
    return None


def _verification_problem(entry: dict, source: dict) -> str | None:
    """Every passage states whether it was checked against its source, and against what.

    ``verified`` must be set (true or false) and ``verified_against`` present; a verified
    passage must name what it was checked against (null is allowed only when unverified).
    """
    for key in VERIFICATION_FIELDS:
        if key not in entry and key not in source:
            return f"{key}: missing (set source.{key} or the passage's {key}; null if unchecked)"
    merged = {key: entry.get(key, source.get(key)) for key in VERIFICATION_FIELDS}
    if not isinstance(merged["verified"], bool):
        return "verified: must be true or false"
    if merged["verified"] and _empty(merged["verified_against"]):
        return "verified_against: required when verified is true (name what it was checked against)"
    return None


def _empty(value: Any) -> bool:
    """True for a missing value, or a blank string."""
    return value is None or (isinstance(value, str) and not value.strip())


def _first_error(exc: ValidationError) -> str:
    """The first pydantic error as 'field: message'."""
    err = exc.errors()[0]
    loc = ".".join(str(part) for part in err["loc"]) or "passage"
    return f"{loc}: {err['msg']}"
