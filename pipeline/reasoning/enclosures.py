"""The records a letter encloses: the ones behind each fact it cites.

With a ``documents:`` list in the case, those are the enclosures (each tied to the criteria whose
facts fall in its dates). Without one, the enclosures are derived from what the letter relies on:
the medication records of the named trials, the notes of the other treatments, the laboratory and
imaging reports and the clinic notes of the dated findings, one group per criterion, each named
with its dates, then those of the facts the letter gives outside the criteria. One rule: the
record of every fact the letter states, and nothing it does not.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import yaml
from pydantic import Field

from ..evidence import continuing, tokens
from ..letter_format import fmt_date, one_date_style, short_record_name
from ..models import CaseDocument, CaseFacts, Finding, PriorTreatment, Strict
from ..text.acronyms import acronyms, spells
from ..text.dates import DATE_RE, parse_date
from .pending import is_pending, not_done
from .specs import HERE, says
from .summary import bears_on
from .verdicts import CriterionVerdict

_PATH_RE = re.compile(r"^(prior_treatments|objective_findings)\[(\d+)\]$")


@dataclass(frozen=True)
class Enclosure:
    """One enclosed record (or group of records)."""

    title: str
    """As the letter lists it, with its dates: 'Laboratory report: QuantiFERON-TB (August 28,
    2026)'."""
    paths: frozenset[str]
    """The case facts it documents."""
    criteria: frozenset[int]
    """Indexes of the criteria whose facts it documents."""
    follows: bool = False
    """A record not yet back (a report still to come): listed as to follow, and not referred to
    as enclosed."""


def _span(dates: list[dt.date]) -> str:
    if not dates:
        return ""
    first, last = min(dates), max(dates)
    return fmt_date(first) if first == last else f"{fmt_date(first)} – {fmt_date(last)}"


def _dated(name: str, dates: list[dt.date]) -> str:
    span = _span(dates)
    return f"{name} ({span})" if span else name


def _treatment_dates(t: PriorTreatment) -> list[dt.date]:
    return [d for d in (t.start, t.end) if d]


def _name(t: PriorTreatment) -> str:
    return re.sub(r"\s*\([^)]*\)", "", t.name).strip()


_FINDING_TITLES = {
    "lab": "Laboratory report",
    "imaging": "Imaging report",
}


class RecordTitles(Strict):
    version: int = Field(ge=1)
    hospital: list[str] = Field(min_length=1)
    """A finding's name that says it was taken in hospital: that day's record is the
    hospital's, not a clinic note."""
    document: list[str] = Field(min_length=1)
    """A finding's name that is itself a document (a diary, a log, a flowsheet): enclosed as
    that document, under its own name."""
    modality: list[str] = Field(default_factory=list)
    """Words of a title that say how a record was made ('radiographs', 'scan'), not what it is
    about: no topic it shares with the appeal."""
    other_care: list[str] = Field(default_factory=list)
    """A document's title that names other care (a screening, a disability rating, another
    field's clinic): enclosed only when it bears on the appeal."""


@cache
def record_titles() -> RecordTitles:
    """``specs/records/record_titles.yaml``, loaded once."""
    path = HERE / "records" / "record_titles.yaml"
    return RecordTitles.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def _day_title(case: CaseFacts, day: dt.date | None, names: list[str]) -> str:
    """'Clinic note of <day>', or 'Hospital record of <day>' when a finding of that day (any
    of the case's, so one day is one record whichever criterion encloses it) names the hospital
    as where it was taken (the emergency department, a ward, intensive care)."""
    hospital = record_titles().hospital
    on_day = [f.name for f in case.objective_findings if day and f.date == day] or names
    kind = "Hospital record" if any(says(hospital, name) for name in on_day) else "Clinic note"
    return f"{kind} of {fmt_date(day)}" if day else kind


_STATUS_CHARS = 120
"""A pending record's status is given in the case's words up to this length ('ordered;
scheduled November 19, 2026; not yet done'), else as 'result pending'."""


def _to_follow(value: str) -> str:
    """'to follow (ordered; scheduled November 19, 2026; not yet done)': a record not yet back,
    with what the case says of it."""
    status = one_date_style(" ".join(value.split())).rstrip(".")
    if not status or len(status) > _STATUS_CHARS:
        status = "result pending"
    return f"to follow ({continuing(status)})"


