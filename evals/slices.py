"""How a measure script reports its figures: ``--json`` prints them as JSON; else one line for
each slice that has figures, the tuned slice first, then the held-out one."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

SLICES = ("tune", "heldout")


def print_slices(
    figures: Mapping[str, Any],
    line: Callable[[str, Any], str],
    argv: Sequence[str] | None = None,
) -> None:
    """Print ``figures`` (slice -> its figures) as JSON with ``--json`` in ``argv`` (default:
    the command line), else ``line(slice, its figures)`` for each slice that has figures."""
    if "--json" in (sys.argv if argv is None else argv):
        print(json.dumps(figures, indent=2))
        return
    for split in SLICES:
        if f := figures.get(split):
            print(line(split, f))
