#!/usr/bin/env bash
# Install sweeper and everything it needs on Debian/Ubuntu (as root), then run it.
#   bash scripts/setup.sh demo   install the package (+ Chromium and a CJK font if needed), run `sweeper demo`
#   bash scripts/setup.sh test   install the package with test tools, run ruff, mypy and the whole test suite
set -euo pipefail
mode="${1:-demo}"
cd "$(dirname "$0")/.."

need_apt=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }

python_ok() { have_cmd python3 && python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
python_ok || need_apt+=(python3 python3-venv python3-pip)

# A browser: Playwright's own Chromium if installed, else Chrome/Edge, else Debian's Chromium with
# its headless shell (headless sweeps run in the shell: a third less CPU; headed logins in chromium).
if ! ls "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium-*/chrome-linux*/chrome >/dev/null 2>&1 \
   && ! have_cmd google-chrome && ! have_cmd microsoft-edge; then
  have_cmd chromium || need_apt+=(chromium)
  have_cmd chromium-headless-shell || need_apt+=(chromium-headless-shell)
fi
# Chinese text renders as boxes without a CJK font; WenQuanYi Zen Hei is the pinned one on Debian.
if have_cmd dpkg; then
  dpkg -s fonts-wqy-zenhei >/dev/null 2>&1 || need_apt+=(fonts-wqy-zenhei)
elif ! (have_cmd fc-list && fc-list :lang=zh | grep -q .); then
  echo "no CJK font found: install one (e.g. WenQuanYi Zen Hei) or Chinese shows as boxes" >&2
fi
if [ "$mode" = test ]; then
  have_cmd xvfb-run || need_apt+=(xvfb xauth)
fi

if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! have_cmd apt-get; then
    echo "missing system packages: ${need_apt[*]} (install them, or run this script as root on Debian)" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
case "$mode" in
  demo)
    .venv/bin/python -m pip install -q .
    exec .venv/bin/sweeper demo
    ;;
  test)
    .venv/bin/python -m pip install -q -e ".[test]"
    .venv/bin/ruff check .
    .venv/bin/mypy sweeper flows
    exec xvfb-run -a --server-args="-screen 0 1366x900x24" .venv/bin/pytest -q
    ;;
  *)
    echo "usage: bash scripts/setup.sh demo|test" >&2
    exit 2
    ;;
esac
