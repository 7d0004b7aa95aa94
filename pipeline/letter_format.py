"""The Markdown layout of a letter: the contract between the drafter and the validator.

The validator reads letters (including ones a user edited by hand) through these names and
patterns only, so a heading renamed here is renamed for both.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from typing import Protocol

TITLE = "# Letter of Medical Necessity"
DRAFT_BANNER = (
    "**DRAFT — not ready to send: complete every [bracketed field], then validate again.**"
)

# Level-2 section headings, in the order the letter gives them.
IDENTIFICATION = "Identification"
DIAGNOSIS = "Diagnosis"
REQUESTED_SERVICE = "Requested service"
CLINICAL_SUMMARY = "Clinical summary"
PRIOR_TREATMENT = "Prior treatment"
OBJECTIVE_FINDINGS = "Objective findings"
CRITERIA = "Response to each criterion cited in the denial"
CONSEQUENCES = "Consequences of denial"
LEGAL_BASIS = "Legal basis for this appeal"
REQUEST = "Request"
PEER_TO_PEER = "Peer-to-peer review"
SIGNATURE = "Signature"
ENCLOSURES = "Enclosures"
REFERENCES = "References"

SECTION_ORDER: tuple[str, ...] = (
    IDENTIFICATION,
    DIAGNOSIS,
    REQUESTED_SERVICE,
    CLINICAL_SUMMARY,
    PRIOR_TREATMENT,
    OBJECTIVE_FINDINGS,
    CRITERIA,
    CONSEQUENCES,
    LEGAL_BASIS,
    REQUEST,
    PEER_TO_PEER,
    SIGNATURE,
    ENCLOSURES,
    REFERENCES,
)

# Sections a letter must have (Objective findings and Enclosures may be absent when the case has
# none).
REQUIRED_SECTIONS: tuple[str, ...] = tuple(
    s
    for s in SECTION_ORDER
    if s not in (PRIOR_TREATMENT, OBJECTIVE_FINDINGS, ENCLOSURES, REFERENCES)
)
"""Prior treatment is left out when every treatment is stated under the criterion it answers;
References when the letter cites nothing (a section announcing 'No passage is cited' reads as a
template's; the missing citation is the physician's gap, in the review file)."""

# The table up front: one row per cited criterion.
SUMMARY_COLUMNS: tuple[str, ...] = ("Plan requirement", "Where documented", "Met")

# "### Criterion 2 — InterQual 2025 ...", "### Criterion 3.2.3 — ...": one level-3 heading per
# cited criterion, named by the payer's own label when the notice labels each criterion apart
# (:func:`criterion_names`), else numbered from 1 in the order of DenialAnalysis.criteria.
CRITERION_HEADING = "### Criterion {number}"
_NAME = r"[\w.()]+(?:-[\w.()]+)*"
"""A criterion's name: a number or the payer's label ('3.2.3', 'B2', 'II.c', '(iv)', 'II-2')."""
CRITERION_HEADING_RE = re.compile(rf"^### Criterion ({_NAME}?)(?=[ \t]|$).*$", re.MULTILINE)

# The criteria the notice found met share one sentence in place of a section each: "Your notice
# found criteria 1 and 2 met; I do not argue them further."
MET_BY_NOTICE_RE = re.compile(
    rf"Your notice found criteri(?:on|a) ({_NAME}?(?:(?:, | and ){_NAME}?)*) met\b"
)
# The alternatives not relied on (another member of their one-of group is met) share one too: "I
# do not rely on criteria I.C and III.A: your policy needs only one of ..., and ... meets ...".
NOT_RELIED_RE = re.compile(
    rf"I do not rely on criteri(?:on|a) ({_NAME}?(?:(?:, | and ){_NAME}?)*):"
)
# Those the notice itself marks not applicable share one too: "Your notice marks criteria B and
# J not applicable; I do not argue them."
NOT_APPLICABLE_BY_NOTICE_RE = re.compile(
    rf"Your notice marks criteri(?:on|a) ({_NAME}?(?:(?:, | and ){_NAME}?)*) not applicable\b"
)


class _Labelled(Protocol):
    @property
    def label(self) -> str | None: ...


def criterion_names(criteria: Sequence[_Labelled]) -> list[str]:
    """Each criterion's name in the letter, in the order of ``DenialAnalysis.criteria``: the
    payer's own label ('3.2.3', '4.1', 'B2', '(iv)', 'II.3') wherever the notice gives one that
    no other criterion shares, so the letter names each as the notice does; a criterion the
    notice labels not (or labels as another) by its number from 1. When such a number is
    another criterion's label, every criterion is named by its number."""
    labels = [c.label for c in criteria]
    own = [
        str(label) if label and re.fullmatch(_NAME, label) and labels.count(label) == 1 else None
        for label in labels
    ]
    names = [name or str(n) for n, name in enumerate(own, 1)]
    numbered = {name for name, label in zip(names, own, strict=True) if label is None}
    if numbered & {label for label in own if label}:
        return [str(n) for n in range(1, len(labels) + 1)]
    return names


