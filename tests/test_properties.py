"""Property tests (hypothesis) for the untrusted inputs: ingest, extraction, case files, the
`lmn validate` draft loader and the web API's request parsing.

Every input must succeed or be rejected with a one-line error (the contract in
fuzz/targets.py, shared with the fuzzer and tests/test_fuzz_replay.py): arbitrary bytes,
mixed encodings, control characters, huge lines, deeply nested YAML/JSON, malformed and
encrypted PDFs. Validation of arbitrary Markdown is covered in tests/test_validate.py.
Derandomized, so CI sees the same examples every run.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import logging

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz.seeds import TEXT_PDF, encrypted_pdf, garbled, text_pdf
from fuzz.targets import run_target, template_draft, web_client, with_mode, write_input
from pipeline.casefile import parse_case
from pipeline.errors import InputError
from pipeline.extract import extract
from pipeline.ingest import MAX_BYTES, ingest, ingest_text, normalize_text, repair_ocr_digits
from pipeline.models import CaseFacts, DenialAnalysis

from .conftest import ROOT

PROPS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FEW = settings(PROPS, max_examples=20)
LETTER = (ROOT / "examples" / "tms-erisa" / "letter.txt").read_text(encoding="utf-8")
CASE = yaml.safe_load((ROOT / "examples" / "tms-erisa" / "case.yaml").read_text())
NESTING = 100_000
"""Levels of nesting: deep enough to overflow the C stack of a recursive parser."""

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
CONTROL_TEXT = st.text(
    st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp"]) | st.sampled_from("ab \n"),
)
PLAIN_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]) | st.sampled_from("\n\t"),
    min_size=1,
)


def one_line_rejection(call, *args, **kwargs) -> str:
    """Run ``call``, which must raise InputError with a one-line message; return it."""
    with pytest.raises(InputError) as rejected:
        call(*args, **kwargs)
    message = str(rejected.value)
    assert message and "\n" not in message and len(message) < 500
    return message


def tamper(data: st.DataObject, tree: dict) -> dict:
    """``tree`` with one value, at a depth hypothesis picks, replaced by arbitrary JSON."""
    node: dict | list = tree
    while True:
        keys = sorted(node) if isinstance(node, dict) else list(range(len(node)))
        key = data.draw(st.sampled_from(keys))
        child = node[key]  # type: ignore[index]
        if not isinstance(child, dict | list) or not child or data.draw(st.booleans()):
            break
        node = child
    node[key] = data.draw(JSON_VALUES)  # type: ignore[index]
    return tree


# --------------------------------------------------------------------------- arbitrary input


@PROPS
@given(st.sampled_from(["ingest", "extract", "casefile", "validate"]), st.binary(max_size=2048))
def test_arbitrary_bytes_keep_the_contract(target: str, data: bytes) -> None:
    run_target(target, data)


@PROPS
@given(st.sampled_from(["ingest", "extract", "casefile", "web"]), CONTROL_TEXT)
def test_control_characters_keep_the_contract(target: str, text: str) -> None:
    for mode in range(8):  # every mode of every target (modes wrap around)
        run_target(target, bytes([mode]) + text.encode("utf-8"))


@FEW
@given(st.integers(0, 15), st.binary(max_size=1024))
def test_arbitrary_request_bodies_get_a_one_line_4xx(mode: int, body: bytes) -> None:
    run_target("web", bytes([mode]) + body)


@FEW
@given(st.sampled_from(["/api/analyze", "/api/case", "/api/validate", "/api/draft"]), JSON_VALUES)
def test_arbitrary_json_bodies_get_a_one_line_4xx(path: str, body: object) -> None:
    response = web_client().post(path, json=body)
    assert 400 <= response.status_code < 500, response.text
    message = response.json()["error"]
    assert message and "\n" not in message


# --------------------------------------------------------------------------- encodings


@PROPS
@given(PLAIN_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_text_with_a_bom_or_in_utf8_reads_back_exactly(text: str, encoding: str) -> None:
    """UTF-8 (with or without BOM) and UTF-16 with BOM decode to the text that was written."""
    expected = repair_ocr_digits(normalize_text(text))  # a text file may be pasted OCR
    source = write_input(text.encode(encoding), ".txt")
    if not expected.strip():
        one_line_rejection(ingest, source)
    else:
        assert ingest(source).text == expected


@PROPS
@given(st.text(st.characters(codec="cp1252", exclude_categories=["Cc"]), min_size=1))
def test_windows_1252_text_reads_back(text: str) -> None:
    data = text.encode("cp1252")
    expected = repair_ocr_digits(normalize_text(text))
    try:
        data.decode("utf-8")
        return  # also valid UTF-8 (e.g. ASCII): read as UTF-8, covered above
    except UnicodeDecodeError:
        pass
    if not expected.strip():
        one_line_rejection(ingest, write_input(data, ".txt"))
    else:
        assert ingest(write_input(data, ".txt")).text == expected


@PROPS
@given(
    PLAIN_TEXT,
    st.sampled_from(["utf-16-le", "utf-16-be", "utf-32"]),
    st.binary(min_size=1, max_size=8),
    st.integers(0, 10_000),
)
def test_mixed_and_unmarked_encodings_keep_the_contract(
    text: str, encoding: str, junk: bytes, at: int
) -> None:
    """UTF-16 without BOM, UTF-32, and valid text with invalid bytes spliced in."""
    encoded = text.encode(encoding)
    spliced = text.encode("utf-8")
    at %= len(spliced) + 1
    for data in (encoded, spliced[:at] + junk + spliced[at:], b"\xff\xfe" + encoded):
        for mode in (".txt", ".md", "stdin"):
            run_target("ingest", with_mode("ingest", mode, data))


def test_invalid_utf8_in_text_given_in_memory_becomes_replacement_characters() -> None:
    letter = ingest_text("Member ID: AB12345\nThe claim \udced\udca0 was denied.")
    assert "\ufffd" in letter.text and "AB12345" in letter.text
    assert isinstance(extract(letter), DenialAnalysis)


# --------------------------------------------------------------------------- huge inputs


def test_a_one_megabyte_line_is_read_and_extracted() -> None:
    line = " ".join(LETTER.split())
    huge = " ".join([line] * (1_000_000 // (len(line) + 1)))
    assert len(huge) > 900_000 and "\n" not in huge
    letter = ingest(write_input(huge.encode(), ".txt"))
    assert letter.text == huge
    assert extract(letter).member_id == extract(ingest_text(LETTER)).member_id


def test_inputs_over_two_megabytes_are_rejected_in_one_line() -> None:
    huge = "x" * (MAX_BYTES + 1)
    assert "2 MB" in one_line_rejection(ingest, write_input(huge.encode(), ".txt"))
    assert "2 MB" in one_line_rejection(ingest_text, huge)
    response = web_client().post("/api/analyze", json={"letter": huge})
    assert response.status_code == 413 and "2 MB" in response.json()["error"]


def test_a_one_megabyte_single_line_case_field_parses() -> None:
    summary = " ".join(["stable"] * 150_000)
    text = yaml.safe_dump({**CASE, "clinical_summary": summary}, width=float("inf"))
    assert any(len(line) > 1_000_000 for line in text.splitlines())
    assert parse_case(text).clinical_summary == summary


# --------------------------------------------------------------------------- nesting


@pytest.mark.parametrize(
    "text",
    [
        "[" * NESTING,
        "[" * NESTING + "]" * NESTING,
        "{a: " * NESTING,
        "- " * NESTING + "x",
        "".join(f"{'  ' * i}k:\n" for i in range(2_000)),
        "patient: " + "[" * 70 + "]" * 70,
    ],
    ids=["flow-open", "flow-closed", "flow-mapping", "block-sequence", "block-mapping", "70"],
)
def test_deeply_nested_yaml_is_rejected_in_one_line(text: str) -> None:
    assert "nested too deeply" in one_line_rejection(parse_case, text)


@pytest.mark.parametrize(
    "text",
    ["[" * NESTING, "[" * NESTING + "]" * NESTING, '{"a": ' * NESTING + "1" + "}" * NESTING],
    ids=["open", "closed", "objects"],
)
def test_deeply_nested_json_is_rejected_in_one_line(text: str) -> None:
    assert "nested too deeply" in one_line_rejection(parse_case, text, as_json=True)
    for body in ({"text": text, "filename": "case.json"}, {"text": text}):
        response = web_client().post("/api/case", json=body)
        assert response.status_code == 400
        assert "\n" not in response.json()["error"]


def test_a_deeply_nested_request_body_is_a_one_line_400() -> None:
    response = web_client().post(
        "/api/analyze", content=b"[" * NESTING, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400 and "\n" not in response.json()["error"]


def test_shallow_nesting_still_parses() -> None:
    facts = parse_case(yaml.safe_dump(CASE, default_flow_style=True))
    assert facts == CaseFacts.model_validate(CASE)


# --------------------------------------------------------------------------- case files


@PROPS
@given(st.data())
def test_any_value_in_any_case_field_parses_or_is_rejected_in_one_line(data) -> None:
    """Replace one field of a real case file (at any depth) by an arbitrary JSON value."""
    case = tamper(data, copy.deepcopy(CASE))
    for text, as_json in ((json.dumps(case, default=str), True), (yaml.safe_dump(case), False)):
        try:
            assert isinstance(parse_case(text, as_json=as_json), CaseFacts)
        except InputError as exc:
            assert "\n" not in str(exc) and len(str(exc)) < 500


@pytest.mark.parametrize("field", ["date_of_birth", "name", "member_id"])
@pytest.mark.parametrize(
    "value",
    ["2026-02-30", "1" + "0" * 5000, "0x" + "f" * 5000, ".inf", "!!binary AA"],
    ids=["bad-date", "long-int", "long-hex", "inf", "bad-binary"],
)
def test_unreadable_scalars_in_a_case_file_are_rejected_in_one_line(value: str, field: str) -> None:
    text = f"patient:\n  {field}: {value}\n"
    if value == ".inf" and field != "date_of_birth":
        assert getattr(parse_case(text).patient, field) == "inf"  # a float, read as text
    else:
        one_line_rejection(parse_case, text)


def test_lone_surrogates_in_case_text_are_rejected_in_one_line() -> None:
    assert "cannot be read" in one_line_rejection(parse_case, "patient:\n  name: \udcff\n")


# --------------------------------------------------------------------------- PDFs


@FEW
@given(st.integers(1, 100))
def test_truncated_pdfs_keep_the_contract(percent: int) -> None:
    pdf = TEXT_PDF.read_bytes()
    cut = pdf[: len(pdf) * percent // 100]
    for mode in (".pdf", "stdin"):
        run_target("ingest", with_mode("ingest", mode, cut))


@FEW
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=30))
def test_garbled_pdfs_keep_the_contract(flips: list[tuple[int, int]]) -> None:
    pdf = bytearray(TEXT_PDF.read_bytes())
    for at, value in flips:
        pdf[at % len(pdf)] = value
    run_target("ingest", with_mode("ingest", ".pdf", bytes(pdf)))
    run_target("web", with_mode("web", "letter-upload", bytes(pdf)))


@FEW
@given(st.lists(st.from_regex(r"[A-Za-z0-9]{3,12}", fullmatch=True), min_size=8, max_size=60))
def test_text_pdfs_read_back_their_words(words: list[str]) -> None:
    text = " ".join(words)
    letter = ingest(write_input(text_pdf(text), ".pdf"))
    assert "".join(letter.text.split()) == "".join(words)
    assert letter.media_type == "application/pdf" and letter.pages == 1


def test_an_encrypted_pdf_is_rejected_in_one_line() -> None:
    locked = encrypted_pdf(TEXT_PDF.read_bytes(), "secret")
    assert "password-protected" in one_line_rejection(ingest, write_input(locked, ".pdf"))
    response = web_client().post(
        "/api/letter", content=locked, headers={"content-type": "application/octet-stream"}
    )
    assert response.status_code == 400 and "password-protected" in response.json()["error"]


def test_a_pdf_encrypted_with_an_empty_password_is_read() -> None:
    opened = ingest(write_input(encrypted_pdf(TEXT_PDF.read_bytes(), ""), ".pdf"))
    assert opened.text == ingest(TEXT_PDF).text


# --------------------------------------------------------------------------- drafts


@FEW
@given(st.data())
def test_a_tampered_draft_json_validates_or_is_rejected_in_one_line(data) -> None:
    """`lmn validate DRAFT.json` on a real draft with one field replaced at any depth."""
    draft = tamper(data, json.loads(template_draft().model_dump_json()))
    run_target("validate", with_mode("validate", "draft-json", json.dumps(draft).encode()))


def test_damaged_pdfs_log_none_of_their_bytes(caplog: pytest.LogCaptureFixture) -> None:
    """pypdf's warnings quote the damaged file's bytes (the letter: PHI); none may reach logs."""
    with caplog.at_level(logging.DEBUG):
        for seed in range(4):
            with contextlib.suppress(InputError):
                ingest(write_input(garbled(TEXT_PDF.read_bytes(), seed=seed), ".pdf"))
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]


# --------------------------------------------------------------------------- web


def test_a_lone_surrogate_escape_in_a_request_is_a_one_line_400() -> None:
    body = b'{"markdown": "Dear reviewer \\ud800", "draft": {}}'
    response = web_client().post(
        "/api/validate", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400 and "surrogate" in response.json()["error"]
    paired = web_client().post(
        "/api/analyze",
        content=b'{"letter": "Claim denied \\ud83d\\ude00 for member ID AB123456."}',
        headers={"content-type": "application/json"},
    )
    assert paired.status_code == 200, paired.text


def test_control_characters_are_dropped_from_a_word_export() -> None:
    from docx import Document

    markdown = (
        "# Appeal\x01\n\nDear reviewer,\x0b please\ufffe reconsider.\n\n| a |\n|---|\n| b\x02 |"
    )
    response = web_client().post("/api/export/docx", json={"markdown": markdown})
    assert response.status_code == 200, response.text
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Dear reviewer, please reconsider." in text
    assert document.tables[0].cell(1, 0).text == "b"
