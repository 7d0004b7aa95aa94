"""Remittance intake: the denied claim lines of an X12 835, routed to the appeal queue or not.

The 835 is read by pyx12 (a maintained HIPAA X12 parser and validator with the 835 5010 and
4010 maps): its loops give each claim (2100: CLP, the patient's NM1, the claim dates) and each
service line (2110: SVC, its date, CAS adjustments, LQ remark codes) without counting segment
positions by hand. Which adjustment codes an LMN answers is data (``adjustment_codes.yaml``,
with lmn's own short descriptions).

A claim with a line routed to the appeal queue gets a folder ``queue/CLAIM/`` holding
``remittance.txt`` (the claim as the 835 states it, in words: the denial notice lmn reads) and
``case.yaml``, started by the case-init code from what the pipeline reads in that notice
(patient, member id, claim number, payer, codes, dates). Add the payer's denial letter as
``letter.txt`` when you have it, fill the case file, and run ``lmn batch OUT/queue``.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from ..claim_lines import (  # the table both the reading and the 835 intake route by
    AppealCategory,
    adjustment_codes,
)
from ..errors import InputError
from ..fileio import write_atomic
from ..models import Physician

MAX_BYTES = 50 * 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
FROM_835 = "the 835's rendering provider: check"
# pyx12 logs what it finds wrong in a file with the file's segments (patient names): kept quiet.
logging.getLogger("pyx12").setLevel(logging.CRITICAL)


# --------------------------------------------------------------------------- what the 835 says


class Adjustment(BaseModel):
    """One CAS reason: group (CO, PR, OA, PI, CR), CARC and amount."""

    group: str
    code: str
    amount: Decimal | None = None


class ClaimLine(BaseModel):
    """One service line (or, for a claim without lines, the claim itself)."""

    code: str | None = None
    """The procedure code (CPT, HCPCS, NDC...)."""
    qualifier: str | None = None
    """HC (CPT/HCPCS), N4 (NDC), ..."""
    units: str | None = None
    charged: Decimal | None = None
    paid: Decimal | None = None
    date: dt.date | None = None
    adjustments: list[Adjustment] = []
    remarks: list[str] = []


class Provider(BaseModel):
    """The claim's rendering provider (loop 2100 NM1*82), as the 835 names it."""

    name: str | None = None
    """A person's name, first name first; None for an organization."""
    organization: str | None = None
    """The organization's name when the rendering provider is not a person (NM102 2)."""
    npi: str | None = None
    """NM109 when NM108 is XX (an NPI), a person's only: an organization's NPI is not the
    signing physician's."""


class Claim(BaseModel):
    """One claim of the remittance (loop 2100)."""

    claim_id: str
    """The provider's claim id (CLP01)."""
    payer_claim: str | None = None
    """The payer's claim control number (CLP07)."""
    status: str | None = None
    """CLP02: 1-3 processed, 4 denied, 22 reversal..."""
    patient: str | None = None
    member_id: str | None = None
    rendering: Provider | None = None
    """The rendering provider (NM1*82), when the 835 names one."""
    start: dt.date | None = None
    end: dt.date | None = None
    adjustments: list[Adjustment] = []
    """Claim-level adjustments."""
    remarks: list[str] = []
    lines: list[ClaimLine] = []


class Remittance(BaseModel):
    payer: str | None = None
    payee: str | None = None
    date: dt.date | None = None
    claims: list[Claim] = []


