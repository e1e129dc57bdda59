"""Error e-mail that never holds a request: sent from a background thread, and at most a few a minute.

Django's AdminEmailHandler sends the mail inside the request that failed; a burst of bad requests
(hundreds with a wrong Host header) would hold every worker on the mail server. Here the mail is
written in the request's thread (it needs the request), then queued; one thread sends. Past
SIGNPOST_ERROR_MAILS_PER_MINUTE the rest are only counted, and the next mail says how many.
"""

import logging
import queue
import threading
import time

from django.conf import settings
from django.utils.log import AdminEmailHandler


class BackgroundAdminEmailHandler(AdminEmailHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outbox: queue.Queue = queue.Queue(maxsize=100)
        self._sender: threading.Thread | None = None
        self._lock = threading.Lock()
        self._recent: list[float] = []
        self.dropped = 0

    def emit(self, record: logging.LogRecord) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent = [moment for moment in self._recent if now - moment < 60]
            if len(self._recent) >= settings.SIGNPOST_ERROR_MAILS_PER_MINUTE:
                self.dropped += 1
                return
            self._recent.append(now)
        super().emit(record)  # writes the mail here, then calls send_mail below

    def send_mail(self, subject, message, *args, **kwargs) -> None:
        with self._lock:
            dropped, self.dropped = self.dropped, 0
            if self._sender is None or not self._sender.is_alive():
                self._sender = threading.Thread(target=self._send_forever, name="error-mail", daemon=True)
                self._sender.start()
        if dropped:
            message = f"({dropped} earlier error mails were not sent: too many at once.)\n\n{message}"
        try:
            self.outbox.put_nowait((subject, message, args, kwargs))
        except queue.Full:
            with self._lock:
                self.dropped += 1

    def _send_forever(self) -> None:
        while True:
            subject, message, args, kwargs = self.outbox.get()
            try:
                super().send_mail(subject, message, *args, **kwargs)
            except Exception:  # a failing mail server must not stop the sender
                pass
            finally:
                self.outbox.task_done()
