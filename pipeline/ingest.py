"""Read a denial letter (text, Markdown, PDF with a text layer, or stdin) into a DenialLetter.

Every problem raises :class:`pipeline.errors.InputError` with a one-line message that says what
is wrong and what to do. Messages name the source but never quote the letter (it holds PHI).
"""

from __future__ import annotations

import hashlib
import io
import logging
import multiprocessing
import multiprocessing.context
import sys
import time
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal, TextIO, cast

from .errors import InputError
from .models import DenialLetter
from .ocr import image_type
from .text.clean import normalize_text

if TYPE_CHECKING:
    from pypdf import PdfReader

MAX_BYTES = 2 * 1024 * 1024
"""Largest input accepted, in bytes."""
SNIFF_BYTES = 8192
"""How much of the start of a file the binary check looks at."""
MAX_CONTROL_RATIO = 0.10
"""Share of control bytes above which a file is treated as binary."""
MIN_PDF_TEXT_CHARS = 20
"""Fewer non-space characters than this in a whole PDF means it has no usable text layer."""
# pypdf's warnings about damaged files quote the file's bytes, i.e. the letter's text (PHI).
logging.getLogger("pypdf").setLevel(logging.ERROR)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
MediaType = Literal[
    "text/plain", "text/markdown", "application/pdf", "image/png", "image/jpeg", "image/tiff"
]
_MEDIA_TYPES: dict[str, MediaType] = {
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}
# Control bytes that never occur in text (tab, LF, FF and CR do).
_CONTROL_BYTES = frozenset(set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D}) | {0x7F}


# --------------------------------------------------------------------------- public API


def ingest(
    source: str | Path,
    *,
    stdin: TextIO | BinaryIO | None = None,
    stop: Callable[[], bool] | None = None,
) -> DenialLetter:
    """Read the letter at ``source`` (a path, or '-' for ``stdin``) and normalize it.
    ``stop``, polled while a PDF is read, ends the reading early (InputError) when true."""
    if str(source) == "-":
        data = _read_stream(stdin if stdin is not None else sys.stdin)
        return _from_bytes(data, "<stdin>", None, stop)
    path = Path(source)
    data = _read_path(path)
    media_type = _MEDIA_TYPES.get(path.suffix.lower(), "text/plain")
    return _from_bytes(data, str(source), media_type, stop)


def ingest_text(text: str, source: str = "<text>") -> DenialLetter:
    """Normalize letter text that is already in memory."""
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise InputError(f"{source}: the letter is larger than 2 MB: pass only the denial letter")
    # Lone surrogates (e.g. a JSON "\ud800" escape) cannot be encoded: make them U+FFFD.
    text = text.encode("utf-8", errors="surrogatepass").decode("utf-8", errors="replace")
    return _letter(normalize_text(text), source, "text/plain", None)