def read_835(path: Path) -> Remittance:
    """The claims of an X12 835 file; InputError (one line) when it is not one."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{path}: larger than {MAX_BYTES // 2**20} MB; split the file")
        text = path.read_bytes().decode("latin-1")
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    if not text.lstrip().startswith("ISA"):
        raise InputError(f"{path}: not an X12 file (it does not start with an ISA segment)")
    try:
        return _parse(text)
    except InputError:
        raise
    except Exception as exc:  # pyx12 raises its own errors and ValueError for a damaged file
        raise InputError(
            f"{path}: not a readable X12 835 ({type(exc).__name__}); check that the file is "
            "the payer's 835 as received"
        ) from None


def _parse(text: str) -> Remittance:
    import pyx12.error_handler
    import pyx12.params
    import pyx12.x12context

    remittance = Remittance()
    kind: str | None = None
    with pyx12.x12context.X12ContextReader(
        pyx12.params.params(), pyx12.error_handler.errh_null(), io.StringIO(text)
    ) as reader:
        for node in reader.iter_segments("2100"):
            if node.id == "2100":
                remittance.claims.append(_claim(node))
                continue
            path = node.cur_path
            if node.id == "ST":
                kind = node.get_value("ST01")
            elif path.endswith("1000A/N1"):
                remittance.payer = node.get_value("N102")
            elif path.endswith("1000B/N1"):
                remittance.payee = node.get_value("N102")
            elif node.id == "BPR":
                remittance.date = _date(node.get_value("BPR16"))
    if kind != "835":
        raise InputError(f"an X12 {kind or 'file'} is not a remittance (835)")
    return remittance


def _claim(node: Any) -> Claim:
    claim = Claim(
        claim_id=node.get_value("CLP01") or "",
        payer_claim=node.get_value("CLP07"),
        status=node.get_value("CLP02"),
        patient=_name(node.get_value("NM1[QC]03"), node.get_value("NM1[QC]04")),
        member_id=node.get_value("NM1[QC]09"),
        rendering=_rendering(node),
        start=_date(node.get_value("DTM[232]02")),
        end=_date(node.get_value("DTM[233]02")),
        adjustments=[a for cas in node.select("CAS") for a in _adjustments(cas)],
        remarks=_remarks(node.first("MOA")) + _remarks(node.first("MIA")),
    )
    for line in node.select("2110"):
        composite = (line.get_value("SVC01") or "").split(":")
        claim.lines.append(
            ClaimLine(
                qualifier=line.get_value("SVC01-1") or (composite[0] or None),
                code=line.get_value("SVC01-2") or (composite[1] if len(composite) > 1 else None),
                charged=_money(line.get_value("SVC02")),
                paid=_money(line.get_value("SVC03")),
                units=line.get_value("SVC05") or None,
                date=_date(line.get_value("DTM[472]02")) or _date(line.get_value("DTM[150]02")),
                adjustments=[a for cas in line.select("CAS") for a in _adjustments(cas)],
                remarks=[
                    r
                    for lq in line.select("LQ")
                    if lq.get_value("LQ01") == "HE" and (r := lq.get_value("LQ02"))
                ],
            )
        )
    return claim


def _rendering(node: Any) -> Provider | None:
    """The rendering provider's NM1*82: a person's name and NPI, or an organization's name."""
    last = node.get_value("NM1[82]03")
    if not last:
        return None
    if node.get_value("NM1[82]02") == "2":
        return Provider(organization=_name(last, None))
    npi = node.get_value("NM1[82]09") if node.get_value("NM1[82]08") == "XX" else None
    first = " ".join(p for p in (node.get_value("NM1[82]04"), node.get_value("NM1[82]05")) if p)
    return Provider(name=_name(last, first or None), npi=npi)


def _adjustments(cas: Any) -> list[Adjustment]:
    """A CAS segment's reasons: up to six (code, amount) pairs after the group code."""
    group = cas.get_value("CAS01") or ""
    out = []
    for first in (2, 5, 8, 11, 14, 17):
        code = cas.get_value(f"CAS{first:02d}")
        if code:
            amount = _money(cas.get_value(f"CAS{first + 1:02d}"))
            out.append(Adjustment(group=group, code=code.strip().upper(), amount=amount))
    return out


def _remarks(segment: Any) -> list[str]:
    """The remark codes of a claim-level MOA/MIA segment (the elements that hold codes)."""
    if segment is None:
        return []
    seg = segment.seg_data
    values = [seg.get_value(f"{seg.get_seg_id()}{i:02d}") for i in range(1, 25)]
    return [v for v in values if v and re.fullmatch(r"(?:M|N|MA)\d{1,3}", v)]


