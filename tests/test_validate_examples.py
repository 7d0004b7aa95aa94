"""Mutation suite over every bundled example: each valid draft passes; each mutation is caught.

Every example is drafted by the real pipeline (offline engine), then each mutation edits the
Markdown as a user or a careless model might, and the exact finding code must fire as an error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from pipeline import letter_format as lf
from pipeline.casefile import load_case
from pipeline.codes import icd10_exists, icd10_is_billable
from pipeline.corpus import load_corpus
from pipeline.evidence import treatment_period
from pipeline.ingest import ingest
from pipeline.models import Draft, PriorTreatment
from pipeline.run import draft_letter
from pipeline.validate import FindingCode, validate_markdown

from .conftest import EXAMPLES

TODAY = dt.date(2026, 11, 23)


@cache
def drafted(example: Path) -> Draft:
    return draft_letter(
        ingest(str(example / "letter.txt")), load_case(example / "case.yaml"), today=TODAY
    )


def section_span(md: str, name: str) -> tuple[int, int]:
    start = md.index(f"\n## {name}\n")
    nxt = md.find("\n## ", start + 1)
    return start, len(md) if nxt < 0 else nxt


def edit_section(md: str, name: str, fn: Callable[[str], str]) -> str:
    start, end = section_span(md, name)
    return md[:start] + fn(md[start:end]) + md[end:]


# --------------------------------------------------------------------------- mutations


def drop_npi(md: str, d: Draft) -> str:
    return re.sub(r"^(\| NPI \|[^\n]*|NPI: [^\n]*)\n", "", md, flags=re.M)


def change_npi_digit(md: str, d: Draft) -> str:
    npi = d.case.physician.npi or ""
    return md.replace(npi, npi[:-1] + str((int(npi[-1]) + 1) % 10))


def icd10_nonexistent(md: str, d: Draft) -> str:
    code = d.case.diagnoses[0].code
    fake = f"{code[:3]}.Z9Z"
    assert not icd10_exists(fake)
    return edit_section(md, lf.DIAGNOSIS, lambda s: s.replace(code, fake, 1))


def icd10_header(md: str, d: Draft) -> str:
    code = d.case.diagnoses[0].code
    header = code[:3]
    assert icd10_exists(header) and not icd10_is_billable(header)
    return edit_section(md, lf.DIAGNOSIS, lambda s: s.replace(code, header, 1))


def _stated(md: str, t: PriorTreatment) -> str | None:
    """Where the letter states the treatment: its row of the prior-treatment table, else its
    line under a criterion (a treatment stated under a criterion is not repeated in the table)."""
    lines = md.splitlines()
    short = re.sub(r"\s*\([^)]*\)", "", t.name).strip()
    row = next((line for line in lines if line.startswith(f"| {t.name} |")), None)
    return row or next((line for line in lines if line.startswith(f"- {short}")), None)


def _first_medication(md: str, d: Draft, field: str, missing: str) -> tuple[PriorTreatment, str]:
    """The first medication that gives ``field``, and the line of the letter stating it."""
    meds = [t for t in d.case.prior_treatments if t.kind == "medication" and getattr(t, field)]
    if not meds:
        pytest.skip(missing)
    t = meds[0]
    line = _stated(md, t)
    assert line, f"the letter does not state {t.name}"
    return t, line


def drop_dose_unit(md: str, d: Draft) -> str:
    t, line = _first_medication(md, d, "dose", "no medication in this example")
    if line.startswith("| "):
        cells = line.split(" | ")
        cells[1] = re.sub(r"[^\d.,\s/-]", "", cells[1]).strip() or "1"
        return md.replace(line, " | ".join(cells))
    dose = lf.one_date_style(t.dose or "")  # the letter writes the case's dates in its style
    amount = re.sub(r"[^\d.,\s/-]", "", dose).strip() or "1"
    return md.replace(line, line.replace(f" {dose}", f" {amount}", 1))


def drop_frequency(md: str, d: Draft) -> str:
    t, line = _first_medication(
        md, d, "frequency", "no medication with a frequency in this example"
    )
    if line.startswith("| "):
        cells = line.split(" | ")
        cells[2] = ""
        return md.replace(line, " | ".join(cells))
    return md.replace(line, line.replace(f" {lf.one_date_style(t.frequency or '')}", "", 1))


def drop_duration(md: str, d: Draft) -> str:
    """Blank the first table row's Duration cell; with no table, take the period out of the
    first treatment's line under a criterion."""
    if d.case.prior_treatments and f"## {lf.PRIOR_TREATMENT}" in md:
        after = md.index(f"## {lf.PRIOR_TREATMENT}")
        row = next(
            (
                line
                for line in md[after:].splitlines()
                if line.startswith("| ") and not line.startswith(("| Treatment", "|---", "| |"))
            ),
            None,
        )
        if row:
            cells = row.split(" | ")
            cells[3] = ""
            return md.replace(row, " | ".join(cells))
    for t in d.case.prior_treatments:
        line = _stated(md, t)
        period = treatment_period(t, joiner=" – ", lead="")
        for stated in (f"since {period} (ongoing)", period, t.duration or ""):
            if line and stated and f", {stated}" in line:
                return md.replace(line, line.replace(f", {stated}", "", 1))
    pytest.skip("no prior treatment stated with a period in this example")


