#!/usr/bin/env bash
# The system programs the tests use: Debian's Chromium (the browser tests open the demo's
# page and the trace view) and Debian's nats-server (the cluster suites run a real one).
# `npm test` runs this first: it installs what is missing when it can (as root, with
# apt-get), and otherwise fails naming the package. No test ever skips itself silently.
set -euo pipefail
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
nats_path="${NATS_SERVER_PATH:-}"
missing=()
if [ ! -x "$chromium_path" ]; then missing+=(chromium); fi
if [ -n "$nats_path" ]; then
  [ -x "$nats_path" ] || { echo "npm test: NATS_SERVER_PATH=$nats_path is not an executable nats-server" >&2; exit 1; }
elif [ ! -x /usr/sbin/nats-server ] && [ ! -x /usr/bin/nats-server ]; then
  missing+=(nats-server)
fi
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "npm test: installing Debian's ${missing[*]} for the tests" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "npm test: the tests need Debian's package(s) ${missing[*]}: apt-get install ${missing[*]} (or set CHROMIUM_PATH / NATS_SERVER_PATH)" >&2
exit 1
