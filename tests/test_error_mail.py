"""Error mail is sent off the request path and never floods the admins."""

import logging

from django.core import mail

from config.logging import BackgroundAdminEmailHandler


def test_error_mail_is_sent_in_the_background_and_rate_limited(settings):
    settings.ADMINS = ["admin@example.org"]
    settings.SIGNPOST_ERROR_MAILS_PER_MINUTE = 3
    handler = BackgroundAdminEmailHandler()
    logger = logging.getLogger("tests.error-mail")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        for number in range(50):
            logger.error("Invalid HTTP_HOST header %s", number)
        handler.outbox.join()
    finally:
        logger.removeHandler(handler)
    assert len(mail.outbox) == 3
    assert handler.dropped == 47


def test_the_site_sends_error_mail_through_the_background_handler():
    handlers = [h for h in logging.getLogger("django").handlers if isinstance(h, BackgroundAdminEmailHandler)]
    assert len(handlers) == 1