def delete_criterion(md: str, d: Draft) -> str:
    heads = list(lf.CRITERION_HEADING_RE.finditer(md))
    start = heads[-1].start()
    end = md.index("\n## ", start)
    return md[:start] + md[end + 1 :]


def cite_unretrieved(md: str, d: Draft) -> str:
    retrieved = {rp.passage.id for rp in d.passages}
    other = next(p for p in load_corpus() if p.id not in retrieved)
    n = len(lf.REFERENCE_LINE_RE.findall(md)) + 1
    md = edit_section(md, lf.CLINICAL_SUMMARY, lambda s: s.rstrip("\n") + f" [{n}]\n")
    line = lf.REFERENCE_LINE.format(number=n, reference=other.reference(), passage_id=other.id)
    return md.rstrip("\n") + "\n" + line + "\n"


def insert_number(md: str, d: Draft) -> str:
    return edit_section(
        md, lf.CLINICAL_SUMMARY, lambda s: s.rstrip("\n") + " Her walking distance was 7341 m.\n"
    )


def leave_placeholder(md: str, d: Draft) -> str:
    return edit_section(
        md, lf.CONSEQUENCES, lambda s: s.rstrip("\n") + " [MISSING: recent hospitalizations]\n"
    )


def drop_p2p_phone(md: str, d: Draft) -> str:
    phone = d.case.physician.phone or ""
    return edit_section(md, lf.PEER_TO_PEER, lambda s: s.replace(f" at {phone}", ""))


MUTATIONS: dict[str, tuple[Callable[[str, Draft], str], str]] = {
    "drop NPI": (drop_npi, FindingCode.NPI_MISSING),
    "change one NPI digit": (change_npi_digit, FindingCode.NPI_INVALID),
    "ICD-10 that does not exist": (icd10_nonexistent, FindingCode.ICD10_INVALID),
    "ICD-10 header code": (icd10_header, FindingCode.ICD10_NOT_BILLABLE),
    "drop a dose unit": (drop_dose_unit, FindingCode.DOSE_MISSING_UNIT),
    "drop a frequency": (drop_frequency, FindingCode.DOSE_MISSING_FREQUENCY),
    "drop a duration": (drop_duration, FindingCode.DURATION_MISSING),
    "delete a criterion section": (delete_criterion, FindingCode.CRITERIA_UNANSWERED),
    "cite an unretrieved passage": (cite_unretrieved, FindingCode.CITATION_NOT_RETRIEVED),
    "insert a number in no input": (insert_number, FindingCode.GROUNDING_UNSUPPORTED_NUMBER),
    "leave a placeholder": (leave_placeholder, FindingCode.PLACEHOLDER_LEFT),
    "drop the peer-to-peer phone": (drop_p2p_phone, FindingCode.P2P_NO_PHONE),
}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_unmutated_example_passes(example: Path) -> None:
    report = drafted(example).validation  # draft_letter validated it: no second run
    assert report is not None
    assert report.errors == [], [f.code for f in report.errors]


@pytest.mark.parametrize("mutation", MUTATIONS, ids=str)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_mutation_is_caught(example: Path, mutation: str) -> None:
    draft = drafted(example)
    mutate, code = MUTATIONS[mutation]
    mutated = mutate(draft.markdown, draft)
    assert mutated != draft.markdown, "the mutation changed nothing"
    report = validate_markdown(mutated, draft)
    assert code in {f.code for f in report.errors}, sorted({f.code for f in report.findings})
