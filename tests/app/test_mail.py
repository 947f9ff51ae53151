"""The SMTP mailer delivers to a real SMTP server (aiosmtpd on 127.0.0.1)."""

import re

from app.mail import Mail, SmtpMailer
from app.settings import Settings
from tests.support.smtp import body_text, running_smtp


def test_smtp_mailer_delivers_message() -> None:
    with running_smtp() as sink:
        settings = Settings(
            environment="test",
            smtp_host=sink.host,
            smtp_port=sink.port,
            smtp_starttls=False,
            _env_file=None,
        )
        SmtpMailer(settings).send(
            Mail(to="someone@example.test", subject="Hello", body="Line one\nLine two")
        )
        message = sink.wait_for()
    assert message["To"] == "someone@example.test"
    assert message["Subject"] == "Hello"
    assert "Line two" in body_text(message)


def test_sign_in_link_arrives_by_smtp_and_works(app, client, session) -> None:
    from tests.factories import csrf_token

    with running_smtp() as sink:
        smtp_settings = app.state.settings.model_copy(
            update={"smtp_host": sink.host, "smtp_port": sink.port, "smtp_starttls": False}
        )
        app.state.mailer = SmtpMailer(smtp_settings)
        token = csrf_token(client, "/auth/sign-in")
        client.post("/auth/sign-in", data={"email": "smtp@example.test", "csrf_token": token})
        message = sink.wait_for()
    assert message["To"] == "smtp@example.test"
    link = re.search(r"http://testserver(/auth/link/\S+)", body_text(message)).group(1)
    page = client.get(link)
    assert page.status_code == 200 and "Choose your pseudonym" in page.text
