"""File helpers: atomic writes (a reader, or a crash, never sees half a file) and fast YAML."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml is ~10x faster than the pure-Python loader
    LOADER: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    LOADER = yaml.SafeLoader


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` through libyaml when PyYAML has it (same types, same errors)."""
    return yaml.load(text, Loader=LOADER)


def write_atomic(path: Path, data: str | bytes, *, replace: bool = True) -> None:
    """Write ``data`` (text as UTF-8) to a temporary file beside ``path``, then put it at
    ``path`` in one step.

    ``replace=True``: rename it over ``path``. ``replace=False``: hard-link it to ``path``,
    which fails with FileExistsError when anything is there (a file, a dangling symlink, a
    file another process created a moment ago): no check-then-replace race. On a file system
    without hard links, an exclusive create is used (no-clobber still, though not atomic).
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, path)
            return
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError as exc:  # no hard links here (EPERM, ENOTSUP, EXDEV...)
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            with open(path, "xb") as out:
                out.write(raw)
    finally:
        Path(tmp).unlink(missing_ok=True)
