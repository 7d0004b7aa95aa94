#!/usr/bin/env python3
"""Import USPSTF recommendations into the corpus (guidelines).

Reads ``uspstf/uspstf_recommendations.jsonl`` of the shared public data (derived from the
USPSTF Prevention TaskForce API export of 2024-05-02; AHRQ/USPSTF work, U.S. Government,
public domain) and writes ``corpus/guidelines/preventive_medicine/uspstf.yaml``:

* each ``specific`` recommendation as one passage: its text, its grade exactly as the Task
  Force gives it (``recommendation: Grade B``) and the grade's definition. The ACA
  (42 U.S.C. 300gg-13(a)(1)) requires coverage without cost sharing of A and B grades, which
  their keywords say;
* each ``general`` record's clinical considerations, split by their own headings.

Each passage is mapped to the ICD-10-CM prefixes of its topic (``corpus_import``); provenance:
``source_id`` (the API record id) and ``upstream_source`` (the file and the export's date).

Usage::

    python scripts/import_uspstf.py [INPUT_JSONL] [--output PATH]
"""

from __future__ import annotations

from typing import Any

from corpus_import import (
    ConditionMatcher,
    each_record,
    import_main,
    slug,
    split_paragraphs,
    treatment_names,
)

SOURCE_FILE = "shared/data/uspstf/uspstf_recommendations.jsonl"
EXPORT = "USPSTF Prevention TaskForce API export of 2024-05-02"
CATEGORIES = ["not_covered_benefit", "not_medically_necessary", "frequency_limit"]
_CC_HEADINGS = ("Clinical Considerations",)
MAX_CONSIDERATIONS = 3
"""Clinical-considerations passages kept per topic (the first: population, assessment,
screening or treatment), so the corpus does not grow by pages of implementation detail."""


def _year(rec: dict[str, Any]) -> int:
    return int(str(rec.get("pubDate") or rec.get("topic_year"))[:4])


def _specific(rec: dict[str, Any], conditions: list[str]) -> dict[str, Any]:
    grade = str(rec["grade"]).strip()
    keywords = [rec["topic"], rec.get("topic_type") or "", "USPSTF", "preventive services"]
    if grade in ("A", "B"):
        keywords += ["ACA preventive services", "no cost sharing", "42 U.S.C. 300gg-13"]
    population = rec["title"].split("--", 1)[-1].strip()
    text = rec["text"].strip()
    if rec.get("grade_definition"):
        text += f"\n\nGrade {grade}: {rec['grade_definition'].strip()}"
    return {
        "id": f"uspstf-{slug(rec['topic'])}-{rec['id']}",
        "source_id": f"USPSTF API specific recommendation {rec['id']}",
        "upstream_source": f"{SOURCE_FILE} ({EXPORT})",
        "title": f"{rec['topic']}: Recommendation Statement",
        "year": _year(rec),
        "section": f"Recommendation Summary: {population}",
        "recommendation": f"Grade {grade}",
        "text": text,
        "conditions": conditions,
        "keywords": [k for k in keywords if k],
        "url": rec.get("url") or "https://www.uspreventiveservicestaskforce.org/",
    }


def _considerations(rec: dict[str, Any], conditions: list[str]) -> list[dict[str, Any]]:
    text = (rec.get("clinical_considerations") or "").strip()
    out: list[dict[str, Any]] = []
    heading = "Clinical Considerations"
    chunks: list[tuple[str, list[str]]] = [(heading, [])]
    for line in text.splitlines():
        line = line.strip()
        if not line or line in _CC_HEADINGS:
            continue
        if len(line) < 80 and not line.endswith((".", ":", ";", ")")):
            chunks.append((line, []))
        else:
            chunks[-1][1].append(line)
    for sub, lines in chunks:
        body = "\n".join(lines).strip()
        if len(body) < 200:
            continue
        for i, part in enumerate(split_paragraphs(body), start=1):
            out.append(
                {
                    "id": f"uspstf-{slug(rec['topic'])}-cc{rec['id']}-{len(out) + 1}",
                    "source_id": f"USPSTF API general record {rec['id']} ({sub}, part {i})",
                    "upstream_source": f"{SOURCE_FILE} ({EXPORT})",
                    "title": f"{rec['topic']}: Recommendation Statement",
                    "year": _year(rec),
                    "section": f"Clinical Considerations: {sub}",
                    "recommendation": None,
                    "text": part,
                    "conditions": conditions,
                    "keywords": [rec["topic"], "USPSTF", "clinical considerations"],
                    "url": rec.get("url") or "https://www.uspreventiveservicestaskforce.org/",
                }
            )
    return out


def _services(title: str) -> list[str]:
    """The preventive services a recommendation is about, from its topic's part after the
    colon ('BRCA-Related Cancer: Risk Assessment, Genetic Counseling, and Genetic Testing' ->
    risk assessment, genetic counseling, genetic testing): it fits only when one of them is the
    requested service."""
    topic = title.removesuffix(": Recommendation Statement")
    tail = topic.split(":", 1)[1] if ":" in topic else topic
    pieces = tail.replace(", and ", ", ").replace(" and ", ", ").split(", ")
    names = list(dict.fromkeys(name for piece in pieces for name in treatment_names(piece)))
    return names or treatment_names(topic.split(":", 1)[0])  # '...: Interventions'


def passages_for(rec: dict[str, Any], matcher: ConditionMatcher) -> list[dict[str, Any]]:
    """The passages of one record; none when its topic and title name no mapped condition."""
    conditions = matcher.conditions(rec["topic"]) or matcher.conditions(rec["title"])
    # a topic naming cancer in general ('Vitamin ... to Prevent ... Cancer'): any malignancy
    facts = matcher.applies_if(f"{rec['topic']} {rec['title']}", conditions)
    if not conditions and not facts:
        return []
    if rec["record_type"] == "specific":
        passages = [_specific(rec, conditions)]
    else:
        passages = _considerations(rec, conditions)[:MAX_CONSIDERATIONS]
    for p in passages:
        p.update(services=[], categories=CATEGORIES, treatments=_services(p["title"]))
        if facts:
            p["applies_if"] = facts
    return passages


def main(argv: list[str] | None = None) -> int:
    return import_main(argv, each_record(passages_for))


if __name__ == "__main__":
    raise SystemExit(main())
