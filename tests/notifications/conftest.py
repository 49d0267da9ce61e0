import pytest

from tests.notifications.smtp import HOST, MailServer


@pytest.fixture
def mail_server(settings):
    """A real SMTP server on 127.0.0.1, and Django sending to it through its SMTP backend
    (in place of the test settings' in-memory outbox)."""
    server = MailServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = HOST
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    # A refused connection fails at once; this only bounds a server that accepts and
    # then says nothing.
    settings.EMAIL_TIMEOUT = 10
    yield server
    server.stop()
