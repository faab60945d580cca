"""The backend of a production without SMTP: nothing sent, one line logged, no address,
subject nor body in it."""

import logging

from django.core.mail import EmailMessage

from config.mail_backends import UnsentMailBackend


def test_unsent_mail_logs_one_line_without_what_the_message_says(caplog):
    message = EmailMessage("Reset your password", "https://x.example/accounts/password/"
                           "reset/key/3-secret/", "no-reply@x.example", ["kid@example.test"])
    with caplog.at_level(logging.INFO):
        assert UnsentMailBackend().send_messages([message, message]) == 0
    assert [r.getMessage() for r in caplog.records] == [
        "2 e-mail(s) not sent: EMAIL_HOST is not set"]
