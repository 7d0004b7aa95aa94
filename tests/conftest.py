"""Shared fixtures: a per-session index folder and the bundled examples."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(
    p.parent for p in ROOT.glob("examples/*/case.yaml") if p.parent.name != "incomplete"
)

# Never touch the user's own index: tests use a fresh one unless CI points at one.
os.environ.setdefault("LMN_INDEX_DIR", tempfile.mkdtemp(prefix="lmn-test-index-"))
