"""Synthetic scans for the OCR tests and benchmark: a letter's text drawn on letter-size pages
with Pillow's bundled font, turned, speckled and saved as PNG, JPEG, TIFF (fax) or an image-only
PDF; and the character accuracy of text read back."""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from rapidfuzz.distance import Levenshtein

DPI = 300
PAGE = (2550, 3300)  # 8.5 x 11 in at 300 dpi
MARGIN = 150
LINE_HEIGHT = 46
FONT_SIZE = 32
LINES_PER_PAGE = (PAGE[1] - 2 * MARGIN) // LINE_HEIGHT


def pages_of(text: str, *, max_pages: int | None = None) -> list[list[str]]:
    """The letter's lines split into pages."""
    lines = text.splitlines()
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    return pages[:max_pages] if max_pages else pages


def render(
    lines: Sequence[str],
    *,
    skew: float = 0.0,
    noise: float = 0.0,
    seed: int = 0,
    blur: float = 0.0,
    font_size: int = FONT_SIZE,
) -> Image.Image:
    """One grey page: ``lines`` drawn, turned ``skew`` degrees, Gaussian noise of ``noise``
    grey levels plus as much salt-and-pepper speckle, optionally blurred."""
    from PIL import ImageFilter

    font = ImageFont.load_default(size=font_size)
    page = Image.new("L", PAGE, 255)
    draw = ImageDraw.Draw(page)
    y = MARGIN
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=0)
        y += LINE_HEIGHT
    if skew:
        page = page.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if blur:
        page = page.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        rng = np.random.default_rng(seed)
        pixels = np.asarray(page).astype(np.float64) + rng.normal(0, noise, (PAGE[1], PAGE[0]))
        speckle = rng.random(pixels.shape) < noise / 10_000
        pixels[speckle] = 0
        page = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return page


def to_png(page: Image.Image) -> bytes:
    out = io.BytesIO()
    page.save(out, "PNG", dpi=(DPI, DPI))
    return out.getvalue()


def to_jpeg(page: Image.Image, quality: int = 70) -> bytes:
    out = io.BytesIO()
    page.save(out, "JPEG", quality=quality, dpi=(DPI, DPI))
    return out.getvalue()


def to_fax_tiff(pages: Sequence[Image.Image], ydpi: int = 196) -> bytes:
    """A multi-page TIFF as a fax machine writes it: 1-bit, CCITT G4, 204 x 196 dpi (a fine
    fax), or 204 x 98 (``ydpi=98``: standard resolution, half the lines, the commonest and
    hardest kind a payer's fax server sends)."""
    faxed = []
    for page in pages:
        size = (round(page.width * 204 / DPI), round(page.height * ydpi / DPI))
        scaled = page.resize(size, Image.Resampling.LANCZOS)
        faxed.append(scaled.point(lambda v: 255 * (v > 150)).convert("1"))
    out = io.BytesIO()
    faxed[0].save(
        out, "TIFF", compression="group4", dpi=(204, ydpi), save_all=True, append_images=faxed[1:]
    )
    return out.getvalue()


def to_pdf(pages: Sequence[Image.Image], dpi: int = 200) -> bytes:
    """An image-only PDF (no text layer), as a scanner writes one; JPEG pages at ``dpi``."""
    scaled = [p.resize((round(p.width * dpi / DPI), round(p.height * dpi / DPI))) for p in pages]
    out = io.BytesIO()
    scaled[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=scaled[1:])
    return out.getvalue()


def squash(text: str) -> str:
    """Whitespace-normalized text (OCR does not keep column alignment)."""
    return " ".join(text.split())


def char_accuracy(truth: str, read: str) -> float:
    """1 - character error rate: Levenshtein distance over the truth's length, on
    whitespace-normalized text."""
    truth, read = squash(truth), squash(read)
    return 1 - Levenshtein.distance(truth, read) / max(len(truth), 1)


def degraded(text: str, variant: str, seed: int) -> tuple[bytes, str]:
    """``text`` as a scan of one kind, with the page-to-page variation a real one has:
    'pdf' (scanner, 200 dpi JPEG pages, turned up to 2 degrees, speckled), 'fax' (fine fax,
    1-bit), 'fax-standard' (204 x 98 dpi) or 'photo' (a phone photo: JPEG at quality 35,
    slightly blurred, turned up to 3 degrees, noisier). Returns (bytes, suffix)."""
    rng = np.random.default_rng(seed)
    pages = []
    for i, lines in enumerate(pages_of(text)):
        turn = float(rng.uniform(-3.0, 3.0) if variant == "photo" else rng.uniform(-2.0, 2.0))
        noise = 25.0 if variant == "photo" else 15.0
        blur = 0.8 if variant == "photo" else 0.0
        pages.append(render(lines, skew=turn, noise=noise, seed=seed + i, blur=blur))
    if variant == "fax":
        return to_fax_tiff(pages), ".tif"
    if variant == "fax-standard":
        return to_fax_tiff(pages, ydpi=98), ".tif"
    if variant == "photo":
        return to_jpeg(pages[0], quality=35), ".jpg"  # a photo is one page
    return to_pdf(pages), ".pdf"
