"""Celery tasks: each takes ids, wraps a service, and is idempotent.

Tasks are named explicitly (``exchanges.tasks.<name>``) so the beat schedule in
``config/celery.py`` does not depend on which module defines them.
"""

from exchanges.tasks.matching import *  # noqa: F403
from exchanges.tasks.reminders import *  # noqa: F403
from exchanges.tasks.sessions import *  # noqa: F403
