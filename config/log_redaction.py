"""Log lines never carry a credential that travels in a URL path: a calendar feed's
token (whoever holds it reads the person's sessions), a password-reset or e-mail
confirmation key. The server's access line and Django's "Not Found: <path>" name the
path; this filter puts "…" where the secret was, and leaves the rest of the line."""

import logging
import re

_SECRETS = (
    # /calendar/<token>.ics and /classes/calendar/<token>.ics
    (re.compile(r"(/calendar/)[^/\s\"?]+(\.ics)"), r"\1…\2"),
    # allauth: /accounts/password/reset/key/<uidb36>-<key>/, /accounts/confirm-email/<key>/
    (re.compile(r"(/password/reset/key/)[^/\s\"?]+"), r"\1…"),
    (re.compile(r"(/confirm-email/)[^/\s\"?]+"), r"\1…"),
)


def redact(text: str) -> str:
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    """Redacts the message and each string argument, keeping the arguments a tuple:
    uvicorn's access formatter unpacks them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True