def decode_bytes(data: bytes, source: str) -> str:
    """Decode by BOM (UTF-8, UTF-16), else UTF-8, else clean cp1252; else InputError."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data, encoding, source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Python's cp1252 codec rejects the five bytes cp1252 leaves undefined.
    return _decode(data, "cp1252", source)


# --------------------------------------------------------------------------- reading


def _read_path(path: Path) -> bytes:
    """The bytes of a regular file, after the existence, type and size checks."""
    if not path.exists():
        raise InputError(f"{path}: file not found: check the path to the denial letter")
    if path.is_dir():
        raise InputError(f"{path}: is a directory: pass the denial letter file itself")
    try:
        size = path.stat().st_size
        _check_size(size, str(path))
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except PermissionError:
        raise InputError(
            f"{path}: permission denied: make the file readable (e.g. chmod u+r) or copy it"
        ) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}): check the file") from None


def _read_stream(stream: TextIO | BinaryIO) -> bytes:
    """Up to MAX_BYTES + 1 bytes from a binary or text stream."""
    binary = getattr(stream, "buffer", stream)
    chunk = binary.read(MAX_BYTES + 1)
    if isinstance(chunk, str):
        chunk = chunk.encode("utf-8")
    return chunk


def _check_size(size: int, source: str) -> None:
    """Reject empty and over-large inputs."""
    if size == 0:
        raise InputError(f"{source}: the file is empty: pass the denial letter's text or PDF")
    if size > MAX_BYTES:
        raise InputError(
            f"{source}: the file is larger than 2 MB: pass only the denial letter "
            "(split or compress the PDF)"
        )


# --------------------------------------------------------------------------- decoding


def _from_bytes(
    data: bytes, source: str, media_type: MediaType | None, stop: Callable[[], bool] | None = None
) -> DenialLetter:
    """Turn raw input into a DenialLetter; ``media_type`` None means sniff (stdin)."""
    _check_size(len(data), source)
    if media_type == "application/pdf" or (media_type is None and data.startswith(b"%PDF-")):
        try:
            text, pages = _pdf_text(data, source, stop)
        except _NoTextLayer:
            return _scanned(data, source, "application/pdf")
        return _letter(normalize_text(text), source, "application/pdf", pages)
    scan_type = image_type(data)
    named_image = (media_type or "").startswith("image/")
    if named_image or (scan_type and media_type in (None, "text/plain")):
        return _scanned(data, source, cast(MediaType, scan_type or media_type))
    _check_not_binary(data, source)
    return _letter(normalize_text(decode_bytes(data, source)), source, media_type or "text/plain")


def _letter(
    text: str, source: str, media_type: MediaType, pages: int | None = None
) -> DenialLetter:
    """Build the DenialLetter, rejecting inputs that hold no text."""
    if not text.strip():
        raise InputError(
            f"{source}: the letter is empty (only whitespace): pass the denial letter's text"
        )
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return DenialLetter(text=text, source=source, media_type=media_type, sha256=digest, pages=pages)


def _check_not_binary(data: bytes, source: str) -> None:
    """Reject NUL bytes or too many control bytes at the start (UTF-16 is checked as text)."""
    head = data[:SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        sample = head[: len(head) - len(head) % 2].decode("utf-16", errors="replace")
        controls = sum(_is_control(ch) and ch not in "\t\n\r\f" for ch in sample)
        nul, total = "\x00" in sample, max(len(sample), 1)
    else:
        controls = sum(byte in _CONTROL_BYTES for byte in head)
        nul, total = b"\x00" in head, max(len(head), 1)
    if nul or controls / total > MAX_CONTROL_RATIO:
        raise InputError(
            f"{source}: looks like a binary file, not text: pass a .txt, .md or .pdf denial letter"
        )


def _decode(data: bytes, encoding: str, source: str) -> str:
    """Strict decode, with a one-line InputError on failure."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(
            f"{source}: unreadable text encoding (not UTF-8, UTF-16 or Windows-1252): "
            "save the letter as UTF-8 and try again"
        ) from None


def _is_control(ch: str) -> bool:
    """Unicode control (Cc) characters, plus the byte-order mark."""
    return ch == "\ufeff" or unicodedata.category(ch) == "Cc"


# --------------------------------------------------------------------------- PDF

MAX_PDF_PAGES = 100
"""Most pages read from a PDF (a denial letter has a few; a longer file is records)."""
MAX_PDF_CONTENT_BYTES = 4 * 1024 * 1024
"""Most drawing-instruction bytes (decoded content streams, counted per page) read from a PDF.
A page of text holds 5-50 KB; a 12 KB file whose pages share one 4 MB stream holds 40 MB at
10 pages and took a minute to extract (pypdf reads about 0.6 MB a second)."""
PDF_SECONDS = 15.0
"""Longest wall time the extraction may take."""
PDF_MEMORY_BYTES = 768 * 1024 * 1024
"""Most memory the extraction may add to its process (address space, RLIMIT_AS)."""
_PDF_PROBLEMS = {
    "encrypted": "the PDF is password-protected: save an unlocked copy or paste the letter's text",
    "damaged": "the PDF is damaged or not a PDF: re-save or re-download it, or paste the "
    "letter's text",
    "pages": f"the PDF has more than {MAX_PDF_PAGES} pages: pass only the denial letter's pages",
    "content": "the PDF's pages hold far more drawing instructions than a letter's "
    f"(over {MAX_PDF_CONTENT_BYTES // 2**20} MB): print it to a new PDF or paste the text",
    "memory": "the PDF needs too much memory to read: print it to a new PDF or paste the text",
    "time": f"the PDF took over {PDF_SECONDS:.0f} s to read: print it to a new PDF or paste the "
    "text",
    "stopped": "reading the PDF was stopped",
}


