"""Schemathesis over the whole OpenAPI document, every phase (examples, coverage, fuzzing, stateful), against
the demo district: no input makes a server error. A fixed seed and a bounded number of examples keep it
reproducible and within a couple of minutes. The token endpoints are left out: the run would revoke its own
token."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from yingji.core.models import User
from yingji.core.services import token_issue
from yingji.demo.services import demo_load_all

pytestmark = pytest.mark.django_db(transaction=True)

SEED = 2026
MAX_EXAMPLES = int(os.environ.get("YINGJI_FUZZ_EXAMPLES", "8"))


def test_no_input_makes_a_server_error(live_server, tmp_path):
    demo_load_all(password="Demo-Password-2026", out=lambda line: None)
    _token, raw = token_issue(user=User.objects.get(username="admin"))
    report = tmp_path / "events.ndjson"
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{live_server.url}/api/v1/openapi.json",
        "--checks=not_a_server_error",
        f"--seed={SEED}",
        f"--max-examples={MAX_EXAMPLES}",
        "--exclude-path-regex=/auth/token",
        f"--header=Authorization: Bearer {raw}",
        "--workers=1",
        "--continue-on-failure",
        "--report=ndjson",
        f"--report-ndjson-path={report}",
        "--no-color",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-20000:]
