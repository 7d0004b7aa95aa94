"""OCR benchmark: a scanned copy of each bundled example letter, read back and drafted.

Each example's letter is drawn on letter-size pages (tests/scans.py: Pillow's font, turned a
little, speckled), saved as an image-only PDF at 200 dpi as a scanner writes it, read by
`lmn`'s ingest (Tesseract through pipeline/ocr.py), then drafted with the example's case file.
Printed per example: pages, OCR seconds, the lowest page confidence, character accuracy
(1 - Levenshtein distance / length, whitespace-normalized) and whether the letter drafted from
the scan is the letter drafted from the text (and if not, how many characters differ). Prints
figures, asserts nothing. Takes a few minutes (Tesseract reads a page in seconds).

    python benchmarks/bench_ocr.py [--fax] [EXAMPLE ...]

--fax reads 1-bit CCITT G4 TIFFs at 204 x 196 dpi instead (as faxes arrive).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from pipeline.casefile import load_case  # noqa: E402
from pipeline.errors import LmnError  # noqa: E402
from pipeline.ingest import ingest  # noqa: E402
from pipeline.retrieve import open_index  # noqa: E402
from pipeline.run import draft_letter  # noqa: E402
from tests.scans import char_accuracy, pages_of, render, to_fax_tiff, to_pdf  # noqa: E402

TODAY = dt.date(2026, 11, 23)


def examples(names: list[str]) -> list[Path]:
    found = sorted(
        p.parent for p in ROOT.glob("examples/*/case.yaml") if p.parent.name != "incomplete"
    )
    return [p for p in found if not names or p.name in names]


def scan(text: str, fax: bool, seed: int) -> tuple[bytes, str]:
    pages = [
        render(lines, skew=(-1) ** i * (0.8 + 0.4 * i), noise=15, seed=seed + i)
        for i, lines in enumerate(pages_of(text))
    ]
    return (to_fax_tiff(pages), ".tif") if fax else (to_pdf(pages), ".pdf")


def draft_text(letter, case_path: Path, index) -> str:
    try:
        return draft_letter(letter, load_case(case_path), index=index, today=TODAY).markdown
    except LmnError as exc:
        return f"<{type(exc).__name__}: {exc}>"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("examples", nargs="*")
    parser.add_argument("--fax", action="store_true", help="fax TIFFs instead of scanned PDFs")
    args = parser.parse_args()
    index = open_index()
    rows, accuracies, seconds_per_page, same = [], [], [], 0
    header = f"{'example':34} pages  ocr s  min conf  char acc  same letter"
    print(header)
    print("-" * len(header))
    chosen = examples(args.examples)
    for n, folder in enumerate(chosen):
        truth = (folder / "letter.txt").read_text(encoding="utf-8")
        data, suffix = scan(truth, args.fax, seed=n * 10)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"scan{suffix}"
            path.write_bytes(data)
            start = time.perf_counter()
            scanned = ingest(path)
            took = time.perf_counter() - start
        typed = ingest(folder / "letter.txt")
        accuracy = char_accuracy(typed.text, scanned.text)
        accuracies.append(accuracy)
        pages = len(scanned.ocr or [])
        seconds_per_page.append(took / max(pages, 1))
        low = min((p.confidence for p in scanned.ocr or []), default=0.0)
        from_text = draft_text(typed, folder / "case.yaml", index)
        from_scan = draft_text(scanned, folder / "case.yaml", index)
        diff = Levenshtein.distance(from_text, from_scan)
        same += diff == 0
        verdict = "yes" if diff == 0 else f"no ({diff} chars differ)"
        rows.append(folder.name)
        print(f"{folder.name:34} {pages:5} {took:6.1f} {low:9.1f} {accuracy:9.4f}  {verdict}")
    if chosen:
        print("-" * len(header))
        print(
            f"{len(chosen)} letters: character accuracy mean {statistics.mean(accuracies):.4f}, "
            f"min {min(accuracies):.4f}; same letter as from the text: {same}/{len(chosen)}; "
            f"OCR {statistics.median(seconds_per_page):.1f} s a page (median)"
        )


if __name__ == "__main__":
    main()
