"""The one error the engine raises for bad input."""


class InstanceError(ValueError):
    """A malformed instance: names the record (participant id or list position) and field."""

    def __init__(self, record: str, field: str, reason: str):
        self.record = record
        self.field = field
        self.reason = reason
        super().__init__(f"{record}: field '{field}': {reason}")
