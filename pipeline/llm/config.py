"""Which engine, model and endpoint to use: options, then environment, then the config file.

Precedence for each setting: the command-line option, then the environment variable, then the
config file (``config.toml`` in the user config folder, or ``$LMN_CONFIG``), then the default.

=====================  ======================  ===================  ===========================
setting                option                  environment          config.toml key
=====================  ======================  ===================  ===========================
engine                 ``--engine``            ``LMN_ENGINE``       ``engine``
model                  ``--model``             ``LMN_MODEL``        ``model``
endpoint               ``--base-url``          ``LMN_BASE_URL``     ``base_url``
API key                                        ``OPENAI_API_KEY``   (never in a file)
structured output                              ``LMN_STRUCTURED_OUTPUT``  ``structured_output``
=====================  ======================  ===================  ===========================

The config file may also set ``timeout``, ``max_attempts``, ``max_retry_seconds``,
``max_reasks`` and ``max_redrafts``, and ``chroma_url`` (a shared corpus server, as
``LMN_CHROMA_URL``). Unknown keys are errors.

A key is required for api.openai.com only; a server of your own (llama.cpp, vLLM, Ollama) gets a
dummy key unless ``OPENAI_API_KEY`` is set.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import EngineError, InputError

ENGINE_ENV = "LMN_ENGINE"
MODEL_ENV = "LMN_MODEL"
BASE_URL_ENV = "LMN_BASE_URL"
API_KEY_ENV = "OPENAI_API_KEY"
METHOD_ENV = "LMN_STRUCTURED_OUTPUT"
CONFIG_ENV = "LMN_CONFIG"

OPENAI_BASE_URL = "https://api.openai.com/v1"
OPENAI_DEFAULT_MODEL = "gpt-4o-mini"
LOCAL_DUMMY_KEY = "sk-no-key-needed"

Method = Literal["json_schema", "function_calling", "json_mode"]
METHODS: tuple[Method, ...] = ("json_schema", "function_calling", "json_mode")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try. Transport retries and schema re-asks are capped separately."""

    timeout_s: float = 600.0
    """Per HTTP request (a small model on a CPU can take minutes to read a long prompt)."""
    max_attempts: int = 4
    """HTTP attempts per request (429, 5xx, timeouts and connection errors are retried)."""
    max_total_s: float = 900.0
    """Time budget for one request with its retries: no retry starts past it."""
    backoff_initial_s: float = 1.0
    backoff_max_s: float = 30.0
    jitter_s: float = 1.0
    max_retry_after_s: float = 60.0
    """A Retry-After longer than this is not waited for: the request gives up."""
    max_reasks: int = 2
    """Re-asks after a reply that is not valid JSON or does not match the schema."""


@dataclass(frozen=True)
class LLMSettings:
    """Everything the OpenAI-compatible engine needs, resolved."""

    base_url: str = OPENAI_BASE_URL
    model: str | None = None
    """None: ask the server which model it serves (servers of your own only)."""
    api_key: str = LOCAL_DUMMY_KEY
    structured_output: Method = "json_schema"
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_redrafts: int = 2
    """Re-drafts after the validator rejects sections (then the template drafter takes over)."""
    temperature: float = 0.0
    seed: int | None = 0

    @property
    def endpoint(self) -> str:
        """Scheme, host and port only: safe to log."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}"

    def with_retry(self, **changes: Any) -> LLMSettings:
        """A copy with some retry settings changed (tests use short timeouts)."""
        return replace(self, retry=replace(self.retry, **changes))


class ConfigFile(BaseModel):
    """The keys ``config.toml`` may set."""

    model_config = ConfigDict(extra="forbid")

    engine: str | None = Field(default=None, min_length=1, max_length=100)
    """An engine name (``pipeline.engines``: offline, openai or a plugin's)."""
    model: str | None = Field(default=None, min_length=1, max_length=200)
    base_url: str | None = None
    structured_output: Method | None = None
    timeout: float | None = Field(default=None, gt=0, le=3600)
    max_attempts: int | None = Field(default=None, ge=1, le=10)
    max_retry_seconds: float | None = Field(default=None, gt=0, le=3600)
    max_reasks: int | None = Field(default=None, ge=0, le=5)
    max_redrafts: int | None = Field(default=None, ge=0, le=5)
    chroma_url: str | None = Field(default=None, min_length=1, max_length=300)
    """A shared corpus on a Chroma server (``pipeline.corpus_server``; or LMN_CHROMA_URL)."""


def config_path() -> Path:
    """``$LMN_CONFIG``, else ``config.toml`` in the user config folder."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_config_path("lmn") / "config.toml"


def read_config(path: Path | None = None) -> ConfigFile:
    """The config file's settings (all unset when there is no file)."""
    path = path or config_path()
    if not path.is_file():
        if os.environ.get(CONFIG_ENV):
            raise InputError(f"{path}: config file not found (set by {CONFIG_ENV})")
        return ConfigFile()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: not valid TOML ({exc}); fix or delete it") from None
    try:
        return ConfigFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        raise InputError(f"{path}: {key}: {first['msg']}; fix or delete it") from None


def _pick(option: str | None, env: str, configured: str | None) -> str | None:
    """The first value set: option, environment, config file."""
    for value in (option, os.environ.get(env), configured):
        if value is not None and value.strip():
            return value.strip()
    return None


def is_openai(base_url: str) -> bool:
    """True for OpenAI's own API (which needs a key and supports json_schema)."""
    return (urlsplit(base_url).hostname or "").lower() == "api.openai.com"


def _checked_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InputError(
            f"base URL {value!r} is not an http(s) URL: use e.g. --base-url http://127.0.0.1:8080/v1"
        )
    return value.rstrip("/")


def resolve_settings(
    model: str | None = None, base_url: str | None = None, config: ConfigFile | None = None
) -> LLMSettings:
    """Settings for the OpenAI-compatible engine. A missing key for OpenAI is an EngineError."""
    config = config if config is not None else read_config()
    url = _checked_url(_pick(base_url, BASE_URL_ENV, config.base_url) or OPENAI_BASE_URL)
    key = os.environ.get(API_KEY_ENV, "").strip()
    if is_openai(url) and not key:
        raise EngineError(
            f"no API key for {url}: set {API_KEY_ENV}, or point --base-url ({BASE_URL_ENV}) "
            "at a server of your own"
        )
    method = _pick(None, METHOD_ENV, config.structured_output)
    if method is not None and method not in METHODS:
        raise InputError(f"{METHOD_ENV}={method!r}: use one of {', '.join(METHODS)}")
    default_method: Method = "json_schema" if is_openai(url) else "function_calling"
    chosen = _pick(model, MODEL_ENV, config.model)
    retry = RetryPolicy()
    overrides: dict[str, Any] = {
        "timeout_s": config.timeout,
        "max_attempts": config.max_attempts,
        "max_total_s": config.max_retry_seconds,
        "max_reasks": config.max_reasks,
    }
    retry = replace(retry, **{k: v for k, v in overrides.items() if v is not None})
    settings = LLMSettings(
        base_url=url,
        model=chosen or (OPENAI_DEFAULT_MODEL if is_openai(url) else None),
        api_key=key or LOCAL_DUMMY_KEY,
        structured_output=method or default_method,
        retry=retry,
    )
    if config.max_redrafts is not None:
        settings = replace(settings, max_redrafts=config.max_redrafts)
    return settings
