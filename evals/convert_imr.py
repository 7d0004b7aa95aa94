"""Convert California DMHC Independent Medical Review decisions into eval cases.

Input: the JSON-lines sample in ``../shared/data/imr/`` (one IMR decision a line, with a
``Findings`` text). Output: ``evals/suites/imr.jsonl``, one case a line::

    {"id": "imr-<ReferenceID>", "source": "imr", "denial_letter": "<case summary>",
     "case": null, "expected": {"denial_categories": [...], "authorities": [...],
     "service": "...", "diagnosis": "..."}, "metadata": {... "Determination": ...}}

The ``denial_letter`` is what a claimant would know before review: what was requested
and the diagnosis (the plan's ground for denial, the IMR ``Type``, is the category label,
not input: see :func:`denial_letter`). Everything the reviewers concluded is dropped by
rules over the Findings structure (see :func:`case_summary`):

* the "Findings: N of the N reviewers found ..." verdict, "Final Result", the
  "should be overturned/upheld" sentence and "Credentials/Qualifications" are cut off;
* of the remaining narrative only the opening sentences are kept — the request, and
  plain statements about this patient — up to the first sentence that starts the
  reviewers' reasoning (a guideline, study or standard-of-care statement, a general
  claim that does not mention the patient, or a conclusion word such as "Therefore",
  "medically necessary", "beneficial", "supported").

The verdict is kept only in ``metadata.Determination``; scorers must not read it as
input. ``expected.authorities`` lists the guideline bodies the reviewers named (from the
full Findings, reasoning included), as the ``short_body`` acronyms the corpus uses;
statutes the reviewers applied (e.g. California's reconstructive surgery statute) go to
``expected.statutes`` instead.

Run: ``python evals/convert_imr.py [--input PATH] [--output PATH]``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = ROOT.parent / "shared/data/imr/ca_dmhc_imr_2025_sample35_with_findings.jsonl"
DEFAULT_OUTPUT = ROOT / "evals/suites/imr.jsonl"

METADATA_FIELDS = (
    "ReportYear",
    "DiagnosisCategory",
    "DiagnosisSubCategory",
    "TreatmentCategory",
    "TreatmentSubCategory",
    "Type",
    "Determination",
    "AgeRange",
    "PatientGender",
)
"""Dataset fields copied into each case's metadata (Determination is the verdict)."""

# IMR "Type" -> the pipeline's DenialCategory values.
_TYPE_CATEGORIES = (
    ("experimental", ["experimental_investigational"]),
    ("investigational", ["experimental_investigational"]),
    ("medical necessity", ["not_medically_necessary"]),
    ("urgent", ["not_medically_necessary"]),
)

# Phrases naming an issuing body -> the corpus short_body acronym. Full names are matched
# case-insensitively; bare acronyms only as whole upper-case words.
AUTHORITY_NAMES: dict[str, tuple[str, ...]] = {
    "ACR": ("American College of Radiology", "American College of Rheumatology"),
    "NCCN": ("National Comprehensive Cancer Network",),
    "AAN": ("American Academy of Neurology",),
    "ACC": ("American College of Cardiology",),
    "AHA": ("American Heart Association",),
    "HRS": ("Heart Rhythm Society",),
    "ACOG": ("American College of Obstetricians and Gynecologists",),
    "ADA": ("American Diabetes Association",),
    "APA": ("American Psychiatric Association",),
    "ASAM": ("American Society of Addiction Medicine",),
    "NICE": ("National Institute for Health and Care Excellence",),
    "USPSTF": (
        "U.S. Preventive Services Task Force",
        "US Preventive Services Task Force",
        "United States Preventive Services Task Force",
    ),
    "AAOS": ("American Academy of Orthopaedic Surgeons", "American Academy of Orthopedic Surgeons"),
    "AGA": ("American Gastroenterological Association",),
    "ACG": ("American College of Gastroenterology",),
    "ASCO": ("American Society of Clinical Oncology",),
    "NASS": ("North American Spine Society",),
    "ATA": ("American Thyroid Association",),
    "AAP": ("American Academy of Pediatrics",),
    "ACS": ("American Cancer Society",),
    "AASM": ("American Academy of Sleep Medicine",),
    "ASMBS": ("American Society for Metabolic and Bariatric Surgery",),
    "ASTRO": ("American Society for Radiation Oncology",),
    "AAD": ("American Academy of Dermatology",),
    "ACMG": ("American College of Medical Genetics",),
    "Endocrine Society": ("Endocrine Society",),
    "Hayes": ("Hayes, Inc", "Hayes Inc", "Hayes Knowledge Center", "Hayes technology"),
    "UpToDate": ("UpToDate",),
    "FDA": ("Food and Drug Administration",),
    "CMS": ("Centers for Medicare",),
}
STATUTE_NAMES: dict[str, tuple[str, ...]] = {
    "Cal. H&S Code 1367.63": ("reconstructive surgery statute",),
    "Cal. H&S Code 1374.72": ("SB 855", "Senate Bill 855"),
    "42 U.S.C. 1396d(r)": ("Early and Periodic Screening", "EPSDT"),
}
"""Statutes the reviewers applied -> a short citation (kept apart from guideline bodies)."""
_AMBIGUOUS = frozenset(
    {"APA", "ACS", "AAD", "ACMG", "CMS", "Endocrine Society", "Hayes", "UpToDate"}
)
"""AUTHORITY_NAMES keys that count only when a full name appears: acronyms with other
meanings, and keys that are not acronyms; every other key also counts as a bare acronym."""

