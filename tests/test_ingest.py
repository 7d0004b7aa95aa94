"""Ingest: decoding, normalization, PDFs, stdin and every bad-input error."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest
from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from pipeline.errors import InputError
from pipeline.ingest import MAX_BYTES, ingest, ingest_text, normalize_text
from pipeline.text.clean import _NOT_PLAIN_RE, _clean_char, _fold, _is_invisible

LETTER = "Acme Health Plan\nDate: March 3, 2026\nYour request for CPT 90867 was denied.\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def text_pdf(tmp_path: Path, lines: list[str], name: str = "letter.pdf") -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / name
    pdf.output(str(path))
    return path


def blank_pdf(tmp_path: Path, password: str | None = None) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    if password:
        writer.encrypt(password, algorithm="RC4-128")
    path = tmp_path / "blank.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def error_of(source: str | Path, **kwargs) -> str:
    with pytest.raises(InputError) as info:
        ingest(source, **kwargs)
    message = str(info.value)
    assert "\n" not in message and message.strip() == message
    return message


# --------------------------------------------------------------------------- bad inputs


def test_missing_path(tmp_path: Path) -> None:
    assert "not found" in error_of(tmp_path / "nope.txt")


def test_directory(tmp_path: Path) -> None:
    assert "directory" in error_of(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    assert "empty" in error_of(write(tmp_path, "empty.txt", b""))


def test_whitespace_only_file(tmp_path: Path) -> None:
    assert "empty" in error_of(write(tmp_path, "ws.txt", b"  \r\n\t\n   \n"))


def test_nul_bytes_are_binary(tmp_path: Path) -> None:
    assert "binary" in error_of(write(tmp_path, "binary.txt", b"Dear member\x00\x01\x02 text"))


def test_many_control_bytes_are_binary(tmp_path: Path) -> None:
    data = (b"ab\x01\x02\x03\x04" * 100) + b"x" * 100
    assert "binary" in error_of(write(tmp_path, "ctrl.txt", data))


def test_few_control_bytes_are_stripped_not_binary(tmp_path: Path) -> None:
    letter = ingest(write(tmp_path, "ok.txt", b"Dear member,\x07 we denied\x1b it.\n"))
    assert letter.text == "Dear member, we denied it."


def test_undecodable_bytes(tmp_path: Path) -> None:
    # 0x81 and 0x8d are undefined in cp1252 and invalid as UTF-8.
    message = error_of(write(tmp_path, "bad_encoding.txt", b"Denied \x81\x8d claim"))
    assert "encoding" in message and "Denied" not in message


def test_truncated_utf16_is_unreadable(tmp_path: Path) -> None:
    data = "Denied".encode("utf-16") + b"\x00"  # odd length
    assert "encoding" in error_of(write(tmp_path, "odd.txt", data))


def test_over_two_megabytes(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", b"a" * (MAX_BYTES + 1))
    assert "2 MB" in error_of(path)


def test_exactly_two_megabytes_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "max.txt", (b"word " * (MAX_BYTES // 5)).ljust(MAX_BYTES, b"x"))
    assert len(ingest(path).text) > 0


def test_size_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "big.txt", b"a" * (MAX_BYTES + 1))

    def fail_open(*args, **kwargs):
        raise AssertionError("read a file that is too large")

    monkeypatch.setattr(Path, "open", fail_open)
    assert "2 MB" in error_of(path)


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "locked.txt", LETTER.encode())

    def deny(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", deny)
    assert "permission denied" in error_of(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files regardless of mode")
def test_permission_denied_for_real(tmp_path: Path) -> None:
    path = write(tmp_path, "locked.txt", LETTER.encode())
    path.chmod(0)
    assert "permission denied" in error_of(path)


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    message = error_of(blank_pdf(tmp_path))
    assert "no text layer (scanned?)" in message and "ocrmypdf" in message


def test_malformed_pdf(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.pdf", b"%PDF-1.7\n this is not really a pdf \n%%EOF")
    assert "damaged" in error_of(path)


def test_encrypted_pdf_with_password(tmp_path: Path) -> None:
    assert "password" in error_of(blank_pdf(tmp_path, password="s3cret"))


@pytest.mark.parametrize("user_password", ["", "s3cret"])
def test_aes_256_encrypted_pdf_opens_only_without_a_user_password(
    tmp_path: Path, user_password: str
) -> None:
    """Payer portals often lock PDFs with an owner password only (AES): those must open."""
    plain = PdfReader(text_pdf(tmp_path, ["We have denied coverage for the requested MRI."]))
    writer = PdfWriter(clone_from=plain)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    path = tmp_path / "aes.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    if user_password:
        assert "password-protected" in error_of(path)
    else:
        assert "denied coverage for the requested MRI" in ingest(path).text


def test_error_messages_do_not_quote_the_letter(tmp_path: Path) -> None:
    secret = b"Patient Jane Q Secretname\x00"
    assert "Secretname" not in error_of(write(tmp_path, "phi.txt", secret))


def test_ingest_text_rejects_blank() -> None:
    with pytest.raises(InputError):
        ingest_text(" \n\t ")


# --------------------------------------------------------------------------- decoding


def test_utf16_with_bom(tmp_path: Path) -> None:
    letter = ingest(write(tmp_path, "utf16.txt", "Café denial – résumé\r\n".encode("utf-16")))
    assert letter.text == "Café denial – résumé"


def test_utf16_big_endian_with_bom(tmp_path: Path) -> None:
    data = b"\xfe\xff" + "Denied ✓".encode("utf-16-be")
    assert ingest(write(tmp_path, "be.txt", data)).text == "Denied ✓"


def test_utf8_with_bom(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + "Naïve letter".encode()
    assert ingest(write(tmp_path, "bom.txt", data)).text == "Naïve letter"


def test_cp1252_fallback(tmp_path: Path) -> None:
    data = "Member’s “appeal” — café".encode("cp1252")
    assert ingest(write(tmp_path, "win.txt", data)).text == "Member’s “appeal” — café"


# --------------------------------------------------------------------------- normalization


def test_crlf_and_cr_become_lf(tmp_path: Path) -> None:
    letter = ingest(write(tmp_path, "crlf.txt", b"one\r\ntwo\rthree\r\n"))
    assert letter.text == "one\ntwo\nthree"


def test_normalization_rules() -> None:
    raw = "\n\n  \nTitle  \n\tindented\t\n\n\n\n\n\nnext\u0007 line \ncafe\u0301\n\n"
    assert normalize_text(raw) == "Title\n        indented\n\n\nnext line\ncafé"


def test_sha256_is_of_normalized_text(tmp_path: Path) -> None:
    letter = ingest(write(tmp_path, "a.txt", b"Hello   \r\nworld\r\n"))
    assert letter.sha256 == hashlib.sha256(b"Hello\nworld").hexdigest()


def test_media_types(tmp_path: Path) -> None:
    assert ingest(write(tmp_path, "a.md", b"# Denial")).media_type == "text/markdown"
    assert ingest(write(tmp_path, "a.letter", b"Denial")).media_type == "text/plain"


# --------------------------------------------------------------------------- PDF and stdin


def test_pdf_with_text_layer(tmp_path: Path) -> None:
    path = text_pdf(tmp_path, ["Acme Health Plan", "Claim #: CLM-20260303-77", "Denied: 90867"])
    letter = ingest(path)
    assert letter.media_type == "application/pdf"
    assert letter.pages == 1
    assert "Claim #: CLM-20260303-77" in letter.text
    assert letter.source == str(path)


def test_stdin_text_stream() -> None:
    letter = ingest("-", stdin=io.StringIO("Denied\r\nclaim\r\n"))
    assert (letter.text, letter.source) == ("Denied\nclaim", "<stdin>")


def test_stdin_binary_stream_utf16() -> None:
    letter = ingest("-", stdin=io.BytesIO("Denied claim".encode("utf-16")))
    assert letter.text == "Denied claim"


def test_stdin_pdf_is_sniffed(tmp_path: Path) -> None:
    data = text_pdf(tmp_path, ["This is the text layer of a denial letter."]).read_bytes()
    letter = ingest("-", stdin=io.BytesIO(data))
    assert letter.media_type == "application/pdf" and "denial letter" in letter.text


def test_stdin_empty() -> None:
    with pytest.raises(InputError, match="empty"):
        ingest("-", stdin=io.BytesIO(b""))


def test_stdin_too_large() -> None:
    with pytest.raises(InputError, match="2 MB"):
        ingest("-", stdin=io.BytesIO(b"a" * (MAX_BYTES + 1)))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"])))
def test_only_non_plain_characters_are_read_one_by_one(text: str) -> None:
    """The regex that picks characters to drop or fold equals reading every character."""
    every = "".join(_fold(ch) for ch in text if ch in "\n\t" or not _is_invisible(ch))
    assert _NOT_PLAIN_RE.sub(_clean_char, text) == every
