"""Row ids the database can hold: PostgreSQL's bigint and SQLite's INTEGER stop at
2**63 - 1, and SQLite raises OverflowError on a larger number in a query."""

KEY_MAX = 2**63 - 1


def is_key(number: int) -> bool:
    return 0 < number <= KEY_MAX
