"""Where the corpus and the vector index live.

``CORPUS_DIR`` and ``INDEX_DIR`` are the defaults as of import time; ``corpus_dir()`` and
``index_dir()`` read the environment at call time, so ``LMN_CORPUS_DIR`` / ``LMN_INDEX_DIR``
set after import (tests, the CLI) still take effect.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The repository root (the directory holding ``pipeline/`` and ``corpus/``)."""

CORPUS_ENV = "LMN_CORPUS_DIR"
INDEX_ENV = "LMN_INDEX_DIR"


def corpus_dir() -> Path:
    """The corpus root: ``$LMN_CORPUS_DIR`` if set, else the repository's ``corpus/``."""
    override = os.environ.get(CORPUS_ENV)
    return Path(override).expanduser() if override else PROJECT_ROOT / "corpus"


def index_dir() -> Path:
    """The vector index directory: ``$LMN_INDEX_DIR`` if set, else the user data dir."""
    override = os.environ.get(INDEX_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_data_path("lmn") / "index"


CORPUS_DIR = corpus_dir()
INDEX_DIR = index_dir()
