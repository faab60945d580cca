"""Where e-mail goes when no SMTP server is configured outside development: nowhere, with
one warning line per batch. The console backend would write each message (addresses,
reset and confirmation links, partners' names) into the server's log."""

import logging

from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)


class UnsentMailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        if email_messages:
            logger.warning("%d e-mail(s) not sent: EMAIL_HOST is not set", len(email_messages))
        return 0
