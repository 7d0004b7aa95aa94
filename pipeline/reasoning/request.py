"""What the appeal requests: every code with its units and modifiers."""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..codes import is_cpt, is_hcpcs, is_revenue
from ..models import CaseFacts, DenialAnalysis

_CODE_UNITS_RE = re.compile(
    r"\b(?:(CPT|HCPCS|rev(?:enue)?(?: code)?)\s+)?([0-9]{5}|[A-V][0-9]{4}|(?<=[a-z] )[0-9]{4})\b"
    r"(?:-([0-9A-Z]{2}))?\s*(?:[x×]\s*(\d+))?",
    re.IGNORECASE,
)
_ADMINISTRATIONS_RE = re.compile(
    # a count, not an interval ('every 14 days', 'within 3 days' are not 14 or 3 of anything)
    r"(?<!every )(?<!each )(?<!per )(?<!within )(?<!after )\b(\d+)\s+"
    r"(infusions?|injections?|doses?|sessions?|visits?|treatments?|fractions?|cycles?"
    r"|days?|nights?)\b",
    re.IGNORECASE,
)


def requested_codes(
    analysis: DenialAnalysis, case: CaseFacts
) -> list[tuple[str, int | None, list[str]]]:
    """Every code the request covers, with units and modifiers: the denial's reading
    (``DenialAnalysis.requested``) when it has one, else the codes the case's service names."""
    if analysis.requested:
        return [(r.code, r.units, list(r.modifiers)) for r in analysis.requested]
    out: dict[str, tuple[str, int | None, list[str]]] = {}
    service = case.service
    if service.code:
        out[service.code] = (service.code, None, [])
    for match in _CODE_UNITS_RE.finditer(service.details or ""):
        code = match.group(2)
        known = is_cpt(code) or is_hcpcs(code) or is_revenue(code)
        if not known or (match.group(1) is None and not match.group(4)):
            continue
        units = int(match.group(4)) if match.group(4) else None
        modifiers = [match.group(3)] if match.group(3) else []
        previous = out.get(code)
        out[code] = (
            code,
            units if units is not None else (previous[1] if previous else None),
            modifiers or (previous[2] if previous else []),
        )
    return list(out.values())


_WINDOW_RE = re.compile(r"within (\d+) (calendar |business |working )?days?", re.IGNORECASE)


def p2p_closes(analysis: DenialAnalysis) -> date | None:
    """The last day of the notice's peer-to-peer window ('within 5 business days of this notice'
    counted from the notice's date; business and working days skip weekends), or None when the
    notice states no countable window."""
    m = _WINDOW_RE.search(analysis.peer_to_peer_window or "")
    notice = analysis.letter_date
    if not m or notice is None:
        return None
    days = int(m.group(1))
    if (m.group(2) or "").strip().lower() not in ("business", "working"):
        return notice + timedelta(days=days)
    day = notice
    while days:
        day += timedelta(days=1)
        days -= day.weekday() < 5
    return day


def computed_dates(analysis: DenialAnalysis) -> list[date]:
    """Dates a letter states that are computed from the denial (the peer-to-peer window's last
    day): the validator grounds them as it grounds the inputs."""
    closes = p2p_closes(analysis)
    return [closes] if closes else []


def administrations(details: str | None) -> str:
    """How many administrations, sessions or days the request covers, as the case's service
    details state them ('36 sessions', '6 infusions', '14 days'; '' when they state none)."""
    match = _ADMINISTRATIONS_RE.search(details or "")
    return f"{match.group(1)} {match.group(2)}" if match else ""
