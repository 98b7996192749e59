"""Transports of the notification outbox: email through Django's email backend, and HTTP webhooks (an SMS
gateway, a WeChat Work group robot) whose POST body is a per-channel JSON template."""

import json
import smtplib
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from yingji.core.models import ChannelConfig, ChannelKind

# What a channel posts when its configuration gives no template. The WeChat Work group robot takes
# {"msgtype": "text", "text": {"content": …}}; an SMS gateway gets the phone number and the text.
DEFAULT_TEMPLATES: dict[str, dict[str, Any]] = {
    ChannelKind.WECOM: {"msgtype": "text", "text": {"content": "{text}"}},
    ChannelKind.SMS: {"phone": "{phone}", "text": "{text}"},
}
PLACEHOLDERS = ("title", "body", "link", "text", "phone")
# SMS gateways split or refuse long texts: keep a message to a few segments.
SMS_MAX_CHARS = 300


class TransportError(Exception):
    """A delivery failed; `permanent` when retrying cannot help (the gateway refused the request itself)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Envelope:
    """What one delivery says: the message's text with an absolute link."""

    title: str
    body: str
    link: str

    @property
    def text(self) -> str:
        parts = [f"【{self.title}】{self.body}".strip(), self.link]
        return "\n".join(p for p in parts if p)


def absolute_link(link: str) -> str:
    """A link usable outside the platform: prefixed with YINGJI_BASE_URL when it is a path."""
    base = settings.YINGJI_BASE_URL.rstrip("/")
    return f"{base}{link}" if link.startswith("/") and base else link


def render_template(template: Any, values: Mapping[str, str]) -> Any:
    """Fill {placeholders} in every string of a JSON template; the result is JSON again, so values
    never need escaping by whoever writes the template."""
    if isinstance(template, str):
        out = template
        for name in PLACEHOLDERS:
            out = out.replace("{" + name + "}", values.get(name, ""))
        return out
    if isinstance(template, list):
        return [render_template(item, values) for item in template]
    if isinstance(template, dict):
        return {key: render_template(value, values) for key, value in template.items()}
    return template


def webhook_body(config: ChannelConfig, envelope: Envelope, *, phone: str = "") -> dict[str, Any]:
    """The JSON body a webhook channel posts for one delivery."""
    template = config.template or DEFAULT_TEMPLATES[config.kind]
    text = envelope.text
    if config.kind == ChannelKind.SMS and len(text) > SMS_MAX_CHARS:
        text = text[: SMS_MAX_CHARS - 1] + "…"
    values = {"title": envelope.title, "body": envelope.body, "link": envelope.link, "text": text, "phone": phone}
    return render_template(template, values)


def post_webhook(config: ChannelConfig, body: dict[str, Any]) -> None:
    """POST a JSON body to a webhook; raise TransportError unless it answers 2xx (and errcode 0, where the
    answer carries one, as WeChat Work's does)."""
    if not config.url.startswith(("http://", "https://")):
        raise TransportError(f"not an http(s) URL: {config.url}", permanent=True)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        config.url,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={
            "Content-Type": "application/json; charset=utf-8",
            **{str(k): str(v) for k, v in config.headers.items()},
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=config.timeout_s) as response:  # noqa: S310
            answer = response.read(65536)
    except urllib.error.HTTPError as exc:
        # A 4xx other than timeout and rate limit means the request itself is wrong: retrying repeats it.
        permanent = 400 <= exc.code < 500 and exc.code not in (408, 429)
        raise TransportError(f"HTTP {exc.code} {exc.reason}", permanent=permanent) from None
    except (urllib.error.URLError, OSError) as exc:
        raise TransportError(f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}") from None
    try:
        parsed = json.loads(answer) if answer else None
    except ValueError:
        parsed = None
    if isinstance(parsed, dict) and parsed.get("errcode") not in (None, 0):
        raise TransportError(f"errcode {parsed.get('errcode')}: {parsed.get('errmsg', '')}")


def send_email(connection: BaseEmailBackend, *, to: str, envelope: Envelope) -> None:
    """Send one email over an open connection of Django's email backend."""
    message = EmailMessage(
        subject=envelope.title,
        body="\n\n".join(p for p in (envelope.body, envelope.link) if p),
        to=[to],
        connection=connection,
    )
    try:
        message.send()
    except OSError as exc:
        # The server refusing the address itself will refuse it again.
        permanent = isinstance(exc, smtplib.SMTPRecipientsRefused)
        raise TransportError(f"{type(exc).__name__}: {exc}", permanent=permanent) from None


def email_enabled() -> bool:
    """Email goes out only where an SMTP server is configured (YINGJI_EMAIL_HOST)."""
    return settings.YINGJI_EMAIL_ENABLED
