"""Start a case file from the denial: `lmn case init LETTER` (and the page's "Start a case file").

What the denial already says is written in (patient, member id, claim reference, insurer,
diagnosis codes, the service code), each marked "from the denial: check"; every other field is
left empty and marked TODO with what to write. Before the treatments and findings, each payer
criterion is written as comments: its words, what the payer said of it, and for each typed
requirement what to document and in which field (the wording per kind is data in
case_guide.yaml). Opening the file in an editor is the whole onboarding; it loads as it is.
"""

from __future__ import annotations

import json
import re
import textwrap
import warnings
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .codes import normalize_icd10
from .fileio import load_yaml
from .models import (
    Criterion,
    DenialAnalysis,
    DenialLetter,
    Physician,
    Requirement,
    RequirementKind,
)

GUIDE_FILE = Path(__file__).with_name("case_guide.yaml")
WIDTH = 96
FROM_DENIAL = "from the denial: check"

_COMPARATOR_WORDS = {">=": "at least", ">": "more than", "<=": "at most", "<": "less than"}
_NAME_LABEL_RE = re.compile(
    r"^[ \t]*(?:Member|Patient|Enrollee|Beneficiary|Insured)?[ \t]*(?:Name)?[ \t]*:[ \t]*"
    r"(?P<name>[A-Za-z][A-Za-z.'’-]*(?:[ \t][A-Za-z][A-Za-z.'’-]*){1,4})(?=[ \t]{2,}|[ \t]*$)",
    re.M,
)
_LABEL_WORDS_RE = re.compile(r"^[ \t]*(Member|Patient|Enrollee|Beneficiary|Insured|Name)\b", re.I)
_NEXT_CODE_RE = re.compile(
    r"[;,]?[ \t]*(?:\b(?:CPT|HCPCS|ICD-10(?:-CM)?)\b[ \t:]*)?"
    r"(?<![\w.])(?:\d{5}|[A-Z]\d{2,4}(?:\.\w+)?)\b.*"
)
_TRAILING_RE = re.compile(r"(?:[ \t,;:]+(?:with|and|or|of|for|the|a|an|to|in|on))+$", re.I)
_NOT_NAMES = frozenset({"services", "id", "number", "plan", "group", "date", "dob", "address"})