PAYER_NOT_APPLICABLE = "your notice marks it not applicable"
"""Why a criterion the notice itself found not applicable ('N/A') is not argued, in one
clause (``CriterionVerdict.not_applicable``)."""


def named_list(names: Sequence[str]) -> str:
    """'criterion 2', 'criteria 1 and 2', 'criteria 4.1, 4.3 and 4.5'."""
    if len(names) == 1:
        return f"criterion {names[0]}"
    return "criteria " + ", ".join(names[:-1]) + f" and {names[-1]}"


def met_by_notice_sentence(names: Sequence[int | str]) -> str:
    """The one sentence that answers every criterion the notice found met."""
    listed = named_list([str(n) for n in names])
    it = "it" if len(names) == 1 else "them"
    return f"Your notice found {listed} met; I do not argue {it} further."


def criterion_number(name: str, names: Sequence[str] | None = None) -> int:
    """The criterion number (from 1) a name in the letter stands for (``names``: the letter's
    :func:`criterion_names`; without them, a number names itself); -1 when none."""
    if names is not None:
        return names.index(name) + 1 if name in names else -1
    return int(name) if name.isdigit() and len(name) < 6 else -1


def met_by_notice(
    markdown: str, names: Sequence[str] | None = None, pattern: re.Pattern[str] = MET_BY_NOTICE_RE
) -> set[int]:
    """The criterion numbers the letter's met-by-notice sentence names (``pattern``: the
    not-applicable sentence's, for those)."""
    return {
        criterion_number(n, names)
        for m in pattern.finditer(markdown)
        for n in re.split(r", | and ", m.group(1))
    } - {-1}


def not_relied_sentence(names: Sequence[int | str], why: str, patient: str, met: str) -> str:
    """The one sentence that answers every alternative the letter does not rely on (``why``:
    what the one-of groups need, 'your policy needs only one of criteria 1, 2 and 3'; ``met``:
    the members met, named)."""
    return (
        f"I do not rely on {named_list([str(n) for n in names])}: {why}, and {patient} meets {met}."
    )


def not_applicable_sentence(names: Sequence[int | str]) -> str:
    """The one sentence that answers every criterion the notice marks not applicable."""
    listed = named_list([str(n) for n in names])
    it = "it" if len(names) == 1 else "them"
    return f"Your notice marks {listed} not applicable; I do not argue {it}."


# In-text citation: [1], [2] ... (also [1, 3]); resolved through the References list.
CITATION_RE = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")

# A References entry: "1. <Passage.reference()> (ref: <passage id>)"
REFERENCE_LINE = "{number}. {reference} (ref: {passage_id})"
REFERENCE_LINE_RE = re.compile(r"^(\d+)\. (.+) \(ref: ([a-z0-9][a-z0-9.\-]*)\)\s*$", re.MULTILINE)

# A reference to enclosed records: "Enclosure 2", "Enclosures 2, 3", "Enclosures 2 and 3"
# (numbers of the Enclosures list, structural like citation numbers).
ENCLOSURE_REF_RE = re.compile(r"\bEnclosures? (\d+(?:(?:, | and )\d+)*)")

# A gap left in a DRAFT: "[MISSING: physician NPI (physician.npi)]"; a value the case gives
# that fails its check: "[CHECK: NPI 1234567890 fails the NPI check digit; confirm
# physician.npi]".
PLACEHOLDER = "[MISSING: {what}]"
CHECK_PLACEHOLDER = "[CHECK: {what}]"
PLACEHOLDER_RE = re.compile(r"\[(?:MISSING|CHECK):[^\]]*\]")

SECTION_HEADING_RE = re.compile(r"^## (.+?)\s*$", re.MULTILINE)


def heading(name: str) -> str:
    """The Markdown line for a level-2 section."""
    return f"## {name}"


def section_bounds(markdown: str) -> Iterator[tuple[re.Match[str], int]]:
    """Each level-2 heading's match, with where its section ends (the next level-2 heading)."""
    matches = list(SECTION_HEADING_RE.finditer(markdown))
    for i, m in enumerate(matches):
        yield m, matches[i + 1].start() if i + 1 < len(matches) else len(markdown)


RESUBMISSION_BASIS = "Basis for this resubmission"
"""The legal-basis section's heading in a letter that resubmits a request no appeal lies from
(an Original Medicare prior authorization that was not affirmed): that letter is no appeal."""
REVIEW_BASIS = "Legal basis for this request"
"""The legal-basis section's heading in a letter asking the next level (external review, OPM,
a fair hearing) to review the plan's final internal decision."""
ROUTE_HEADINGS: dict[str, str] = {RESUBMISSION_BASIS: LEGAL_BASIS, REVIEW_BASIS: LEGAL_BASIS}
"""Headings a letter's route writes in a section's place, by the section they stand for."""


def section_name(heading_text: str) -> str:
    """The section a level-2 heading stands for (a route's own heading is its section's)."""
    return ROUTE_HEADINGS.get(heading_text, heading_text)


