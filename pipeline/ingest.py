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
from typing import TYPE_CHECKING, BinaryIO, Literal, NamedTuple, TextIO, cast

from .errors import InputError
from .models import DenialLetter
from .ocr import OcrResult, image_type
from .text.clean import normalize_text, repair_ocr_digits, repair_scanned_text

if TYPE_CHECKING:
    from pypdf import PdfReader

MAX_BYTES = 2 * 1024 * 1024
"""Largest text input accepted, in bytes (a letter's text is a few KB)."""
MAX_SCAN_BYTES = 20 * 1024 * 1024
"""Largest PDF or image accepted, in bytes: a faxed or scanned multi-page letter is 0.1-2 MB a
page. What protects the server is the page, time and memory caps of the reading child, not
this."""
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
_SCAN_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/tiff"})
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
    return _letter(repair_scanned_text(normalize_text(text)), source, "text/plain", None)


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
    scan = _MEDIA_TYPES.get(path.suffix.lower()) in _SCAN_TYPES
    try:
        size = path.stat().st_size
        _check_size(size, str(path), scan=scan)
        with path.open("rb") as handle:
            return handle.read((MAX_SCAN_BYTES if scan else MAX_BYTES) + 1)
    except PermissionError:
        raise InputError(
            f"{path}: permission denied: make the file readable (e.g. chmod u+r) or copy it"
        ) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}): check the file") from None


def _read_stream(stream: TextIO | BinaryIO) -> bytes:
    """Up to MAX_SCAN_BYTES + 1 bytes from a binary or text stream (what it holds, hence its
    limit, is known once its first bytes are seen)."""
    binary = getattr(stream, "buffer", stream)
    chunk = binary.read(MAX_SCAN_BYTES + 1)
    if isinstance(chunk, str):
        chunk = chunk.encode("utf-8")
    return chunk


def _check_size(size: int, source: str, *, scan: bool = False) -> None:
    """Reject empty and over-large inputs (a PDF or an image may be larger than text)."""
    if size == 0:
        raise InputError(f"{source}: the file is empty: pass the denial letter's text or PDF")
    if scan and size > MAX_SCAN_BYTES:
        raise InputError(
            f"{source}: the file is larger than {MAX_SCAN_BYTES // 2**20} MB: pass only the "
            "denial letter's pages (scan them at 300 dpi in black and white)"
        )
    if not scan and size > MAX_BYTES:
        raise InputError(
            f"{source}: the file is larger than 2 MB: pass only the denial letter "
            "(as text, or as a PDF or scan)"
        )


# --------------------------------------------------------------------------- decoding


def _from_bytes(
    data: bytes, source: str, media_type: MediaType | None, stop: Callable[[], bool] | None = None
) -> DenialLetter:
    """Turn raw input into a DenialLetter; ``media_type`` None means sniff (stdin)."""
    if media_type == "application/pdf" or (media_type is None and data.startswith(b"%PDF-")):
        _check_size(len(data), source, scan=True)
        return _read_in_child(data, source, "application/pdf", stop)
    scan_type = image_type(data)
    named_image = (media_type or "").startswith("image/")
    if named_image or (scan_type and media_type in (None, "text/plain")):
        _check_size(len(data), source, scan=True)
        return _read_in_child(data, source, cast(MediaType, scan_type or media_type), stop)
    _check_size(len(data), source)
    _check_not_binary(data, source)
    text = repair_scanned_text(normalize_text(decode_bytes(data, source)))
    return _letter(text, source, media_type or "text/plain")


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


# --------------------------------------------------------------------------- PDF and scans

MAX_PDF_PAGES = 100
"""Most pages read from a PDF (a denial letter has a few; a longer file is records)."""
MAX_PDF_CONTENT_BYTES = 4 * 1024 * 1024
"""Most drawing-instruction bytes (decoded content streams, counted per page) read from a PDF.
A page of text holds 5-50 KB; a 12 KB file whose pages share one 4 MB stream holds 40 MB at
10 pages and took a minute to extract (pypdf reads about 0.6 MB a second)."""
PDF_SECONDS = 15.0
"""Longest wall time reading a PDF's text layer may take."""
OCR_PAGE_SECONDS = 45.0
"""Wall time allowed per scanned page (Tesseract reads one in 5-20 s on two busy cores)..."""
OCR_SECONDS = 300.0
"""...and for a whole scan at most."""
PDF_MEMORY_BYTES = 768 * 1024 * 1024
"""Most memory the reading may add to its process (address space, RLIMIT_AS; Tesseract, run by
the child, inherits the limit)."""
_PROBLEMS = {
    "encrypted": "the PDF is password-protected: save an unlocked copy or paste the letter's text",
    "damaged": "the PDF is damaged or not a PDF: re-save or re-download it, or paste the "
    "letter's text",
    "pages": f"the PDF has more than {MAX_PDF_PAGES} pages: pass only the denial letter's pages",
    "content": "the PDF's pages hold far more drawing instructions than a letter's "
    f"(over {MAX_PDF_CONTENT_BYTES // 2**20} MB): print it to a new PDF or paste the text",
    "memory": "the file needs too much memory to read: print it to a new PDF, rescan it at "
    "300 dpi, or paste the text",
    "time": f"the PDF took over {PDF_SECONDS:.0f} s to read: print it to a new PDF or paste the "
    "text",
    "ocr-time": "reading the scan took over {seconds:.0f} s: pass only the denial letter's "
    "pages, or paste the letter's text",
    "stopped": "reading the file was stopped",
}


class _Read(NamedTuple):
    """What the reading child sends back: ('ok', text pages, OCR result or None) or a problem
    (a key of _PROBLEMS, or 'error' with an InputError's message)."""

    kind: str
    pages: list[str]
    ocr: OcrResult | None = None
    message: str = ""


