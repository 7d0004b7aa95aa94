"""Engines by name: a registry filled by the ``@register`` decorator and by entry points.

A built-in engine registers itself where it is defined::

    @register("offline")
    def offline_engine(model: str | None = None, base_url: str | None = None) -> Engine: ...

A third-party package adds one without touching this project, as simonw/llm's plugins do, by
declaring an entry point in the ``lmn.engines`` group::

    [project.entry-points."lmn.engines"]
    mine = "lmn_mine:make_engine"      # a factory (registered under the entry point's name)
    # or: mine = "lmn_mine.engines"    # a module whose @register decorators run on import

Entry points are read once, the first time a name is looked up that no built-in engine has.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable
from importlib.metadata import entry_points
from types import ModuleType
from typing import TYPE_CHECKING, TypeVar

from ..errors import InputError
from .base import Engine

if TYPE_CHECKING:
    from ..llm.config import ConfigFile

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "lmn.engines"
BUILTIN_MODULES = ("pipeline.engines.offline", "pipeline.engines.openai")

EngineFactory = Callable[..., Engine]
"""``factory(model=None, base_url=None) -> Engine``; raises InputError for settings it cannot
take."""

F = TypeVar("F", bound=EngineFactory)

_FACTORIES: dict[str, EngineFactory] = {}
_loaded = {"builtins": False, "entry_points": False}


def register(name: str) -> Callable[[F], F]:
    """Register ``factory`` as the engine ``name`` (``--engine name``); the last one wins."""

    def decorate(factory: F) -> F:
        _FACTORIES[name.strip().lower()] = factory
        return factory

    return decorate


def _load_builtins() -> None:
    if not _loaded["builtins"]:
        _loaded["builtins"] = True
        for module in BUILTIN_MODULES:
            importlib.import_module(module)


def _load_entry_points() -> None:
    if _loaded["entry_points"]:
        return
    _loaded["entry_points"] = True
    for point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = point.load()
        except Exception as exc:  # a broken plugin must not break the built-in engines
            log.warning("engines: could not load entry point %s (%s)", point.name, exc)
            continue
        if not isinstance(loaded, ModuleType) and callable(loaded):
            _FACTORIES.setdefault(point.name.strip().lower(), loaded)


def engine_names() -> list[str]:
    """Every engine that can be chosen, built-in ones first."""
    _load_builtins()
    _load_entry_points()
    return list(_FACTORIES)


def engine_factory(name: str) -> EngineFactory:
    """The factory of engine ``name``; InputError naming the choices when there is none."""
    key = name.strip().lower()
    _load_builtins()
    if key not in _FACTORIES:
        _load_entry_points()
    if key not in _FACTORIES:
        choices = " or ".join(f"--engine {n}" for n in engine_names())
        raise InputError(f"unknown engine {key!r}: use {choices}")
    return _FACTORIES[key]


def engine_name(option: str | None = None, config: ConfigFile | None = None) -> str:
    """The engine to use: option, ``$LMN_ENGINE``, config file, else 'offline' (checked)."""
    from ..llm.config import ENGINE_ENV, read_config

    value = next((v for v in (option, os.environ.get(ENGINE_ENV)) if v and v.strip()), None)
    if value is None:
        value = (config if config is not None else read_config()).engine
    name = (value or "offline").strip().lower()
    engine_factory(name)  # an unknown name is an InputError naming the choices
    return name


def get_engine(
    name: str | None = None, *, model: str | None = None, base_url: str | None = None
) -> Engine:
    """The engine by name, else as LMN_ENGINE or the config file says; 'offline' by default.

    'openai' is any OpenAI-compatible endpoint; ``model`` and ``base_url`` override its
    environment and config file.
    """
    return engine_factory(engine_name(name))(model=model, base_url=base_url)
