#!/usr/bin/env bash
# Install what the test suite needs from Debian when it is missing, and nothing when it is all there:
# Chromium and a Chinese font for the browser tests, gettext for the catalogues, the PostgreSQL client for
# backups, Mosquitto and Redis for the broker and live-update tests. `make test` and `.ci/run` both call it.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei" || need+=(fonts-wqy-microhei)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
command -v pg_dump >/dev/null 2>&1 || need+=(postgresql-client)
command -v mosquitto >/dev/null 2>&1 || need+=(mosquitto)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ ${#need[@]} -eq 0 ] && exit 0

echo "installing ${need[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "missing ${need[*]}; run as root or install them: apt-get install ${need[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
