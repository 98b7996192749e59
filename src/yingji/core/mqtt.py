"""MQTT connection helpers shared by `check` and the ingest process."""

from urllib.parse import urlsplit

import paho.mqtt.client as mqtt


def parse_mqtt_url(url: str) -> tuple[str, int, str | None, str | None, bool]:
    """`mqtt://user:pass@host:1883` (or mqtts://) → host, port, username, password, tls."""
    parts = urlsplit(url)
    if parts.scheme not in {"mqtt", "mqtts", "tcp", "ssl"}:
        raise ValueError(f"YINGJI_MQTT_URL must start with mqtt:// or mqtts://, not {parts.scheme}://")
    if not parts.hostname:
        raise ValueError("YINGJI_MQTT_URL names no host")
    tls = parts.scheme in {"mqtts", "ssl"}
    return parts.hostname, parts.port or (8883 if tls else 1883), parts.username, parts.password, tls


def broker_reachable(url: str, timeout_s: float = 5.0) -> str | None:
    """None when the broker accepts a connection, else what went wrong."""
    try:
        host, port, username, password, tls = parse_mqtt_url(url)
    except ValueError as exc:
        return str(exc)
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="", clean_session=True)
    if username:
        client.username_pw_set(username, password)
    if tls:
        client.tls_set()
    try:
        client.connect(host, port, keepalive=int(timeout_s) + 5)
        client.loop_start()
        try:
            client.publish("yingji/check", b"", qos=1).wait_for_publish(timeout=timeout_s)
        finally:
            client.loop_stop()
            client.disconnect()
    except (OSError, ValueError, RuntimeError) as exc:
        return f"{host}:{port}: {exc}"
    return None
