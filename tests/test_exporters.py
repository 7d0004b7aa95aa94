"""The exporters registry, shared by `lmn draft -o` / `--format` and the web app's export routes."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.errors import InputError
from pipeline.exporters import Export, exporter, exporter_for, exporters, get_exporter
from pipeline.exporters import _registry as registry

from .conftest import EXAMPLES, LOCAL
from .test_cli import DATE, run


def draft_args(tmp_path: Path, *extra: str) -> list[str]:
    ex = EXAMPLES[0]
    return ["draft", str(ex / "letter.txt"), "--case", str(ex / "case.yaml"), *DATE, *extra]


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_the_four_formats_are_registered_with_their_suffixes() -> None:
    names = [e.name for e in exporters()]
    assert names[:4] == ["md", "json", "docx", "pdf"]
    assert exporter_for("letter.DOCX").name == "docx"
    assert exporter_for(Path("out/letter.pdf")).name == "pdf"
    assert exporter_for("letter.json").name == "json"
    assert exporter_for("letter.md").name == exporter_for("letter").name == "md"
    assert exporter_for("letter.unknown").name == "md"  # any other file gets Markdown
    assert get_exporter("PDF").binary and not get_exporter("md").binary
    with pytest.raises(InputError, match="unknown format 'odt': use one of md, json, docx, pdf"):
        get_exporter("odt")


def test_json_needs_the_draft_and_markdown_is_the_text_as_given() -> None:
    assert get_exporter("md").render(Export(markdown="# Letter\n")) == b"# Letter\n"
    with pytest.raises(InputError, match="JSON export needs the draft"):
        get_exporter("json").render(Export(markdown="# Letter\n"))


def test_a_new_format_is_one_decorated_function(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_EXPORTERS", dict(registry._EXPORTERS))

    @exporter("shout", suffixes=(".shout",), media_type="text/plain")
    def shout(export: Export) -> bytes:
        """The letter, loud."""
        return export.markdown.upper().encode()

    chosen = exporter_for("x.shout")
    assert chosen.name == "shout" and chosen.description == "The letter, loud."
    assert chosen.render(Export(markdown="dear reviewer")) == b"DEAR REVIEWER"


def test_a_plugin_module_is_loaded_from_the_entry_point_group(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from importlib.metadata import EntryPoint

    point = EntryPoint(name="shout", value="tests.exporter_plugin", group="lmn.exporters")
    monkeypatch.setattr(registry, "_EXPORTERS", dict(registry._EXPORTERS))
    monkeypatch.setattr(registry, "_loaded", set(registry._loaded))
    monkeypatch.setattr(registry, "entry_points", lambda group: [point] if group else [])
    assert get_exporter("plugin-upper").render(Export(markdown="ok")) == b"OK"


def test_lmn_draft_writes_docx_and_pdf_by_the_output_suffix(capsys, tmp_path: Path) -> None:
    docx, pdf = tmp_path / "letter.docx", tmp_path / "letter.pdf"
    rc, _, err = run(capsys, *draft_args(tmp_path, "-o", str(docx)))
    assert rc == 0, err
    body = docx_text(docx.read_bytes())
    assert "Letter of Medical Necessity" in body and "Criterion 1" in body
    rc, _, err = run(capsys, *draft_args(tmp_path, "-o", str(pdf)))
    assert rc == 0, err
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert pdf.read_bytes().startswith(b"%PDF") and "Criterion 1" in text
    # --format wins over the suffix; the same letter either way
    other = tmp_path / "letter.bin"
    rc, _, err = run(capsys, *draft_args(tmp_path, "--format", "docx", "-o", str(other)))
    assert rc == 0, err
    assert docx_text(other.read_bytes()) == body


def test_binary_formats_are_not_printed_and_bad_formats_are_one_line_errors(
    capsys, tmp_path: Path
) -> None:
    rc, out, err = run(capsys, *draft_args(tmp_path, "--format", "pdf"))
    assert rc == 2 and out == "" and "-o letter.pdf" in err and err.count("\n") == 1
    rc, _, err = run(capsys, *draft_args(tmp_path, "--format", "odt"))
    assert rc == 2 and "unknown format 'odt'" in err and err.count("\n") == 1
    existing = tmp_path / "letter.pdf"
    existing.write_bytes(b"keep me")
    rc, _, err = run(capsys, *draft_args(tmp_path, "-o", str(existing)))
    assert rc == 2 and existing.read_bytes() == b"keep me"


def test_json_and_markdown_by_suffix_match_the_format_option(capsys, tmp_path: Path) -> None:
    by_suffix, by_option = tmp_path / "d.json", tmp_path / "d.out"
    assert run(capsys, *draft_args(tmp_path, "-o", str(by_suffix)))[0] == 0
    assert run(capsys, *draft_args(tmp_path, "-f", "json", "-o", str(by_option)))[0] == 0
    assert json.loads(by_suffix.read_text()) == json.loads(by_option.read_text())
    rc, printed, _ = run(capsys, *draft_args(tmp_path))
    assert rc == 0 and printed.rstrip("\n") == json.loads(by_suffix.read_text())["markdown"].rstrip(
        "\n"
    )


def test_the_web_app_serves_every_registered_format() -> None:
    from fastapi.testclient import TestClient

    from pipeline.web import create_app

    with TestClient(create_app(), raise_server_exceptions=False, base_url=LOCAL) as client:
        paths = client.get("/api/openapi.json").json()["paths"]
        assert {f"/api/export/{e.name}" for e in exporters()} <= set(paths)
        response = client.post("/api/export/md", json={"markdown": "# Letter\n"})
        assert response.status_code == 200 and response.content == b"# Letter\n"
        disposition = response.headers["content-disposition"]
        assert 'filename="letter-of-medical-necessity.md"' in disposition
        refused = client.post("/api/export/json", json={"markdown": "# Letter\n"})
        assert refused.status_code == 400 and "needs the draft" in refused.json()["error"]
