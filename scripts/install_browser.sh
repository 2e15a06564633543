#!/usr/bin/env bash
# The browser the desk's tests drive (tests/test_desk_browser.py): Debian's chromium, through Playwright's
# executable_path; Playwright's own browser downloads are never used. Does nothing when it is already there.
set -euo pipefail
BROWSER=${MOJAZ_CHROMIUM:-/usr/bin/chromium}
if [ -x "$BROWSER" ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo -n"
fi
echo "install_browser: $BROWSER is missing; installing chromium and chromium-driver with apt-get" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends --no-upgrade chromium chromium-driver
"$BROWSER" --version
