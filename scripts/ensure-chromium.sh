#!/usr/bin/env bash
# The browser test opens the demo's HTML page in Debian's Chromium. `npm test` runs this
# first: it installs the package when it is missing and it can (as root, with apt-get), and
# otherwise fails, naming the package. The test never skips itself silently.
set -euo pipefail
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium_path" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "npm test: installing Debian's chromium for the browser test" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  exit 0
fi
echo "npm test: the browser test needs Chromium at $chromium_path: install Debian's package 'chromium' (apt-get install chromium), or set CHROMIUM_PATH" >&2
exit 1
