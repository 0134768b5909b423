#!/usr/bin/env bash
# Run the test suite: ./scripts/test.sh [pytest arguments]
# Installs what is missing first (system packages on Debian/Ubuntu, .venv, the
# project with its test tools), then runs pytest from the repository root.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"

facegym_setup test
cd "$FACEGYM_ROOT"
status=0
"$FACEGYM_VENV/bin/python" -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
    # pytest's "no tests collected": a typo in a path or -k must not pass quietly.
    facegym_say "no tests were collected; check the paths and -k/-m filters given"
    exit 1
fi
exit "$status"
