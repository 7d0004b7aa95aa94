"""Issue 14, defect 2: a PDF bomb (a 12 KB file whose pages share one 4 MB content stream) is
refused quickly; PDF reading runs in a child process under page, content, time and memory
limits, and stops when asked (a web client that went away)."""

from __future__ import annotations

import time

import pytest

from pipeline import ingest as ingest_module
from pipeline.errors import InputError
from pipeline.ingest import MAX_PDF_PAGES, ingest

from .conftest import ROOT
from .hostile import pdf_bomb


def _write(tmp_path, data: bytes):
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    return path


def test_pages_sharing_one_huge_content_stream_are_refused(tmp_path) -> None:
    data = pdf_bomb(pages=10, megabytes=4)
    assert len(data) < 20_000
    with pytest.raises(InputError, match="drawing instructions"):
        ingest(_write(tmp_path, data))


def test_a_pdf_with_too_many_pages_is_refused(tmp_path) -> None:
    data = pdf_bomb(pages=MAX_PDF_PAGES + 1, megabytes=0.001)
    with pytest.raises(InputError, match=f"more than {MAX_PDF_PAGES} pages"):
        ingest(_write(tmp_path, data))


def test_reading_stops_at_the_wall_time_limit(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(ingest_module, "PDF_SECONDS", 0.3)
    data = pdf_bomb(pages=1, megabytes=3)  # under the content cap; pypdf takes seconds
    start = time.monotonic()
    with pytest.raises(InputError, match="took over"):
        ingest(_write(tmp_path, data))
    assert time.monotonic() - start < 5  # the child was killed, not waited for


def test_reading_stops_when_the_caller_says_so(tmp_path) -> None:
    data = pdf_bomb(pages=1, megabytes=3)
    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(InputError, match="stopped"):
        ingest(_write(tmp_path, data), stop=stop)


def test_a_real_letter_pdf_still_reads() -> None:
    letter = ingest(ROOT / "tests" / "fixtures" / "letter_with_text_layer.pdf")
    assert letter.pages and letter.media_type == "application/pdf" and len(letter.text) > 100
