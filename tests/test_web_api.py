"""The web page's JSON API, in process: analyze, upload, case files, draft, validate, export,
the 2 MB limit, the error shape and the headers every response carries."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from docx import Document
from fastapi.testclient import TestClient
from pypdf import PdfReader

from pipeline.errors import InputError
from pipeline.models import CaseFacts, CriterionArgument, DenialAnalysis, Gap
from pipeline.validate import FindingCode
from pipeline.web import app as web_app
from pipeline.web import create_app
from pipeline.web.export import Letterhead, latin1, parse_blocks, to_pdf
from pipeline.web.middleware import MAX_REQUEST_BYTES
from pipeline.web.review import gap_map, path_label
from pipeline.web.serve import bind, is_loopback

from .conftest import LOCAL, ROOT

TMS = ROOT / "examples" / "tms-erisa"
INCOMPLETE = ROOT / "examples" / "incomplete"
STATIC = ROOT / "pipeline" / "web" / "static"
DATE = "2026-11-23"
LETTERHEAD = {
    "practice_name": "Puget Sound Neuromodulation Clinic",
    "address": "1420 Fifth Ave, Suite 1800, Seattle, WA 98101",
    "phone": "(206) 555-0143",
    "fax": "(206) 555-0144",
}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(), raise_server_exceptions=False, base_url=LOCAL) as test_client:
        yield test_client


def letter(example: Path) -> str:
    return (example / "letter.txt").read_text(encoding="utf-8")


def case(example: Path) -> dict:
    return json.loads(
        CaseFacts.model_validate(
            yaml.safe_load((example / "case.yaml").read_text())
        ).model_dump_json(exclude_none=True)
    )


@pytest.fixture(scope="module")
def tms_draft(client: TestClient) -> dict:
    response = client.post(
        "/api/draft", json={"letter": letter(TMS), "case": case(TMS), "date": DATE}
    )
    assert response.status_code == 200, response.text
    return response.json()


def assert_one_line_error(response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    message = response.json()["error"]
    assert message and "\n" not in message and "Traceback" not in message
    return message


# --------------------------------------------------------------------------- page and headers


def test_page_and_static_files_carry_no_store_and_security_headers(client: TestClient) -> None:
    for path in ("/", "/static/app.js", "/static/app.css", "/api/health"):
        response = client.get(path)
        assert response.status_code == 200, path
        headers = response.headers
        assert headers["cache-control"] == "no-store"
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
    assert '<textarea id="letter"' in client.get("/").text


def test_error_responses_carry_the_headers_too(client: TestClient) -> None:
    response = client.post("/api/analyze", json={"letter": ""})
    assert response.headers["cache-control"] == "no-store"
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_warm_up_reads_what_retrieval_needs_before_serving(monkeypatch) -> None:
    from pipeline.retrieve import open_index

    fresh = open_index()  # a new Index object: nothing built on it yet
    assert "lexical" not in vars(fresh) and "vectors" not in vars(fresh)
    monkeypatch.setattr(web_app, "get_index", lambda index_dir=None: fresh)
    try:
        assert web_app.warm_up(create_app()) is fresh
        assert {"lexical", "vectors", "code_map"} <= set(vars(fresh))
    finally:
        fresh.close()


def test_the_page_loads_nothing_from_elsewhere() -> None:
    html = (STATIC / "index.html").read_text()
    css = (STATIC / "app.css").read_text()
    js = (STATIC / "app.js").read_text()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", css)
    assert "@import" not in css and "@font-face" not in css
    assert not re.search(r"""fetch\(\s*[`'"]https?:""", js)
    assert "innerHTML" not in js, "server and user text goes in as text nodes only"


def test_every_form_control_of_the_page_has_a_label() -> None:
    html = (STATIC / "index.html").read_text()
    controls = re.findall(r"<(?:input|select|textarea)\b[^>]*\bid=\"([^\"]+)\"", html)
    assert len(controls) > 20
    labelled = set(re.findall(r"<label\b[^>]*\bfor=\"([^\"]+)\"", html))
    assert set(controls) - labelled == set()


def test_openapi_describes_the_api_and_no_cdn_docs_page_is_served(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    for path in (
        "/api/letter",
        "/api/analyze",
        "/api/case",
        "/api/draft",
        "/api/validate",
        "/api/export/docx",
        "/api/export/pdf",
    ):
        assert path in spec["paths"], path
    assert "application/octet-stream" in json.dumps(spec["paths"]["/api/letter"])
    assert client.get("/docs").status_code == 404


# --------------------------------------------------------------------------- letter and analysis


def test_analyze_reports_categories_criteria_codes_plan_and_deadline(client: TestClient) -> None:
    response = client.post("/api/analyze", json={"letter": letter(TMS)})
    assert response.status_code == 200, response.text
    body = response.json()
    analysis = body["analysis"]
    assert analysis["plan_type"] == "erisa"
    assert analysis["denial_categories"][0] == "not_medically_necessary"
    assert len(analysis["criteria"]) == 4
    assert analysis["cpt_codes"] == ["90867", "90868"]
    assert analysis["expedited_available"] is True
    deadline = dt.date.fromisoformat(analysis["appeal_deadline"])
    assert deadline == dt.date(2027, 4, 19)
    assert body["days_left"] == (deadline - dt.date.fromisoformat(body["today"])).days


def test_uploaded_pdf_becomes_text(client: TestClient) -> None:
    data = (ROOT / "tests" / "fixtures" / "letter_with_text_layer.pdf").read_bytes()
    response = client.post(
        "/api/letter?filename=denial.pdf",
        content=data,
        headers={"Content-Type": "application/octet-stream"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["media_type"] == "application/pdf" and body["pages"] >= 1
    assert len(body["text"]) > 100


def test_unusable_uploads_are_named_by_their_file_name(client: TestClient) -> None:
    bad = ROOT / "tests" / "fixtures" / "bad_inputs"
    cases = {
        "no_text_layer.pdf": "no text layer",
        "binary.txt": "binary",
        "empty.txt": "empty",
    }
    for name, words in cases.items():
        response = client.post(
            f"/api/letter?filename=scans/{name}",
            content=(bad / name).read_bytes(),
            headers={"Content-Type": "application/octet-stream"},
        )
        message = assert_one_line_error(response, 400)
        assert message.startswith(f"{name}:") and words in message, message


def test_case_file_text_parses_and_a_typo_is_a_one_line_error(client: TestClient) -> None:
    text = (TMS / "case.yaml").read_text()
    response = client.post("/api/case", json={"text": text, "filename": "case.yaml"})
    assert response.status_code == 200
    assert response.json()["physician"]["npi"] == "1478359437"
    as_json = json.dumps(case(TMS))
    assert client.post("/api/case", json={"text": as_json, "filename": "c.json"}).status_code == 200
    typo = text.replace("  date_of_birth:", "  date_of_brith:", 1)
    message = assert_one_line_error(client.post("/api/case", json={"text": typo}), 400)
    assert "patient.date_of_brith: unknown field" in message


# --------------------------------------------------------------------------- draft


def test_draft_of_a_complete_case_passes_and_maps_each_criterion(tms_draft: dict) -> None:
    draft, review, gaps = tms_draft["draft"], tms_draft["review"], tms_draft["gap_map"]
    assert draft["gaps"] == [] and review["ok"] is True and review["errors"] == 0
    assert [row["number"] for row in gaps["rows"]] == [1, 2, 3, 4]
    assert gaps["other"] == []
    for row in gaps["rows"]:
        assert row["requires"] and row["missing"] == []
        assert row["evidence"], row["requires"]
        assert all(item["text"] for item in row["evidence"])
    labels = {item["label"] for item in gaps["rows"][3]["evidence"]}
    assert "Objective finding 5" in labels  # the urine drug screen answers the SUD criterion


def test_draft_citations_resolve_to_retrieved_passages(tms_draft: dict) -> None:
    markdown = tms_draft["draft"]["markdown"]
    notes = tms_draft["review"]["annotations"]
    retrieved = {rp["passage"]["id"]: rp["passage"] for rp in tms_draft["draft"]["passages"]}
    references = {r["number"]: r for r in notes["references"]}
    assert notes["citations"] and references
    for citation in notes["citations"]:
        assert re.fullmatch(r"\[[\d, ]+\]", markdown[citation["start"] : citation["end"]])
        for number in citation["numbers"]:
            reference = references[number]
            passage = retrieved[reference["passage_id"]]
            assert reference["text"] == passage["text"]
    assert notes["placeholders"] == []


def test_draft_with_missing_facts_is_a_draft_with_the_gaps_mapped(client: TestClient) -> None:
    response = client.post(
        "/api/draft", json={"letter": letter(INCOMPLETE), "case": case(INCOMPLETE), "date": DATE}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    markdown = body["draft"]["markdown"]
    rows = body["gap_map"]["rows"]
    assert rows[0]["evidence"] and rows[0]["missing"] == []
    assert [g["field"] for g in rows[1]["missing"]] == ["criteria[1]"]
    assert rows[1]["evidence"] == []
    assert {"physician.npi", "consequences_of_denial"} <= {
        g["field"] for g in body["gap_map"]["other"]
    }
    spans = body["review"]["annotations"]["placeholders"]
    assert spans and all(markdown[s["start"] : s["end"]].startswith("[MISSING:") for s in spans)
    assert body["review"]["ok"] is False


def test_draft_without_allow_gaps_answers_422_with_the_gaps(client: TestClient) -> None:
    response = client.post(
        "/api/draft",
        json={"letter": letter(INCOMPLETE), "case": case(INCOMPLETE), "allow_gaps": False},
    )
    assert_one_line_error(response, 422)
    assert "physician.npi" in {g["field"] for g in response.json()["gaps"]}


def test_an_edited_letter_is_validated_again_with_the_finding_located(
    client: TestClient, tms_draft: dict
) -> None:
    draft = tms_draft["draft"]
    same = client.post("/api/validate", json={"markdown": draft["markdown"], "draft": draft})
    assert same.status_code == 200 and same.json()["ok"] is True
    edited = draft["markdown"].replace("1478359437", "1478359438")
    review = client.post("/api/validate", json={"markdown": edited, "draft": draft}).json()
    assert review["ok"] is False
    npi = [f for f in review["report"]["findings"] if f["code"] == FindingCode.NPI_INVALID]
    assert npi and all(edited[f["span"][0] : f["span"][1]] == "1478359438" for f in npi)


# --------------------------------------------------------------------------- export


def test_docx_export_has_the_letterhead_and_the_letter(client: TestClient, tms_draft: dict) -> None:
    markdown = tms_draft["draft"]["markdown"]
    response = client.post(
        "/api/export/docx", json={"markdown": markdown, "letterhead": LETTERHEAD}
    )
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    doc = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == LETTERHEAD["practice_name"]
    assert paragraphs[1] == LETTERHEAD["address"]
    assert "(206) 555-0143" in paragraphs[2] and "(206) 555-0144" in paragraphs[2]
    assert "Letter of Medical Necessity" in paragraphs
    assert "Response to each criterion cited in the denial" in paragraphs
    # the identification table becomes a Word table (the treatments are stated under the
    # criteria, not in a prior-treatment table, since 253608e)
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert {"Marisol T. Okafor", "1478359437"} <= cells
    assert any(p.startswith("Sertraline 200 mg") for p in paragraphs), "a criterion's bullet"
    assert not any("**" in p or p.startswith("#") for p in paragraphs)


def test_pdf_export_has_the_letterhead_and_the_letter(client: TestClient, tms_draft: dict) -> None:
    markdown = tms_draft["draft"]["markdown"]
    response = client.post("/api/export/pdf", json={"markdown": markdown, "letterhead": LETTERHEAD})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    first = reader.pages[0].extract_text()
    assert first.index(LETTERHEAD["practice_name"]) < first.index("Letter of Medical Necessity")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Marisol T. Okafor" in text and "1478359437" in text
    assert f"Page 1 of {len(reader.pages)}" in first


def test_pdf_with_the_builtin_font_spells_out_what_latin1_lacks() -> None:
    data = to_pdf("# Letter\n\nNguyễn Thị — PHQ-9 ≥ 20 → 14\n", Letterhead(), fonts=None)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Nguyen Thi - PHQ-9 >= 20 -> 14" in text
    assert latin1("José Müller 中") == "José Müller ?"


def test_markdown_blocks_keep_numbers_tables_and_bold() -> None:
    blocks = parse_blocks(
        "## References\n\n3. Third\n4. Fourth\n\n| | |\n|---|---|\n| A | **b** |\n\nx  \ny\n"
    )
    kinds = [b.kind for b in blocks]
    assert kinds == ["heading", "numbered", "numbered", "table", "paragraph"]
    assert [b.number for b in blocks[1:3]] == ["3", "4"]
    table = blocks[3]
    assert table.header is False and len(table.rows) == 1
    assert table.rows[0][1][0].bold is True
    assert blocks[4].runs[0].text == "x\ny"


def test_export_of_an_empty_letter_is_refused(client: TestClient) -> None:
    assert_one_line_error(client.post("/api/export/pdf", json={"markdown": ""}), 422)


# --------------------------------------------------------------------------- limits and errors


def test_a_request_over_2_mb_is_refused_with_a_clear_message(client: TestClient) -> None:
    big = {"letter": "x" * (MAX_REQUEST_BYTES + 1)}
    message = assert_one_line_error(client.post("/api/analyze", json=big), 413)
    assert "2 MB" in message


def test_a_streamed_body_over_2_mb_is_refused_without_a_length(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"letter": "'
        for _ in range(25):
            yield b"y" * 100_000
        yield b'"}'

    response = client.post(
        "/api/analyze", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert "2 MB" in assert_one_line_error(response, 413)


def test_a_letter_upload_may_be_a_larger_scan_but_not_larger_text(client: TestClient) -> None:
    """Issue 18: a faxed or scanned letter over 2 MB may be uploaded (up to 20 MB); a text
    file keeps the 2 MB limit, and a file over 20 MB is refused before it is read."""
    from pipeline.web.middleware import MAX_UPLOAD_BYTES

    headers = {"Content-Type": "application/octet-stream"}
    text = client.post("/api/letter?filename=big.txt", content=b"a" * (3 * 2**20), headers=headers)
    assert "big.txt: the file is larger than 2 MB" in assert_one_line_error(text, 400)
    # 3 MB of a damaged PDF passes the size limits and reaches the reader.
    pdf = client.post(
        "/api/letter?filename=fax.pdf", content=b"%PDF-1.4\n" + b"0" * (3 * 2**20), headers=headers
    )
    assert "fax.pdf: the PDF is damaged" in assert_one_line_error(pdf, 400)
    huge = client.post(
        "/api/letter?filename=fax.pdf", content=b"0" * (MAX_UPLOAD_BYTES + 1), headers=headers
    )
    message = assert_one_line_error(huge, 413)
    assert "larger than 20 MB" in message and "pages" in message


def test_bad_requests_are_one_line_json_errors(client: TestClient) -> None:
    assert_one_line_error(
        client.post(
            "/api/analyze", content=b"{not json", headers={"Content-Type": "application/json"}
        ),
        422,
    )
    unknown = assert_one_line_error(
        client.post("/api/analyze", json={"letter": "x", "lettr": 1}), 422
    )
    assert "lettr: unknown field" in unknown
    missing = assert_one_line_error(client.post("/api/validate", json={"markdown": "x"}), 422)
    assert missing.startswith("draft:")
    assert "empty" in assert_one_line_error(client.post("/api/analyze", json={"letter": " "}), 400)
    engine = assert_one_line_error(
        client.post("/api/analyze", json={"letter": letter(TMS), "engine": "nope"}), 400
    )
    assert "unknown engine 'nope'" in engine
    assert assert_one_line_error(client.get("/api/nothing"), 404) == "not found"


def test_an_internal_error_shows_its_type_but_no_trace_or_letter_text(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args, **_kwargs):
        raise RuntimeError("Patient Marisol T. Okafor")

    monkeypatch.setattr(web_app.Pipeline, "run", broken)
    message = assert_one_line_error(client.post("/api/analyze", json={"letter": letter(TMS)}), 500)
    assert "RuntimeError" in message and "Okafor" not in message


# --------------------------------------------------------------------------- gap map and serving


def test_gap_map_marks_paths_the_case_does_not_hold() -> None:
    analysis = DenialAnalysis.model_validate({"criteria": [{"text": "Two trials of therapy"}]})
    facts = CaseFacts.model_validate({"prior_treatments": [{"name": "PT", "kind": "therapy"}]})
    argument = CriterionArgument(
        criterion_index=0, argument="x", evidence=["prior_treatments[0]", "prior_treatments[7]"]
    )
    duration = Gap(field="prior_treatments[0].duration", message="m", placeholder="p")
    npi = Gap(field="physician.npi", message="m", placeholder="p")
    result = gap_map(analysis, facts, [argument], [duration, npi])
    row = result.rows[0]
    assert [(e.label, e.text is None) for e in row.evidence] == [
        ("Prior treatment 1", False),
        ("Prior treatment 8", True),
    ]
    assert row.missing == [duration] and result.other == [npi]
    assert path_label("consequences_of_denial") == "Consequences of denial"


def test_the_server_binds_loopback_and_a_busy_port_is_a_one_line_error() -> None:
    sock = bind(port=0)
    try:
        host, port = sock.getsockname()[:2]
        assert host == "127.0.0.1" and is_loopback(host)
        with pytest.raises(InputError, match=re.escape(f"127.0.0.1:{port} is in use")):
            bind(port=port)
    finally:
        sock.close()
    assert not is_loopback("0.0.0.0") and is_loopback("::1") and is_loopback("localhost")


def test_lmn_serve_on_a_busy_port_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline.cli import main

    sock = bind(port=0)
    try:
        rc = main(["serve", "--port", str(sock.getsockname()[1])])
    finally:
        sock.close()
    assert rc == 2
    assert "is in use: choose another --port" in capsys.readouterr().err
