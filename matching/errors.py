"""The one error the engine raises for bad input."""


class InstanceError(ValueError):
    """A malformed instance: names the record (participant id or list position) and field.

    ``reason`` is English, for logs and the command line; ``kind`` says what is wrong in
    one word of the list below, for a caller to say it in its own words and language.
    """

    MALFORMED = "malformed"  # a field missing, of the wrong type, or out of its range
    LANGUAGE_UNKNOWN = "language_unknown"  # not an ISO 639-1 code
    LANGUAGE_TWICE = "language_twice"  # one person lists a language twice
    LEVEL_UNKNOWN = "level_unknown"  # not a CEFR level nor "native"
    BIRTH_YEAR = "birth_year"  # an implausible birth year
    ZONE_UNKNOWN = "zone_unknown"  # not an IANA time zone
    TIME = "time"  # not a time of day, or a window that ends before it starts
    DUPLICATE_ID = "duplicate_id"  # two participants with one id

    def __init__(self, record: str, field: str, reason: str, kind: str = MALFORMED):
        self.record = record
        self.field = field
        self.reason = reason
        self.kind = kind
        super().__init__(f"{record}: field '{field}': {reason}")
