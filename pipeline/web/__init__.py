"""The web page for advocates: paste a denial, see the analysis and the gaps, get the letter.

``lmn serve`` runs it (see :mod:`pipeline.web.serve`); :func:`create_app` builds the app.
"""

from .app import create_app

__all__ = ["create_app"]
