"""Engine selection and settings, prompt files, and the run log's storage."""

from __future__ import annotations

import logging

import platformdirs
import pytest

from pipeline import runlog
from pipeline.engines import OfflineEngine, engine_name, get_engine
from pipeline.errors import EngineError, InputError
from pipeline.llm.config import (
    LOCAL_DUMMY_KEY,
    OPENAI_DEFAULT_MODEL,
    ConfigFile,
    read_config,
    resolve_settings,
)
from pipeline.prompts import load_prompt

ENV = ("OPENAI_API_KEY", "LMN_ENGINE", "LMN_MODEL", "LMN_BASE_URL", "LMN_STRUCTURED_OUTPUT")


@pytest.fixture(autouse=True)
def clean_env(tmp_path, monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("LMN_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config-here"))


def write_config(tmp_path, monkeypatch, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("LMN_CONFIG", str(path))
    return path


# --------------------------------------------------------------------------- selection


def test_offline_is_the_default_engine():
    assert engine_name() == "offline"
    assert isinstance(get_engine(), OfflineEngine)


def test_option_beats_environment_beats_config_file(monkeypatch):
    config = ConfigFile(engine="openai", model="from-file", base_url="http://127.0.0.1:9/v1")
    assert engine_name(None, config) == "openai"
    monkeypatch.setenv("LMN_ENGINE", "offline")
    assert engine_name(None, config) == "offline"
    assert engine_name("openai", config) == "openai"
    assert resolve_settings(config=config).model == "from-file"
    monkeypatch.setenv("LMN_MODEL", "from-env")
    assert resolve_settings(config=config).model == "from-env"
    assert resolve_settings(model="from-option", config=config).model == "from-option"
    monkeypatch.setenv("LMN_BASE_URL", "http://localhost:8000/v1/")
    assert resolve_settings(config=config).base_url == "http://localhost:8000/v1"


def test_config_file_is_read_and_checked(tmp_path, monkeypatch):
    write_config(
        tmp_path,
        monkeypatch,
        'engine = "openai"\nbase_url = "http://127.0.0.1:8765/v1"\nmax_attempts = 2\n'
        "max_redrafts = 1\ntimeout = 30\n",
    )
    settings = resolve_settings()
    assert engine_name() == "openai"
    assert settings.retry.max_attempts == 2 and settings.retry.timeout_s == 30
    assert settings.max_redrafts == 1
    write_config(tmp_path, monkeypatch, 'engin = "openai"\n')
    with pytest.raises(InputError, match="engin"):
        read_config()
    write_config(tmp_path, monkeypatch, "engine = \n")
    with pytest.raises(InputError, match="not valid TOML"):
        read_config()
    monkeypatch.setenv("LMN_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(InputError, match="not found"):
        read_config()


def test_openai_needs_a_key_local_servers_do_not(monkeypatch):
    with pytest.raises(EngineError, match="OPENAI_API_KEY"):
        resolve_settings(config=ConfigFile())
    monkeypatch.setenv("OPENAI_API_KEY", "sk-real")
    settings = resolve_settings(config=ConfigFile())
    assert settings.model == OPENAI_DEFAULT_MODEL
    assert settings.structured_output == "json_schema"
    monkeypatch.delenv("OPENAI_API_KEY")
    local = resolve_settings(base_url="http://127.0.0.1:8765/v1", config=ConfigFile())
    assert local.api_key == LOCAL_DUMMY_KEY and local.model is None
    assert local.structured_output == "function_calling"
    assert local.endpoint == "http://127.0.0.1:8765"


def test_bad_values_are_input_errors(monkeypatch):
    with pytest.raises(InputError, match="--engine offline or --engine openai"):
        engine_name("gpt")
    with pytest.raises(InputError, match="http"):
        resolve_settings(base_url="127.0.0.1:8765", config=ConfigFile())
    monkeypatch.setenv("LMN_STRUCTURED_OUTPUT", "xml")
    with pytest.raises(InputError, match="json_schema"):
        resolve_settings(base_url="http://127.0.0.1:1/v1", config=ConfigFile())


# --------------------------------------------------------------------------- prompts


@pytest.mark.parametrize(
    "prompt_id", ["extract_denial", "draft_sections", "redraft_sections", "reask", "json_mode"]
)
def test_every_prompt_file_loads_with_a_version(prompt_id):
    prompt = load_prompt(prompt_id)
    assert prompt.id == prompt_id and prompt.version and prompt.description
    if prompt.output is not None:
        assert prompt.max_tokens and prompt.max_tokens <= 4096


def test_rendering_hashes_what_is_sent():
    prompt = load_prompt("extract_denial")
    one, same, other = (prompt.render(letter=t) for t in ("A letter.", "A letter.", "B letter."))
    assert one.sha256 == same.sha256 != other.sha256
    assert one.label.startswith(f"v{prompt.version}@") and len(one.label.split("@")[1]) == 12
    assert "A letter." in one.messages[-1][1]
    with pytest.raises(EngineError, match="takes"):
        prompt.render(letter="x", extra="y")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: broken\nversion: 1\ndescription: d\nmessages: []\n", "messages"),
        (
            "id: broken\nversion: 1\ndescription: d\ninputs: [a]\n"
            "messages:\n  - role: user\n    content: '{b}'\n",
            "template fields",
        ),
        (
            "id: broken\nversion: 1\ndescription: d\noutput: {model: 'pipeline.models:Nope'}\n"
            "max_tokens: 5\nmessages:\n  - role: user\n    content: hi\n",
            "cannot be imported",
        ),
        (
            "id: other\nversion: 1\ndescription: d\nmessages:\n  - role: user\n    content: hi\n",
            "differs from the file name",
        ),
    ],
)
def test_a_broken_prompt_file_is_a_one_line_engine_error(tmp_path, text, message):
    (tmp_path / "broken.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(EngineError, match=message) as caught:
        load_prompt("broken", tmp_path)
    assert "\n" not in str(caught.value)


# --------------------------------------------------------------------------- run log


def record(**changes) -> runlog.CallRecord:
    values = dict(
        run_id="r1",
        prompt_id="extract_denial",
        prompt_version="1",
        prompt_sha256="ab" * 32,
        model="m",
        endpoint="http://127.0.0.1:1",
        method="function_calling",
        attempt=1,
        reask=0,
        tokens_in=10,
        tokens_out=2,
        latency_ms=5,
        outcome="ok",
        request_text="Dear Jane Roe",
        response_text="{}",
    )
    return runlog.CallRecord(**(values | changes))


@pytest.mark.parametrize("value", [*sorted(runlog.OFF_VALUES), "OFF", " off "])
def test_run_log_off_writes_nothing(value, tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setattr(platformdirs, "user_data_path", lambda appname, *a, **k: data / appname)
    monkeypatch.delenv(runlog.RUNLOG_ENV, raising=False)
    assert runlog.runlog_path() == data / "lmn" / "runlog.sqlite3"  # the default, in tmp_path
    monkeypatch.setenv(runlog.RUNLOG_ENV, value)
    assert runlog.runlog_path() is None
    runlog.record(record())
    assert list(tmp_path.rglob("runlog.sqlite3*")) == [] and not data.exists()
    assert runlog.recent() == []


def test_run_log_orders_newest_first_and_drops_text_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv(runlog.RUNLOG_ENV, str(tmp_path / "log.sqlite3"))
    monkeypatch.delenv(runlog.RUNLOG_TEXT_ENV, raising=False)
    runlog.record(record(outcome="http_429", attempt=1))
    runlog.record(record(outcome="ok", attempt=2))
    newest, oldest = runlog.recent()
    assert (newest.outcome, oldest.outcome) == ("ok", "http_429")
    assert newest.request_text is None and newest.response_text is None and newest.at


def test_an_unwritable_run_log_warns_once_and_does_not_stop_a_draft(tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        runlog.record(record(), blocker / "log.sqlite3")
        runlog.record(record(), blocker / "log.sqlite3")
    assert sum("run log" in r.getMessage() for r in caplog.records) == 1


def test_a_corrupt_run_log_is_an_input_error(tmp_path):
    path = tmp_path / "log.sqlite3"
    path.write_bytes(b"not a database" * 100)
    with pytest.raises(InputError, match="not a readable run log"):
        runlog.recent(5, path)
