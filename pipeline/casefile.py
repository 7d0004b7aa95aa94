"""Load the advocate's case file (YAML or JSON) into CaseFacts, with one-line errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from pydantic import ValidationError

from .errors import InputError, first_error
from .fileio import LOADER, load_yaml
from .models import CaseFacts

MAX_CASE_BYTES = 1024 * 1024
MAX_CASE_TEXT_BYTES = 2 * 1024 * 1024
"""Largest case text parsed (the web's case field; files stop at MAX_CASE_BYTES)."""
MAX_CASE_DEPTH = 64
"""Deepest YAML nesting accepted: libyaml's composer recurses in C and crashes the process on
tens of thousands of levels, so depth is checked on the (flat) event stream first."""
MAX_LIST_ITEMS = 500
"""Longest list accepted (diagnoses, prior treatments, findings): a case file holds facts."""
_SHOWN_KEY = re.compile(r"[a-z][a-z0-9_]{0,59}")
"""A duplicate key is named only when it looks like a field name (a key may be a patient's
name typed in the wrong place)."""


class _Refused(ValueError):
    """A case file the event scan refuses; the message names the line, never the text."""


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
    """Parse case-file text (YAML is a superset of JSON; JSON is parsed strictly when asked).

    Refused before any value is built: more than 2 MB, nesting deeper than MAX_CASE_DEPTH,
    YAML anchors and aliases (a few bytes of aliases expand to gigabytes), explicit tags,
    duplicate keys (the last would silently win) and lists longer than MAX_LIST_ITEMS."""
    try:
        if as_json:
            _check_size(raw, name)
            data = _load_json(raw)
        else:
            _scan_yaml(raw)  # streams: refuses deep nesting before reading the whole text
            _check_size(raw, name)
            data = load_yaml(raw)
    except _Refused as exc:
        raise InputError(f"case file {name}: {exc}") from None
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


def _check_size(raw: str, name: str) -> None:
    if len(raw.encode("utf-8", "surrogatepass")) > MAX_CASE_TEXT_BYTES:
        raise InputError(
            f"case file {name}: larger than 2 MB; a case file holds facts, not records"
        )


def _load_json(raw: str) -> object:
    """Strict JSON with duplicate keys and over-long lists refused."""

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, value in items:
            if key in out:
                raise _Refused(f"the key {_shown(key)} appears twice in one mapping; keep one")
            out[key] = value
        return out

    data = json.loads(raw, object_pairs_hook=pairs)
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            if len(value) > MAX_LIST_ITEMS:
                raise _Refused(f"a list has more than {MAX_LIST_ITEMS} items; keep the facts only")
            stack += value
        elif isinstance(value, dict):
            stack += value.values()
    return data


class _Frame:
    """An open mapping or sequence of the event scan."""

    __slots__ = ("expect_key", "is_map", "items", "keys")

    def __init__(self, is_map: bool) -> None:
        self.is_map = is_map
        self.keys: set[str] = set()
        self.expect_key = True
        self.items = 0


def _scan_yaml(raw: str) -> None:
    """One scan of the (flat) event stream, before :func:`load_yaml` builds anything: refuses
    nesting deeper than MAX_CASE_DEPTH, anchors and aliases, explicit tags, complex or
    duplicate keys and lists longer than MAX_LIST_ITEMS. Messages give the line, not the text."""
    stack: list[_Frame] = []
    for event in yaml.parse(raw, Loader=LOADER):
        if not isinstance(event, yaml.NodeEvent):
            if isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
            continue
        line = f"line {event.start_mark.line + 1}" if event.start_mark else "the document"
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            raise _Refused(
                f"{line}: YAML anchors and aliases (&name, *name) are not accepted; "
                "write each value out"
            )
        tag = getattr(event, "tag", None)
        if tag is not None and not (isinstance(event, yaml.ScalarEvent) and tag == "!"):
            raise _Refused(f"{line}: YAML tags (!name) are not accepted; remove the tag")
        parent = stack[-1] if stack else None
        if parent is not None and parent.is_map:
            if parent.expect_key:
                if not isinstance(event, yaml.ScalarEvent):
                    raise _Refused(f"{line}: a key must be plain text")
                if event.value in parent.keys:
                    raise _Refused(
                        f"{line}: the key {_shown(event.value)} appears twice in one mapping; "
                        "keep one"
                    )
                parent.keys.add(event.value)
            parent.expect_key = not parent.expect_key
        elif parent is not None:
            parent.items += 1
            if parent.items > MAX_LIST_ITEMS:
                raise _Refused(
                    f"{line}: a list has more than {MAX_LIST_ITEMS} items; keep the facts only"
                )
        if isinstance(event, yaml.CollectionStartEvent):
            if len(stack) >= MAX_CASE_DEPTH:
                raise RecursionError
            stack.append(_Frame(isinstance(event, yaml.MappingStartEvent)))


def _shown(key: str) -> str:
    return f"'{key}'" if _SHOWN_KEY.fullmatch(key) else "<a key>"


_QUOTED = re.compile(r"'[^'\n]{3,}'|\"[^\"\n]{3,}\"")


def _where(exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        # The problem may quote the input (a tag, a token): quotes longer than a character go.
        problem = _QUOTED.sub("'...'", str(getattr(exc, "problem", "") or ""))
        return f"line {mark.line + 1}, column {mark.column + 1}: {problem}".strip()
    if isinstance(exc, json.JSONDecodeError):
        return f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
    return type(exc).__name__
