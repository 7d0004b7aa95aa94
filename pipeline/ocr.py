"""Read scanned letters (PDF pages without text, PNG, JPEG, multi-page TIFF faxes) with Tesseract.

Each page is made grey, brought to about 300 dpi (fax pixels are not square), straightened
(:func:`deskew`), then read by Tesseract through ``pytesseract``; the page's confidence is the mean
of Tesseract's word confidences, weighted by word length. Pages below :data:`LOW_CONFIDENCE` are
named in :attr:`OcrResult.warnings` so the advocate checks them against the paper.

Scanned PDFs are rendered by PDFium (``pypdfium2``), which draws any image encoding a scanner or
fax writes (JPEG, CCITT, JBIG2, Flate), strips and masks included.

Tesseract is the Debian package ``tesseract-ocr``; when it is missing, reading a scan is an
InputError that says how to install it. Nothing here logs page text.
"""

from __future__ import annotations

import io
import itertools
import os
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel

from .errors import InputError
from .models import OcrPage

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

T = TypeVar("T")

LOW_CONFIDENCE = 75.0
"""Mean word confidence (0-100) under which a page is named in a warning."""
TARGET_DPI = 300
"""Resolution Tesseract reads best at for letter-size print."""
MAX_SKEW = 10.0
"""Largest skew, in degrees, that :func:`deskew` looks for."""
MAX_PAGES = 30
"""Pages read at most: a denial letter is a few pages; a longer scan is a records packet."""
PAGE_SECONDS = 45.0
"""Longest wall time Tesseract may take on one page (5-20 s on two busy cores)."""
MAX_PAGE_PIXELS = 40_000_000
"""Most pixels a PDF page is drawn with (a letter page at 300 dpi is 8.4 million); a larger
page is drawn at a lower resolution instead of filling memory."""
IMAGE_MAGIC: dict[bytes, str] = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"II*\x00": "image/tiff",
    b"MM\x00*": "image/tiff",
}
"""First bytes of the image formats a scan or fax arrives in."""


class OcrResult(BaseModel):
    """The text read from a scan, page by page."""

    page_texts: list[str]
    pages: list[OcrPage]

    @property
    def text(self) -> str:
        """The pages' text, a blank line between pages."""
        return "\n\n".join(self.page_texts)

    @property
    def low_pages(self) -> list[OcrPage]:
        return [p for p in self.pages if p.confidence < LOW_CONFIDENCE]

    @property
    def warnings(self) -> list[str]:
        """One line per problem, naming pages (never their text)."""
        low = self.low_pages
        if not low:
            return []
        which = ", ".join(f"{p.number} ({p.confidence:.0f}%)" for p in low)
        return [
            f"page(s) {which} of the scan were read with low confidence: compare the letter's "
            "text with the paper (names, ids, dates, codes) or rescan at 300 dpi"
        ]


def image_type(data: bytes) -> str | None:
    """The image media type ``data`` starts with, or None."""
    for magic, media_type in IMAGE_MAGIC.items():
        if data.startswith(magic):
            return media_type
    return None


# --------------------------------------------------------------------------- public API