class _KindGuide(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str
    document: str


class Guide(BaseModel):
    """case_guide.yaml: what to document per requirement kind and per payer status."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    requirements: dict[RequirementKind, _KindGuide]
    payer_status: dict[str, str]


@cache
def guide() -> Guide:
    return Guide.model_validate(load_yaml(GUIDE_FILE.read_text(encoding="utf-8")))


# --------------------------------------------------------------------------- read from the letter


def patient_name(text: str) -> str | None:
    """The patient's name where the letter labels it ('Member:', 'Patient Name:', 'Name:'),
    in the letter's spelling (title case when the letter shouts it); None when not labelled."""
    for m in _NAME_LABEL_RE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if not _LABEL_WORDS_RE.match(text[line_start : m.start("name")]):
            continue
        name = m.group("name").strip()
        words = name.split()
        if any(w.casefold().strip(".") in _NOT_NAMES for w in words):
            continue
        return _unshout(name)
    return None


def _unshout(text: str | None) -> str | None:
    """'CASCADE MUTUAL HEALTH PLAN' -> 'Cascade Mutual Health Plan'; other text as written."""
    return text.title() if text and text.isupper() else text


def code_description(text: str, code: str) -> str | None:
    """What the letter writes beside a code on its line ('G47.33 - Obstructive sleep apnea')."""
    pattern = re.escape(code).replace(r"\.", r"\.?")
    m = re.search(
        rf"(?<![\w.]){pattern}(?![\w])[ \t]*(?:[-–—:,(][ \t]*)?(?P<desc>[A-Za-z][^\n]*)", text
    )
    if not m:
        return None
    desc = re.split(r"[ \t]{2,}|[ \t]*\|", m.group("desc").strip())[0]
    desc = _NEXT_CODE_RE.split(desc)[0]
    depth = 0
    for i, ch in enumerate(desc):  # cut at a parenthesis closed that was never opened
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            desc = desc[:i]
            break
    while desc.count("(") > desc.count(")"):  # cut before an unclosed parenthesis
        desc = desc[: desc.rfind("(")]
    desc = _TRAILING_RE.sub("", desc.strip(" ,;:-"))
    if not re.search(r"[a-z]{3}", desc) or len(desc) > 160:
        return None
    return desc


def icd10_title(code: str) -> str | None:
    """The code's title in the ICD-10-CM code set (simple-icd-10-cm; its import takes a few
    seconds, once)."""
    with warnings.catch_warnings():  # its use of importlib.resources' legacy API
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm as cm

        try:
            return str(cm.get_description(code)) or None
        except ValueError:
            return None


# --------------------------------------------------------------------------- writing YAML


def _quote(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _line(indent: int, key: str, value: str | None, note: str) -> str:
    head = f"{' ' * indent}{key}:{' ' + value if value is not None else ''}"
    return f"{head:<40}  # {note}"


def _comment_block(text: str, indent: str = "#   ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


def _need(req: Requirement) -> str:
    if req.comparator is None or req.value is None:
        return ""
    word = _COMPARATOR_WORDS.get(req.comparator, "")
    value = f"{req.value:g}"
    unit = f" {req.unit}" if req.unit else ""
    return f" (the payer requires {word} {value}{unit})".replace("  ", " ")


def requirement_note(req: Requirement) -> str:
    """What to document for one requirement, from case_guide.yaml."""
    kind = guide().requirements[req.kind]
    classes = f" (classes named: {', '.join(req.classes)})" if req.classes else ""
    text = kind.document.format(
        subject=req.subject,
        need=_need(req),
        classes=classes,
        window=req.window or "within the window the criterion gives",
    )
    if req.each:
        text += ", for each one"
    return f"{req.kind.value}: {text} [{kind.field}]"


class CriterionGuide(BaseModel):
    """What one cited criterion needs documented, in plain words."""

    heading: str
    """'Criterion 2 (MP-DME-112): the payer says the records do not show it'."""
    text: str
    """The criterion's words, as the letter quotes them."""
    payer_reason: str | None = None
    notes: list[str]
    """One line per requirement (or alternative): what to document, and in which field."""


def criterion_guide(number: int, criterion: Criterion) -> CriterionGuide:
    source = f" ({criterion.source})" if criterion.source else ""
    status = guide().payer_status.get(criterion.payer_status, guide().payer_status["not_stated"])
    reqs = criterion.requirements
    alternatives = criterion.logic == "any" and len({r.branch for r in reqs}) > 1
    notes = ["One of these alternatives is enough:"] if alternatives else []
    for req in reqs:
        lead = f"alternative {req.branch + 1}, " if criterion.logic == "any" else ""
        notes.append(lead + requirement_note(req))
    if not reqs and criterion.payer_status != "met":
        notes.append(
            "document the treatments, findings or records that meet it "
            "[prior_treatments, objective_findings]"
        )
    return CriterionGuide(
        heading=f"Criterion {number}{source}: {status}",
        text=criterion.text,
        payer_reason=criterion.payer_reason,
        notes=notes,
    )


def criterion_notes(number: int, criterion: Criterion) -> list[str]:
    """The guide to one criterion as YAML comment lines."""
    g = criterion_guide(number, criterion)
    out = [f"# {g.heading}."]
    out += _comment_block(f'"{g.text}"')
    if g.payer_reason:
        out += _comment_block(f"The payer wrote: {g.payer_reason}")
    for note in g.notes:
        if note.endswith(":"):
            out.append(f"#   {note}")
            continue
        out += textwrap.wrap(note, WIDTH, initial_indent="#   - ", subsequent_indent="#       ")
    return out


_TREATMENT_TEMPLATE = """\
#   - name: "Sertraline"          # the drug, therapy, procedure or device
#     kind: medication            # medication, therapy, procedure, device or other
#     dose: "200 mg"              # amount with unit or form: "2 puffs", "1 drop", "thin layer"
#     frequency: "once daily"     # how often: "twice daily", "every 2 weeks", "as needed"
#     start: 2025-01-06           # YYYY-MM-DD
#     end: 2025-04-14
#     duration: "14 weeks"        # when start and end are not both known
#     outcome: "Inadequate response"
#     outcome_measure: "PHQ-9 22 -> 19"   # an objective measure of the outcome"""

_FINDING_TEMPLATE = """\
#   - kind: rating_scale          # rating_scale, lab, imaging, exam, vital or other
#     name: "PHQ-9"
#     value: "23"
#     date: 2026-10-08
#     interpretation: "Severe depression\""""

_CITATION_TEMPLATE = """\
#   - issuing_body: "American Academy of Sleep Medicine"   # who issued the source
#     title: "Treatment of adult obstructive sleep apnea with positive airway pressure"
#     year: "2019"                # year or version, e.g. "version 2.2024"
#     recommendation: "PAP for adults with OSA and excessive sleepiness"   # in your words
#     section: "Recommendation 1" # optional: where in the source
#     quote: "..."                # optional: an exact quotation, only if you have one
#     url: "https://..."          # optional: where to read it"""


def init_case(
    letter: DenialLetter,
    analysis: DenialAnalysis,
    physician: Physician | None = None,
    physician_note: str = FROM_DENIAL,
) -> str:
    """The case file's YAML text, pre-filled from the denial, with what to write as comments.
    ``physician``: what another source (an 835's rendering provider) says of who signs, written
    in marked ``physician_note``."""

    def known(value: str | None, indent: int, key: str, todo: str, note: str = FROM_DENIAL) -> str:
        if value:
            return _line(indent, key, _quote(value), note)
        return _line(indent, key, None, f"TODO: {todo}")

    signer = physician or Physician()

    def doctor(key: str, todo: str) -> str:
        return known(getattr(signer, key), 2, key, todo, physician_note)

    name = patient_name(letter.text)
    out = [
        f"# Case file for the appeal of a denial, started by `lmn case init` from {letter.source}.",
        "# Fields marked TODO are empty: fill them from the physician's records. Values marked",
        f'# "{FROM_DENIAL}" were read from the letter: correct them if the letter is wrong.',
        "# Lines starting with # are notes; the file loads as it is. Dates are YYYY-MM-DD.",
        "# Then: lmn draft LETTER --case THIS_FILE",
        "patient:",
        known(name, 2, "name", "the patient's full name"),
        _line(2, "date_of_birth", None, "TODO: YYYY-MM-DD"),
        known(analysis.member_id, 2, "member_id", "the member id on the insurance card"),
        known(analysis.claim_number, 0, "claim_reference", "the denial's claim or reference no."),
        known(_unshout(analysis.insurer), 0, "insurer", "the health plan's name"),
        "physician:                                # the physician who signs the letter",
        doctor("name", "full name, without 'Dr.'"),
        doctor("credentials", 'e.g. "MD, FACP"'),
        doctor("specialty", "e.g. Psychiatry"),
        doctor("npi", "10-digit NPI"),
        doctor("license", 'state licence, e.g. "WA MD60412345"'),
        doctor("practice_name", "the practice's name"),
        doctor("address", "practice address"),
        doctor("phone", "direct number for the peer-to-peer review"),
        doctor("fax", "the practice's fax number"),
    ]
    codes = [normalize_icd10(c) for c in analysis.icd10_codes]
    if codes:
        out.append("diagnoses:                                # primary first")
        for code in codes:
            out.append(_line(2, "- code", _quote(code), FROM_DENIAL))
            title = icd10_title(code)
            if title:
                out.append(_line(4, "description", _quote(title), "ICD-10-CM title: check"))
            else:
                out.append(_line(4, "description", None, "TODO: the diagnosis in words"))
    else:
        out.append(_line(0, "diagnoses", "[]", "TODO: ICD-10-CM code and description, primary"))
        out.append('#   - code: "F33.2"')
        out.append('#     description: "Major depressive disorder, recurrent, severe"')
    service_codes = [*analysis.cpt_codes, *analysis.hcpcs_codes]
    first = service_codes[0] if service_codes else None
    out.append("service:")
    out.append(known(first, 2, "code", "CPT or HCPCS code (none for a pharmacy drug)"))
    out.append(
        known(first and code_description(letter.text, first), 2, "description", "the service")
    )
    others = ", ".join(service_codes[1:])
    also = f"; the denial also names {others}" if others else ""
    out.append(_line(2, "details", None, f"TODO: quantity, schedule or setting{also}"))
    out.append(_line(0, "clinical_summary", None, "TODO: a few sentences on the history"))
    out.append("")
    out.append("# ---- What each criterion the payer cited needs documented " + "-" * 36)
    if not analysis.criteria:
        out.append("# lmn read no criterion in the letter: document what answers its reason.")
    for number, criterion in enumerate(analysis.criteria, 1):
        out += criterion_notes(number, criterion)
    out.append("# " + "-" * (WIDTH - 2))
    out.append("")
    out.append(_line(0, "prior_treatments", "[]", "TODO: each treatment tried; replace [] with:"))
    out.append(_TREATMENT_TEMPLATE)
    out.append(_line(0, "objective_findings", "[]", "TODO: scores, labs, imaging; [] becomes:"))
    out.append(_FINDING_TEMPLATE)
    out.append(
        _line(0, "consequences_of_denial", None, "TODO: what happens without it (10+ words)")
    )
    out.append(_line(0, "urgency", "standard", "or expedited, when waiting could seriously harm"))
    out.append(_line(0, "urgency_reason", None, "TODO if expedited: why waiting harms"))
    out.append(_line(0, "documents", "[]", "optional: records to enclose; [] becomes:"))
    out.append('#   - title: "Progress notes, antidepressant trials"\n#     date: 2025-01-06')
    out.append(_line(0, "conceded", "[]", "optional: criteria the physician does not dispute:"))
    out.append('#   - criterion: 1               # the letter then asks for an exception')
    out.append('#     reason: "AHI was 12.4, below 15"')
    out.append(
        _line(0, "citations", "[]", "optional: the physician's own sources, cited first:")
    )
    out.append(_CITATION_TEMPLATE)
    return "\n".join(out) + "\n"