# Where the verdict and credentials start: everything from here on is dropped.
_VERDICT_START = re.compile(
    r"Findings:\s*(?:One|Two|Three|Four|Five|All|\d+)\b[^.]*?reviewers?\b"
    r"|Final Result:|Credentials/Qualifications",
    re.IGNORECASE,
)
_PREAMBLE = re.compile(
    r"^\s*(?:Findings:\s*)?(?:The (?:physician )?reviewers? found that\s*)?"
    r"(?:Nature of Statutory Criteria/Case Summary:\s*)?",
    re.IGNORECASE,
)
# A sentence that starts (or is) the reviewers' reasoning or conclusion.
_REASONING = re.compile(
    r"\b(?:reviewers?|standard|however|in this case|according|stud(?:y|ies)|literature|"
    r"guidelines?|evidence|meta-analysis|recommend\w*|therefore|thus|as such|all told|"
    r"overall|given|for these reasons|in conclusion|in summary|accordingly|consequently|"
    r"necessary|beneficial|benefit|indicated|appropriate|support\w*|criteria|likely|"
    r"approved|effective|efficacy|safe(?:ty)?|overturn\w*|upheld|uphold|"
    r"final result|credentials)\b",
    re.IGNORECASE,
)
# A kept sentence must be about this patient or the request (general claims are reasoning).
_ABOUT_PATIENT = re.compile(
    r"\b(?:patient|requested|request|parent|enrollee|records?)\b", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])|(?<=[a-z)][.!?])(?=[A-Z])")
_ABBREVIATIONS = (
    "Inc.",
    "Co.",
    "Corp.",
    "Ltd.",
    "Dr.",
    "Mr.",
    "Ms.",
    "Mrs.",
    "U.S.",
    "e.g.",
    "i.e.",
    "vs.",
    "No.",
    "St.",
)
LEAK_MARKERS = ("overturn", "upheld", "uphold", "final result", "credentials", "reviewer")
"""Strings no denial_letter may contain (checked case-insensitively)."""


def categories_for(imr_type: str) -> list[str]:
    """The expected denial categories for an IMR ``Type`` value ([] if unknown)."""
    lowered = imr_type.lower()
    for needle, categories in _TYPE_CATEGORIES:
        if needle in lowered:
            return list(categories)
    return []


def extract_authorities(findings: str) -> list[str]:
    """Short-body acronyms of the guideline bodies a Findings text names, sorted."""
    found: set[str] = set()
    lowered = findings.lower()
    for short, names in AUTHORITY_NAMES.items():
        by_name = any(name.lower() in lowered for name in names)
        acronym = rf"(?<![A-Za-z]){re.escape(short)}(?![A-Za-z])"
        if by_name or (short not in _AMBIGUOUS and re.search(acronym, findings)):
            found.add(short)
    return sorted(found)


