"""``lmn draft --engine openai`` against a real llama.cpp server on 127.0.0.1 (marker ``live``).

Skipped unless a server answers at ``$LMN_LIVE_BASE_URL`` (default http://127.0.0.1:8765/v1);
the README's "Using a model" shows how to start one. A small model on a CPU takes minutes.
"""

from __future__ import annotations

import json
import os
import urllib.request

import pytest

from pipeline.cli import main
from tests.llm_replay import TODAY, Example

LIVE_URL = os.environ.get("LMN_LIVE_BASE_URL", "http://127.0.0.1:8765/v1")


def server_up(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/models", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(not server_up(LIVE_URL), reason=f"no model server at {LIVE_URL}"),
]


def test_lmn_draft_with_the_local_model_passes_the_validator(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LMN_RUNLOG", str(tmp_path / "runlog.sqlite3"))
    monkeypatch.setenv("LMN_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text("timeout = 1800\n", encoding="utf-8")
    example = Example("cpap-medicaid")
    out = tmp_path / "draft.json"
    rc = main(
        [
            "draft", str(example.letter_path), "--case", str(example.case_path),
            "--engine", "openai", "--base-url", LIVE_URL,
            "--date", TODAY.isoformat(), "-f", "json", "-o", str(out),
        ]
    )  # fmt: skip
    _, err = capsys.readouterr()
    assert rc == 0, err
    draft = json.loads(out.read_text(encoding="utf-8"))
    assert draft["validation"]["findings"] is not None
    assert not [f for f in draft["validation"]["findings"] if f["severity"] == "error"]
    assert draft["run"]["engine"] == "openai" and draft["run"]["prompts"]
