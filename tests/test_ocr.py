"""OCR of scanned letters on synthetic scans made here: a bundled letter drawn on a page, turned,
speckled and saved as PNG, fax TIFF or image-only PDF, then read back through Tesseract. A few
pages only (Tesseract takes seconds a page); benchmarks/bench_ocr.py reads every example."""

from __future__ import annotations

import shutil

import pytest
from PIL import Image

from pipeline.errors import InputError
from pipeline.ocr import LOW_CONFIDENCE, deskew, image_type, read_image

from .conftest import ROOT
from .scans import char_accuracy, pages_of, render, to_fax_tiff, to_jpeg, to_pdf, to_png

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="needs Tesseract (apt-get install tesseract-ocr)"
)
LETTER = (ROOT / "examples" / "cpap-medicaid" / "letter.txt").read_text(encoding="utf-8")
FIRST_PAGE = pages_of(LETTER)[0]


def test_deskew_finds_the_angle_a_page_was_turned() -> None:
    for angle in (-4.0, 2.5):
        page = render(FIRST_PAGE[:25], skew=angle)
        _, found = deskew(page)
        assert found == pytest.approx(-angle, abs=0.3)
    _, level = deskew(render(FIRST_PAGE[:25]))
    assert level == 0.0
    blank = Image.new("L", (800, 1000), 255)
    assert deskew(blank) == (blank, 0.0)


def test_image_type_is_read_from_the_first_bytes() -> None:
    page = render(["x"])
    assert image_type(to_png(page)) == "image/png"
    assert image_type(to_jpeg(page)) == "image/jpeg"
    assert image_type(to_fax_tiff([page])) == "image/tiff"
    assert image_type(b"%PDF-1.7") is None
    assert image_type(b"Dear member") is None


def test_a_damaged_image_is_a_one_line_error() -> None:
    with pytest.raises(InputError, match=r"scan\.png: the image cannot be read"):
        read_image(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "scan.png")


def test_missing_tesseract_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(InputError, match="apt-get install tesseract-ocr"):
        read_image(to_png(render(FIRST_PAGE[:5])), "scan.png")


@needs_tesseract
def test_a_skewed_speckled_png_reads_back_nearly_exactly() -> None:
    page = render(FIRST_PAGE, skew=3.0, noise=25, seed=1)
    result = read_image(to_png(page), "scan.png")
    assert len(result.pages) == 1
    assert result.pages[0].skew == pytest.approx(-3.0, abs=0.3)
    assert result.pages[0].confidence >= LOW_CONFIDENCE
    assert result.warnings == []
    assert char_accuracy("\n".join(FIRST_PAGE), result.text) >= 0.97
    # The ids and codes a letter is drafted from survive.
    for token in ("512884307", "LPC-DME-26-60417", "G47.33", "E0601"):
        assert token in result.text


@needs_tesseract
def test_a_fax_tiff_reads_each_page_in_order_and_names_the_blurred_one() -> None:
    clear = render(FIRST_PAGE[:30], skew=-1.5, noise=15, seed=2)
    blurred = render(FIRST_PAGE[30:45], blur=3.0, noise=10, font_size=28)
    result = read_image(to_fax_tiff([clear, blurred]), "fax.tif")
    assert [p.number for p in result.pages] == [1, 2]
    assert char_accuracy("\n".join(FIRST_PAGE[:30]), result.page_texts[0]) >= 0.95
    assert result.pages[0].confidence >= LOW_CONFIDENCE > result.pages[1].confidence
    (warning,) = result.warnings
    assert "page(s) 2 (" in warning and "1 (" not in warning


@needs_tesseract
def test_a_scanned_pdf_drafts_the_same_letter_as_its_text(tmp_path, capsys) -> None:
    """The whole path: a two-page scan of a bundled letter, with no text layer, is read by OCR
    and drafts, with the example's case, the very letter its typed text drafts."""
    from pipeline.cli import main
    from pipeline.ingest import ingest

    example = ROOT / "examples" / "cpap-medicaid"
    pages = [
        render(lines, skew=(-1.5, 1.0)[i], noise=15, seed=3 + i)
        for i, lines in enumerate(pages_of(LETTER))
    ]
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(to_pdf(pages))
    letter = ingest(scan)
    assert (letter.media_type, letter.pages) == ("application/pdf", 2)
    assert letter.ocr is not None and [p.number for p in letter.ocr] == [1, 2]
    assert letter.warnings == []
    assert char_accuracy(LETTER, letter.text) >= 0.97
    drafts = []
    for source in (scan, example / "letter.txt"):
        out = tmp_path / f"{source.stem}.md"
        args = ["draft", str(source), "--case", str(example / "case.yaml"), "-o", str(out)]
        assert main([*args, "--date", "2026-11-23"]) == 0, capsys.readouterr().err
        drafts.append(out.read_text(encoding="utf-8"))
    assert drafts[0] == drafts[1]


def test_a_capital_i_read_as_a_bar_is_repaired_outside_tables() -> None:
    from pipeline.ocr import repair

    assert (
        repair("on a Type |, II, III, or IV sleep test") == "on a Type I, II, III, or IV sleep test"
    )
    assert repair("| am writing to appeal") == "I am writing to appeal"
    assert repair("Member Services 1-866-555-0160 (TTY 711) | Fax 1-866") == (
        "Member Services 1-866-555-0160 (TTY 711) | Fax 1-866"
    )
    assert repair("| Member ID | n/a |") == "| Member ID | n/a |"


