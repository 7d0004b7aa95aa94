"""Is the case file about the patient, claim and service the denial letter is about?

The case file and the denial letter come from different places (the advocate's notes, the
payer's letter); a case file from another patient yields a letter for the wrong person. This
module reads what the denial says about identity (the patient's name and date of birth from
its labelled lines, the member id, claim number, insurer and codes from the analysis) and
compares it with the case. :func:`mismatches` is read by drafting (a one-line InputError
before anything is drafted) and by the validator (``identity.case_mismatch``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .codes import normalize_icd10
from .models import CaseFacts, DenialAnalysis
from .text.dates import DATE_RE, MONTH_NAME, parse_date

_LETTER = r"[^\W\d_]"
_NAME_WORD = rf"{_LETTER}(?:{_LETTER}|[.'\u2019-])*"
_NAME = rf"{_NAME_WORD}(?: {_NAME_WORD}){{0,5}}"
_PATIENT_LABELS = (
    r"member(?: name)?|patient(?: name)?|enrollee(?: name)?|beneficiary(?: name)?|name"
)
_HOLDER_LABELS = r"subscriber(?: name)?|insured(?: name)?|policy ?holder(?: name)?"
"""The policyholder's line: the patient only when no member or patient line names anyone
(a dependant's notice names the subscriber, a parent or spouse, beside the member)."""


def _labelled_name_re(labels: str) -> re.Pattern[str]:
    return re.compile(
        rf"^[ \t|]*(?:{labels})[ \t]*[:|][ \t|]*(?P<name>{_NAME})"
        rf"(?=[ \t]{{2,}}|[ \t]*[|,]|[ \t]*$)",
        re.IGNORECASE | re.MULTILINE,
    )


_LABELLED_NAME_RE = _labelled_name_re(_PATIENT_LABELS)
_HOLDER_NAME_RE = _labelled_name_re(_HOLDER_LABELS)
_DEAR_RE = re.compile(
    rf"^dear (?:(?P<title>mr|mrs|ms|mx|miss|dr)\.? )?(?P<name>{_NAME})[ \t]*[:,]",
    re.IGNORECASE | re.MULTILINE,
)
_TITLES = frozenset({"mr", "mrs", "ms", "mx", "miss", "dr", "jr", "sr", "ii", "iii", "iv"})
_NOT_NAMES = frozenset(
    {
        "member",
        "patient",
        "enrollee",
        "beneficiary",
        "subscriber",
        "provider",
        "sir",
        "madam",
        "doctor",
        "physician",
        "customer",
        "participant",
        "valued",
        "plan",
        "sir or madam",
    }
)
_DOB_RE = re.compile(
    r"\b(?:date of birth|birth ?date|d\.?o\.?b\.?)[ \t]*[:|]?[ \t|]*(?P<date>"
    rf"\d{{1,2}}/\d{{1,2}}/\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|{MONTH_NAME}\.? \d{{1,2}}, \d{{4}})",
    re.IGNORECASE,
)
_GENERIC_INSURER_WORDS = frozenset(
    {
        "health",
        "healthcare",
        "insurance",
        "insurer",
        "company",
        "co",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "llc",
        "plan",
        "plans",
        "of",
        "the",
        "and",
        "&",
        "care",
        "medical",
        "services",
        "service",
        "group",
        "benefit",
        "benefits",
        "administrators",
        "administrator",
        "mutual",
        "life",
        "association",
        "network",
        "trust",
        "fund",
        "employee",
        "employees",
        "public",
        "program",
        "programs",
        "hmo",
        "ppo",
        "epo",
        "pos",
        "gold",
        "silver",
        "bronze",
        "platinum",
        "advantage",
        "medicare",
        "medicaid",
        "community",
        "state",
        "national",
        "united",
        "american",
        "a",
        # words that describe a plan rather than name it ('self-funded ERISA plan')
        "self",
        "funded",
        "fully",
        "insured",
        "erisa",
        "managed",
        "organization",
        "mco",
        "individual",
        "marketplace",
        "pharmacy",
    }
)
"""Words of insurer names that do not tell one insurer from another."""
_MASK_RE = re.compile(r"[x*•#]", re.IGNORECASE)


@dataclass(frozen=True)
class Mismatch:
    """A fact the case file and the denial letter state differently."""

    field: str
    """What differs, in words ('patient name', 'member id', ...)."""
    case_value: str
    denial_value: str

    def sentence(self) -> str:
        return (
            f"{self.field} is '{self.case_value}' in the case file but "
            f"'{self.denial_value}' in the denial letter"
        )


def _fold(text: str) -> str:
    """Case-folded, accents removed, look-alike letters folded to Latin (see ``confusables``)."""
    from .confusables import skeleton

    decomposed = unicodedata.normalize("NFKD", skeleton(text))
    if decomposed.isascii():  # no combining mark to remove (most letters: read char by char,
        return decomposed.casefold()  # a notice took ~3 ms a draft)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def name_words(name: str) -> list[str]:
    """A person's name as compare words: folded, no titles, hyphenated parts kept whole."""
    words = re.findall(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*", _fold(name))
    return [w for w in words if w not in _TITLES]


def same_person(case_name: str, denial_name: str) -> bool:
    """True when the names can be the same person: the surnames share a part (hyphenated names
    in either order) and, when both give a first name, the first names agree (an initial
    agrees with a name that starts with it)."""
    case_words, denial_words = name_words(case_name), name_words(denial_name)
    if not case_words or not denial_words:
        return True
    case_parts = set(re.split(r"[-'\u2019]", case_words[-1]))
    denial_parts = set(re.split(r"[-'\u2019]", denial_words[-1]))
    # "Dear Ms. Okafor" or "Okafor, Marisol": any of the denial's words may be the surname
    if len(denial_words) == 1 or not case_parts & denial_parts:
        all_denial = {p for w in denial_words for p in re.split(r"[-'\u2019]", w)}
        if not case_parts & all_denial:
            return False
        if len(denial_words) == 1:
            return True
    first_case, first_denial = case_words[0], denial_words[0]
    if len(case_words) < 2 or len(denial_words) < 2:
        return True
    if first_case == first_denial:
        return True
    short, long = sorted((first_case.rstrip("."), first_denial.rstrip(".")), key=len)
    if len(short) == 1 and long.startswith(short):
        return True
    # "Okafor, Marisol" / "OKAFOR MARISOL T": the case's first name among the denial's words
    return first_case in denial_words


def denial_patient_names(letter_text: str) -> list[str]:
    """The patient's name as the denial letter's labelled lines and salutation give it."""
    labelled = _names(m.group("name") for m in _LABELLED_NAME_RE.finditer(letter_text)) or _names(
        m.group("name") for m in _HOLDER_NAME_RE.finditer(letter_text)
    )
    if labelled:
        # A labelled member line names the patient; the salutation may greet the physician
        # ("Dear Dr. Ellery:" in a letter to the attending).
        return labelled
    names = []
    for m in _DEAR_RE.finditer(letter_text):
        # 'Dear Mr. Thibodeaux and Dr. Castellanos-Hart:' greets the patient and the physician:
        # each addressee apart, a doctor's never the patient's
        first, *others = _ADDRESSEES_RE.split(m.group("name"))
        greeted = [((m.group("title") or "").lower(), first)]
        greeted += [(t.group(1).lower() if (t := _TITLE_RE.match(o)) else "", o) for o in others]
        names += [_TITLE_RE.sub("", name) for title, name in greeted if title != "dr"]
    return _names(names)


_ADDRESSEES_RE = re.compile(r"\s*(?:,|\band\b|&)\s*", re.IGNORECASE)
_TITLE_RE = re.compile(r"^(mr|mrs|ms|mx|miss|dr)\.?\s+", re.IGNORECASE)


def _names(found: Iterable[str]) -> list[str]:
    names = []
    for name in found:
        name = name.strip(" .")
        if name.casefold() in _NOT_NAMES or not name_words(name):
            continue
        if set(name_words(name)) <= _NOT_NAMES:
            continue
        names.append(name)
    return names


def _parse_date(text: str) -> dt.date | None:
    """The date of birth as written ('03/04/1961', '1961-03-04', 'March 4, 1961')."""
    match = DATE_RE.fullmatch(text)
    return parse_date(match) if match else None


def denial_birth_dates(letter_text: str) -> list[dt.date]:
    return [d for m in _DOB_RE.finditer(letter_text) if (d := _parse_date(m.group("date")))]


def _alnum(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", _fold(text))


_ID_TOKEN_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]*[0-9][0-9A-Za-z-]*")


def _id_keys(case_id: str) -> list[str]:
    """The ids a case field holds: the whole value, and each id-like token of it when the office
    wrote several ('CHK00418853 (Kentucky Medicaid ID 7012846631)': the plan's id and the
    state's)."""
    keys = [_alnum(case_id)]
    keys += [k for t in _ID_TOKEN_RE.findall(case_id) if len(k := _alnum(t)) >= 5]
    return [k for k in dict.fromkeys(keys) if k]


_MEMBER_SUFFIX_RE = re.compile(r"^(?P<base>.*[0-9A-Za-z])[ *-]+\d{1,2}$")
"""A dependant's member suffix: the subscriber's id, a separator and a one- or two-digit person
number ('MLG-0093318-02', 'W123456789 01', '123456789*01')."""


def _without_member_suffix(member_id: str) -> str:
    match = _MEMBER_SUFFIX_RE.match(member_id.strip())
    return match["base"] if match else member_id


def _same_member(case_id: str, denial_id: str, letter_alnum: str) -> bool:
    """Member ids agree as :func:`_same_id` does, or when one is the other with a dependant's
    person number appended (an EOB names the subscriber's id; the case holds the child's)."""
    if _same_id(case_id, denial_id, letter_alnum):
        return True
    # one side only: two different person numbers on one subscriber's id are two people
    return _alnum(_without_member_suffix(case_id)) == _alnum(denial_id) or _alnum(
        case_id
    ) == _alnum(_without_member_suffix(denial_id))


def _same_id(case_id: str, denial_id: str, letter_alnum: str) -> bool:
    """Ids agree ignoring punctuation; a masked denial id ('XXXXX7742') agrees with the case
    id's visible part; the case id (or one of the ids the case field lists) written anywhere in
    the letter agrees too."""
    case_keys = _id_keys(case_id)
    if not case_keys or any(k in letter_alnum for k in case_keys):
        return True
    case_key = case_keys[0]
    if _MASK_RE.search(denial_id):
        visible = [p for p in re.split(r"[^0-9a-z]+", _alnum(_MASK_RE.sub(" ", denial_id))) if p]
        return all(p in case_key for p in visible)
    return case_key == _alnum(denial_id)


def _insurer_words(name: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", _fold(name)) if w not in _GENERIC_INSURER_WORDS}


_INSURER_PARTS_RE = re.compile(
    r"[();]|\b(?:administered by|claims administrator|on behalf of|plan sponsor|d/b/a|dba)\b",
    re.IGNORECASE,
)


def _insurer_named_in(case_insurer: str, letter_words: set[str]) -> bool:
    """True when one of the organisations the case's insurer line names (the plan, its claims
    administrator, the sponsor: parts split at parentheses, ';' and 'administered by') has
    all its distinctive words in the letter."""
    parts = [_insurer_words(p) for p in _INSURER_PARTS_RE.split(case_insurer)]
    return any(words and words <= letter_words for words in parts)


def mismatches(letter_text: str, analysis: DenialAnalysis, case: CaseFacts) -> list[Mismatch]:
    """Every identity fact the case states differently from the denial letter: patient name,
    date of birth, member id, claim or reference number, insurer, service code, diagnosis."""
    out: list[Mismatch] = []
    patient = case.patient
    letter_alnum = _alnum(letter_text)
    if patient.name:
        for name in denial_patient_names(letter_text):
            if not same_person(patient.name, name):
                out.append(Mismatch("patient name", patient.name, name))
                break
    if patient.date_of_birth:
        for born in denial_birth_dates(letter_text):
            if born != patient.date_of_birth:
                out.append(
                    Mismatch("date of birth", patient.date_of_birth.isoformat(), born.isoformat())
                )
                break
    member, denial_member = patient.member_id, analysis.member_id
    if member and denial_member and not _same_member(member, denial_member, letter_alnum):
        out.append(Mismatch("member id", member, denial_member))
    claim, denial_claim = case.claim_reference, analysis.claim_number
    if claim and denial_claim and not _same_id(claim, denial_claim, letter_alnum):
        out.append(Mismatch("claim number", claim, denial_claim))
    if case.insurer and analysis.insurer:
        ours, theirs = _insurer_words(case.insurer), _insurer_words(analysis.insurer)
        letter_words = set(re.findall(r"[a-z0-9]+", _fold(letter_text)))
        if (
            ours
            and theirs
            and not ours & theirs
            and _alnum(case.insurer) not in letter_alnum
            and not _insurer_named_in(case.insurer, letter_words)
        ):
            out.append(Mismatch("insurer", case.insurer, analysis.insurer))
    denial_codes = [*analysis.cpt_codes, *analysis.hcpcs_codes]
    codes = case.service.codes
    if (
        codes
        and denial_codes
        and not {_alnum(c) for c in codes} & {_alnum(c) for c in denial_codes}
        and not any(
            re.search(rf"(?<![0-9A-Za-z]){re.escape(c)}(?![0-9A-Za-z])", letter_text) for c in codes
        )
    ):
        out.append(Mismatch("service code", "; ".join(codes), ", ".join(denial_codes)))
    denial_dx = {normalize_icd10(c) for c in analysis.icd10_codes}
    case_dx = [normalize_icd10(d.code) for d in case.diagnoses]
    if denial_dx and case_dx:
        categories = {c[:3] for c in denial_dx}
        if not any(c[:3] in categories for c in case_dx):
            out.append(
                Mismatch(
                    "diagnosis code",
                    ", ".join(d.code for d in case.diagnoses),
                    ", ".join(analysis.icd10_codes),
                )
            )
    return out


def mismatch_message(found: list[Mismatch]) -> str:
    """One line for the user: the first mismatch, how many more, and what to do."""
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return (
        f"the case file does not match the denial letter: {found[0].sentence()}{more}; "
        "check that both are for the same patient and claim, and correct the case file"
    )
