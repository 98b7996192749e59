"""Sensor-to-screen benchmark: duty desks open in headless Chromium, a steady background load of readings over
MQTT, and readings that cross an alarm threshold; for each of those, the time from its publication to the alarm's
line appearing in each open desk's DOM.

Run: .venv/bin/python bench/live.py [--desks 10] [--alarms 30] [--load 2000] [--database postgres://...]
[--redis redis://127.0.0.1:6379/0]. Default: a throwaway SQLite database (live events cross processes through the
polled table); with --database, that PostgreSQL database is emptied and used (LISTEN/NOTIFY, or Redis with --redis).
It starts its own Mosquitto, `yingji serve` and `yingji ingest`, loads the demo district, signs `duty` in once and
opens the desks in one browser (each page its own event stream). Target (issue 16): p99 <= 2 s with 10 desks and
2,000 readings/s, on SQLite and on PostgreSQL with Redis.

The browser marks the moment a line appears with a MutationObserver (Date.now(), the same clock as this process);
the page's Content-Security-Policy is bypassed for that observer only.
"""

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import free_port, payloads, publish_all, publish_in_background, start_broker  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = f"Bl-{secrets.token_urlsafe(12)}-9"  # a fresh password per run, for the demo users
METRIC = "ch4_lel"  # the demo's rule: red at 50 %LEL
LOAD_DEVICES = "D0-"  # the prefix bench/ingest.py's payloads() gives its devices
OBSERVER = """
window.__seen = {};
new MutationObserver(() => {
  document.querySelectorAll('#alarms li').forEach((li) => {
    const m = li.textContent.match(/LIVE-\\d{3}/);
    if (m && !(m[0] in window.__seen)) { window.__seen[m[0]] = Date.now(); }
  });
}).observe(document, {childList: true, subtree: true});
"""


def setup(env: dict[str, str], alarms: int) -> None:
    """Migrate, load the demo district (with its gas rule) and add the bench devices (in a child: its own Django)."""
    code = f"""
import django; django.setup()
from django.core.management import call_command
from yingji.core.models import OrgUnit, OrgKind
from yingji.demo.services import demo_load
from yingji.monitoring.models import Device
call_command("migrate", verbosity=0)
demo_load(password={PASSWORD!r}, out=lambda line: None)
district = OrgUnit.objects.get(kind=OrgKind.DISTRICT)
metrics = ["ch4_lel", "h2s_ppm", "co_ppm", "temp_c"]
Device.objects.bulk_create(
    [Device(code=f"LIVE-{{i:03d}}", name=f"LIVE-{{i:03d}}", type="combustible_gas", org=district, lat=30.22,
            lon=115.07, address="基准测试", metrics=metrics) for i in range({alarms})]
    + [Device(code=f"{LOAD_DEVICES}{{i:03d}}", name=f"{LOAD_DEVICES}{{i:03d}}", type="combustible_gas", org=district,
              lat=30.22, lon=115.07, address="基准测试", metrics=metrics) for i in range(200)]
)
"""
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


def reset_postgres(url: str) -> None:
    subprocess.run(["psql", url, "-q", "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"], check=True)


def wait_http(port: int, timeout: float = 180.0) -> None:
    import http.client

    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("yingji serve did not start")


