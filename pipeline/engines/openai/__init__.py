"""The OpenAI-compatible engine: any server that speaks the chat-completions API.

- ``engine``: ``OpenAIEngine`` with ``analyze`` and ``argue``;
- ``sections``: the drafting prompt's inputs and the model's sections read back as arguments.

The client, settings and reply schemas it uses are ``pipeline.llm``'s. Importing this package is
cheap: LangChain and the OpenAI client load on the first call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..registry import register

if TYPE_CHECKING:
    from .engine import OpenAIEngine

__all__ = ["OpenAIEngine", "openai_engine"]


@register("openai")
def openai_engine(model: str | None = None, base_url: str | None = None) -> OpenAIEngine:
    """The engine as options, environment and config file set it up."""
    from .engine import OpenAIEngine

    return OpenAIEngine.configured(model=model, base_url=base_url)


def __getattr__(name: str) -> object:
    if name == "OpenAIEngine":
        from .engine import OpenAIEngine

        return OpenAIEngine
    raise AttributeError(name)