def read_image(data: bytes, source: str) -> OcrResult:
    """OCR every frame of a PNG, JPEG or (multi-page) TIFF."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        frames = [_prepared(frame) for frame in _limited(ImageSequence.Iterator(image), source)]
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise InputError(f"{source}: {_UNREADABLE_IMAGE}") from None
    return read_pages(frames, source)


def page_count(data: bytes, source: str, *, pdf: bool) -> int:
    """How many pages a scanned PDF or an image holds (InputError when it cannot be opened)."""
    if pdf:
        import pypdfium2 as pdfium

        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            raise InputError(f"{source}: {_UNRENDERABLE}") from None
        try:
            return len(document)
        finally:
            document.close()
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return int(getattr(image, "n_frames", 1))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise InputError(f"{source}: {_UNREADABLE_IMAGE}") from None


_UNRENDERABLE = "the PDF cannot be rendered for OCR: re-save it, or paste the letter's text"
_UNREADABLE_IMAGE = (
    "the image cannot be read (damaged or an unsupported kind): save it as PNG, JPEG or TIFF, "
    "or paste the letter's text"
)


def read_pdf(data: bytes, source: str) -> OcrResult:
    """OCR every page of a scanned PDF, drawn one at a time at :data:`TARGET_DPI` (lower for a
    page over :data:`MAX_PAGE_PIXELS`)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise InputError(f"{source}: {_UNRENDERABLE}") from None

    def pages() -> Iterator[Image.Image]:
        for page in _limited(iter(pdf), source):
            width, height = page.get_size()  # points
            dpi = min(TARGET_DPI, (MAX_PAGE_PIXELS / max(width * height / 72**2, 1e-6)) ** 0.5)
            yield _prepared(page.render(scale=dpi / 72, grayscale=True).to_pil(), dpi)
            page.close()

    try:
        return read_pages(pages(), source)
    except pdfium.PdfiumError:
        raise InputError(
            f"{source}: the PDF is damaged (a page cannot be drawn): re-save or re-download it, "
            "or paste the letter's text"
        ) from None
    finally:
        pdf.close()


def read_pages(images: Iterable[Image.Image], source: str) -> OcrResult:
    """Straighten and OCR prepared page images, in order."""
    texts, pages = [], []
    for number, image in enumerate(images, 1):
        if _blank(image):
            texts.append("")
            pages.append(OcrPage(number=number, confidence=0.0, skew=0.0, words=0))
            continue
        straight, angle = deskew(image)
        text, confidence, words = _tesseract(straight, source)
        texts.append(text)
        pages.append(OcrPage(number=number, confidence=confidence, skew=angle, words=words))
    return OcrResult(page_texts=[repair(t) for t in texts], pages=pages)


_LONE_BAR_RE = re.compile(r"(?<![^\s(])\|(?=[,.;:)]|[IVX]{1,3}\b| [a-z])")
_ICD10_LIKE_RE = re.compile(r"\b([A-TV-Z])([0-9OIl])([0-9A-Z])\.([0-9A-Z]{1,4})\b")
"""An ICD-10-CM code as OCR may read it: its second character is always a digit ('HO2.834')."""
_CLOSING_BRACE_RE = re.compile(r"\}")
_CAPITAL_I_WORD_RE = re.compile(r"(?<=[a-z] )I([stfn]|ts|nto)\b")
"""'is', 'it', 'if', 'in', 'its', 'into' read with a capital I after a lower-case word
('the nose Is cosmetic'): mid-sentence, these are never capitalized."""
_SPLIT_ID_RE = re.compile(r"(?<=[-/][0-9]{2}) (?=[0-9]{2,6}[-/][0-9A-Z])")
"""A space read into an id between two digit groups ('AUTH-2026-04 15-7781')."""
_AS_DIGIT = str.maketrans({"O": "0", "I": "1", "l": "1"})
_STRAIGHT_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
"""Tesseract reads a typed letter's straight quotes as curly ones (and cannot tell them apart):
the scan's text keeps the straight ones, as a typed letter's does."""


