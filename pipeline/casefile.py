"""Load the advocate's case file (YAML or JSON) into CaseFacts, with one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from pydantic import ValidationError

from .errors import InputError, first_error
from .fileio import LOADER, load_yaml
from .models import CaseFacts

MAX_CASE_BYTES = 1024 * 1024
MAX_CASE_DEPTH = 64
"""Deepest YAML nesting accepted: libyaml's composer recurses in C and crashes the process on
tens of thousands of levels, so depth is checked on the (flat) event stream first."""


def load_case(path: str | Path) -> CaseFacts:
    """Read a case file; raise InputError with a one-line message when it is unusable."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"case file {p}: not found (give the path of a .yaml or .json case file)")
    if p.stat().st_size > MAX_CASE_BYTES:
        raise InputError(f"case file {p}: larger than 1 MB; a case file holds facts, not records")
    try:
        raw = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"case file {p}: cannot be read as UTF-8 text ({type(exc).__name__})"
        ) from None
    return parse_case(raw, str(p), as_json=p.suffix.lower() == ".json")


def parse_case(raw: str, name: str = "<case>", *, as_json: bool = False) -> CaseFacts:
    """Parse case-file text (YAML is a superset of JSON; JSON is parsed strictly when asked)."""
    try:
        data = json.loads(raw) if as_json else _load_shallow_yaml(raw)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputError(
            f"case file {name}: not valid {'JSON' if as_json else 'YAML'} ({_where(exc)})"
        ) from None
    except RecursionError:
        raise InputError(f"case file {name}: nested too deeply") from None
    except ValueError as exc:  # e.g. date 2026-02-30, a 5,000-digit number, a lone surrogate
        raise InputError(
            f"case file {name}: a value cannot be read ({type(exc).__name__}): "
            "use real dates (YYYY-MM-DD), short numbers and plain text"
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            f"case file {name}: expected a mapping of fields (patient:, physician:, ...)"
        )
    try:
        return CaseFacts.model_validate(data)
    except ValidationError as exc:
        raise InputError(
            f"case file {name}: {first_error(exc.errors(include_url=False, include_input=False))}"
        ) from None
    except ValueError:  # e.g. YAML's 0xfff... (5,000 digits) where text is expected
        raise InputError(f"case file {name}: a number is too long; write it as text") from None


def _load_shallow_yaml(raw: str) -> object:
    """YAML through :func:`load_yaml`, after refusing nesting deeper than MAX_CASE_DEPTH."""
    depth = 0
    for event in yaml.parse(raw, Loader=LOADER):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_CASE_DEPTH:
                raise RecursionError
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return load_yaml(raw)


def _where(exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return (
            f"line {mark.line + 1}, column {mark.column + 1}: {getattr(exc, 'problem', '')}".strip()
        )
    if isinstance(exc, json.JSONDecodeError):
        return f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
    return type(exc).__name__
