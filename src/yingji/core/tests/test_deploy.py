"""The example deployment in deploy/: the nginx configuration passes `nginx -t` where nginx is installed, and
everywhere its directives are read by a small parser and checked (live updates unbuffered at the platform's live
URL, every location proxied to the upstream); the systemd units start commands the `yingji` CLI has."""

import configparser
import re
import shutil
import subprocess
from pathlib import Path

from django.urls import reverse

from yingji.cli import COMMANDS

DEPLOY = Path(__file__).resolve().parents[4] / "deploy"
NGINX = DEPLOY / "nginx" / "yingji.conf"


def parse_nginx(text: str) -> list:
    """nginx configuration as nested lists: a directive is (name, args, block or None)."""
    tokens = re.findall(r'"[^"]*"|[{};]|[^\s{};"]+', re.sub(r"#[^\n]*", "", text))
    position = 0

    def block() -> list:
        nonlocal position
        items, words = [], []
        while position < len(tokens):
            token = tokens[position]
            position += 1
            if token == ";":
                items.append((words[0], words[1:], None))
                words = []
            elif token == "{":
                items.append((words[0], words[1:], block()))
                words = []
            elif token == "}":
                assert not words, f"unterminated directive {words}"
                return items
            else:
                words.append(token.strip('"'))
        assert not words, f"unterminated directive {words}"
        return items

    return block()


def find(items: list, name: str) -> list:
    return [item for item in items if item[0] == name]


def test_nginx_configuration_directives():
    config = parse_nginx(NGINX.read_text())
    (upstream,) = find(config, "upstream")
    assert find(upstream[2], "server"), "the upstream names at least one web process"
    servers = find(config, "server")
    (tls,) = [s for s in servers if find(s[2], "ssl_certificate")]
    locations = {item[1][0]: item[2] for item in find(tls[2], "location")}
    live_prefix = reverse("core:live", args=["desk"]).rsplit("desk/", 1)[0]
    assert live_prefix in locations, f"no location for the live URL {live_prefix}"
    live = locations[live_prefix]
    assert ("proxy_buffering", ["off"], None) in live
    assert find(live, "proxy_read_timeout")
    for body in locations.values():
        (proxy,) = find(body, "proxy_pass")
        assert proxy[1] == [f"http://{upstream[1][0]}"]
    # Keep-alive to the upstream needs HTTP/1.1 without the client's Connection header.
    assert ("proxy_http_version", ["1.1"], None) in tls[2]


def test_nginx_accepts_the_configuration(tmp_path):
    """`nginx -t` on the file (with a throwaway certificate) where nginx is installed; the parser otherwise."""
    nginx, openssl = shutil.which("nginx") or "", shutil.which("openssl") or ""
    text = NGINX.read_text()
    if not (nginx and openssl):
        assert parse_nginx(text)
        assert text.count("{") == text.count("}")
        return
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test"]
        + ["-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True,
        capture_output=True,
    )
    site = text.replace("/etc/nginx/tls/yingji.crt", str(tmp_path / "cert.pem")).replace(
        "/etc/nginx/tls/yingji.key", str(tmp_path / "key.pem")
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\naccess_log off;\ninclude {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_systemd_units_start_yingji_commands():
    units = sorted((DEPLOY / "systemd").glob("*.service"))
    assert {u.name for u in units} == {"yingji-web.service", "yingji-worker.service", "yingji-ingest@.service"}
    for unit in units:
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = str
        parser.read(unit)
        assert {"Unit", "Service", "Install"} <= set(parser.sections()), unit.name
        command = parser["Service"]["ExecStart"].split()
        assert command[0].endswith("/yingji") and command[1] in COMMANDS, unit.name
        assert parser["Service"]["EnvironmentFile"] == "/etc/yingji/yingji.env"
