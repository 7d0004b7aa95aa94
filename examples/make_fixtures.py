#!/usr/bin/env python3
"""Deterministically (re)create the test fixtures derived from the synthetic examples.

Run from the repository root (or anywhere):

    .venv/bin/python examples/make_fixtures.py

Creates:
  tests/fixtures/bad_inputs/empty.txt          zero-byte file
  tests/fixtures/bad_inputs/binary.txt         2048 pseudo-random bytes incl. NULs (seeded)
  tests/fixtures/bad_inputs/utf16.txt          a valid example letter encoded UTF-16 with BOM
                                               (ingest should ACCEPT this one)
  tests/fixtures/bad_inputs/bad_encoding.txt   ASCII text interleaved with bytes 0x81 0x8D 0x8F
                                               0x90 0x9D (undefined in cp1252, invalid UTF-8),
                                               odd total length and no BOM (invalid UTF-16)
  tests/fixtures/bad_inputs/no_text_layer.pdf  valid one-page PDF with a blank page, no text
  tests/fixtures/letter_with_text_layer.pdf    examples/tka-aca/letter.txt rendered with a
                                               real text layer (fpdf2, core font Helvetica)

All names, IDs and numbers in the examples are synthetic.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = ROOT / "tests" / "fixtures"
BAD = FIXTURES / "bad_inputs"

PDF_SOURCE_LETTER = EXAMPLES / "tka-aca" / "letter.txt"
UTF16_SOURCE_LETTER = EXAMPLES / "cpap-medicaid" / "letter.txt"
FIXED_DATE = dt.datetime(2026, 11, 4, 12, 0, 0, tzinfo=dt.UTC)

# Characters outside latin-1 that may appear in letters, mapped to safe equivalents.
_LATIN1_REPLACEMENTS = {
    "\u2014": "-",  # em dash
    "\u2013": "-",  # en dash
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2022": "-",  # bullet
    "\u2026": "...",
    "\u2265": ">=",
    "\u2264": "<=",
    "\u2122": "(TM)",
}


def to_latin1(text: str) -> str:
    for bad, good in _LATIN1_REPLACEMENTS.items():
        text = text.replace(bad, good)
    return text.encode("latin-1", errors="replace").decode("latin-1")


def make_empty() -> None:
    (BAD / "empty.txt").write_bytes(b"")


def make_binary() -> None:
    rng = random.Random(20261123)
    data = bytearray(rng.getrandbits(8) for _ in range(2048))
    for i in range(0, 2048, 97):  # guarantee plenty of NUL bytes
        data[i] = 0
    (BAD / "binary.txt").write_bytes(bytes(data))


def make_utf16() -> None:
    text = UTF16_SOURCE_LETTER.read_text(encoding="utf-8")
    # Explicit little-endian BOM + UTF-16-LE body, so the bytes do not depend on the platform's
    # native byte order (Python's plain "utf-16" codec uses native order).
    (BAD / "utf16.txt").write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))


def make_bad_encoding() -> None:
    junk = b"\x81\x8d\x8f\x90\x9d"
    lines = [
        b"Dear Member:",
        b"Your request for CPT 72148 MRI lumbar spine " + junk + b" was denied.",
        b"Member ID: " + junk + b"ZZQ0000000 Claim: " + junk * 2,
        b"Reason: " + junk + b" not medically necessary " + junk,
        b"Appeal within 180 days " + junk * 3,
    ]
    data = b"\r\n".join(lines) * 4 + b"\x9d"
    if len(data) % 2 == 0:  # odd length => cannot be valid UTF-16
        data += b"\x81"
    for codec in ("utf-8", "utf-16", "cp1252"):
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        raise AssertionError(f"bad_encoding.txt unexpectedly decodes as {codec}")
    (BAD / "bad_encoding.txt").write_bytes(data)


def make_blank_pdf() -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.add_metadata({"/Producer": "lmn-pipeline fixtures", "/Title": "blank page"})
    buf = io.BytesIO()
    writer.write(buf)
    (BAD / "no_text_layer.pdf").write_bytes(buf.getvalue())


def make_text_pdf() -> None:
    from fpdf import FPDF

    text = to_latin1(PDF_SOURCE_LETTER.read_text(encoding="utf-8"))
    pdf = FPDF(format="letter")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_producer("lmn-pipeline fixtures")
    pdf.set_title("Synthetic denial letter (tka-aca)")
    pdf.set_margins(left=20, top=18, right=20)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font("Helvetica", size=9.5)
    for line in text.splitlines():
        if not line.strip():
            pdf.ln(4.5)
            continue
        pdf.multi_cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(FIXTURES / "letter_with_text_layer.pdf"))


def main() -> None:
    BAD.mkdir(parents=True, exist_ok=True)
    make_empty()
    make_binary()
    make_utf16()
    make_bad_encoding()
    make_blank_pdf()
    make_text_pdf()
    for p in sorted(FIXTURES.rglob("*")):
        if p.is_file():
            print(f"{p.relative_to(ROOT)}  {p.stat().st_size} bytes")


if __name__ == "__main__":
    main()