def _groups(case: CaseFacts, paths: list[str]) -> list[tuple[str, list[str]]]:
    """(title, paths) for one criterion's facts: medication records, treatment notes, each
    laboratory and imaging report, and the clinic notes of the other findings, by date."""
    meds: list[int] = []
    other: list[int] = []
    findings: list[int] = []
    for path in paths:
        m = _PATH_RE.match(path)
        if not m:
            continue
        index = int(m.group(2))
        if m.group(1) == "objective_findings":
            findings.append(index)
        elif case.prior_treatments[index].kind == "medication":
            meds.append(index)
        else:
            other.append(index)
    out: list[tuple[str, list[str]]] = []
    treatments = case.prior_treatments

    def treatment_group(indexes: list[int], title: str) -> None:
        if not indexes:
            return
        names = ", ".join(dict.fromkeys(_name(treatments[i]) for i in indexes))
        dates = [d for i in indexes for d in _treatment_dates(treatments[i])]
        paths = [f"prior_treatments[{i}]" for i in indexes]
        out.append((f"{title}: {_dated(names, dates)}", paths))

    treatment_group(meds, "Medication records")
    treatment_group(other, "Treatment notes")
    notes: dict[dt.date | None, list[int]] = {}
    for i in findings:
        f = case.objective_findings[i]
        if not_done(f.value):  # a test not performed has no record to enclose
            continue
        title = _FINDING_TITLES.get(f.kind)
        pending = is_pending(f.value)
        if pending:
            # a result not yet back (a report, a consultation still to come) is no record to
            # enclose, nor part of a clinic note's: it follows, named with what the case says
            # of it, not under a date as if it were a dated report
            out.append((f"{title or 'Record'}: {f.name}, {_to_follow(f.value)}",
                        [f"objective_findings[{i}]"]))  # fmt: skip
        elif title:
            out.append((f"{title}: {_dated(f.name, [f.date] if f.date else [])}",
                        [f"objective_findings[{i}]"]))  # fmt: skip
        elif says(record_titles().document, f.name) and not says(record_titles().hospital, f.name):
            # a diary, a log, a fill history: the document itself, by its own name (with its
            # date, unless the name gives its dates already)
            dates = [f.date] if f.date and not DATE_RE.search(f.name) else []
            out.append((_dated(f.name, dates), [f"objective_findings[{i}]"]))
        else:
            notes.setdefault(f.date, []).append(i)
    for day, indexes in notes.items():
        names = [case.objective_findings[i].name for i in indexes]
        title = _day_title(case, day, names)
        out.append((f"{title}: {', '.join(names)}", [f"objective_findings[{i}]" for i in indexes]))
    return out


def _fact_dates(case: CaseFacts, path: str) -> tuple[dt.date, dt.date] | None:
    m = _PATH_RE.match(path)
    if not m:
        return None
    index = int(m.group(2))
    if m.group(1) == "prior_treatments":
        t = case.prior_treatments[index]
        start, end = t.start or t.end, t.end or t.start
    else:
        f: Finding = case.objective_findings[index]
        start = end = f.date
    return (start, end) if start and end else None


_ONE_MEASURE_RE = re.compile(
    r"\b(?:score sheets?|scores?|scales?|questionnaires?|diary|diaries|logs?|forms?|"
    r"worksheets?|inventory|checklists?)\b",
    re.IGNORECASE,
)
"""A title naming the one thing a document records ('PHQ-9 score sheet', 'Headache diary',
'Weight management program visit log'): it documents only facts about that thing."""
_TITLE_WORDS = frozenset(
    {
        "score", "scores", "sheet", "sheets", "scale", "scales", "questionnaire", "questionnaires",
        "diary", "diaries", "log", "logs", "form", "forms", "worksheet", "worksheets", "inventory",
        "checklist", "checklists", "and", "or", "of", "the", "a", "an", "with", "for", "visit",
        "visits", "record", "records", "results", "result", "total", "self-report", "patient",
    }
)  # fmt: skip
_WORD_RE = re.compile(r"[a-z0-9][a-z0-9-]*")
_MEASURE_NAME_RE = re.compile(r"\b(?:[A-Z][A-Z0-9-]*[A-Z0-9]|[A-Za-z]+-?\d+[A-Za-z0-9-]*)\b")