def repair(text: str) -> str:
    """Tesseract's commonest misreadings in letters, where the reading is certain:

    - a capital I read as '|' ("Type |, II", "| am writing"): on a line with one '|' only (a
      table row has several), a '|' that starts a word and is followed by punctuation, a Roman
      numeral or a lower-case word becomes 'I';
    - a ')' read as '}' on a line with no '{' (letters hold no braces): '(a}' -> '(a)';
    - 'is', 'it', 'if', 'in', 'its', 'into' capitalized after a lower-case word: 'the nose Is
      cosmetic' -> 'is';
    - a space read inside a hyphenated id, between digit groups: 'AUTH-2026-04 15-7781';
    - curly quotes, which Tesseract reads for straight ones, made straight;
    - an ICD-10 code's second character, always a digit, read as a letter: 'HO2.834' ->
      'H02.834' (only in code-shaped words: a letter, digit-like, character, '.', characters).
    """
    out = []
    for line in text.split("\n"):
        if line.count("|") == 1:
            line = _LONE_BAR_RE.sub("I", line)
        if "}" in line and "{" not in line:
            line = _CLOSING_BRACE_RE.sub(")", line)
        line = _CAPITAL_I_WORD_RE.sub(lambda m: "i" + m[1], line)
        line = _SPLIT_ID_RE.sub("", line).translate(_STRAIGHT_QUOTES)
        line = _ICD10_LIKE_RE.sub(lambda m: f"{m[1]}{m[2].translate(_AS_DIGIT)}{m[3]}.{m[4]}", line)
        out.append(line)
    return "\n".join(out)


# --------------------------------------------------------------------------- images


def _limited(frames: Iterator[T], source: str) -> Iterator[T]:
    for i, frame in enumerate(frames):
        if i == MAX_PAGES:
            raise InputError(
                f"{source}: the scan has more than {MAX_PAGES} pages: pass only the denial letter"
            )
        yield frame


def _prepared(image: Image.Image, dpi: float | None = None) -> Image.Image:
    """Grey, at about TARGET_DPI, with square pixels (a fax's 204x98 dpi is stretched)."""
    from PIL import Image, ImageFilter

    grey = image.convert("L")
    xdpi, ydpi = (dpi, dpi) if dpi else _dpi(image)
    scale_x, scale_y = TARGET_DPI / xdpi, TARGET_DPI / ydpi
    if abs(scale_x - 1) > 0.05 or abs(scale_y - 1) > 0.05:
        size = (max(1, round(grey.width * scale_x)), max(1, round(grey.height * scale_y)))
        grey = grey.resize(size, Image.Resampling.LANCZOS)
    # A 3-pixel median removes scanner speckle and fax noise; strokes at 300 dpi are wider.
    return grey.filter(ImageFilter.MedianFilter(3))


def _dpi(image: Image.Image) -> tuple[float, float]:
    """The image's resolution; a missing or implausible one is taken as TARGET_DPI (photos,
    screenshots) unless the page is small enough to be a 150-dpi scan."""
    dpi = image.info.get("dpi") or (0, 0)
    try:
        x, y = float(dpi[0]), float(dpi[1])
    except (TypeError, ValueError, IndexError):
        x = y = 0.0
    if 50 <= x <= 1200 and 50 <= y <= 1200:
        return x, y
    # No resolution: a letter page 8.5 in wide at 150 dpi is ~1275 px, at 300 dpi ~2550 px.
    guess = 150.0 if image.width < 1800 else float(TARGET_DPI)
    return guess, guess


def deskew(image: Image.Image) -> tuple[Image.Image, float]:
    """The page turned so its text lines are level, and the angle turned (degrees).

    The angle is the one whose horizontal ink profile is sharpest (text lines and the gaps
    between them give the largest row-to-row change), searched over +/-MAX_SKEW on a reduced,
    binarized copy, in 0.5 degree steps and then 0.1 degree steps around the best.
    """
    import numpy as np
    from PIL import Image

    small = image.copy()
    small.thumbnail((1000, 1000))
    pixels = np.asarray(small)
    if pixels.min() == pixels.max():  # one grey: a blank page
        return image, 0.0
    ink = pixels < _otsu(pixels)
    if ink.mean() < 0.002:  # a blank page
        return image, 0.0
    mask = Image.fromarray((ink * 255).astype(np.uint8))

    def sharpness(angle: float) -> float:
        rows = np.asarray(mask.rotate(angle, resample=Image.Resampling.NEAREST, expand=True))
        profile = rows.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.4, best + 0.41, 0.1)
    angle = round(float(max(fine, key=sharpness)), 1)
    if abs(angle) < 0.1:
        return image, 0.0
    turned = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    return turned, angle


