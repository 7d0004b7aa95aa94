#!/usr/bin/env python3
"""Import CMS National Coverage Determinations into the corpus (coverage policies).

Reads ``ncd/cms_ncd.jsonl`` of the shared public data (the CMS Coverage API export; a U.S.
Government work, public domain) and writes ``corpus/coverage/cms_ncd.yaml``: each current NCD
split into passages by its own section headings (parts of at most ~1,600 characters), each
mapped to the ICD-10-CM prefixes and HCPCS/CPT codes it covers (its title first, else its own
text; see ``corpus_import.ConditionMatcher``; an NCD listed in
``scripts/data/ncd_by_service.yaml`` applies by its items instead: no conditions, its items'
names and HCPCS codes) and to the names of the item or service it is
about (``treatments``, from its title: an NCD fits a case only when that service is
requested) and, for an NCD of one of Medicare's statutory benefits only (a screening or
preventive benefit: ``scripts/data/ncd_plan_types.yaml``), to the Medicare plan types it may
be cited to (``plan_types``). Retired NCDs, empty ones and passages that name no condition or
code (they could never fit a case) are left out and counted.

Provenance per passage: ``source_id`` (NCD id, CMS document id and version), ``upstream_source``
(the file and the record's last_updated date).

Usage::

    python scripts/import_ncd.py [INPUT_JSONL] [--output PATH]
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from corpus_import import (
    ConditionMatcher,
    import_main,
    service_codes,
    split_paragraphs,
    split_sections,
    treatment_names,
)

SOURCE_FILE = "shared/data/ncd/cms_ncd.jsonl"
BY_SERVICE = Path(__file__).resolve().parent / "data" / "ncd_by_service.yaml"
"""NCDs that apply by the item, not a diagnosis: their items' names and HCPCS code ranges."""
PROCEDURES = Path(__file__).resolve().parent / "data" / "ncd_procedures.yaml"
"""NCDs about one procedure: its CPT codes and other names, its conditions kept."""
PLAN_TYPES = Path(__file__).resolve().parent / "data" / "ncd_plan_types.yaml"
"""Medicare's statutory benefits whose NCDs are cited only to Medicare plans."""


def by_service(path: Path = BY_SERVICE) -> dict[str, tuple[list[str], list[str]]]:
    """NCD id -> (item names, every HCPCS code of its ranges) from ``path`` (default
    :data:`BY_SERVICE`; :data:`PROCEDURES` has the same shape)."""
    table = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        str(ncd): (list(entry["names"]), [c for r in entry["codes"] for c in _expand(r)])
        for ncd, entry in table.items()
    }


def _expand(span: str) -> list[str]:
    """'K0800-K0899' -> K0800 ... K0899; '63650-63688' -> 63650 ... 63688 (a HCPCS letter or
    none, then digits)."""
    first, _, last = span.partition("-")
    last = last or first
    letter = first[0] if first[0].isalpha() else ""
    width = len(first) - len(letter)
    start, end = int(first[len(letter) :]), int(last[len(letter) :])
    return [f"{letter}{n:0{width}d}" for n in range(start, end + 1)]


def benefit_categories(rec: dict[str, Any]) -> list[str]:
    """The NCD's benefit categories as the export lists them (comma-separated)."""
    return [k.strip() for k in (rec.get("benefit_category") or "").split(",") if k.strip()]


def plan_types_of(rec: dict[str, Any], table: dict[str, Any]) -> list[str]:
    """The plan types an NCD may be cited to: ``table``'s Medicare plan types when every
    benefit category of the NCD is one of its statutory Medicare benefits, else [] (every
    plan, as a clinical standard wherever it fits the condition and service)."""
    categories = benefit_categories(rec)
    if categories and all(c in table["medicare_benefits"] for c in categories):
        return list(table["medicare_benefit_plan_types"])
    return []


LICENSE = "Public domain (U.S. Government work, 17 U.S.C. 105)"


def _year(rec: dict[str, Any]) -> int:
    """The year of the version's effective date ('MM/DD/YYYY'); for a longstanding NCD whose
    effective date CMS has not posted, the year of its last update."""
    for key in ("effective_date", "last_updated"):
        with contextlib.suppress(ValueError):
            return dt.datetime.strptime(rec[key].strip(), "%m/%d/%Y").year
    raise ValueError(f"NCD {rec['document_display_id']}: no date")


