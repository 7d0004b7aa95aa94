"""Where the appeal goes: the mailing address and fax number the denial gives for appeals.

A minimal reader until the extraction carries these fields: it looks after the first sentence
about an appeal (or reconsideration) for the first postal address (a PO Box or street line that
ends in a state and ZIP code) and the first fax number.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from ..models import DenialAnalysis

_APPEAL_RE = re.compile(
    r"\b(?:right to appeal|ask for an appeal|request an appeal|appeal rights|to appeal|"
    r"may appeal|file (?:an |your )?(?:internal )?appeal|ask us to reconsider|reconsideration)",
    re.IGNORECASE,
)
_ADDRESS_RE = re.compile(
    r"(?P<addr>(?:P\.?\s?O\.?\s+BOX|PO Box|\d{2,6}\s+[A-Z][\w.]*(?:\s[A-Z][\w.]*){0,4})"
    r"[^\n]{0,80}?,?\s*(?:\n\s*)?[A-Za-z .]{2,40},?\s+[A-Z]{2},?\s+\d{5}(?:-\d{4})?)",
    re.IGNORECASE,
)
_FAX_RE = re.compile(
    r"\bfax(?:\s+(?:to|at|number))?\s*[:\-]?\s*(?P<fax>(?:1-)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4})",
    re.IGNORECASE,
)
_ADDRESSEE_LINE_RE = re.compile(r"(?i)\b(?:appeal|reconsideration|grievance|attn)")


class AppealContact(BaseModel):
    """Where to send an appeal, as the denial states it."""

    address: str | None = None
    """The mailing address, one line, with the addressee where the letter names one."""
    fax: str | None = None


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", ", ", text.strip()).replace(",,", ",")


_LABEL_RE = re.compile(r"(?i)\b(?:to|address|mail)\s*:\s*")
_TO_RE = re.compile(r"\bto\s+([A-Z][^\n:]{3,80}?)[,\s]*$")


def _addressee(before: str) -> str | None:
    """Who the address is for: the text after 'to:' / 'Mail:' just before it, 'to <Name>,'
    on its line, or the line above when that line names an appeals unit."""
    seg = before[-240:]
    labels = list(_LABEL_RE.finditer(seg))
    if labels and "\n\n" not in seg[labels[-1].end() :]:
        found = _one_line(seg[labels[-1].end() :]).strip(" ,")
        return found or None
    line = seg.rsplit("\n", 1)[-1]
    if line.strip() and (m := _TO_RE.search(line)):
        return m.group(1).strip(" ,")
    if not line.strip():
        above = seg.rstrip().rsplit("\n", 1)[-1].strip()
        if _ADDRESSEE_LINE_RE.search(above) and len(above) < 100:
            return above.rstrip(":, ")
    return None


_LEAD_RE = re.compile(r"^.*?\b(?:to|mail|address|write to)\s*:\s*", re.IGNORECASE)


def appeal_contact(text: str, analysis: DenialAnalysis | None = None) -> AppealContact:
    """The appeal address and fax: the extraction's (``analysis.appeal_address`` and
    ``appeal_fax``) where it found them, without a label run in before the address ('Mail:'),
    else read here from the letter (only when the extraction lacks one: the read scans up to
    4,000 characters of the notice with the address pattern, ~1 ms)."""
    if analysis is None:
        return read_contact(text)
    address = _LEAD_RE.sub("", analysis.appeal_address or "").strip(" ,")
    fax = analysis.appeal_fax
    if address and fax:
        return AppealContact(address=address, fax=fax)
    read = read_contact(text)
    return AppealContact(address=address or read.address, fax=fax or read.fax)


def read_contact(text: str) -> AppealContact:
    """The appeal address and fax the letter gives (None for what it does not give)."""
    start = _APPEAL_RE.search(text)
    if start is None:
        return AppealContact()
    tail = text[start.start() :]
    address = None
    if m := _ADDRESS_RE.search(tail[:4000]):
        address = _one_line(m["addr"])
        if addressee := _addressee(tail[: m.start()]):
            address = f"{addressee}, {address}"
    fax = m["fax"] if (m := _FAX_RE.search(tail[:4000])) else None
    return AppealContact(address=address, fax=fax)


def address_after(text: str, start: int, span: int = 600) -> str | None:
    """The first postal address within ``span`` characters after ``start``, with the addressee
    written just before it (after a colon) when there is one."""
    tail = text[start : start + span]
    if not (m := _ADDRESS_RE.search(tail)):
        return None
    before = tail[: m.start()]
    colon = before.rfind(":")
    addressee = _one_line(before[colon + 1 :]).strip(" ,") if colon >= 0 else ""
    address = _one_line(m["addr"])
    return f"{addressee}, {address}" if addressee and len(addressee) < 160 else address