def _read_in_child(
    data: bytes, source: str, media_type: MediaType, stop: Callable[[], bool] | None
) -> DenialLetter:
    """A PDF (its text layer, else OCR of its pages) or an image (OCR), read in a child process
    under page, time and memory caps (:func:`_run_worker`)."""
    read = _run_worker(data, source, media_type, stop)
    if read.kind == "error":
        raise InputError(read.message)
    if read.kind != "ok":
        problem = _PROBLEMS[read.kind].format(seconds=OCR_SECONDS)
        raise InputError(f"{source}: {problem}")
    if read.ocr is None:
        text = normalize_text("\n\n".join(read.pages))
        return _letter(text, source, media_type, len(read.pages))
    return _ocr_letter(read.ocr, source, media_type)


@lru_cache(maxsize=1)
def _pdf_context() -> (
    multiprocessing.context.ForkServerContext | multiprocessing.context.SpawnContext
):
    """A forkserver context (safe in a threaded server; a child costs a fork, not an import)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():  # pragma: no cover
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["pypdf", "pipeline.ingest", "pipeline.ocr"])
    return ctx


def _run_worker(
    data: bytes, source: str, media_type: MediaType, stop: Callable[[], bool] | None
) -> _Read:
    """The child's answer, or a problem when it overran its time, died under a resource limit
    or was stopped. The child says ('scan', n) before it starts OCR on ``n`` pages: the wall
    deadline then becomes the scan's (:data:`OCR_PAGE_SECONDS` a page, :data:`OCR_SECONDS` at
    most); it starts at :data:`PDF_SECONDS` (a text layer, or an image's decoding)."""
    ctx = _pdf_context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, args=(child, data, source, media_type), daemon=True)
    proc.start()
    child.close()
    deadline, late = time.monotonic() + PDF_SECONDS, "time"
    try:
        while True:
            if parent.poll(0.05):
                try:
                    message = parent.recv()
                except EOFError:  # died without a word: killed by a resource limit
                    return _Read("memory", [])
                if isinstance(message, _Read):
                    return message
                pages = int(message[1])
                deadline = time.monotonic() + min(OCR_SECONDS, 10 + OCR_PAGE_SECONDS * pages)
                late = "ocr-time"
                continue
            if not proc.is_alive() and not parent.poll(0):
                return _Read("memory", [])
            if time.monotonic() > deadline:
                return _Read(late, [])
            if stop is not None and stop():
                return _Read("stopped", [])
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(timeout=5)
        parent.close()


def _worker(conn: Connection, data: bytes, source: str, media_type: MediaType) -> None:
    """The child: limits first, then pypdf and (for a scan) PDFium and Tesseract."""
    _limit_resources()
    try:
        conn.send(_read_document(conn, data, source, media_type))
    except MemoryError:
        conn.send(_Read("memory", []))
    except InputError as exc:
        conn.send(_Read("error", [], message=str(exc)))
    conn.close()


def _limit_resources() -> None:
    """An address-space limit and a CPU-time limit: the soft one for a text layer, raised to
    the hard one (a whole scan's) when OCR starts (:func:`_allow_ocr_time`)."""
    try:
        import resource

        with open("/proc/self/statm") as fh:
            used = int(fh.read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (used + PDF_MEMORY_BYTES,) * 2)
        resource.setrlimit(resource.RLIMIT_CPU, (int(PDF_SECONDS) + 2, int(OCR_SECONDS) + 2))
    except (ImportError, OSError, ValueError):  # pragma: no cover - not Linux
        pass


def _allow_ocr_time() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CPU, (int(OCR_SECONDS) + 2,) * 2)
    except (ImportError, OSError, ValueError):  # pragma: no cover - not Linux
        pass


def _read_document(conn: Connection, data: bytes, source: str, media_type: MediaType) -> _Read:
    """In the child: a PDF's text layer, else OCR of the PDF's pages or of the image."""
    from .ocr import page_count, read_image, read_pdf

    pdf = media_type == "application/pdf"
    if pdf:
        kind, pages = _read_pdf(data)
        if kind != "ok" or sum(not ch.isspace() for ch in "".join(pages)) >= MIN_PDF_TEXT_CHARS:
            return _Read(kind, pages)
    try:
        conn.send(("scan", page_count(data, source, pdf=pdf)))
        _allow_ocr_time()
        return _Read("ok", [], ocr=read_pdf(data, source) if pdf else read_image(data, source))
    except InputError as exc:  # Tesseract missing, or a page it cannot read
        reason = str(exc).split(": ", 1)[-1]
        raise InputError(f"{_scan_what(source, media_type)} {reason}") from None


def _scan_what(source: str, media_type: MediaType) -> str:
    """How an OCR problem's message starts."""
    if media_type == "application/pdf":
        return f"{source}: the PDF has no text layer (scanned?) and"
    return f"{source}:"


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


def _ocr_letter(result: OcrResult, source: str, media_type: MediaType) -> DenialLetter:
    """A scanned PDF or an image read by OCR (pipeline.ocr), with its pages' confidence."""
    text = repair_ocr_digits(normalize_text(result.text))
    if sum(not ch.isspace() for ch in text) < MIN_PDF_TEXT_CHARS:
        raise InputError(
            f"{_scan_what(source, media_type)} OCR read no text from it: rescan it at 300 dpi, "
            "straight and in focus, run it through an OCR tool such as ocrmypdf, or paste the "
            "letter's text"
        )
    letter = _letter(text, source, media_type, len(result.pages))
    return letter.model_copy(update={"ocr": result.pages, "warnings": result.warnings})


def _decrypts_without_password(reader: PdfReader) -> bool:
    """True when an encrypted PDF opens with the empty password."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # e.g. an unsupported cipher
        return False