def _words(text: str) -> set[str]:
    return set(_WORD_RE.findall(text.lower()))


def _abbreviates(title: str, name: str) -> bool:
    """Whether an acronym of the title abbreviates the record's name ('CRST examination
    worksheet' and 'Clinical Rating Scale for Tremor (Fahn-Tolosa-Marin)'): its letters are the
    initials of consecutive words of the name, small words skipped."""
    return any(spells(acronym, name, skip_small=True) for acronym in acronyms(title))


_GENERIC_RE = re.compile(
    r"\b(?:notes?|consult(?:ation)?s?|evaluations?|assessments?|summary|summaries|charts?|"
    r"visits?|encounters?|letters?|records?|history|histories|files?)\b",
    re.IGNORECASE,
)
"""A title of a visit's record ('Plastic surgery consultation with measurements', 'primary care
notes'): it holds whatever was found or recorded that day."""


def _fact_words(case: CaseFacts, path: str) -> frozenset[str]:
    """The content words a fact is named and stated in (a treatment's name and dose; a
    finding's name, value and reading)."""
    m = _PATH_RE.match(path)
    if m is None:
        return frozenset()
    if m.group(1) == "objective_findings":
        f = case.objective_findings[int(m.group(2))]
        return tokens(f"{f.name} {f.value} {f.interpretation or ''}")
    t = case.prior_treatments[int(m.group(2))]
    return tokens(f"{t.name} {t.dose or ''}")


_PAPER_WORDS = tokens(
    "report reports result results laboratory lab receipt receipts printout photographs photos "
    "images listing note notes consult consultation consultations evaluation evaluations "
    "assessment assessments summary summaries chart charts visit visits encounter encounters "
    "letter letters record records history histories file files daily statement"
)
"""Words of a title that say what kind of paper it is, not what it is about."""


def _on_its_dates(title: str, date: dt.date, case: CaseFacts, path: str) -> bool:
    """Whether a document dated ``date`` is a record of the fact at ``path`` rather than one
    that merely falls inside it: a visit's record holds the findings of its day and a treatment
    begun or ended that day; any document holds the facts it names (a 'Physical therapy
    discharge summary' holds the physical therapy course). A report about one thing does not
    hold another fact of its date (a DXA report holds no vitamin D level drawn the same day;
    clinical photographs hold no support bra worn for months)."""
    m = _PATH_RE.match(path)
    if m is None:
        return True
    finding = m.group(1) == "objective_findings"
    record = case.objective_findings[int(m.group(2))] if finding else None
    if (tokens(title) - _PAPER_WORDS) & _fact_words(case, path):
        return True
    if record is not None and tokens(title) & tokens(record.name):  # 'Clinical photographs'
        return True
    if record is not None and _abbreviates(title, record.name):  # 'CRST worksheet'
        return True
    if not _GENERIC_RE.search(title):
        return False
    if record is not None:
        return True
    t = case.prior_treatments[int(m.group(2))]
    return date in (t.start, t.end)


def _documents_fact(title: str, case: CaseFacts, path: str) -> bool:
    """Whether a document of ``title`` can hold the fact at ``path``: any record of its dates,
    except that a title naming one measure ('PHQ-9 score sheet') holds only facts that name
    it (a MADRS score of the same day is not on a PHQ-9 sheet, and the sheet does not show a
    PHQ-9 value the case never states)."""
    if not _ONE_MEASURE_RE.search(title):
        return True
    # the measure's own name: an acronym or a name with a digit ('PHQ-9', 'DLQI'), not a
    # generic title's words ('Evaluation and rating scales' holds every scale of its day)
    named = {w.lower() for w in _MEASURE_NAME_RE.findall(title)} - _TITLE_WORDS
    m = _PATH_RE.match(path)
    if not named or m is None:
        return True
    if m.group(1) == "objective_findings":
        f = case.objective_findings[int(m.group(2))]
        said = f"{f.name} {f.value}"
    else:
        t = case.prior_treatments[int(m.group(2))]
        said = f"{t.name} {t.outcome_measure or ''}"
    return bool(named & _words(said)) or _abbreviates(title, said)


_YEAR_RE = re.compile(r"\b(?:19|20)\d{2}\b")
"""A year in a document's title: the title states its own dates."""


