#!/usr/bin/env python3
"""Import FDA label indications into the corpus (coverage policies about one drug each).

Reads ``fda/fda_label_indications.jsonl`` of the shared public data (the "indicated for" text
of FDA structured product labels, per ingredient; U.S. Government work, public domain) and
writes ``corpus/coverage/fda_label_indications.yaml``: one passage per indication (with its
population, as the label states it), the label's words, mapped to the ICD-10-CM prefixes it names
(``corpus_import.ConditionMatcher``) and to the drug's names (``treatments``: the ingredient, its
first word and the product names), so that a label fits a case only when its drug is the
requested service and its indication the condition the request treats (``indication: true``
in the source, ``pipeline.relevance``). An ingredient whose text names no mapped
condition could never fit a case and is left out and counted.

Provenance per passage: ``source_id`` (ingredient and UNII), ``upstream_source`` (the file and
its date).

Usage::

    python scripts/import_fda_labels.py [INPUT_JSONL] [--output PATH]
"""

from __future__ import annotations

import re
from typing import Any

from corpus_import import ConditionMatcher, each_record, import_main, slug

SOURCE_FILE = "shared/data/fda/fda_label_indications.jsonl"
SOURCE_DATE = "2026-01-08"
"""When the upstream file (MedRecPro labelProductIndication.md) last changed."""
CATEGORIES = ["not_medically_necessary", "experimental_investigational", "step_therapy"]
MAX_PARTS = 8
"""Indications kept per ingredient (the first of a long label text)."""
SALT_WORDS = frozenset(
    [
        "acetate",
        "hydrochloride",
        "sodium",
        "potassium",
        "calcium",
        "sulfate",
        "maleate",
        "tartrate",
        "citrate",
        "phosphate",
        "mesylate",
        "besylate",
        "succinate",
        "fumarate",
        "bromide",
        "chloride",
        "hcl",
        "magnesium",
    ]
)


def drug_names(rec: dict[str, Any]) -> list[str]:
    """The names a request may use for the drug, lower case: the ingredient, its first word
    when that is not a salt word, and each product name of at least four letters."""
    ingredient = " ".join(rec["ingredient"].lower().split())
    names = [ingredient]
    first = ingredient.split()[0]
    if first not in SALT_WORDS and len(first) >= 4:
        names.append(first)
    for product in rec.get("product_names") or []:
        name = " ".join(str(product).lower().split())
        if len(name) >= 4 and not re.fullmatch(r"[\d\W]+", name):
            names.append(name)
    return list(dict.fromkeys(names))


def indications(text: str, matcher: ConditionMatcher) -> list[tuple[str, list[str]]]:
    """The label text's indications, one each: (its statement, the ICD-10-CM prefixes it is
    for). A line stating one indication is kept whole; a line stating several (its clauses,
    split at sentence ends and at 'to reduce', 'to treat' ..., name different conditions) is
    read clause by clause, each with the line's subject ('WEGOVY is indicated'). A clause
    that says no 'indicated' (a stray sentence of another section) or states a limitation is
    dropped; one stating what an earlier one states is kept once; and each condition belongs
    to the indication naming the fewest conditions (the first of those), so that a condition
    in another indication's population is not counted for it (Wegovy's cardiovascular risk
    reduction in adults 'with obesity or overweight' is for the cardiovascular disease, not
    the obesity); an indication left with no condition of its own states nothing new."""
    found: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        line = lead_first(LIMITATIONS.sub("", " ".join(line.split())))
        lead = LEAD.match(line)
        clauses = [c.strip(" :;") for c in CLAUSE.split(line)] if lead else [line]
        named = [(c, matcher.conditions(c, longest=True)) for c in clauses]
        if len({tuple(cs) for _, cs in named if cs}) <= 1:
            named = [(line, matcher.conditions(line, longest=True))]
        for clause, conditions in named:
            if not conditions or NOT_AN_INDICATION.search(clause):
                continue
            if lead and "indicated" not in clause:
                clause = f"{lead.group(0)} {clause}"
            if "indicated" in clause and all(conditions != seen for _, seen in found):
                found.append((clause, conditions))
    owner: dict[str, int] = {}
    for i, (_, conditions) in enumerate(found):
        for c in conditions:
            if c not in owner or len(conditions) < len(found[owner[c]][1]):
                owner[c] = i
    out = []
    for i, (clause, conditions) in enumerate(found):
        own = [c for c in conditions if owner[c] == i]
        if own:
            out.append((clause, own))
    return out


NOT_AN_INDICATION = re.compile(
    r"not been established|not indicated|not recommended|has not been studied|"
    r"\bLimitations of Use\b",
    re.IGNORECASE,
)
LIMITATIONS = re.compile(r"\bLimitations of Use:?\s*(?=(?:to|[A-Z][\w-]* is indicated)\b)")
"""The stray 'Limitations of Use' heading the upstream extract leaves before an indication."""
LEAD = re.compile(r"^.{0,120}?\bis indicated\b")
INDICATED = re.compile(r"\s(?:is|are) indicated\b")
_DANGLING = re.compile(r"[\s,;]*(?:\b(?:or|and)\b)?[\s,;]*$")


