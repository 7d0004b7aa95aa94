"""The fax exporter: a PDF whose first page is a cover sheet to the payer's appeal fax (read
from the denial), followed by the document (an appeal letter, a request letter, a packet).

Registered in the exporters registry, so ``lmn draft --format fax -o letter.pdf``, ``lmn request
--format fax`` and the web app's ``/api/export/fax`` all use it. It needs the draft (the denial
and the case): the cover sheet names the plan, the member and the claim, and passes the
validator's appeal checks; a denial that gives no appeal fax number is an error that says so.
"""

from __future__ import annotations

import io
import re

from pypdf import PdfReader, PdfWriter

from ..errors import InputError
from ..exporters import Export, exporter
from ..exporters._pdf import PDF_MEDIA_TYPE, to_pdf
from ._documents import validate_document
from ._escalate import fax_cover

_TITLE_RE = re.compile(r"^#\s+(.+)$", re.MULTILINE)


@exporter("fax", suffixes=(".fax.pdf",), media_type=PDF_MEDIA_TYPE, binary=True)
def export_fax(export: Export) -> bytes:
    """A PDF fax: a cover sheet to the payer's appeal fax, then the document."""
    draft = export.need_draft("the fax cover sheet")
    body = to_pdf(export.markdown, export.letterhead)
    pages = len(PdfReader(io.BytesIO(body)).pages) + 1
    title = m.group(1).strip() if (m := _TITLE_RE.search(export.markdown)) else "Appeal"
    sheet, facts = fax_cover(
        draft.analysis, draft.case, draft.letter_text, pages, draft.run.created, title
    )
    report = validate_document(
        sheet, facts, draft.analysis, draft.case, draft.letter_text, draft.run.created
    )
    if "[MISSING: letter.appeal_fax]" in sheet:
        raise InputError("the denial gives no appeal fax number: send the letter by mail")
    if not report.ok:
        raise InputError(f"fax cover sheet: {report.errors[0].message}")
    writer = PdfWriter()
    for part in (to_pdf(sheet), body):
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
