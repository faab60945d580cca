"""The Jumelage project layer (the design card's ``platform/``).

It is called ``config`` because a top-level package named ``platform`` would shadow
Python's standard-library ``platform`` module, which ``uuid`` (and so Django) imports.
"""

from config.celery import app as celery_app

__all__ = ["celery_app"]