def alarm_message(i: int) -> tuple[str, bytes]:
    body = f'{{"ts": "{datetime.now(UTC).isoformat()}", "metrics": {{"{METRIC}": 80.0}}}}'
    return f"yingji/telemetry/LIVE-{i:03d}", body.encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--desks", type=int, default=10)
    parser.add_argument("--alarms", type=int, default=30)
    parser.add_argument("--load", type=float, default=2000.0, help="background readings per second")
    parser.add_argument("--database", default="", help="PostgreSQL URL (emptied); default: throwaway SQLite")
    parser.add_argument("--redis", default="", help="Redis URL for live events between processes")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="yingji-bench-live-"))
    broker, mqtt_port = start_broker(work)
    processes: list[subprocess.Popen] = [broker]
    try:
        run(args, work, mqtt_port, processes)
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def run(args: argparse.Namespace, work: Path, mqtt_port: int, processes: list[subprocess.Popen]) -> None:
    """Set up, open the desks, publish, and print the figures; every process started joins `processes`."""
    from playwright.sync_api import sync_playwright

    web_port = free_port()
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "yingji.settings",
            "YINGJI_DATA_DIR": str(work),
            "YINGJI_MQTT_URL": f"mqtt://127.0.0.1:{mqtt_port}",
            "YINGJI_LOG_LEVEL": "WARNING",
        }
    )
    env.pop("DATABASE_URL", None)
    env.pop("YINGJI_REDIS_URL", None)
    if args.database:
        reset_postgres(args.database)
        env["DATABASE_URL"] = args.database
    if args.redis:
        env["YINGJI_REDIS_URL"] = args.redis
    setup(env, args.alarms)
    log = open(work / "processes.log", "ab")  # noqa: SIM115 (open for the processes' lifetime)
    yingji = [sys.executable, "-m", "yingji.cli"]
    processes.append(subprocess.Popen([*yingji, "serve", "--port", str(web_port)], env=env, stdout=log, stderr=log))
    processes.append(subprocess.Popen([*yingji, "ingest"], env=env, stdout=log, stderr=log))
    wait_http(web_port)
    backend = "Redis" if args.redis else ("PostgreSQL" if args.database else "SQLite (polled table)")
    print(f"data dir {work}; database {'PostgreSQL' if args.database else 'SQLite'}; live events via {backend}")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        context = browser.new_context(base_url=f"http://127.0.0.1:{web_port}", bypass_csp=True, locale="zh-CN")
        context.add_init_script(OBSERVER)
        context.set_default_timeout(180_000)
        page = context.new_page()
        page.goto("/login/")
        page.get_by_label("用户名").fill("duty")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url("**/")
        desks = [page] + [context.new_page() for _ in range(args.desks - 1)]
        for desk in desks:
            desk.goto("/incidents/", wait_until="domcontentloaded")
        for desk in desks:
            desk.wait_for_selector("#live-state.on")
        print(f"{len(desks)} desks open, each with its event stream")
        # Background: --load readings/s (messages of 4 metrics from 200 devices), under every threshold.
        per_message = 4
        count = int(args.load / per_message * (args.alarms * 1.5 + 20))
        messages = payloads(count, start=datetime.now(UTC), prefix=LOAD_DEVICES, value=1.0)
        load, progress = publish_in_background(mqtt_port, messages, pace_per_s=args.load / per_message)
        time.sleep(5.0)
        sent: dict[str, float] = {}
        began = time.time()
        for i in range(args.alarms):
            topic, body = alarm_message(i)
            sent[f"LIVE-{i:03d}"] = time.time()
            publish_all(mqtt_port, [(topic, body)])
            time.sleep(1.0)
        time.sleep(5.0)
        readings_per_s = progress.value * per_message / (time.time() - began + 5.0)
        load.terminate()
        load.join()
        latencies, missed = [], 0
        for desk in desks:
            seen = desk.evaluate("window.__seen")
            for code, at in sent.items():
                if code in seen:
                    latencies.append(seen[code] / 1000 - at)
                else:
                    missed += 1
        browser.close()
    lat = np.array(latencies)
    print(f"background load: about {readings_per_s:,.0f} readings/s (asked {args.load:,.0f})")
    print(f"alarm lines seen: {len(lat)} of {len(sent) * len(desks)} ({missed} missing after 5 s)")
    if len(lat):
        p50, p99 = np.percentile(lat, [50, 99])
        worst = lat.max() * 1000
        print(f"sensor to screen: p50 {p50 * 1000:.0f} ms   p99 {p99 * 1000:.0f} ms   max {worst:.0f} ms")
        print(f"target p99 <= 2000 ms: {'met' if p99 <= 2.0 and not missed else 'NOT met'}")


if __name__ == "__main__":
    main()
