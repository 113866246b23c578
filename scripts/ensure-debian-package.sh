#!/usr/bin/env bash
# Installs a Debian package when its command is missing: what the tests and
# benchmarks need beyond npm (Chromium for Playwright, ripgrep as the search
# benchmark's reference) comes from Debian's apt, the one other registry here.
# Usage: scripts/ensure-debian-package.sh COMMAND PACKAGE
set -euo pipefail
command="$1"
package="$2"
if command -v "$command" >/dev/null 2>&1; then exit 0; fi
echo "Installing Debian's $package…"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$package" >/dev/null
