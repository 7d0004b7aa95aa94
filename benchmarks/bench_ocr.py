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

    python benchmarks/bench_ocr.py --suite tuned|held-out

reads new denial letters instead (the synthetic suite's letters that are not bundled examples,
evals/suites/synthetic.jsonl, split in two by their sorted order: the tuned half was looked at
while OCR was tuned, the held-out half was not), each as one kind of degraded scan in turn
(tests/scans.degraded: scanner PDF, fine fax, standard-resolution fax, phone photo), and also
says whether the scan reads as the same denial (the analysis extracted from the scan equals the
one extracted from the text: ids, codes, dates, criteria).
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
from pipeline.extract import extract  # noqa: E402
from pipeline.ingest import ingest, ingest_text  # noqa: E402
from pipeline.models import CaseFacts, DenialLetter  # noqa: E402
from pipeline.retrieve import open_index  # noqa: E402
from pipeline.run import draft_letter  # noqa: E402
from tests.scans import (  # noqa: E402
    char_accuracy,
    degraded,
    pages_of,
    render,
    to_fax_tiff,
    to_pdf,
)

VARIANTS = ("pdf", "fax", "fax-standard", "photo")
SUITE = ROOT / "evals" / "suites" / "synthetic.jsonl"

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


def suite(half: str) -> list[dict]:
    """The synthetic suite's own letters (not the bundled examples'), one half of them."""
    import json

    rows = [json.loads(line) for line in SUITE.read_text(encoding="utf-8").splitlines() if line]
    own = sorted(
        (r for r in rows if not r["metadata"].get("letter_file", "").startswith("examples/")),
        key=lambda r: r["id"],
    )
    return own[0::2] if half == "tuned" else own[1::2]


def same_reading(a, b) -> bool:
    keep = {"letter_date", "claim_number", "member_id", "cpt_codes", "icd10_codes", "plan_type"}
    if a.model_dump(include=keep) != b.model_dump(include=keep):
        return False
    return [c.text for c in a.criteria] == [c.text for c in b.criteria]


def timed_ingest(data: bytes, suffix: str) -> tuple[DenialLetter, float]:
    """Read a scan written to a temporary file; the reading and its seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"scan{suffix}"
        path.write_bytes(data)
        start = time.perf_counter()
        scanned = ingest(path)
        return scanned, time.perf_counter() - start


def run_suite(half: str, index) -> None:
    header = f"{'letter':42} {'scan':12} pages  ocr s  min conf  char acc  denial  letter"
    print(header)
    print("-" * len(header))
    accuracies, readings, letters, drafted = [], 0, 0, 0
    rows = suite(half)
    for n, row in enumerate(rows):
        text = row["denial_letter"]
        variant = VARIANTS[n % len(VARIANTS)]
        if variant == "photo" and len(pages_of(text)) > 1:
            variant = "pdf"
        data, suffix = degraded(text, variant, seed=1000 + n)
        scanned, took = timed_ingest(data, suffix)
        typed = ingest_text(text)
        accuracy = char_accuracy(typed.text, scanned.text)
        accuracies.append(accuracy)
        same_denial = same_reading(extract(typed), extract(scanned))
        readings += same_denial
        verdict = "-"
        if row.get("case"):
            drafted += 1
            case = CaseFacts.model_validate(row["case"])
            texts = []
            for letter in (typed, scanned):
                try:
                    texts.append(draft_letter(letter, case, index=index, today=TODAY).markdown)
                except LmnError as exc:
                    texts.append(f"<{type(exc).__name__}>")
            diff = Levenshtein.distance(*texts)
            letters += diff == 0
            verdict = "yes" if diff == 0 else f"no ({diff})"
        low = min((p.confidence for p in scanned.ocr or []), default=0.0)
        pages = len(scanned.ocr or [])
        print(
            f"{row['id'][:42]:42} {variant:12} {pages:5} {took:6.1f} {low:9.1f} "
            f"{accuracy:9.4f}  {'yes' if same_denial else 'no':6}  {verdict}"
        )
    print("-" * len(header))
    print(
        f"{half}: {len(rows)} scans, character accuracy mean {statistics.mean(accuracies):.4f}, "
        f"min {min(accuracies):.4f}; same denial read: {readings}/{len(rows)}; same letter "
        f"drafted: {letters}/{drafted}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("examples", nargs="*")
    parser.add_argument("--fax", action="store_true", help="fax TIFFs instead of scanned PDFs")
    parser.add_argument("--suite", choices=("tuned", "held-out"), help="new letters instead")
    args = parser.parse_args()
    index = open_index()
    if args.suite:
        run_suite(args.suite, index)
        return
    rows, accuracies, seconds_per_page, same = [], [], [], 0
    header = f"{'example':34} pages  ocr s  min conf  char acc  same letter"
    print(header)
    print("-" * len(header))
    chosen = examples(args.examples)
    for n, folder in enumerate(chosen):
        truth = (folder / "letter.txt").read_text(encoding="utf-8")
        data, suffix = scan(truth, args.fax, seed=n * 10)
        scanned, took = timed_ingest(data, suffix)
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