def extract_statutes(findings: str) -> list[str]:
    """Short citations of the statutes a Findings text applies, sorted."""
    lowered = findings.lower()
    return sorted(
        short
        for short, names in STATUTE_NAMES.items()
        if any(name.lower() in lowered for name in names)
    )


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences (also where a period is followed directly by a capital).

    A break right after a common abbreviation ("Inc.", "U.S.", "e.g.") is rejoined.
    """
    sentences: list[str] = []
    for piece in (p.strip() for p in _SENTENCE_END.split(text)):
        if not piece:
            continue
        if sentences and sentences[-1].endswith(_ABBREVIATIONS):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


def case_summary(findings: str) -> str:
    """The request part of a Findings text: the verdict, reasoning and credentials removed."""
    narrative = _VERDICT_START.split(findings, maxsplit=1)[0]
    narrative = _PREAMBLE.sub("", narrative, count=1)
    kept: list[str] = []
    for sentence in split_sentences(narrative):
        if kept and (_REASONING.search(sentence) or not _ABOUT_PATIENT.search(sentence)):
            break
        if not kept and not re.search(r"\brequest", sentence, re.IGNORECASE):
            break  # no recognisable request sentence: keep nothing rather than guess
        kept.append(sentence)
    if kept:
        kept[0] = kept[0][0].upper() + kept[0][1:]
    return " ".join(kept)


def denial_letter(record: dict) -> str:
    """The eval input text: diagnosis, requested service and the summary.

    The plan's ground for denial is NOT written in: it is the label (IMR Type) that the
    category scorer checks, and the published summaries do not state it.
    """
    summary = case_summary(record.get("Findings", ""))
    diagnosis = record.get("DiagnosisSubCategory", "")
    diagnosis_group = record.get("DiagnosisCategory", "")
    treatment = record.get("TreatmentSubCategory", "")
    treatment_group = record.get("TreatmentCategory", "")
    lines = [
        "Independent Medical Review case summary (California DMHC).",
        f"Diagnosis: {diagnosis} ({diagnosis_group}).",
        f"Treatment: {treatment} ({treatment_group}).",
    ]
    if summary:
        lines.append(summary)
    return "\n".join(lines)


def convert_record(record: dict) -> dict:
    """One IMR record as an eval case (raises ValueError if the text would leak the verdict)."""
    ref = str(record.get("ReferenceID", "")).strip()
    if not ref:
        raise ValueError("record has no ReferenceID")
    letter = denial_letter(record)
    lowered = letter.lower()
    leaked = [m for m in LEAK_MARKERS if m in lowered]
    if leaked:
        raise ValueError(f"imr-{ref}: case summary still contains {leaked[0]!r}")
    return {
        "id": f"imr-{ref}",
        "source": "imr",
        "denial_letter": letter,
        "case": None,
        "expected": {
            "denial_categories": categories_for(record.get("Type", "")),
            "authorities": extract_authorities(record.get("Findings", "")),
            "statutes": extract_statutes(record.get("Findings", "")),
            "service": record.get("TreatmentSubCategory", ""),
            "diagnosis": record.get("DiagnosisSubCategory", ""),
        },
        "metadata": {key: record.get(key) for key in METADATA_FIELDS},
    }


def read_records(path: Path) -> Iterable[dict]:
    """The JSON objects of a JSON-lines file (ValueError naming the bad line)."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: invalid JSON ({exc.msg})") from None
            if not isinstance(record, dict):
                raise ValueError(f"{path}:{number}: expected a JSON object")
            yield record


def convert(input_path: Path = DEFAULT_INPUT, output_path: Path | None = None) -> list[dict]:
    """Convert every record; write JSON lines to ``output_path`` if given. Returns the cases."""
    cases = [convert_record(r) for r in read_records(Path(input_path))]
    if output_path is not None:
        output_path = Path(output_path)
        output_path.parent.mkdir(parents=True, exist_ok=True)
        with output_path.open("w", encoding="utf-8") as handle:
            for case in cases:
                handle.write(json.dumps(case, ensure_ascii=False) + "\n")
    return cases


def main(argv: list[str] | None = None) -> int:
    """CLI entry point: convert, print a one-line summary; one-line errors, exit 1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    if not args.input.is_file():
        print(f"error: input not found: {args.input}", file=sys.stderr)
        return 1
    if args.output.resolve() == args.input.resolve():
        print("error: --output must differ from --input", file=sys.stderr)
        return 1
    try:
        cases = convert(args.input, args.output)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    with_auth = sum(1 for c in cases if c["expected"]["authorities"])
    print(f"wrote {len(cases)} cases ({with_auth} naming a guideline body) to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
