"""Who the letter is about and who signs it: the same patient, claim and payer as the denial,
no name or id the inputs do not hold, no look-alike letters, credentials and board claims from
the case, and the physician's own phone where the physician offers to be reached."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ... import letter_format as lf
from ...confusables import has_lookalikes, skeleton
from ...identity import name_words
from ...models import ValidationFinding
from ...text.normalize import norm_id
from .._context import Context
from .._findings import FindingCode, finding
from .._registry import Scope, check

_WORD_RE = re.compile(r"[^\s|*`()\[\],;:]+")
_DIGITS_RE = re.compile(r"\d")
_WORDS_RE = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_CAP = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_PERSON_RES = (
    # First M. Last (a middle initial marks a person's name)
    re.compile(rf"\b({_CAP} [A-Z]\. {_CAP})\b"),
    # Dr./Mr./Ms./Mrs. Name [Name]
    re.compile(rf"\b(?:Dr|Mr|Mrs|Ms|Mx)\. ({_CAP}(?: {_CAP})?)\b"),
    # Name Name, MD (a name followed by a degree)
    re.compile(rf"\b({_CAP} {_CAP}), (?:MD|DO|NP|PA-C|PhD|DPM|DC|MBBS)\b"),
)
_ID_MENTION_RE = re.compile(
    r"\b(?P<label>Member ID|Member number|Claim|Claim number|Reference number)[ \t]*:?[ \t]*"
    r"(?P<value>[A-Z0-9][A-Z0-9-]{3,})",
)
_DEGREE_RE = re.compile(
    r"\b(MD|DO|PhD|MBBS|MBChB|DPM|DC|NP|PA-C|DNP|RN|MPH|MSc|MS|MA|FACS|FAAOS|FACP|FAAN|FAPA|"
    r"FACC|FAAP|FACOG|FACE|FCCP|FACR|FAAFP|FRCPC|FRCS|FASN|FACG|FAHA|DABR|DABPN)\b"
)
_BOARD_RE = re.compile(
    r"\bboard[- ](?:certified|certification|eligible)\b|\bdiplomate\b|\bAmerican Board of\b|"
    r"\bfellow(?:ship)? (?:of|in|trained)\b|\bfellowship[- ]trained\b",
    re.IGNORECASE,
)
_PHONE_RE = re.compile(r"(?:\+?1[ .-]?)?(?:\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]\d{4}\b")


def _words(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORDS_RE.findall(skeleton(text)))


def _input_words(ctx: Context) -> frozenset[str]:
    return ctx.input_union(_words)


def _digits(text: str) -> str:
    return "".join(_DIGITS_RE.findall(text))[-10:]


@check(Scope.letter, codes=[FindingCode.IDENTITY_CASE_MISMATCH])
def check_case_matches_denial(ctx: Context) -> list[ValidationFinding]:
    """The case file is about the patient, claim, payer, service and diagnosis of the denial."""
    return [
        finding(
            FindingCode.IDENTITY_CASE_MISMATCH,
            f"The case file does not match the denial letter: {m.sentence()}.",
        )
        for m in ctx.inputs.mismatches
    ]


@check(Scope.section, codes=[FindingCode.IDENTITY_LOOKALIKE])
def check_lookalikes(ctx: Context) -> list[ValidationFinding]:
    """No word mixes ASCII letters or digits with look-alikes of another script (a Cyrillic
    'а' in a name, a Cyrillic 'З' in a code) or holds a digit of another script, unless the
    inputs write it so. A symbol on its own ('×') is no word."""
    out = []
    blob = ctx.grounding.blob
    for m in _WORD_RE.finditer(ctx.markdown):
        word = m.group()
        if word.isascii():
            continue
        mixed = has_lookalikes(word) and any(ch.isascii() and ch.isalnum() for ch in word)
        odd = mixed or any(ch.isdecimal() and not ch.isascii() for ch in word)
        if odd and word not in blob:
            out.append(
                finding(
                    FindingCode.IDENTITY_LOOKALIKE,
                    "A word is written with look-alike characters of another script; retype it.",
                    span=m.span(),
                    excerpt=word,
                )
            )
    return out


@check(Scope.section, codes=[FindingCode.IDENTITY_UNKNOWN_NAME])
def check_person_names(ctx: Context) -> list[ValidationFinding]:
    """Every person's name in the letter (First M. Last, a title and a name, a name and a
    degree) is written in the inputs: the patient, the physician, the reviewer."""
    known = _input_words(ctx)
    out = []
    seen: set[str] = set()
    body = ctx.masked_body
    for regex in _PERSON_RES:
        for m in regex.finditer(body):
            name = m.group(1)
            missing = [w for w in name_words(name) if len(w) > 1 and w not in known]
            if missing and name not in seen:
                seen.add(name)
                out.append(
                    finding(
                        FindingCode.IDENTITY_UNKNOWN_NAME,
                        "A person's name in the letter is not in the case or the denial.",
                        span=m.span(1),
                        excerpt=name,
                    )
                )
    return out


@check(Scope.section, codes=[FindingCode.IDENTITY_ID_MENTION])
def check_id_mentions(ctx: Context) -> list[ValidationFinding]:
    """A member id or claim number written anywhere (the Re line, a sentence) is the case's."""
    case, analysis = ctx.draft.case, ctx.draft.analysis
    member = {norm_id(v) for v in (case.patient.member_id, analysis.member_id) if v}
    claim = {norm_id(v) for v in (case.claim_reference, analysis.claim_number) if v}
    out = []
    for m in _ID_MENTION_RE.finditer(ctx.markdown):
        wanted = member if m.group("label").startswith("Member") else claim
        value = m.group("value").rstrip("-")
        if wanted and norm_id(value) not in wanted and norm_id(value) not in ctx.grounding.idents:
            out.append(
                finding(
                    FindingCode.IDENTITY_ID_MENTION,
                    f"The {m.group('label').lower()} written here differs from the inputs.",
                    span=m.span("value"),
                    excerpt=value,
                )
            )
    return out


