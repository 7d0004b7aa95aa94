#!/usr/bin/env python3
"""Import public-domain U.S. Code subsections into the curated corpus.

Reads the JSONL file of U.S. Code chunks (default:
``../shared/data/regulations/us_code_appeals_sections.jsonl`` relative to the repo
root) and writes ``corpus/regulations/us_code.yaml`` in the corpus schema.

Statutory text is a work of the U.S. Government and is in the public domain
(17 U.S.C. 105), so the text is kept verbatim. Long subsections are split into
parts of at most ~1,800 characters at paragraph boundaries.

Usage::

    python scripts/import_regulations.py [INPUT_JSONL] [--output PATH]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from corpus_import import (
    CORPUS,
    REPO_ROOT,
    data_dir,
    read_jsonl,
    split_paragraphs,
    write_corpus_file,
)

DEFAULT_INPUT = data_dir() / "regulations" / "us_code_appeals_sections.jsonl"
DEFAULT_OUTPUT = CORPUS / "regulations" / "us_code.yaml"

MAX_CHARS = 1800
ID_RE = re.compile(r"^[a-z0-9][a-z0-9.-]*$")

VERIFIED_AGAINST = "U.S. Code text in shared/data/regulations (public domain)"
LICENSE = "Public domain (17 U.S.C. 105)"
ISSUING_BODY = "U.S. Congress (United States Code)"

# (title, section-prefix) -> plan types. Checked in order; first match wins.
PLAN_TYPES: list[tuple[str, str, list[str]]] = [
    ("29", "1133", ["erisa"]),
    ("29", "1185a", ["erisa"]),
    ("42", "300gg-", ["erisa", "aca_individual", "government_or_church"]),
    ("42", "1395w-22", ["medicare_advantage"]),
    ("42", "1395w-104", ["medicare_advantage", "medicare"]),
    ("42", "1395ff", ["medicare", "medicare_advantage"]),
    ("42", "1395y", ["medicare", "medicare_advantage"]),
    ("42", "1396d", ["medicaid"]),
]

# Denial categories each section helps answer.
_PARITY = ["level_of_care", "not_medically_necessary", "frequency_limit", "step_therapy"]
_EXCLUSIONS = ["not_medically_necessary", "not_covered_benefit", "experimental_investigational"]

CATEGORIES: list[tuple[str, str, list[str]]] = [
    ("29", "1133", ["administrative", "insufficient_documentation"]),
    ("29", "1185a", _PARITY),
    ("42", "300gg-13", ["not_covered_benefit"]),
    ("42", "300gg-19a", ["out_of_network", "administrative"]),
    ("42", "300gg-19", ["administrative", "not_medically_necessary"]),
    ("42", "300gg-26", _PARITY),
    ("42", "300gg-111", ["out_of_network"]),
    ("42", "300gg-131", ["out_of_network"]),
    ("42", "1395w-22", ["administrative", "not_medically_necessary"]),
    ("42", "1395w-104", ["administrative", "step_therapy"]),
    ("42", "1395ff", ["administrative", "not_medically_necessary"]),
    ("42", "1395y", _EXCLUSIONS),
    ("42", "1396d", ["not_medically_necessary", "not_covered_benefit"]),
]

KEYWORDS: dict[str, list[str]] = {
    "1133": ["ERISA", "claims procedure", "full and fair review", "denial notice"],
    "1185a": ["mental health parity", "MHPAEA", "substance use disorder", "ERISA"],
    "300gg-13": ["preventive services", "ACA", "no cost sharing"],
    "300gg-19": ["ACA appeals", "internal appeal", "external review"],
    "300gg-19a": ["patient protections", "emergency services", "ACA"],
    "300gg-26": ["mental health parity", "MHPAEA", "substance use disorder", "PHSA"],
    "300gg-111": ["No Surprises Act", "surprise billing", "emergency services", "out-of-network"],
    "300gg-131": ["No Surprises Act", "balance billing", "emergency services"],
    "1395w-22": ["Medicare Advantage", "reconsideration", "organization determination"],
    "1395w-104": ["Medicare Part D", "coverage determination", "exception", "appeal"],
    "1395ff": ["Medicare appeals", "redetermination", "reconsideration", "ALJ hearing"],
    "1395y": ["Medicare", "reasonable and necessary", "coverage determination", "NCD", "LCD"],
    "1396d": ["Medicaid", "EPSDT", "under 21", "medical necessity"],
}


# (title, section, subsection letter or "" for every one) -> facts that must hold before the
# provision applies (pipeline.models.Applicability; decided by pipeline.relevance).
APPLIES_IF: list[tuple[str, str, str, list[str]]] = [
    ("29", "1185a", "", ["behavioral_health"]),
    ("42", "300gg-26", "", ["behavioral_health"]),
    ("42", "300gg-19a", "a", ["emergency_or_out_of_network"]),  # choosing network providers
    ("42", "300gg-19a", "b", ["emergency_or_out_of_network"]),
    ("42", "300gg-19a", "c", ["emergency_or_out_of_network"]),  # a child's network pediatrician
    ("42", "300gg-19a", "d", ["obstetric_gynecological"]),
    ("42", "300gg-13", "", ["preventive_service"]),
    ("42", "300gg-111", "", ["emergency_or_out_of_network"]),
    ("42", "300gg-131", "", ["emergency_or_out_of_network"]),
    ("42", "1396d", "r", ["under_21"]),
]


NOT_FEHB: list[tuple[str, str]] = [("42", "300gg-")]
"""Provisions that do not govern a Federal Employees Health Benefits plan (its appeals follow
OPM's rules, 5 U.S.C. 8902 and 5 CFR 890): the Public Health Service Act's group and
individual market rules, which reach non-federal governmental plans only."""


def applies_if(title: str, section: str, citation: str) -> list[str]:
    """The applicability facts of a provision (see APPLIES_IF and NOT_FEHB)."""
    sub = re.search(r"\(([a-z0-9]+)\)", citation)
    letter = sub.group(1) if sub else ""
    facts: list[str] = []
    for t, sec, want, needed in APPLIES_IF:
        if t == title and sec == section and want in ("", letter):
            facts = list(needed)
            break
    if any(t == title and section.startswith(prefix) for t, prefix in NOT_FEHB):
        facts.append("not_fehb")
    return facts


def normalize_text(s: str) -> str:
    """Replace en/em dashes with ASCII hyphens."""
    return s.replace("\u2013", "-").replace("\u2014", "-")


def parse_citation(citation: str) -> tuple[str, str]:
    """Return (title, section) from e.g. '42 U.S.C. § 300gg-19(a)'."""
    m = re.match(r"^\s*(\d+)\s+U\.S\.C\.\s+§\s*([0-9A-Za-z\-\u2013]+)", citation)
    if not m:
        raise ValueError(f"unparseable citation: {citation!r}")
    return m.group(1), normalize_text(m.group(2))


def make_base_id(source_id: str) -> str:
    """Normalize a source id like 'usc-42-300gg–19-(a)-chunk4934' to 'usc-42-300gg-19-a'."""
    s = normalize_text(source_id).lower()
    s = re.sub(r"-+chunk\d+$", "", s)
    s = s.replace("(", "-").replace(")", "-")
    s = re.sub(r"[^a-z0-9.-]+", "-", s)
    s = re.sub(r"-{2,}", "-", s).strip("-.")
    if not ID_RE.match(s):
        raise ValueError(f"could not normalize id {source_id!r} -> {s!r}")
    return s


def strip_headings(text: str) -> str:
    """Drop the markdown heading lines (title/subtitle/section) that prefix each chunk."""
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    return "\n".join(lines).strip()


def _lookup(table: list[tuple[str, str, list[str]]], title: str, section: str) -> list[str]:
    for t, prefix, value in table:
        if t != title:
            continue
        if prefix.endswith("-"):
            if section.startswith(prefix):
                return list(value)
        elif section == prefix:
            return list(value)
    raise KeyError(f"no mapping for {title} U.S.C. {section}")


def section_url(title: str, section: str) -> str:
    return (
        "https://uscode.house.gov/view.xhtml?req=granuleid:"
        f"USC-prelim-title{title}-section{section}&num=0&edition=prelim"
    )


def build_passages(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    passages: list[dict[str, Any]] = []
    seen: set[str] = set()
    for rec in records:
        title, section = parse_citation(rec["citation"])
        base_id = make_base_id(rec["id"])
        body = strip_headings(rec["text"])
        parts = split_paragraphs(body, MAX_CHARS)
        heading = normalize_text(rec["section_heading"]).strip()
        sub = normalize_text(rec.get("subsection_heading") or "").strip()
        citation = normalize_text(rec["citation"]).strip()
        # "(a) In general" -> "In general" (the citation already carries "(a)").
        sub_name = re.sub(r"^\([0-9A-Za-z]+\)\s*", "", sub)
        section_label = f"{citation}, {sub_name}" if sub_name else citation
        for i, part in enumerate(parts, start=1):
            pid = base_id if len(parts) == 1 else f"{base_id}-p{i}"
            if pid in seen:
                raise ValueError(f"duplicate id {pid}")
            seen.add(pid)
            label = section_label
            if len(parts) > 1:
                label = f"{section_label} (part {i} of {len(parts)})"
            passages.append(
                {
                    "id": pid,
                    "source_id": rec["id"],
                    "title": heading,
                    "section": label,
                    "url": section_url(title, section),
                    "recommendation": None,
                    "text": part,
                    "services": [],
                    "conditions": [],
                    "categories": _lookup(CATEGORIES, title, section),
                    "plan_types": _lookup(PLAN_TYPES, title, section),
                    "applies_if": applies_if(title, section, citation),
                    "keywords": list(KEYWORDS.get(section, [])),
                    "upstream_source": rec.get("source"),
                }
            )
    return passages


def build_document(records: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "source": {
            "issuing_body": ISSUING_BODY,
            "short_body": "U.S. Congress",
            "title": (
                "United States Code: health-benefit claims, appeals, parity and coverage provisions"
            ),
            "version": None,
            "year": 2023,
            "url": "https://uscode.house.gov/",
            "license": LICENSE,
            "specialty": "law",
            "kind": "regulation",
            "verified": True,
            "verified_against": VERIFIED_AGAINST,
        },
        "passages": build_passages(records),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", nargs="?", default=str(DEFAULT_INPUT), help="U.S. Code JSONL file")
    ap.add_argument("--output", default=str(DEFAULT_OUTPUT), help="output YAML path")
    args = ap.parse_args(argv)

    in_path = Path(args.input)
    if not in_path.is_absolute() and not in_path.exists():
        in_path = REPO_ROOT / in_path
    records = list(read_jsonl(in_path))
    doc = build_document(records)
    write_corpus_file(
        Path(args.output), doc, "import_regulations.py", "public-domain U.S. Code text"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
