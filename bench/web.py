"""Web tier benchmark: N concurrent signed-in users (desk, incident list with a filter, an incident page, the
workbench, API lists) against `yingji serve --workers 1` and then `--workers 2`, on loopback, for a bounded time.

Run: .venv/bin/python bench/web.py [--users 50] [--duration 15] [--database postgres://...]. The database (default
PostgreSQL yingji_perf on 127.0.0.1) is migrated and given the demo district when empty. The clients are threads of
this process (keep-alive connections, one per user): under load they share the CPUs with the server, so the two
runs are printed side by side rather than against an absolute figure. Target (issue 16): p95 <= 300 ms with 2
workers, no errors.
"""

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per run")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/yingji_perf")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="yingji-bench-web-")
    env = {**os.environ, "DATABASE_URL": args.database, "YINGJI_DATA_DIR": data_dir}
    env["PYTHONPATH"] = str(ROOT / "src")
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "YINGJI_DATA_DIR")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingji.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from yingji.core.models import OrgUnit

    call_command("migrate", verbosity=0)
    if not OrgUnit.objects.exists():
        print("empty database: loading the demo district")
        call_command("demo", verbosity=0)
    cookies, urls = sessions(args.users)
    print(f"{args.users} users, {len(urls)} pages each in turn: {', '.join(urls)}")
    for workers in args.workers:
        run(workers, env, cookies, urls, args.duration)


def sessions(users: int) -> tuple[list[str], list[str]]:
    """Session cookies of a district duty officer (one session per simulated user) and the pages they open."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from yingji.core.models import User
    from yingji.incidents.models import Incident

    user = User.objects.filter(is_active=True, is_superuser=True).first() or User.objects.filter(is_active=True).first()
    cookies = []
    for _ in range(users):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={store.session_key}")
    incident = Incident.objects.order_by("-pk").values_list("pk", flat=True).first()
    urls = ["/", "/incidents/", "/incidents/list/?status=open", "/api/v1/incidents", "/api/v1/stock/alerts"]
    if incident:
        urls.append(f"/incidents/{incident}/")
    return cookies, urls


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(workers: int, env: dict, cookies: list[str], urls: list[str], duration: float) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "yingji.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(port)
        latencies: list[float] = []
        errors: dict[str, int] = {}
        lock = threading.Lock()
        stop_at = time.monotonic() + duration

        def user(index: int) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine, failed = [], {}
            step = index
            while time.monotonic() < stop_at:
                url = urls[step % len(urls)]
                step += 1
                start = time.perf_counter()
                try:
                    connection.request("GET", url, headers={"Cookie": cookies[index], "Accept-Language": "zh-hans"})
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                except OSError as error:
                    status = type(error).__name__
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                mine.append(time.perf_counter() - start)
                if status != 200:
                    failed[f"{url} {status}"] = failed.get(f"{url} {status}", 0) + 1
            with lock:
                latencies.extend(mine)
                for key, count in failed.items():
                    errors[key] = errors.get(key, 0) + count

        threads = [threading.Thread(target=user, args=(i,)) for i in range(len(cookies))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        values = np.array(latencies) * 1000
        print(
            f"workers {workers}: {len(values):,} requests in {duration:.0f} s ({len(values) / duration:,.0f}/s), "
            f"p50 {np.percentile(values, 50):.0f} ms, p95 {np.percentile(values, 95):.0f} ms, "
            f"p99 {np.percentile(values, 99):.0f} ms, errors {sum(errors.values())} {errors or ''}"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_ready(port: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/login/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start")


if __name__ == "__main__":
    main()
