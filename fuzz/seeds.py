"""Seed inputs for each fuzz target, made from the examples and fixtures (deterministic).

Also the PDF makers the property tests use: a text PDF, encrypted copies, truncated and
garbled copies.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from pathlib import Path

import yaml

from .targets import ROOT, TEMPLATE_PATH, _template_json, with_mode

EXAMPLES = ROOT / "examples"
FIXTURES = ROOT / "tests" / "fixtures"
TEXT_PDF = FIXTURES / "letter_with_text_layer.pdf"
FIXED_DATE = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)


def text_pdf(text: str) -> bytes:
    """A one-or-more-page PDF with ``text`` in a real text layer (fpdf2, core font)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(FIXED_DATE)  # the same bytes every time
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text.encode("latin-1", errors="replace").decode("latin-1"))
    return bytes(pdf.output())


def encrypted_pdf(pdf: bytes, user_password: str) -> bytes:
    """``pdf`` encrypted (RC4-128, no extra dependency); '' opens without a password."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.encrypt(user_password=user_password, owner_password="owner-secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def garbled(data: bytes, seed: int, flips: int = 20) -> bytes:
    """``data`` with ``flips`` bytes replaced at seeded positions."""
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(flips):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _letters() -> dict[str, bytes]:
    return {p.parent.name: p.read_bytes() for p in sorted(EXAMPLES.glob("*/letter.txt"))}


def _cases() -> dict[str, bytes]:
    return {p.parent.name: p.read_bytes() for p in sorted(EXAMPLES.glob("*/case.yaml"))}


def _pdfs() -> dict[str, bytes]:
    good = TEXT_PDF.read_bytes()
    return {
        "text": good,
        "no-text": (FIXTURES / "bad_inputs" / "no_text_layer.pdf").read_bytes(),
        "encrypted": encrypted_pdf(good, "secret"),
        "encrypted-empty-password": encrypted_pdf(good, ""),
        "truncated": good[: len(good) // 2],
        "garbled": garbled(good, seed=8),
    }


def seed_inputs(target: str) -> dict[str, bytes]:
    """Named seed inputs for ``target``."""
    letters, cases = _letters(), _cases()
    if target == "ingest":
        pdfs = _pdfs()
        bad = {p.name: p.read_bytes() for p in sorted((FIXTURES / "bad_inputs").iterdir())}
        seeds = {f"letter-{k}": with_mode("ingest", ".txt", v) for k, v in letters.items()}
        seeds |= {f"bad-{k}": with_mode("ingest", ".txt", v) for k, v in bad.items()}
        seeds |= {f"pdf-{k}": with_mode("ingest", ".pdf", v) for k, v in pdfs.items()}
        seeds |= {f"stdin-pdf-{k}": with_mode("ingest", "stdin", v) for k, v in pdfs.items()}
        return seeds
    if target == "extract":
        return {f"letter-{k}": v for k, v in letters.items()}
    if target == "casefile":
        seeds = {}
        for k, v in cases.items():
            as_json = json.dumps(yaml.safe_load(v), default=str, indent=1).encode()
            seeds[f"yaml-{k}"] = with_mode("casefile", "yaml", v)
            seeds[f"json-{k}"] = with_mode("casefile", "json", as_json)
            seeds[f"file-yaml-{k}"] = with_mode("casefile", "file-yaml", v)
            seeds[f"file-json-{k}"] = with_mode("casefile", "file-json", as_json)
        return seeds
    markdown = _template_json()["markdown"].encode()
    if target == "validate":
        return {
            "markdown": with_mode("validate", "markdown", markdown),
            "draft-json": with_mode("validate", "draft-json", TEMPLATE_PATH.read_bytes()),
        }
    if target == "web":
        pdf = TEXT_PDF.read_bytes()
        first = next(iter(cases.values()))
        seeds = {
            "upload-letter": with_mode("web", "letter-upload", next(iter(letters.values()))),
            "upload-pdf": with_mode("web", "letter-upload", pdf),
            "upload-encrypted": with_mode("web", "letter-upload", encrypted_pdf(pdf, "secret")),
            "analyze": with_mode("web", "analyze", next(iter(letters.values()))),
            "case-yaml": with_mode("web", "case-yaml", first),
            "case-json": with_mode(
                "web", "case-json", json.dumps(yaml.safe_load(first), default=str).encode()
            ),
            "validate": with_mode("web", "validate", markdown),
            "export-docx": with_mode("web", "export-docx", markdown),
            "export-pdf": with_mode("web", "export-pdf", markdown),
            "raw-case": with_mode("web", "raw-case", json.dumps({"text": first.decode()}).encode()),
            "raw-analyze": with_mode(
                "web", "raw-analyze", json.dumps({"letter": "Claim denied."}).encode()
            ),
            "raw-export": with_mode("web", "raw-export", json.dumps({"markdown": "# Hi"}).encode()),
        }
        return seeds
    raise KeyError(target)


def write_seeds(target: str, folder: Path) -> int:
    """Write the seeds of ``target`` into ``folder``; return how many."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = seed_inputs(target)
    for name, data in seeds.items():
        (folder / f"seed-{name}").write_bytes(data)
    return len(seeds)