_RANGE_RE = re.compile(r"\s*(?:to|through|until|-|–)\s*")
"""What joins a title's two dates into one period ('2026-06-01 to 2026-11-15')."""


def _document_spans(document: CaseDocument) -> list[tuple[dt.date, dt.date, bool]]:
    """The days a document records (first, last, named in its title): its date (to its end),
    and the visit dates its title names ('Neurology notes 2023-04-10, 2023-06-05 and
    2026-09-15': a record of each visit, where a treatment began or changed). A period in the
    title ('Diary-card summary 2026-09-17 to 2026-11-15') is a log of those days, not a record
    of everything in them: its date and end say what it is dated."""
    spans: list[tuple[dt.date, dt.date, bool]] = []
    if document.date is not None:
        spans.append((document.date, document.end or document.date, False))
    named = [(d, m) for m in DATE_RE.finditer(document.title) if (d := parse_date(m))]
    ranged: set[int] = set()
    for n in range(len(named) - 1):
        between = document.title[named[n][1].end() : named[n + 1][1].start()]
        if _RANGE_RE.fullmatch(between):
            ranged |= {n, n + 1}
    spans += [(day, day, True) for n, (day, _) in enumerate(named) if n not in ranged]
    return list(dict.fromkeys(spans))


def _about_other(title: str, about: frozenset[str] | None) -> bool:
    """Whether a record's title names other care (``other_care``: a screening, a disability
    rating, another field's clinic) and nothing the appeal is about ('Screening colonoscopy
    report' in a prostate radiotherapy appeal, 'VA disability rating decision (tinnitus, PTSD)'
    in a knee replacement appeal): none of its words, less those that say what kind of paper
    it is, bears on ``about`` (the criteria, the service, the diagnoses, the physician's field,
    the case's summary: :func:`~pipeline.reasoning.summary.topics`). False without ``about``."""
    if about is None or not says(record_titles().other_care, title):
        return False
    kind = record_titles().modality
    words = re.findall(r"[\w'-]+", title)
    named = " ".join(w for w in words if not tokens(w) <= _PAPER_WORDS and not says(kind, w))
    return bool(named.strip()) and not bears_on(named, about)


def _from_documents(
    case: CaseFacts, verdicts: list[CriterionVerdict], about: frozenset[str] | None = None
) -> list[Enclosure]:
    """The case's documents, each tied to the criteria whose facts (the verdicts' evidence) it
    records: on its date or period, or on the dates its title names. A document tied to no
    criterion whose title is about something else (:func:`_about_other`) is not enclosed: the
    enclosures are the records that bear on the appeal."""
    out = []
    for number, document in enumerate(case.documents):
        when = ""
        if document.date and document.end:
            when = f", {fmt_date(document.date)} – {fmt_date(document.end)}"
        elif document.date:
            when = f", {fmt_date(document.date)}"
        if _YEAR_RE.search(document.title):  # it dates itself ('Serum IgG, 2026-06-24 and ...')
            when = ""
        paths: set[str] = set()
        # a criterion whose verdict rests on the record itself (its title names the review)
        criteria = {v.index for v in verdicts if f"documents[{number}]" in v.evidence}
        for first, last, titled in _document_spans(document):
            for verdict in verdicts:
                for path in verdict.evidence:
                    span = _fact_dates(case, path)
                    if titled and not path.startswith("prior_treatments["):
                        continue  # a result has its own report; a visit date, a course's
                    if (
                        span
                        and span[0] <= last
                        and span[1] >= first
                        and _documents_fact(document.title, case, path)
                        and _on_its_dates(document.title, first, case, path)
                    ):
                        paths.add(path)
                        criteria.add(verdict.index)
        if not_done(document.title):  # 'Arterial blood gas (not performed)': no record
            continue
        if not criteria and not paths and _about_other(document.title, about):
            continue  # a record of another condition: not the appeal's
        pending = is_pending(document.title)
        follows = ", to follow (result pending)" if pending else ""
        title = f"{document.title.rstrip('.')}{when}{follows}"
        out.append(Enclosure(title, frozenset(paths), frozenset(criteria), pending))
    return out + _to_follow_records(case, verdicts, out)


