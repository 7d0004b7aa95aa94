"""The items of a batch: read from a folder of letters with case files, or from a manifest.

A folder holds either one subfolder per item (a letter file and a ``case.yaml``, as in
``examples/``) or flat pairs, ``NAME.txt`` (or .md, .pdf, .png, .jpg, .tif) with
``NAME.case.yaml`` (or ``NAME.yaml``, ``.yml``, ``.json``). A manifest is a CSV file with a
header row, or a JSONL file with one object per line, whose keys are those of
:class:`ManifestRow` (paths relative to the manifest's folder).

A row that cannot be an item (a letter without a case file, a path that does not exist, an
unknown key) is still an item: it carries ``problem`` and becomes a failed row of the summary,
never a stopped batch.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError, first_error

LETTER_SUFFIXES = (".txt", ".md", ".markdown", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")
CASE_SUFFIXES = (".yaml", ".yml", ".json")
MAX_ITEMS = 100_000
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class ManifestRow(BaseModel):
    """One row of a CSV or JSONL manifest."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str | None = Field(default=None, max_length=120)
    """The item's name (its output folder); default: the letter's file name."""
    letter: str = Field(min_length=1)
    """The denial letter's path."""
    case: str = Field(min_length=1)
    """The case file's path."""
    date: dt.date | None = None
    """The letter's date (default: the batch's --date, else today)."""
    k: int | None = Field(default=None, ge=1, le=20)
    """Guideline passages to retrieve (default: the batch's)."""


class BatchItem(BaseModel):
    """One letter to draft (or, with ``problem``, one that cannot be)."""

    model_config = ConfigDict(frozen=True)

    id: str
    """Unique in the batch, safe as a folder name."""
    letter: Path | None = None
    case: Path | None = None
    date: dt.date | None = None
    k: int | None = None
    problem: str | None = None
    """Why this item cannot be drafted (it becomes a failed row)."""
    source: str = ""
    """Where the item came from: 'folder NAME' or 'manifest line N'."""

    def fingerprint(self, settings: str) -> str:
        """A hash of the inputs' bytes, the item's options and the batch ``settings``: a
        finished item whose fingerprint is unchanged is not drafted again on resume."""
        digest = hashlib.sha256(settings.encode())
        digest.update(json.dumps([self.date and self.date.isoformat(), self.k]).encode())
        for path in (self.letter, self.case):
            digest.update(b"\0")
            if path is not None:
                try:
                    digest.update(path.read_bytes())
                except OSError:
                    digest.update(b"<unreadable>")
        digest.update(b"\0" + (self.problem or "").encode())
        return digest.hexdigest()


def load_items(source: Path) -> list[BatchItem]:
    """The items of a folder or manifest (CSV, JSONL); InputError when it is neither."""
    if source.is_dir():
        items = _folder_items(source)
    elif source.is_file() and source.suffix.lower() == ".csv":
        items = _manifest_items(source, _csv_rows(source))
    elif source.is_file() and source.suffix.lower() in (".jsonl", ".ndjson"):
        items = _manifest_items(source, _jsonl_rows(source))
    elif not source.exists():
        raise InputError(f"{source}: not found; give a folder of letters or a .csv/.jsonl manifest")
    else:
        raise InputError(
            f"{source}: not a folder or a .csv/.jsonl manifest; see `lmn batch --help` for both"
        )
    if not items:
        raise InputError(
            f"{source}: no letters found; a folder needs NAME.txt with NAME.case.yaml, or one "
            "subfolder per letter holding a letter and case.yaml"
        )
    if len(items) > MAX_ITEMS:
        raise InputError(f"{source}: {len(items)} items; split it into batches of {MAX_ITEMS}")
    return _unique(items)


# --------------------------------------------------------------------------- folders


def _is_letter(path: Path) -> bool:
    return (
        path.is_file()
        and path.suffix.lower() in LETTER_SUFFIXES
        and not path.name.startswith(".")
        and path.name.lower() not in ("readme.md", "readme.txt")
    )


def _folder_items(folder: Path) -> list[BatchItem]:
    items: list[BatchItem] = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        item = _subfolder_item(sub)
        if item is not None:
            items.append(item)
    for letter in sorted(p for p in folder.iterdir() if _is_letter(p)):
        case = _case_beside(letter)
        source = f"folder {folder.name}/{letter.name}"
        if case is None:
            problem = f"{letter.name}: no case file beside it; add {letter.stem}.case.yaml"
            items.append(BatchItem(id=letter.stem, letter=letter, problem=problem, source=source))
        else:
            items.append(BatchItem(id=letter.stem, letter=letter, case=case, source=source))
    return items