def _name(last: str | None, first: str | None) -> str | None:
    name = " ".join(p for p in (first, last) if p)
    return name.title() if name.isupper() else (name or None)


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.datetime.strptime(value.strip(), "%Y%m%d").date()
    except ValueError:
        return None


def _money(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None


# --------------------------------------------------------------------------- routing


class DeniedLine(BaseModel):
    """A denied claim line with its codes and where it goes."""

    claim: Claim
    line: ClaimLine
    carcs: list[str]
    """'CO-50', 'PR-96' (group and code), in the 835's order."""
    rarcs: list[str]
    route: Literal["appeal", "not_lmn"]
    category: AppealCategory | None = None
    reason: str
    """What the codes say (appeal) or what answers it instead (not_lmn)."""


def route_lines(remittance: Remittance) -> list[DeniedLine]:
    """Every denied line: one with an adjustment that is a denial (not the patient's share or
    a contract write-down), routed by its first code an LMN answers, else by its first
    denial code."""
    codes = adjustment_codes()
    out: list[DeniedLine] = []
    for claim in remittance.claims:
        lines = claim.lines or [ClaimLine(adjustments=claim.adjustments)]
        for line in lines:
            adjustments = line.adjustments + (claim.adjustments if claim.lines else [])
            remarks = list(dict.fromkeys(line.remarks + claim.remarks))
            denials = [
                a
                for a in adjustments
                if (spec := codes.carc.get(a.code)) is None or spec.route != "adjustment"
            ]
            if not denials:
                continue
            out.append(_routed(claim, line, denials, remarks))
    return out


def _routed(
    claim: Claim, line: ClaimLine, denials: list[Adjustment], remarks: list[str]
) -> DeniedLine:
    codes = adjustment_codes()
    carcs = [f"{a.group}-{a.code}" for a in denials]
    for a in denials:
        spec = codes.carc.get(a.code)
        if spec is None:
            continue
        if spec.route == "appeal" or set(spec.appeal_with) & set(remarks):
            said = [spec.text] + [codes.rarc[r].text for r in remarks if r in codes.rarc]
            category = spec.category or "medical_necessity"
            return DeniedLine(
                claim=claim,
                line=line,
                carcs=carcs,
                rarcs=remarks,
                route="appeal",
                category=category,
                reason="; ".join(said),
            )
    first = denials[0]
    spec = codes.carc.get(first.code)
    if spec is None:
        reason = (
            f"CARC {first.code} is not one lmn routes; read it in the payer's remittance advice"
        )
    else:
        reason = f"{spec.text}; {spec.reason or 'not a medical-necessity denial'}"
    return DeniedLine(
        claim=claim, line=line, carcs=carcs, rarcs=remarks, route="not_lmn", reason=reason
    )


def describe_codes(line: DeniedLine) -> list[str]:
    """'CARC 50 (CO): the payer judged ...' lines, with lmn's descriptions."""
    codes = adjustment_codes()
    out = []
    for carc in line.carcs:
        group, code = carc.split("-", 1)
        spec = codes.carc.get(code)
        text = spec.text if spec else "(a code lmn has no description of)"
        out.append(f"CARC {code} ({_GROUPS.get(group, group)}): {text}")
    for rarc in line.rarcs:
        spec_r = codes.rarc.get(rarc)
        out.append(
            f"RARC {rarc}: {spec_r.text if spec_r else '(a code lmn has no description of)'}"
        )
    return out


_GROUPS = {
    "CO": "contractual obligation",
    "PR": "patient responsibility",
    "OA": "other adjustment",
    "PI": "payer initiated reduction",
    "CR": "correction or reversal",
}


# --------------------------------------------------------------------------- the queue


@dataclass
class Intake:
    """What ``lmn batch --835`` found and wrote."""

    remittance: Remittance
    lines: list[DeniedLine]
    queue: dict[str, Path] = field(default_factory=dict)
    """The provider's claim id -> the claim's folder, for the claims with a line to appeal."""

    @property
    def denied(self) -> int:
        return len(self.lines)

    @property
    def not_lmn(self) -> list[DeniedLine]:
        return [line for line in self.lines if line.route == "not_lmn"]


def claim_notice(remittance: Remittance, claim: Claim, lines: list[DeniedLine]) -> str:
    """The claim's denial as the 835 states it, in words (what the pipeline reads)."""
    payer = remittance.payer or "the payer"
    dated = f", dated {_long(remittance.date)}" if remittance.date else ""
    out = [f"Remittance advice (X12 835) from {payer}{dated}", ""]
    if remittance.payer:
        out.append(f"Payer: {remittance.payer}")
    if claim.patient:
        out.append(f"Patient: {claim.patient}")
    if claim.member_id:
        out.append(f"Member ID: {claim.member_id}")
    out.append(f"Claim Number: {claim.payer_claim or claim.claim_id}")
    if claim.payer_claim:
        out.append(f"Provider claim id: {claim.claim_id}")
    if claim.start:
        end = f" to {_long(claim.end)}" if claim.end and claim.end != claim.start else ""
        out.append(f"Dates of service: {_long(claim.start)}{end}")
    out += ["", "Denied service lines:"]
    for denied in lines:
        line = denied.line
        kind = {"HC": "CPT/HCPCS", "N4": "NDC"}.get(line.qualifier or "", line.qualifier or "")
        what = f"{kind} {line.code}".strip() if line.code else "the claim"
        if line.code and kind == "CPT/HCPCS":
            what = f"{'HCPCS' if line.code[0].isalpha() else 'CPT'} {line.code}"
        units = f", {line.units} unit(s)" if line.units else ""
        when = f", date of service {_long(line.date)}" if line.date else ""
        money = ""
        if line.charged is not None:
            money = f": charged ${line.charged:.2f}, paid ${(line.paid or Decimal(0)):.2f}"
        out.append(f"- {what}{units}{when}{money}.")
        out += [f"  {text}." for text in describe_codes(denied)]
    return "\n".join(out) + "\n"


def _long(day: dt.date | None) -> str:
    return "" if day is None else f"{day:%B} {day.day}, {day.year}"


def intake_835(path: Path, out: Path) -> Intake:
    """Read ``path``, route its denied lines and start a case file per claim to appeal in
    ``out/queue/``; write ``out/remittance.csv`` and ``out/summary.html``."""
    from ..caseinit import init_case
    from ..ingest import ingest_text
    from ..pipeline import Pipeline

    remittance = read_835(path)
    lines = route_lines(remittance)
    _prepare(out, path)
    intake = Intake(remittance, lines)
    by_claim: dict[str, list[DeniedLine]] = {}
    for line in lines:
        if line.route == "appeal":
            by_claim.setdefault(line.claim.claim_id, []).append(line)
    pipeline = Pipeline()
    used: set[str] = set()
    for claim_id, claim_lines in by_claim.items():
        claim = claim_lines[0].claim
        name = _folder_name(claim.payer_claim or claim_id, used)
        folder = out / "queue" / name
        folder.mkdir(parents=True, exist_ok=True)
        notice = claim_notice(remittance, claim, claim_lines)
        letter = ingest_text(notice, source=f"remittance.txt ({path.name}, claim {claim_id})")
        analysis = pipeline.run(letter, None, until="extract").analysis
        case = _case_header(claim_lines) + init_case(
            letter, analysis, physician=_physician(claim), physician_note=FROM_835
        )
        _write_new(folder / "remittance.txt", notice)
        _write_new(folder / "case.yaml", case)
        intake.queue[claim_id] = folder
    _write_summary(intake, out, path)
    return intake


REMITTANCE_CSV = "remittance.csv"
CSV_COLUMNS = (
    "claim_id",
    "payer_claim",
    "member_id",
    "code",
    "units",
    "date",
    "charged",
    "paid",
    "carc",
    "rarc",
    "route",
    "category",
    "reason",
    "folder",
)


def _write_summary(intake: Intake, out: Path, given: Path) -> None:
    """remittance.csv (every denied line) and summary.html (the queue, then the rest)."""
    import csv

    from ._summary import SUMMARY_HTML, Table, summary_html

    rows = []
    for d in intake.lines:
        folder = _claim_folder(intake, d)
        rows.append(
            [
                d.claim.claim_id,
                d.claim.payer_claim or "",
                d.claim.member_id or "",
                d.line.code or "",
                d.line.units or "",
                d.line.date or "",
                d.line.charged if d.line.charged is not None else "",
                d.line.paid if d.line.paid is not None else "",
                " ".join(d.carcs),
                " ".join(d.rarcs),
                d.route,
                d.category or "",
                d.reason,
                folder,
            ]
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(rows)
    write_atomic(out / REMITTANCE_CSV, buffer.getvalue())
    columns = ("claim", "member id", "line", "date", "codes", "why")
    queue = Table(
        heading=f"Appeal queue: {sum(d.route == 'appeal' for d in intake.lines)} line(s)",
        note="Each claim has a folder with remittance.txt and a case file started from it: add "
        "the payer's denial letter as letter.txt when you have it, fill the case file, then "
        "run lmn batch on the queue folder. The 835 does not carry the appeal deadline: it is "
        "in the payer's notice and the plan documents.",
        columns=(*columns, "folder"),
    )
    rest = Table(
        heading=f"Not an LMN case: {len(intake.not_lmn)} line(s)",
        note="Denials a letter of medical necessity does not answer, with what does.",
        columns=columns,
    )
    for d in intake.lines:
        cells = [
            d.claim.payer_claim or d.claim.claim_id,
            d.claim.member_id or "",
            d.line.code or "(claim)",
            d.line.date.isoformat() if d.line.date else "",
            " ".join(d.carcs + d.rarcs),
            d.reason,
        ]
        if d.route == "appeal":
            queue.rows.append([*cells, _claim_folder(intake, d)])
        else:
            rest.rows.append(cells)
    title = f"lmn batch --835 {given.name}"
    page = summary_html([], dt.date.today(), title=title, tables=[queue, rest])
    write_atomic(out / SUMMARY_HTML, page)


def _claim_folder(intake: Intake, line: DeniedLine) -> str:
    folder = intake.queue.get(line.claim.claim_id)
    return f"queue/{folder.name}" if folder is not None and line.route == "appeal" else ""


def _physician(claim: Claim) -> Physician | None:
    """The rendering provider as the case file's physician (who usually signs the letter)."""
    provider = claim.rendering
    if provider is None:
        return None
    return Physician(name=provider.name, npi=provider.npi, practice_name=provider.organization)


def _case_header(lines: list[DeniedLine]) -> str:
    out = ["# From the 835 remittance (lmn batch --835): the denied lines and their codes."]
    for denied in lines:
        line = denied.line
        out.append(f"#   {line.code or 'claim'} {line.date or ''}: {', '.join(denied.carcs)}")
        out += [f"#     {text}" for text in describe_codes(denied)]
    out.append("# Add the payer's denial letter beside this file as letter.txt when you have it.")
    return "\n".join(out) + "\n"


def _prepare(out: Path, given: Path) -> None:
    """A new or empty folder (nothing of the user's is overwritten)."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError(f"{out}: already exists and is not empty; choose a new folder")
    if given.resolve().is_relative_to(out.resolve()):
        raise InputError(f"{out}: holds the 835 file; choose another folder")
    try:
        (out / "queue").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"{out}: cannot be created ({exc.strerror}); choose another folder"
        ) from None


def _folder_name(claim: str, used: set[str]) -> str:
    base = _UNSAFE.sub("-", claim).strip(".-")[:80] or "claim"
    name, n = base, 1
    while name.casefold() in used:
        n += 1
        name = f"{base}-{n}"
    used.add(name.casefold())
    return name


def _write_new(path: Path, text: str) -> None:
    write_atomic(path, text, replace=False)
