"""The fuzz targets and their one contract, shared by the fuzzer, the corpus replay and the
property tests.

Contract: an input either succeeds or is rejected with a :class:`pipeline.errors.LmnError`
whose message is one short line (the web API: a 4xx JSON ``{"error": "one line"}``). Any other
exception, a 5xx, or a message that is empty, multi-line, longer than
:data:`MAX_MESSAGE_CHARS` or holds a traceback is a crash: :func:`run_target` raises it.

Targets whose first byte picks a mode (file type, endpoint...) take the rest as the payload;
:data:`MODES` names the modes so seeds and tests can build inputs with :func:`with_mode`.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import io
import json
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.errors import LmnError

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PATH = Path(__file__).resolve().parent / "template_draft.json"
"""A real offline draft (examples/tms-erisa), the context the validate targets check against."""
MAX_MESSAGE_CHARS = 500


class ContractViolation(AssertionError):
    """An input broke the contract in a way that is not an uncaught exception."""


# --------------------------------------------------------------------------- helpers


def check_message(message: object, where: str) -> None:
    """Raise ContractViolation unless ``message`` is one short, non-empty line."""
    if not isinstance(message, str) or not message.strip():
        raise ContractViolation(f"{where}: empty error message")
    if "\n" in message or "\r" in message:
        raise ContractViolation(f"{where}: multi-line error message: {message[:200]!r}")
    if len(message) >= MAX_MESSAGE_CHARS:
        raise ContractViolation(f"{where}: error message of {len(message)} characters")
    if "Traceback" in message:
        raise ContractViolation(f"{where}: traceback in error message")


def as_text(data: bytes) -> str:
    """Bytes as str; invalid UTF-8 becomes lone surrogates, as a JSON '\\udc80' escape can."""
    return data.decode("utf-8", errors="surrogateescape")


def with_mode(target: str, mode: str, payload: bytes) -> bytes:
    """The input that runs ``payload`` through ``target`` in ``mode`` (extract has no modes)."""
    return bytes([MODES[target].index(mode)]) + payload if target in MODES else payload


def _split(target: str, data: bytes) -> tuple[str, bytes]:
    modes = MODES[target]
    return modes[data[0] % len(modes)] if data else modes[0], data[1:]


@functools.cache
def _workdir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="lmn-fuzz-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def write_input(payload: bytes, suffix: str) -> Path:
    """``payload`` in a temporary file named input``suffix`` (reused; removed at exit)."""
    path = _workdir() / f"input{suffix}"
    path.write_bytes(payload)
    return path


@functools.cache
def template_draft() -> Any:
    """The committed template draft (regenerate with ``fuzz/run.py --refresh-template``)."""
    from pydantic import ValidationError

    from pipeline.models import Draft

    try:
        return Draft.model_validate_json(TEMPLATE_PATH.read_bytes())
    except ValidationError as exc:  # the models changed since the template was written
        raise RuntimeError(
            f"{TEMPLATE_PATH} no longer loads ({exc.error_count()} errors): "
            "regenerate it with .venv/bin/python fuzz/run.py --refresh-template"
        ) from None


# --------------------------------------------------------------------------- targets


def _check_letter(letter: Any) -> None:
    """What ingest promises about a letter it accepts."""
    text = letter.text
    if not text.strip():
        raise ContractViolation("ingest accepted a letter with no text")
    # normalize_text drops control (Cc) and format (Cf) characters and expands tabs: only the
    # newline is left.
    if any(ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf") for ch in text):
        raise ContractViolation("ingest left control or format characters in the letter")
    if letter.sha256 != hashlib.sha256(text.encode("utf-8")).hexdigest():
        raise ContractViolation("the letter's sha256 is not that of its text")


def fuzz_ingest(data: bytes) -> None:
    """ingest() of a file (.txt/.md/.pdf by the mode byte) or stdin, then ingest_text()."""
    from pipeline.ingest import ingest, ingest_text

    mode, payload = _split("ingest", data)
    if mode == "stdin":
        _check_letter_or_error(lambda: ingest("-", stdin=io.BytesIO(payload)), "ingest")
    else:
        _check_letter_or_error(lambda: ingest(write_input(payload, mode)), "ingest")
    _check_letter_or_error(lambda: ingest_text(as_text(payload)), "ingest_text")


def _check_letter_or_error(call: Callable[[], Any], where: str) -> None:
    try:
        _check_letter(call())
    except LmnError as exc:
        check_message(str(exc), where)


_EXTRACTED_IDS = ("insurer", "member_id", "claim_number", "reviewer")
_EXTRACTED_CODES = ("cpt_codes", "hcpcs_codes", "icd10_codes")


def _squash(text: str) -> str:
    """Whitespace collapsed and casefolded, as extract's provenance check compares text."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def fuzz_extract(data: bytes) -> None:
    """extract() (offline engine) of ingest_text() of the input: every id and code it returns
    occurs in the letter (case- and whitespace-insensitively; codes also without their dots,
    as ICD-10-CM codes are returned dotted)."""
    from pipeline.extract import extract
    from pipeline.ingest import ingest_text

    letter = ingest_text(as_text(data))
    analysis = extract(letter)
    text = _squash(letter.text)
    for field in _EXTRACTED_IDS:
        value = getattr(analysis, field)
        if value is not None and _squash(value) not in text:
            raise ContractViolation(f"extract: {field} {value[:80]!r} is not in the letter")
    dotless = text.replace(".", "")
    for field in _EXTRACTED_CODES:
        for code in getattr(analysis, field):
            if _squash(code).replace(".", "") not in dotless:
                raise ContractViolation(f"extract: {field} {code[:80]!r} is not in the letter")