def _subject_start(words: list[str]) -> int:
    """Where the subject ending ``words`` begins ('... (NDD-CKD) Monoferric', '... arthritis
    Diclofenac Potassium Capsules', '... following: Alosetron tablets'): back over lower-case
    words to the first capitalised one, then over the capitalised run before it, stopping at
    a word that ends a phrase (a closing parenthesis, colon, comma or full stop)."""
    i = len(words)
    seen_capital = False
    while i > 0:
        word = words[i - 1]
        if i < len(words) and word[-1] in ").:,;":
            break
        capital = word[0].isupper()
        if seen_capital and not capital:
            break
        seen_capital = seen_capital or capital
        i -= 1
    return i if seen_capital else len(words)


def lead_first(line: str) -> str:
    """A line the upstream extract begins mid-sentence (list items, or the end of a cut
    sentence, stranded before the sentence that introduces them: 'who have intolerance to
    oral iron ... Monoferric is indicated for the treatment of iron deficiency anemia (IDA) in
    adult patients:') starts at its sentence saying what the drug is indicated for, with the
    stranded words after it: a list's items after its lead-in, a cut sentence's end as a
    clause of its own, which :func:`indications` reads with the line's subject. A passage a
    reader can follow from its first word."""
    if not line[:1].islower():
        return line
    verb = INDICATED.search(line)
    if verb is None:
        return line
    words = line[: verb.start()].split()
    at = _subject_start(words)
    stranded = _DANGLING.sub("", " ".join(words[:at]))
    if not stranded or at == len(words) or "indicated" in stranded:
        return line
    lead = " ".join([*words[at:], line[verb.start() :].strip()]).rstrip(" ,;")
    return f"{lead} {stranded}" if lead.endswith(":") else f"{lead.rstrip('.')}; {stranded}"
CLAUSE = re.compile(r"(?<=[.;])\s+|\s(?=to (?:reduce|treat|improve|prevent|decrease|delay)\b)")


PEDIATRIC_AGE = re.compile(r"pediatric patients(?: aged| age)? (\d+) years", re.IGNORECASE)
ADULTS = re.compile(r"\badults?\b|\badult patients\b", re.IGNORECASE)
YOUNGER = re.compile(r"pediatric|child|adolescen|infant|neonat|newborn", re.IGNORECASE)
ADULT_AGE = 18


def min_age(statement: str) -> int | None:
    """The youngest age the indication's population covers, when the statement is one
    indication and says it once: 'pediatric patients 12 years and older' -> 12; adults and
    nobody younger -> 18; else None (a list of indications, an age in months, no age)."""
    if "\u2022" in statement or statement.count("indicated") > 1:
        return None
    ages = PEDIATRIC_AGE.findall(statement)
    if len(ages) == 1:
        return int(ages[0])
    if not ages and ADULTS.search(statement) and not YOUNGER.search(statement):
        return ADULT_AGE
    return None


def indication_name(conditions: list[str]) -> str:
    """The indication's name from its first ICD-10-CM prefix's title ('Ulcerative colitis')."""
    import simple_icd_10_cm as icd

    code = conditions[0]
    try:
        title = str(icd.get_description(code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"))
    except ValueError:
        return code
    return f"{re.sub(r',? ?unspecified$', '', title, flags=re.I)} ({code})"


PH_ADJUSTERS = frozenset({"sodium hydroxide", "hydrochloric acid"})
"""Ingredients listed only to adjust the pH of other drugs' products: their records gather the
indications of unrelated products (amantadine, chlorhexidine rinse, liraglutide, Wegovy), so a
passage of one would cite another drug's label under a title naming still others."""


def passages_for(rec: dict[str, Any], matcher: ConditionMatcher) -> list[dict[str, Any]]:
    """One passage per indication of the ingredient's label text (see :func:`indications`),
    each fitting only a case whose treated condition is that indication. A pH adjuster's record
    gives none (:data:`PH_ADJUSTERS`)."""
    if rec["ingredient"].strip().lower() in PH_ADJUSTERS:
        return []
    text = (rec.get("indication_text") or "").strip()
    products = ", ".join((rec.get("product_names") or [])[:4])
    names = drug_names(rec)
    unii = (rec.get("unii") or "x").lower()
    out = []
    for i, (statement, conditions) in enumerate(indications(text, matcher)[:MAX_PARTS], 1):
        out.append(
            {
                "id": f"fda-label-{slug(rec['ingredient'], 4)}-{unii}-p{i}",
                "source_id": f"FDA label indications: {rec['ingredient']} (UNII {rec.get('unii')})",
                "upstream_source": f"{SOURCE_FILE} ({SOURCE_DATE})",
                "title": f"FDA-approved labeling: {rec['ingredient']} ({products})",
                "section": f"Indications and Usage: {indication_name(conditions)}",
                "recommendation": None,
                "text": statement,
                "services": [],
                "conditions": conditions,
                "treatments": names,
                "categories": CATEGORIES,
                "keywords": [*names[:4], "FDA-approved indication", "on-label use"],
            }
        )
        youngest = min_age(statement)
        if youngest is not None:
            out[-1]["min_age"] = youngest
    return out


def main(argv: list[str] | None = None) -> int:
    return import_main(argv, each_record(passages_for))


if __name__ == "__main__":
    raise SystemExit(main())