def split_sections(markdown: str) -> dict[str, str]:
    """Map each level-2 heading to its body (text up to the next level-2 heading); a route's
    own heading (:data:`ROUTE_HEADINGS`) is read as the section it stands for."""
    sections: dict[str, str] = {}
    for m, end in section_bounds(markdown):
        sections.setdefault(section_name(m.group(1)), markdown[m.end() : end].strip("\n"))
    return sections


# Labels of the Identification table ("| Label | value |") and of the signature block lines
# ("Label: value"). The validator finds the identifying facts through these labels.
ID_PATIENT = "Patient"
ID_DOB = "Date of birth"
ID_MEMBER = "Member ID"
ID_CLAIM = "Claim / reference number"
ID_INSURER = "Health plan"
ID_PHYSICIAN = "Treating physician"
ID_NPI = "NPI"
ID_LICENSE = "State licence"
ID_DENIAL_DATE = "Date of denial"

SIG_NPI = "NPI"
SIG_LICENSE = "State licence"
SIG_PHONE = "Phone"
SIG_FAX = "Fax"

# The prior-treatment table's columns, in order.
PRIOR_TREATMENT_COLUMNS: tuple[str, ...] = ("Treatment", "Dose", "Frequency", "Duration", "Outcome")
NOT_APPLICABLE = "n/a"
"""Table cell for a dose or frequency that does not apply (e.g. the dose of a therapy)."""

DATE_FORMAT = "%B %-d, %Y"
"""How the letter writes dates: 'March 3, 2026'."""


def fmt_date(d: dt.date) -> str:
    """A date as the letter writes it."""
    return d.strftime(DATE_FORMAT)


_ISO_DATE_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_US_DATE_RE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_ISO_MONTH_RE = re.compile(r"(?<![\w/.-])((?:19|20)\d{2})-(0[1-9]|1[0-2])(?![\w/.-])")
"""A month in ISO form ('2025-08'), not part of an identifier ('UM-2025-08-114')."""
_MONTH_DAY = r"(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])"
_MONTHS = "|".join(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December")
)  # fmt: skip
_YEARLESS_RANGE_RE = re.compile(
    rf"(?<![\w/.]){_MONTH_DAY}(\s*(?:[-–]|\b(?:to|through|and)\b)\s*)"
    rf"(?:{_MONTH_DAY}(?![\w/])|(?=({_MONTHS}) (\d{{1,2}}), \d{{4}}))"
)
"""A month and day without a year ('11/13', both two-digit) in a range or pair with a later
date ('11/13-11/15', '11/01-November 13, 2026', '11/09 and November 12, 2026'): a date, not a
score ('8/10', 'from 08/10 to 03/10') or a fraction."""


_HYPHEN_RANGE_RE = re.compile(
    rf"\b((?:{_MONTHS}) \d{{1,2}}, \d{{4}})-(?=(?:{_MONTHS}) \d{{1,2}}, \d{{4}})"
)
"""Two dates joined by a bare hyphen ('November 13, 2026-November 26, 2026'): a range, said
'November 13, 2026 to November 26, 2026'."""


def one_date_style(text: str) -> str:
    """Text with its ISO dates ('2026-10-22') and US numeric dates ('10/22/2026') written as the
    letter writes dates ('October 22, 2026'), a range of months and days without a year
    ('11/13-11/15') as 'November 13 to November 15' (and one joined by a bare hyphen with
    'to'), and ISO months ('2025-08') as 'August
    2025': one date style throughout."""
    import calendar
    import datetime as dt

    def restyle(year: str, month: str, day: str, original: str) -> str:
        try:
            return fmt_date(dt.date(int(year), int(month), int(day)))
        except ValueError:
            return original

    text = _ISO_DATE_RE.sub(lambda m: restyle(m[1], m[2], m[3], m[0]), text)
    text = _US_DATE_RE.sub(lambda m: restyle(m[3], m[1], m[2], m[0]), text)

    def month_day(month: str, day: str) -> str:
        return f"{calendar.month_name[int(month)]} {int(day)}"

    def yearless(m: re.Match[str]) -> str:
        later = (int(m[4]), int(m[5])) if m[4] else None
        if m[6]:
            later = (list(calendar.month_name).index(m[6]), int(m[7]))
        if later is None or later <= (int(m[1]), int(m[2])):
            return m[0]  # not a range forward in time: no date
        joint = m[3].strip()
        joint = " to " if joint in ("-", "–") else f" {joint} "
        second = month_day(m[4], m[5]) if m[4] else ""
        return f"{month_day(m[1], m[2])}{joint}{second}"

    text = _YEARLESS_RANGE_RE.sub(yearless, text)
    text = _HYPHEN_RANGE_RE.sub(r"\1 to ", text)
    return _ISO_MONTH_RE.sub(lambda m: f"{calendar.month_name[int(m[2])]} {m[1]}", text)


def short_record_name(name: str) -> str:
    """How the letter names a record it stated in full earlier: without its parenthetical detail
    and what follows a comma ('Methotrexate, oral then subcutaneous (with folic acid)' ->
    'Methotrexate'); the drafter writes it and the validator reads it as the record."""
    return re.sub(r"\s*\([^)]*\)", "", name).split(", ")[0].strip() or name
