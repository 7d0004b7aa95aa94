"""Talking to an OpenAI-compatible model (the engine itself is ``pipeline.engines.openai``).

- ``config``: which model and endpoint (options, environment, config file);
- ``client``: the one place that calls the model, with retries, re-asks and the run log;
- ``schemas``: the bounded reply models;
- ``commands``: the ``lmn log`` command;
- ``engine``, ``sections``: re-exports of ``pipeline.engines.openai`` (older imports).

Importing this package is cheap: LangChain and the OpenAI client load on the first call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..engines.openai.engine import OpenAIEngine

__all__ = ["OpenAIEngine"]


def __getattr__(name: str) -> object:
    if name == "OpenAIEngine":
        from ..engines.openai.engine import OpenAIEngine

        return OpenAIEngine
    raise AttributeError(name)