def _to_follow_records(
    case: CaseFacts, verdicts: list[CriterionVerdict], listed: list[Enclosure]
) -> list[Enclosure]:
    """The pending results a criterion rests on that no listed document names: each follows,
    named with what the case says of it ('Neuropsychological evaluation, to follow (testing
    completed November 10, 2026; written report not yet received)'), tied to its criteria."""
    named = [tokens(e.title) - _PAPER_WORDS for e in listed]
    out = []
    for i, f in enumerate(case.objective_findings):
        path = f"objective_findings[{i}]"
        criteria = frozenset(v.index for v in verdicts if not v.payer_met and path in v.evidence)
        if not criteria or not is_pending(f.value) or not_done(f.value):
            continue
        own = tokens(short_record_name(f.name)) - _PAPER_WORDS
        if any(own and words and (own <= words or words <= own) for words in named):
            continue  # a listed document is its record ('Neuropsychological evaluation report')
        out.append(Enclosure(f"{f.name}, {_to_follow(f.value)}", frozenset({path}), criteria, True))
    return out


def _add(out: list[Enclosure], title: str, group: list[str], criteria: set[int]) -> None:
    """Add one record to the list; a clinic note (a hospital record) of a day already enclosed
    is that note (one visit, one record, whichever criteria its findings answer): its findings
    join the title."""
    head, _, names = title.partition(": ")
    same = next(
        (n for n, e in enumerate(out) if head.startswith(("Clinic note of ", "Hospital record of "))
         and e.title.startswith(f"{head}: ")),
        None,
    )  # fmt: skip
    if same is None:
        out.append(Enclosure(title, frozenset(group), frozenset(criteria)))
        return
    note = out[same]
    out[same] = Enclosure(
        f"{note.title}, {names}", note.paths | set(group), note.criteria | criteria
    )


def dated_records(case: CaseFacts) -> list[str]:
    """Every dated result and treatment of the case, as paths (findings first)."""
    return [f"objective_findings[{i}]" for i, f in enumerate(case.objective_findings) if f.date] + [
        f"prior_treatments[{i}]" for i, t in enumerate(case.prior_treatments) if t.start
    ]


def enclosures(
    case: CaseFacts,
    verdicts: list[CriterionVerdict],
    stated: Callable[[CriterionVerdict], list[str]] | None = None,
    shown: list[str] | tuple[str, ...] | None = None,
    about: frozenset[str] | None = None,
) -> list[Enclosure]:
    """The records enclosed with the letter (the denial notice is listed by the drafter), by
    one rule: the record of every fact the letter states. First those of each criterion's
    facts (``stated``, default its verdict's evidence; a criterion the payer called met needs
    none), tied to the criterion; then those of the facts the letter gives outside the
    criteria (``shown``: its Objective findings and Prior treatment sections; by default every
    dated result and treatment of the case, as those sections give them). Nothing is listed
    that the letter does not state. With a ``documents:`` list, those are the enclosures, less
    the records of other conditions (``about``: the topics the appeal is about)."""
    if case.documents:
        return _from_documents(case, verdicts, about)
    if shown is None:
        shown = dated_records(case)
    out: list[Enclosure] = []
    seen: set[str] = set()
    for verdict in verdicts:
        if verdict.payer_met:
            continue
        paths = [p for p in (stated(verdict) if stated else verdict.evidence) if p not in seen]
        for title, group in _groups(case, paths):
            seen.update(group)
            _add(out, title, group, {verdict.index})
    for title, group in _groups(case, [p for p in dict.fromkeys(shown) if p not in seen]):
        _add(out, title, group, set())
    # A record another criterion also relies on is the same enclosure.
    merged = []
    for enclosure in out:
        also = {v.index for v in verdicts if not v.payer_met and enclosure.paths & set(v.evidence)}
        merged.append(
            Enclosure(enclosure.title, enclosure.paths, frozenset(also), _awaited(case, enclosure))
        )
    return merged


def _awaited(case: CaseFacts, enclosure: Enclosure) -> bool:
    """Whether every fact of a record is a result still to come (its record follows)."""
    findings = [_PATH_RE.match(p) for p in enclosure.paths]
    return bool(findings) and all(
        m is not None
        and m.group(1) == "objective_findings"
        and is_pending(case.objective_findings[int(m.group(2))].value)
        for m in findings
    )
