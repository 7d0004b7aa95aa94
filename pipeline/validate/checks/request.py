"""The Request section asks the payer to reverse the denial (approve, authorize, cover), and
does not ask it to uphold, affirm or withdraw."""

from __future__ import annotations

import re

from ... import letter_format as lf
from ...models import ValidationFinding
from .._context import Context
from .._findings import FindingCode, finding
from .._registry import Scope, check

_ASKS_REVERSAL_RE = re.compile(
    r"\b(?:revers|overturn|rescind|withdraw (?:the|your) denial|approv|authori[sz]|cover|"
    r"grant|pay for|reconsider)\w*",
    re.IGNORECASE,
)
# keeping the denial is said of the denial or decision ('uphold your denial', 'the decision
# be affirmed'); 'sustained remission' or 'an affirmative answer' asks for nothing
_DECISION = r"(?:the |your |this |that |its )?(?:[a-z-]+ ){0,3}?(?:denial|decision|determination)"
_GIVES_UP_RE = re.compile(
    rf"\b(?:uphold|affirm|sustain)(?:s|ed|ing)?\s+{_DECISION}"
    rf"|\b{_DECISION}\s+(?:be|is|was|should be|to be)\s+(?:upheld|affirmed|sustained)\b"
    r"|\bagree with (?:the|your) (?:denial|decision)|"
    r"\bwithdraw (?:the|my|this|our) (?:request|appeal)|\bconcur with\w*",
    re.IGNORECASE,
)


@check(Scope.letter, codes=[FindingCode.REQUEST_NOT_REVERSAL])
def check_request_asks_reversal(ctx: Context) -> list[ValidationFinding]:
    """The request asks for the denial to be reversed and the service approved."""
    sec = ctx.doc.section(lf.REQUEST)
    if sec is None:
        return []  # structure.missing_section reports it
    if m := _GIVES_UP_RE.search(sec.body):
        return [
            finding(
                FindingCode.REQUEST_NOT_REVERSAL,
                "The request asks the payer to keep the denial; ask it to reverse the denial "
                "and approve the service.",
                span=(sec.body_start + m.start(), sec.body_start + m.end()),
                excerpt=m.group(),
            )
        ]
    if not _ASKS_REVERSAL_RE.search(sec.body):
        return [
            finding(
                FindingCode.REQUEST_NOT_REVERSAL,
                "The request does not ask the payer to reverse the denial and approve the service.",
                span=(sec.start, sec.end),
            )
        ]
    return []
