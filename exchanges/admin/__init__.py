"""The Django admin, one module per area; importing them registers their pages. Every
page takes the named columns and date boxes of ``names`` and, where a deletion would
take past figures with it, the refusals of ``deletion``."""

from exchanges.admin import (  # noqa: F401 - imported to register
    classes,
    matches,
    people,
    programs,
    records,
    rooms,
    twinnings,
)
