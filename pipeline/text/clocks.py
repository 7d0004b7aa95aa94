"""A notice's own decision clock, read once for the rights (when the plan decides the appeal) and
for the reading (an appeal's clock is never a criterion)."""

from __future__ import annotations

import re

DECISION_CLOCK_RE = re.compile(
    r"\b(?:decide|decided|make (?:a|our|its) decision (?:on|about)|resolve|resolved|"
    r"send (?:you )?(?:a |our |its )?(?:written )?decision (?:on|about)|"
    r"(?:a|our|its) (?:written )?decision (?:on|about)|"
    # a clock stated as a bare noun phrase ('Standard reconsideration of a Part B drug request:
    # decision within 7 calendar days of receipt'), never the decision appealed ('file an
    # appeal of this decision within 180 days': the filing window)
    r"(?<!of this )(?<!of the )(?<!of our )(?<!of that )"
    r"decision(?=\s+(?:will be (?:made|issued|sent)\s+)?within\b))\b[^.;]{0,80}?\bwithin "
    r"(?P<n>\d{1,3}) (?P<kind>calendar |business |working )?(?P<unit>days?|hours?)\b",
    re.IGNORECASE,
)
"""A notice's own commitment of when it decides an appeal ('We will decide your grievance
within 15 days of receiving it', 'decision within 7 calendar days of receipt')."""
