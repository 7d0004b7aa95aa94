"""Versioned prompt files: load ``prompts/<id>.yaml``, check it, render it, hash what is sent.

A prompt file holds::

    id: draft_sections            # the file name without .yaml
    version: 3                    # bump on every change of wording or schema
    description: what the prompt is for
    inputs: [criteria, facts]     # the template fields, all of them used
    max_tokens: 1800              # every call has a cap on the reply
    output:                       # the pydantic model the reply must match (omitted for a
      model: pipeline.llm.schemas:ModelDraft   # fragment appended to another prompt: a re-ask)
    messages:
      - role: system
        content: |
          ... {criteria} ...      # str.format fields; write literal braces as {{ and }}

Rendering fills the fields and returns the messages with a sha256 of everything sent (the messages
and the output's JSON schema), so a run log can say exactly which prompt text produced a reply
without storing the text itself.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import string
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .errors import EngineError
from .paths import PROJECT_ROOT

PROMPTS_ENV = "LMN_PROMPTS_DIR"
"""Environment variable naming another prompts folder (to try a prompt without editing ours)."""

Role = Literal["system", "user", "assistant"]


def prompts_dir() -> Path:
    """The prompts folder: ``$LMN_PROMPTS_DIR`` if set, else the repository's ``prompts/``."""
    override = os.environ.get(PROMPTS_ENV)
    return Path(override).expanduser() if override else PROJECT_ROOT / "prompts"


class PromptMessage(BaseModel):
    """One message template."""

    model_config = ConfigDict(extra="forbid")

    role: Role
    content: str = Field(min_length=1)


class OutputSpec(BaseModel):
    """Which pydantic model the reply must validate against, as 'module:Class'."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(pattern=r"^[\w.]+:\w+$")

    def schema_class(self) -> type[BaseModel]:
        """The referenced model class (an EngineError when it cannot be imported)."""
        module_name, _, class_name = self.model.partition(":")
        try:
            found = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError):
            raise EngineError(f"prompt output model {self.model} cannot be imported") from None
        if not (isinstance(found, type) and issubclass(found, BaseModel)):
            raise EngineError(f"prompt output model {self.model} is not a pydantic model")
        return found


@lru_cache(maxsize=64)
def schema_json(schema: type[BaseModel]) -> dict:
    """The output model's JSON schema (computed once per model class)."""
    return schema.model_json_schema()


@dataclass(frozen=True)
class RenderedPrompt:
    """A prompt with its fields filled: what is sent, and how to name it in a log."""

    id: str
    version: str
    messages: tuple[tuple[Role, str], ...]
    schema: type[BaseModel] | None
    max_tokens: int | None

    @cached_property
    def sha256(self) -> str:
        """Hash of the messages and the output schema, exactly as sent."""
        payload = {
            "messages": [list(m) for m in self.messages],
            "schema": schema_json(self.schema) if self.schema else None,
        }
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()

    @property
    def label(self) -> str:
        """'v3@1a2b3c4d5e6f': the version and the start of the hash (for RunInfo.prompts)."""
        return f"v{self.version}@{self.sha256[:12]}"

    def continued(self, reply: str, turn: RenderedPrompt) -> RenderedPrompt:
        """This conversation, the model's ``reply``, then ``turn`` (named, capped and checked as
        ``turn``): a follow-up such as a re-draft."""
        return replace(turn, messages=(*self.messages, ("assistant", reply), *turn.messages))

    def extended(self, *extra: tuple[Role, str]) -> RenderedPrompt:
        """The same prompt with messages appended (a re-ask: named, capped and checked as
        this prompt)."""
        return replace(self, messages=self.messages + tuple(extra))


class Prompt(BaseModel):
    """A prompt file, checked: every template field is a declared input and every input used."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    version: str
    description: str = Field(min_length=1)
    inputs: list[str] = Field(default_factory=list)
    max_tokens: int | None = Field(default=None, ge=1, le=32768)
    output: OutputSpec | None = None
    messages: list[PromptMessage] = Field(min_length=1)

    @model_validator(mode="after")
    def _capped(self) -> Prompt:
        if self.output is not None and self.max_tokens is None:
            raise ValueError("a prompt with an output model needs max_tokens")
        return self

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int | float) else value

    def fields(self) -> set[str]:
        """The template fields the messages use."""
        names: set[str] = set()
        for message in self.messages:
            for _, name, spec, conversion in string.Formatter().parse(message.content):
                if name is None:
                    continue
                if not name.isidentifier() or spec or conversion:
                    raise ValueError(f"template field {{{name}}} must be a plain name")
                names.add(name)
        return names

    def render(self, **values: str) -> RenderedPrompt:
        """Fill the templates. Every declared input must be given, and nothing else."""
        if set(values) != set(self.inputs):
            raise EngineError(f"prompt {self.id} takes {sorted(self.inputs)}, got {sorted(values)}")
        messages = tuple((m.role, m.content.format(**values)) for m in self.messages)
        schema = self.output.schema_class() if self.output else None
        return RenderedPrompt(self.id, self.version, messages, schema, self.max_tokens)


def load_prompt(prompt_id: str, directory: Path | None = None) -> Prompt:
    """The prompt ``<id>.yaml`` of ``directory`` (default :func:`prompts_dir`), checked."""
    path = (directory or prompts_dir()) / f"{prompt_id}.yaml"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise EngineError(f"{path}: prompt file not found") from None
    return _load(path, stamp)


@lru_cache(maxsize=32)
def _load(path: Path, _stamp: int) -> Prompt:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise EngineError(f"{path}: cannot be read as YAML ({type(exc).__name__})") from None
    try:
        prompt = Prompt.model_validate(raw)
        used = prompt.fields()
    except (ValidationError, ValueError) as exc:
        first = exc.errors()[0] if isinstance(exc, ValidationError) else None
        where = ".".join(str(p) for p in first["loc"]) + ": " if first else ""
        reason = first["msg"] if first else str(exc)
        raise EngineError(f"{path}: invalid prompt file ({where}{reason})") from None
    if prompt.id != path.stem:
        raise EngineError(f"{path}: id {prompt.id!r} differs from the file name")
    if used != set(prompt.inputs):
        raise EngineError(
            f"{path}: inputs {sorted(prompt.inputs)} differ from the template fields {sorted(used)}"
        )
    if prompt.output is not None:
        prompt.output.schema_class()
    return prompt
