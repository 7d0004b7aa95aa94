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
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = (
    REPO_ROOT.parent / "shared" / "data" / "regulations" / "us_code_appeals_sections.jsonl"
)
DEFAULT_OUTPUT = REPO_ROOT / "corpus" / "regulations" / "us_code.yaml"

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


def split_paragraphs(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Greedily pack paragraphs into parts of at most max_chars (a single longer
    paragraph becomes its own part, split at line breaks or sentences if needed)."""
    if len(text) <= max_chars:
        return [text]
    paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    pieces: list[str] = []
    for p in paras:
        if len(p) <= max_chars:
            pieces.append(p)
            continue
        # Oversized paragraph: fall back to sentence boundaries.
        buf = ""
        for sent in re.split(r"(?<=[.;:])\s+", p):
            if buf and len(buf) + 1 + len(sent) > max_chars:
                pieces.append(buf)
                buf = sent
            else:
                buf = f"{buf} {sent}" if buf else sent
        if buf:
            pieces.append(buf)
    parts: list[str] = []
    cur = ""
    for piece in pieces:
        if cur and len(cur) + 2 + len(piece) > max_chars:
            parts.append(cur)
            cur = piece
        else:
            cur = f"{cur}\n\n{piece}" if cur else piece
    if cur:
        parts.append(cur)
    return parts


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
        parts = split_paragraphs(body)
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


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_representer)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", nargs="?", default=str(DEFAULT_INPUT), help="U.S. Code JSONL file")
    ap.add_argument("--output", default=str(DEFAULT_OUTPUT), help="output YAML path")
    args = ap.parse_args(argv)

    in_path = Path(args.input)
    if not in_path.is_absolute() and not in_path.exists():
        in_path = REPO_ROOT / in_path
    records = [
        json.loads(line)
        for line in in_path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    doc = build_document(records)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    header = (
        "# Generated by scripts/import_regulations.py from public-domain U.S. Code text.\n"
        "# Do not edit by hand; re-run the script instead.\n"
    )
    out.write_text(
        header + yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100),
        encoding="utf-8",
    )
    print(
        f"wrote {len(doc['passages'])} passages from {len(records)} source chunks to {out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