def _blank(image: Image.Image) -> bool:
    """True for a page with no ink at all (nothing for Tesseract to read)."""
    low, high = image.getextrema()  # an "L" image: (min, max) grey levels
    return isinstance(low, int | float) and isinstance(high, int | float) and high - low < 32


def _otsu(pixels: np.ndarray) -> float:
    """Otsu's threshold of a grey image (the level that best splits ink from paper)."""
    import numpy as np

    hist = np.bincount(pixels.ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256)
    weight = np.cumsum(hist)
    total = weight[-1]
    mean = np.cumsum(hist * levels)
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean[-1] * weight / total - mean) ** 2 / (weight * (total - weight))
    return float(np.nanargmax(between))


# --------------------------------------------------------------------------- Tesseract


def _with_paragraph_breaks(lines: list[list[str]], spans: list[tuple[int, int]]) -> list[str]:
    """The lines, with a blank line where the page leaves one: where the step from one line's
    top to the next is over 1.6 times the page's usual step (Tesseract's own paragraphs split
    a wrapped sentence, or a label from its value, often enough to break the reading)."""
    tops = [top for top, _ in spans]
    steps = sorted(b - a for a, b in itertools.pairwise(tops) if b > a)
    usual = steps[len(steps) // 2] if steps else 0
    out: list[str] = []
    for i, words in enumerate(lines):
        if i and usual and (tops[i] - tops[i - 1] > 1.6 * usual or tops[i] < tops[i - 1]):
            out.append("")
        out.append(" ".join(words))
    return out


def _tesseract(image: Image.Image, source: str) -> tuple[str, float, int]:
    """(text, mean word confidence, word count) of one page, lines and paragraphs kept."""
    import pytesseract

    # One thread per page: Tesseract's OpenMP threads slow it down on a shared, small machine.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        data = pytesseract.image_to_data(
            image,
            lang="eng",
            config="--psm 3",
            output_type=pytesseract.Output.DICT,
            timeout=PAGE_SECONDS,
        )
    except pytesseract.TesseractNotFoundError:
        raise InputError(
            f"{source}: reading a scanned letter needs Tesseract OCR: install it "
            "(Debian/Ubuntu: apt-get install tesseract-ocr; macOS: brew install tesseract), "
            "run the scan through an OCR tool such as ocrmypdf, or paste the letter's text"
        ) from None
    except pytesseract.TesseractError:
        raise InputError(
            f"{source}: Tesseract could not read a page of the scan: rescan it, "
            "or paste the letter's text"
        ) from None
    except RuntimeError as exc:  # pytesseract's "Tesseract process timeout"
        if "timeout" not in str(exc).lower():
            raise
        raise InputError(
            f"{source}: a page of the scan took over {PAGE_SECONDS:.0f} s to read: rescan it "
            "at 300 dpi in black and white, or paste the letter's text"
        ) from None
    lines: dict[tuple[int, int, int], list[str]] = {}
    spans: dict[tuple[int, int, int], tuple[int, int]] = {}  # line -> (top, bottom) in pixels
    weighted = chars = 0.0
    for i, word in enumerate(data["text"]):
        word = word.strip()
        conf = float(data["conf"][i])
        if not word or conf < 0:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(word)
        top, bottom = data["top"][i], data["top"][i] + data["height"][i]
        low, high = spans.get(key, (top, bottom))
        spans[key] = (min(low, top), max(high, bottom))
        weighted += conf * len(word)
        chars += len(word)
    out = _with_paragraph_breaks(list(lines.values()), list(spans.values()))
    count = sum(len(w) for w in lines.values())
    return "\n".join(out), (weighted / chars if chars else 0.0), count
