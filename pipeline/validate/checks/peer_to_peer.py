"""The letter offers a peer-to-peer review with a phone number."""

from __future__ import annotations

import re

from ... import letter_format as lf
from ...models import ValidationFinding
from .._context import Context
from .._findings import FindingCode, finding
from .._registry import Scope, check
from .._scanner import PHONE_RE

_P2P_OFFER_RE = re.compile(
    r"\b(?:peer[- ]to[- ]peer|available|welcome|offer|discuss|call|contact|reach|speak)\b", re.I
)


@check(Scope.letter, codes=[FindingCode.P2P_MISSING, FindingCode.P2P_NO_PHONE])
def check_peer_to_peer(ctx: Context) -> list[ValidationFinding]:
    """A Peer-to-peer section offers a review and gives a phone number."""
    sec = ctx.doc.section(lf.PEER_TO_PEER)
    if sec is None or not _P2P_OFFER_RE.search(sec.body):
        return [
            finding(FindingCode.P2P_MISSING, "The letter does not offer a peer-to-peer review.")
        ]
    own = re.sub(r"\D", "", ctx.draft.case.physician.phone or "")[-10:]
    numbers = {re.sub(r"\D", "", m.group())[-10:] for m in PHONE_RE.finditer(sec.body)}
    # The physician's own number, when the case gives it (the plan's line does not count).
    if not numbers or (own and len(own) == 10 and own not in numbers):
        return [
            finding(
                FindingCode.P2P_NO_PHONE,
                "The peer-to-peer offer gives no phone number.",
                span=(sec.start, sec.end),
            )
        ]
    return []