def fuzz_casefile(data: bytes) -> None:
    """parse_case() of the text as YAML or JSON, or load_case() of a .yaml/.json file."""
    from pipeline.casefile import load_case, parse_case

    mode, payload = _split("casefile", data)
    if mode == "yaml":
        parse_case(as_text(payload))
    elif mode == "json":
        parse_case(as_text(payload), as_json=True)
    else:
        load_case(write_input(payload, f".{mode.removeprefix('file-')}"))


def _sealed(path: Path) -> Path:
    """A parseable JSON draft sealed (as `lmn draft` writes it), so its content is validated
    rather than refused as unsealed; other files unchanged."""
    from pydantic import ValidationError

    from pipeline.models import Draft
    from pipeline.seal import seal

    try:
        draft = Draft.model_validate_json(path.read_bytes())
    except (ValidationError, ValueError):
        return path
    path.write_text(seal(draft).model_dump_json(), encoding="utf-8")
    return path


def fuzz_validate(data: bytes) -> None:
    """validate_markdown() + the web review of a letter, or `lmn validate DRAFT.json`."""
    from pipeline.cli import _load_draft
    from pipeline.validate import FindingCode, validate, validate_markdown

    mode, payload = _split("validate", data)
    if mode == "markdown":
        markdown = as_text(payload)
        report = validate_markdown(markdown, template_draft())
        from pipeline.web.review import review

        review(markdown, template_draft(), report)
    else:
        draft = _load_draft(_sealed(write_input(payload, ".json")), None, None, None)
        markdown = draft.markdown
        report = validate(draft)
    for finding in report.findings:
        if finding.code == FindingCode.VALIDATOR_INTERNAL_ERROR:
            raise ContractViolation(f"validator internal error: {finding.message}")
        check_message(finding.message, f"finding {finding.code}")
        if finding.span and not 0 <= finding.span[0] <= finding.span[1] <= len(markdown):
            raise ContractViolation(f"finding {finding.code}: span {finding.span} out of range")


@functools.cache
def _template_json() -> Any:
    """The template draft as the server sent it: sealed with this machine's key."""
    from pipeline.seal import seal

    return seal(template_draft()).model_dump(mode="json")


@functools.cache
def web_client() -> Any:
    """A TestClient on the web app (offline engine) that re-raises the app's exceptions."""
    from fastapi.testclient import TestClient

    from pipeline.web import create_app

    client = TestClient(
        create_app("offline"), raise_server_exceptions=True, base_url="http://127.0.0.1:8000"
    )
    client.__enter__()
    atexit.register(client.__exit__, None, None, None)
    return client


_JSON = {"content-type": "application/json"}
_ENDPOINTS = {
    "raw-analyze": "/api/analyze",
    "raw-case": "/api/case",
    "raw-validate": "/api/validate",
    "raw-export": "/api/export/pdf",
}


def fuzz_web(data: bytes) -> None:
    """One request to the web API built from the input; the answer must be < 500, and a 4xx
    must be JSON with a one-line ``error``."""
    mode, payload = _split("web", data)
    text = as_text(payload)
    client = web_client()
    if mode == "letter-upload":
        response = client.post(
            "/api/letter",
            content=payload,
            params={"filename": "letter.pdf"},
            headers={"content-type": "application/octet-stream"},
        )
    elif mode in _ENDPOINTS:
        response = client.post(_ENDPOINTS[mode], content=payload, headers=_JSON)
    else:
        path, body = {
            "analyze": ("/api/analyze", lambda: {"letter": text}),
            "case-yaml": ("/api/case", lambda: {"text": text}),
            "case-json": ("/api/case", lambda: {"text": text, "filename": "case.json"}),
            "validate": (
                "/api/validate",
                lambda: {"markdown": text, "draft": _template_json()},
            ),
            "export-docx": ("/api/export/docx", lambda: {"markdown": text}),
            "export-pdf": ("/api/export/pdf", lambda: {"markdown": text}),
        }[mode]
        # json.dumps escapes lone surrogates ("\udc80"), as a browser's JSON.stringify does.
        response = client.post(path, content=json.dumps(body()).encode(), headers=_JSON)
    status = response.status_code
    if status >= 500:
        raise ContractViolation(f"web {mode}: HTTP {status}: {response.text[:200]!r}")
    if status >= 400:
        if not response.headers.get("content-type", "").startswith("application/json"):
            raise ContractViolation(f"web {mode}: HTTP {status} without a JSON body")
        check_message(response.json().get("error"), f"web {mode} HTTP {status}")


TARGETS: dict[str, Callable[[bytes], None]] = {
    "ingest": fuzz_ingest,
    "extract": fuzz_extract,
    "casefile": fuzz_casefile,
    "validate": fuzz_validate,
    "web": fuzz_web,
}
MODES: dict[str, tuple[str, ...]] = {
    "ingest": (".txt", ".md", ".pdf", "stdin"),
    "casefile": ("yaml", "json", "file-yaml", "file-json"),
    "validate": ("markdown", "draft-json"),
    "web": (
        "letter-upload",
        "analyze",
        "case-yaml",
        "case-json",
        "validate",
        "export-docx",
        "export-pdf",
        *_ENDPOINTS,
    ),
}


def run_target(name: str, data: bytes) -> None:
    """Run ``data`` through target ``name``; return if the contract holds, else raise."""
    try:
        TARGETS[name](data)
    except LmnError as exc:
        check_message(str(exc), name)
