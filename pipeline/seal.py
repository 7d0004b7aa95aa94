"""A draft's context is trusted only when this machine made it.

Validation judges a letter against its context: the denial letter's text, the case, the
analysis, the passages, the letter's date and the verdicts and passage placement the drafter
computed from them. A JSON draft (``lmn draft -f json``) or the draft a web page sends back
carries that context, and whoever can edit the file or the request can add the numbers a forged
letter needs. So every draft the pipeline makes is sealed: an HMAC-SHA256 of its context under a
random key kept beside the index (created on first use, mode 0600). ``lmn validate DRAFT.json``
and ``/api/validate`` use a context only when its seal holds; otherwise they rebuild it from the
inputs the user names, or refuse.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from .models import Draft
from .paths import index_dir

KEY_BYTES = 32
_CONTEXT_FIELDS = {
    "analysis",
    "case",
    "passages",
    "letter_text",
    "gaps",
    "run",
    "verdicts",
    "placement",
}


def key_path() -> Path:
    """Where the key lives: beside the index folder ($LMN_INDEX_DIR's parent, or user data)."""
    return index_dir().parent / "draft-seal.key"


def _key() -> bytes:
    path = key_path()
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it a moment ago
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(KEY_BYTES))
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def _drop_none(mapping: dict[str, Any], key: str) -> None:
    if mapping.get(key) is None:
        mapping.pop(key, None)


def _digest(draft: Draft) -> str:
    context = draft.model_dump(mode="json", include=_CONTEXT_FIELDS)
    context["run"].pop("seal", None)
    # fields added to the context after drafts were first sealed: absent (None) in a draft made
    # before them, they are left out so its seal still holds
    _drop_none(context, "placement")
    _drop_none(context.get("analysis") or {}, "next_level_due")
    for retrieved in context.get("passages") or []:
        _drop_none(retrieved.get("passage") or {}, "reading")
    payload = json.dumps(context, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(_key(), payload.encode("utf-8"), hashlib.sha256).hexdigest()


def seal(draft: Draft) -> Draft:
    """``draft`` with its context sealed (``run.seal``)."""
    unsealed = draft.model_copy(update={"run": draft.run.model_copy(update={"seal": None})})
    run = draft.run.model_copy(update={"seal": _digest(unsealed)})
    return draft.model_copy(update={"run": run})


def is_sealed(draft: Draft) -> bool:
    """True when the draft's context is the one this machine sealed."""
    given = draft.run.seal
    return given is not None and bool(given) and hmac.compare_digest(given, _digest(draft))