def _pdf_text(data: bytes, source: str, stop: Callable[[], bool] | None = None) -> tuple[str, int]:
    """The text layer of a PDF, pages separated by a blank line, and its page count.

    pypdf runs in a child process (forked from a forkserver that preloads it) under an address
    space limit, a CPU-time limit and a wall-time deadline, after page and content-size caps;
    ``stop`` (polled) ends it early, e.g. when the web client has gone away.
    """
    kind, result = _run_pdf_worker(data, stop)
    if kind != "ok":
        raise InputError(f"{source}: {_PDF_PROBLEMS[kind]}")
    pages = result
    text = "\n\n".join(pages)
    if sum(not ch.isspace() for ch in text) < MIN_PDF_TEXT_CHARS:
        raise _NoTextLayer(source)
    return text, len(pages)


@lru_cache(maxsize=1)
def _pdf_context() -> (
    multiprocessing.context.ForkServerContext | multiprocessing.context.SpawnContext
):
    """A forkserver context (safe in a threaded server; a child costs a fork, not an import)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():  # pragma: no cover
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["pypdf", "pipeline.ingest"])
    return ctx


def _run_pdf_worker(data: bytes, stop: Callable[[], bool] | None) -> tuple[str, list[str]]:
    """('ok', pages) or (problem, []) from a child running :func:`_pdf_worker`."""
    ctx = _pdf_context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_pdf_worker, args=(child, data), daemon=True)
    proc.start()
    child.close()
    deadline = time.monotonic() + PDF_SECONDS
    try:
        while True:
            if parent.poll(0.05):
                try:
                    return parent.recv()
                except EOFError:  # died without a word: killed by a resource limit
                    return "memory", []
            if not proc.is_alive() and not parent.poll(0):
                return "memory", []
            if time.monotonic() > deadline:
                return "time", []
            if stop is not None and stop():
                return "stopped", []
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(timeout=5)
        parent.close()


def _pdf_worker(conn: Connection, data: bytes) -> None:
    """The child: limits first, then pypdf; sends ('ok', pages) or (problem, [])."""
    _limit_resources()
    try:
        conn.send(_read_pdf(data))
    except MemoryError:
        conn.send(("memory", []))
    conn.close()


def _limit_resources() -> None:
    try:
        import resource

        with open("/proc/self/statm") as fh:
            used = int(fh.read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (used + PDF_MEMORY_BYTES,) * 2)
        cpu = int(PDF_SECONDS) + 2
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    except (ImportError, OSError, ValueError):  # pragma: no cover - not Linux
        pass


def _read_pdf(data: bytes) -> tuple[str, list[str]]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _decrypts_without_password(reader):
            return "encrypted", []
        if len(reader.pages) > MAX_PDF_PAGES:
            return "pages", []
        content = 0
        for page in reader.pages:
            stream = page.get_contents()
            content += len(stream.get_data()) if stream is not None else 0
            if content > MAX_PDF_CONTENT_BYTES:
                return "content", []
        return "ok", [page.extract_text() or "" for page in reader.pages]
    except MemoryError:
        raise
    except Exception:  # pypdf raises many exception types on damaged files
        return "damaged", []


class _NoTextLayer(InputError):
    """A PDF without a text layer: a scan, read by OCR instead."""


def _scanned(data: bytes, source: str, media_type: MediaType) -> DenialLetter:
    """A scanned PDF or an image, read by OCR (pipeline.ocr), with its pages' confidence."""
    from .ocr import read_image, read_pdf

    pdf = media_type == "application/pdf"
    what = f"{source}: the PDF has no text layer (scanned?) and" if pdf else f"{source}:"
    try:
        result = read_pdf(data, source) if pdf else read_image(data, source)
    except InputError as exc:  # Tesseract missing, or a page it cannot read
        raise InputError(f"{what} {str(exc).split(': ', 1)[-1]}") from None
    text = normalize_text(result.text)
    if sum(not ch.isspace() for ch in text) < MIN_PDF_TEXT_CHARS:
        raise InputError(
            f"{what} OCR read no text from it: rescan it at 300 dpi, straight and in focus, "
            "run it through an OCR tool such as ocrmypdf, or paste the letter's text"
        )
    letter = _letter(text, source, media_type, len(result.pages))
    return letter.model_copy(update={"ocr": result.pages, "warnings": result.warnings})


def _decrypts_without_password(reader: PdfReader) -> bool:
    """True when an encrypted PDF opens with the empty password."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # e.g. an unsupported cipher
        return False