def _case_credentials(ctx: Context) -> str:
    p = ctx.draft.case.physician
    return " ".join(v for v in (p.credentials, p.specialty) if v)


_DEGREES_AFTER_RE = re.compile(r",((?: ?[A-Za-z-]{2,6},?)+)")
"""The degrees written after a name: ', MD, FACC'."""


def _after_name(text: str, name: str, after: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """The matches of ``after`` right after ``name`` in ``text``: what
    ``re.finditer(re.escape(name) + after.pattern, text)`` finds, without compiling a pattern
    for each draft's name (``text.literal``)."""
    start = 0
    while (at := text.find(name, start)) >= 0:
        if m := after.match(text, at + len(name)):
            yield m
            start = m.end()
        else:
            start = at + 1


@check(Scope.section, codes=[FindingCode.CREDENTIAL_UNSUPPORTED])
def check_credentials(ctx: Context) -> list[ValidationFinding]:
    """The physician's degrees (after the physician's name) and any board certification or
    fellowship the letter claims come from the case's credentials or specialty."""
    physician = ctx.draft.case.physician
    own = _case_credentials(ctx)
    own_degrees = set(_DEGREE_RE.findall(own))
    out = []
    if physician.name and own_degrees:
        for m in _after_name(ctx.markdown, physician.name, _DEGREES_AFTER_RE):
            for d in _DEGREE_RE.finditer(m.group(1)):
                if d.group() not in own_degrees:
                    start = m.start(1) + d.start()
                    out.append(
                        finding(
                            FindingCode.CREDENTIAL_UNSUPPORTED,
                            "The letter gives the physician a degree the case does not list.",
                            span=(start, start + len(d.group())),
                            excerpt=d.group(),
                        )
                    )
    claims_board = bool(_BOARD_RE.search(own))
    reviewer = ctx.draft.analysis.reviewer or ""
    service = ctx.draft.case.service
    ordered = " ".join(f"{service.description or ''} {service.details or ''}".split())
    for m in _BOARD_RE.finditer(ctx.markdown):
        if claims_board:
            break
        line_start = ctx.markdown.rfind("\n", 0, m.start()) + 1
        line_end = ctx.markdown.find("\n", m.end())
        line = ctx.markdown[line_start : line_end if line_end >= 0 else None]
        if reviewer and reviewer.split(",")[0] in line:
            continue  # the reviewer's board, as the denial states it
        said = " ".join(ctx.markdown[max(line_start, m.start() - 40) : m.end()].split())
        if said in ordered:
            continue  # the case's own order, quoted (another clinician's board, not the signer's)
        out.append(
            finding(
                FindingCode.CREDENTIAL_UNSUPPORTED,
                "The letter claims a board certification or fellowship the case does not list.",
                span=m.span(),
                excerpt=m.group(),
            )
        )
    return out


@check(Scope.letter, codes=[FindingCode.PHONE_NOT_PHYSICIANS])
def check_physician_phone(ctx: Context) -> list[ValidationFinding]:
    """The signature's phone numbers are the physician's (phone or fax), and where the letter
    offers a peer-to-peer call it gives the physician's number, not the payer's."""
    p = ctx.draft.case.physician
    own = {_digits(v) for v in (p.phone, p.fax) if v}
    if not own:
        return []
    out = []
    for name in (lf.SIGNATURE, lf.PEER_TO_PEER):
        sec = ctx.doc.section(name)
        if sec is None:
            continue
        phones = list(_PHONE_RE.finditer(sec.body))
        foreign = [m for m in phones if _digits(m.group()) not in own]
        if name == lf.PEER_TO_PEER and phones and len(foreign) < len(phones):
            continue  # the physician's number is offered; others (the payer's line) may follow
        for m in foreign:
            out.append(
                finding(
                    FindingCode.PHONE_NOT_PHYSICIANS,
                    f"A phone number in the {name} section is not the physician's (case file).",
                    span=(sec.body_start + m.start(), sec.body_start + m.end()),
                    excerpt=m.group(),
                )
            )
    return out