def test_an_icd10_codes_digit_and_a_closing_parenthesis_misread_are_repaired() -> None:
    """Misreadings seen on faxed scans ('HO2.834', '(a}'), repaired only where certain."""
    from pipeline.ocr import repair

    assert repair("codes H02.831 and HO2.834 (Dermatochalasis)") == (
        "codes H02.831 and H02.834 (Dermatochalasis)"
    )
    assert repair("diagnosis MI7.11 and Gl2.21") == "diagnosis M17.11 and G12.21"
    assert repair("section 502(a} of ERISA") == "section 502(a) of ERISA"
    assert repair("a {template} stays") == "a {template} stays"
    assert repair("HOME. Then ON.AB x") == "HOME. Then ON.AB x"  # not code-shaped: untouched
    assert repair("the nose Is cosmetic. It is; so If it") == (
        "the nose is cosmetic. It is; so if it"
    )
    assert repair("Iowa and Illinois, I Is") == "Iowa and Illinois, I Is"
    assert repair("Reference: AUTH-2026-04 15-7781") == "Reference: AUTH-2026-0415-7781"
    assert repair("ages 18-64 and 65-74") == "ages 18-64 and 65-74"
    assert repair("lists \u201cfamily history\u201d and the plan\u2019s") == (
        "lists \"family history\" and the plan's"
    )


def test_paragraph_breaks_follow_the_pages_blank_lines() -> None:
    """A blank line where the page leaves one (a step well over the usual line step), none
    inside a wrapped paragraph whatever Tesseract's own paragraphs say."""
    from pipeline.ocr import _with_paragraph_breaks

    lines = [["Why", "we", "denied"], ["it", "continues"], ["here."], ["New"], ["para."]]
    tops = [100, 146, 192, 284, 330]
    spans = [(t, t + 30) for t in tops]
    assert _with_paragraph_breaks(lines, spans) == [
        "Why we denied", "it continues", "here.", "", "New", "para."
    ]


# --------------------------------------------------------------------------- size and caps


def _uncompressed_tiff(pages: list[Image.Image]) -> bytes:
    """A scanner's uncompressed grey TIFF: about 3.5 MB a page here, over the 2 MB text limit."""
    import io

    out = io.BytesIO()
    pages[0].save(out, "TIFF", dpi=(200, 200), save_all=True, append_images=pages[1:])
    return out.getvalue()


@needs_tesseract
def test_a_scan_over_two_megabytes_is_read_in_the_child(tmp_path) -> None:
    """Issue 18: a multi-megabyte scan is accepted (text stays limited to 2 MB) and read by OCR
    in the reading child, from a file and from a stream alike (the web upload's path)."""
    import io

    from pipeline.ingest import MAX_BYTES, ingest

    data = _uncompressed_tiff([render(FIRST_PAGE[:20], skew=1.0, noise=10, seed=5)])
    assert len(data) > MAX_BYTES
    path = tmp_path / "fax.tif"
    path.write_bytes(data)
    for letter in (ingest(path), ingest("-", stdin=io.BytesIO(data))):
        assert (letter.media_type, letter.pages) == ("image/tiff", 1)
        assert letter.ocr is not None and letter.ocr[0].confidence >= LOW_CONFIDENCE
        assert "LPC-DME-26-60417" in letter.text


def test_a_scan_over_the_scan_limit_is_one_line_naming_the_limit(tmp_path, monkeypatch) -> None:
    from pipeline import ingest as ingest_module

    path = tmp_path / "fax.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"0" * (ingest_module.MAX_SCAN_BYTES + 1))
    with pytest.raises(InputError) as caught:
        ingest_module.ingest(path)
    message = str(caught.value)
    assert "\n" not in message and "larger than 20 MB" in message and "pages" in message
    # A text file keeps its 2 MB limit whatever the scan limit is.
    text = tmp_path / "letter.txt"
    text.write_bytes(b"a" * (ingest_module.MAX_BYTES + 1))
    with pytest.raises(InputError, match="larger than 2 MB"):
        ingest_module.ingest(text)


@needs_tesseract
def test_ocr_runs_under_the_childs_wall_time_limit(tmp_path, monkeypatch) -> None:
    """The scan is read in the limited child, not in the caller: a scan that takes longer than
    its budget ends in a one-line error instead of holding the caller (the web server)."""
    from pipeline import ingest as ingest_module

    monkeypatch.setattr(ingest_module, "OCR_PAGE_SECONDS", 0.0)
    monkeypatch.setattr(ingest_module, "OCR_SECONDS", 0.5)
    path = tmp_path / "scan.png"
    path.write_bytes(to_png(render(FIRST_PAGE, noise=15, seed=6)))
    with pytest.raises(InputError, match=r"scan\.png: reading the scan took over 0 s"):
        ingest_module.ingest(path)


@needs_tesseract
def test_ocr_stops_when_the_caller_says_so(tmp_path) -> None:
    from pipeline.ingest import ingest

    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) > 20  # about a second in: Tesseract is still reading

    path = tmp_path / "scan.png"
    path.write_bytes(to_png(render(FIRST_PAGE, noise=15, seed=7)))
    with pytest.raises(InputError, match="stopped"):
        ingest(path, stop=stop)
