"""The OpenAI-compatible engine: any server that speaks the chat-completions API.

- ``config``: which engine, model and endpoint (options, environment, config file);
- ``client``: the one place that calls the model, with retries, re-asks and the run log;
- ``schemas``: the bounded reply models; ``sections``: prompt inputs and section checks;
- ``engine``: ``OpenAIEngine`` with ``analyze`` and ``argue``;
- ``commands``: the ``lmn log`` command.

Importing this package is cheap: LangChain and the OpenAI client load on the first call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine import OpenAIEngine

__all__ = ["OpenAIEngine"]


def __getattr__(name: str) -> object:
    if name == "OpenAIEngine":
        from .engine import OpenAIEngine

        return OpenAIEngine
    raise AttributeError(name)
