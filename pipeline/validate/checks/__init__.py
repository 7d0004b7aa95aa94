"""The validator's checks, one module per area; importing this package registers them all.

The built-in modules are imported in report order; any other module in this folder is then
imported in name order, and so is every module named by an ``lmn.checks`` entry point (a
third-party package's checks). Each registers its checks with ``@check`` when imported.
"""

from __future__ import annotations

import importlib
import pkgutil
from importlib.metadata import entry_points

# Report order: findings are listed in the order their checks are registered.
# isort: off
from . import structure  # noqa: F401
from . import codes  # noqa: F401
from . import treatments  # noqa: F401
from . import peer_to_peer  # noqa: F401
from . import criteria  # noqa: F401
from . import citations  # noqa: F401
from . import grounding  # noqa: F401
from . import placeholders  # noqa: F401
from . import identity  # noqa: F401
from . import prose  # noqa: F401
from . import injection  # noqa: F401
# isort: on

ENTRY_POINT_GROUP = "lmn.checks"


def _load_all() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            ep.load()
        except Exception as exc:
            raise ImportError(
                f"The validator check plugin {ep.name!r} ({ep.value}) failed to load "
                f"({type(exc).__name__}: {exc}); fix or uninstall the package that provides it."
            ) from exc


_load_all()
