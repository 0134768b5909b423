#!/usr/bin/env bash
# Run FaceGym Desktop from this checkout: ./scripts/app.sh [facegym arguments]
# Installs what is missing first (system packages on Debian/Ubuntu, .venv, the app).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"

facegym_setup app
exec "$FACEGYM_VENV/bin/facegym" "$@"