def _subfolder_item(sub: Path) -> BatchItem | None:
    """The item of one subfolder (None when it holds no letter: not an item)."""
    letters = sorted(p for p in sub.iterdir() if _is_letter(p))
    cases = [sub / f"case{s}" for s in CASE_SUFFIXES if (sub / f"case{s}").is_file()]
    source = f"folder {sub.name}/"
    if not letters:
        return None
    named = [p for p in letters if p.stem.lower() == "letter"]
    if len(letters) > 1 and not named:
        found = ", ".join(p.name for p in letters[:3])
        problem = f"{sub.name}/: several letters ({found}); name the denial letter letter.txt"
        return BatchItem(id=sub.name, problem=problem, source=source)
    letter = named[0] if named else letters[0]
    if not cases:
        problem = f"{sub.name}/: no case file; add case.yaml (lmn case init {letter.name})"
        return BatchItem(id=sub.name, letter=letter, problem=problem, source=source)
    return BatchItem(id=sub.name, letter=letter, case=cases[0], source=source)


def _case_beside(letter: Path) -> Path | None:
    for stem in (f"{letter.stem}.case", letter.stem):
        for suffix in CASE_SUFFIXES:
            candidate = letter.with_name(stem + suffix)
            if candidate.is_file() and candidate != letter:
                return candidate
    return None


# --------------------------------------------------------------------------- manifests


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise InputError(f"{path}: cannot be read as UTF-8 text") from None


def _csv_rows(path: Path) -> list[tuple[int, object]]:
    reader = csv.DictReader(_read_text(path).splitlines())
    if not reader.fieldnames or not {"letter", "case"} <= set(reader.fieldnames):
        raise InputError(f"{path}: the CSV needs a header row with letter and case columns")
    rows: list[tuple[int, object]] = []
    for number, row in enumerate(reader, start=2):
        cleaned = {k: v for k, v in row.items() if k is not None and v not in (None, "")}
        if None in row:
            cleaned["<extra cells>"] = "yes"
        if cleaned:
            rows.append((number, cleaned))
    return rows


def _jsonl_rows(path: Path) -> list[tuple[int, object]]:
    rows: list[tuple[int, object]] = []
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append((number, json.loads(line)))
        except ValueError:
            rows.append((number, f"line {number}: not a JSON object"))
    return rows


def _manifest_items(manifest: Path, rows: list[tuple[int, object]]) -> list[BatchItem]:
    base = manifest.parent
    items: list[BatchItem] = []
    for number, raw in rows:
        source = f"{manifest.name} line {number}"
        fallback = f"line-{number}"
        if isinstance(raw, str):
            items.append(BatchItem(id=fallback, problem=f"{manifest.name} {raw}", source=source))
            continue
        try:
            row = ManifestRow.model_validate(raw)
        except ValidationError as exc:
            problem = f"{manifest.name} line {number}: {first_error(exc.errors())}"
            items.append(BatchItem(id=fallback, problem=problem, source=source))
            continue
        letter, case = base / row.letter, base / row.case
        missing = [p for p in (letter, case) if not p.is_file()]
        found = f"{manifest.name} line {number}: {missing[0]} not found" if missing else None
        items.append(
            BatchItem(
                id=row.id or _default_id(Path(row.letter)) or fallback,
                letter=letter,
                case=case,
                date=row.date,
                k=row.k,
                problem=found,
                source=source,
            )
        )
    return items


def _default_id(letter: Path) -> str:
    """The letter's file name, or its folder's name when the file is just 'letter.txt'."""
    generic = letter.stem.lower() in ("letter", "denial") and letter.parent.name
    return letter.parent.name if generic else letter.stem


def _unique(items: list[BatchItem]) -> list[BatchItem]:
    """Ids made safe as folder names and unique (a second 'letter' becomes 'letter-2')."""
    seen: set[str] = set()
    out = []
    for item in items:
        base = _UNSAFE.sub("-", item.id).strip(".-")[:80] or "item"
        name, n = base, 1
        while name.casefold() in seen:
            n += 1
            name = f"{base}-{n}"
        seen.add(name.casefold())
        out.append(item if name == item.id else item.model_copy(update={"id": name}))
    return out