def _texts(rec: dict[str, Any]) -> list[tuple[str, str]]:
    """(section heading, text) of a record: the item description, then its indications."""
    out = []
    if (rec.get("item_service_description") or "").strip():
        out += split_sections(rec["item_service_description"], "Item/Service Description")
    if (rec.get("indications_limitations") or "").strip():
        out += split_sections(
            rec["indications_limitations"], "Indications and Limitations of Coverage"
        )
    return out


def _union(lists: Iterable[list[str]]) -> list[str]:
    """The prefixes of every list, once, in order of first appearance."""
    return list(dict.fromkeys(c for conditions in lists for c in conditions))


def build_passages(
    records: list[dict[str, Any]], matcher: ConditionMatcher
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The passages and the counts of what was left out."""
    passages: list[dict[str, Any]] = []
    skipped = {"retired": 0, "empty": 0, "no_codes": 0}
    items = by_service()
    procedures = by_service(PROCEDURES)
    table = yaml.safe_load(PLAN_TYPES.read_text(encoding="utf-8"))
    for rec in records:
        title = rec["title"].strip()
        if "retired" in title.lower():
            skipped["retired"] += 1
            continue
        sections = _texts(rec)
        if not sections:
            skipped["empty"] += 1
            continue
        ncd = rec["document_display_id"]
        base = "cms-ncd-" + ncd.replace(".", "-").lower()
        title_conditions = matcher.conditions(title)
        title_services = service_codes(title)
        names, item_codes = items.get(ncd, ([], []))
        procedure_names, procedure_codes = procedures.get(ncd, ([], []))
        names, item_codes = [*names, *procedure_names], [*item_codes, *procedure_codes]
        plan_types = plan_types_of(rec, table)
        parts = [
            (heading, part, title_conditions or matcher.conditions(f"{heading} {part}"))
            for heading, body in sections
            for part in split_paragraphs(body)
        ]
        # the parts of one NCD are about the patients its opening names: when the title names
        # no condition, each part carries its own conditions and its first part's (a part on
        # the registry that tracks strokes is about the aortic-stenosis patients of the
        # opening, not about stroke patients)
        opening = parts[0][2] if parts else []
        n = 0
        for heading, part, own in parts:
            # 'cancer' with no named cancer: any malignancy (an applicability fact)
            facts = matcher.applies_if(f"{title} {heading} {part}", own)
            services = sorted(set(title_services) | set(service_codes(part)) | set(item_codes))
            if ncd in items:  # applies by the item: its conditions are only examples
                own, facts = [], []
            if not own and not services and not facts:
                skipped["no_codes"] += 1
                continue
            # a part that names its patients only by a chapter fact (any malignancy) is about
            # them: the opening's conditions beside the fact would make it fit only patients
            # with both (FDG PET for cancer 'about' a cardiac opening fit no cancer patient)
            conditions = [] if ncd in items or (facts and not own) else _union([own, opening])
            n += 1
            passages.append(
                {
                    "id": f"{base}-p{n}",
                    "source_id": (
                        f"NCD {ncd}; CMS document {rec['document_id']} "
                        f"version {rec['document_version']}"
                    ),
                    "upstream_source": (
                        f"{SOURCE_FILE} (CMS Coverage API export; last updated "
                        f"{rec['last_updated']})"
                    ),
                    "title": f"National Coverage Determination (NCD) {ncd}: {title}",
                    "version": f"Version {rec['document_version']}",
                    "year": _year(rec),
                    "section": heading.rstrip(":"),
                    "recommendation": None,
                    "text": part,
                    "services": services,
                    "conditions": conditions,
                    **({"applies_if": facts} if facts else {}),
                    "treatments": list(dict.fromkeys([*treatment_names(title), *names])),
                    "categories": ["not_medically_necessary", "not_covered_benefit"],
                    **({"plan_types": list(plan_types)} if plan_types else {}),
                    "keywords": benefit_categories(rec),
                    "url": rec.get("mcd_url") or "https://www.cms.gov/medicare-coverage-database/",
                }
            )
    return passages, skipped


def main(argv: list[str] | None = None) -> int:
    return import_main(argv, build_passages)


if __name__ == "__main__":
    raise SystemExit(main())
