"""Hostile inputs shared by the hardening tests and benchmarks (issue 14)."""

from __future__ import annotations

import io


def pdf_bomb(pages: int = 10, megabytes: float = 4.0) -> bytes:
    """A valid PDF of ``pages`` pages whose /Contents are one shared Flate stream of
    ``megabytes`` MB of text-drawing operators (compresses about 300:1)."""
    from pypdf import PdfWriter
    from pypdf.generic import (
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
    )

    op = b"BT /F1 12 Tf 72 712 Td (Patient name and member id) Tj ET\n"
    stream = DecodedStreamObject()
    stream.set_data(op * int(megabytes * 2**20 / len(op)))
    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    font_ref = writer._add_object(font)
    shared = writer._add_object(stream.flate_encode())
    for _ in range(pages):
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Contents")] = shared
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font_ref})}
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
