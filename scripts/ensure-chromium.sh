#!/usr/bin/env bash
# Playwright drives Debian's Chromium: the machines cannot download Playwright's own browser build.
exec bash "$(dirname "$0")/ensure-debian-package.sh" chromium chromium
