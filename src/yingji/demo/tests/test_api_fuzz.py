"""Schemathesis over the whole OpenAPI document, every phase (examples, coverage, fuzzing, stateful), against
the demo district as its administrator: no input makes a server error.

A fixed seed and a bounded number of examples keep it reproducible and within a couple of minutes on a small
machine: the coverage phase draws positive cases only (its negative cases would each test ninja's own schema
validation once more, and took most of the time), and tries no unexpected methods (the JSON 405 is tested in
core). The token endpoints are left out: the run would revoke its own token."""

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
MAX_EXAMPLES = int(os.environ.get("YINGJI_FUZZ_EXAMPLES", "3"))
CONFIG = """
[phases.coverage]
unexpected-methods = []
[phases.coverage.generation]
mode = "positive"
[phases.stateful]
max-steps = 10
"""


def test_no_input_makes_a_server_error(live_server, tmp_path):
    demo_load_all(password="Demo-Password-2026", out=lambda line: None)
    _token, raw = token_issue(user=User.objects.get(username="admin"))
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG)
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        f"--config-file={config}",
        "run",
        f"{live_server.url}/api/v1/openapi.json",
        "--checks=not_a_server_error",
        f"--seed={SEED}",
        f"--max-examples={MAX_EXAMPLES}",
        "--exclude-path-regex=/auth/token",
        f"--header=Authorization: Bearer {raw}",
        "--workers=2",
        "--continue-on-failure",
        "--no-color",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False, cwd=tmp_path)
    out = done.stdout
    assert " generated, " in out, out[-5000:] + done.stderr[-5000:]  # the run got to its summary
    assert "Server error" not in out, out[-30000:]
    assert done.returncode == 0, out[-30000:]
