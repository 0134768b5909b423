# shellcheck shell=bash
# Set-up shared by scripts/app.sh and scripts/test.sh. Source it, then call
#   facegym_setup app|test
# It checks the system packages (Debian/Ubuntu only), makes .venv if needed and
# installs the project into it when pyproject.toml changed since the last install.
#
# Knobs (environment):
#   FACEGYM_PYTHON=/path/to/python        interpreter for a new .venv (default: the
#                                         first of python3, python3.13, python3.12,
#                                         python3.11 that is 3.11 or newer)
#   FACEGYM_SKIP_SYSTEM_PACKAGES=1        do not look at system packages at all
#
# Every message goes to stderr, so the app's own output on stdout stays clean.
# Written for bash 3.2 too (macOS): no empty-array expansion under `set -u`.

FACEGYM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FACEGYM_VENV="$FACEGYM_ROOT/.venv"
FACEGYM_MIN_PYTHON="3.11"

# What Qt needs on X11 and what the spoken coach needs (see docs/contracts.md, System packages).
FACEGYM_APP_PACKAGES=(
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
    libxcb-shape0 libxcb-randr0 libxcb-xkb1 libxkbcommon-x11-0
    libegl1 libgl1 libfontconfig1 libdbus-1-3
    espeak-ng alsa-utils
)
# Extra tools the test suite drives: a virtual X screen, screenshots, audio
# checks, the validators for the desktop metadata, and binutils (PyInstaller reads
# the libraries it bundles with objdump).
FACEGYM_TEST_PACKAGES=(
    xvfb xauth xdotool x11-utils imagemagick sox appstream desktop-file-utils binutils
)
# Without these the test suite cannot start Qt at all, so a non-root run stops.
FACEGYM_TEST_ESSENTIAL=(libegl1 libgl1 libfontconfig1 libxkbcommon-x11-0 libdbus-1-3)

facegym_say() { printf 'facegym: %s\n' "$*" >&2; }
facegym_die() {
    printf 'facegym: error: %s\n' "$*" >&2
    exit 1
}

facegym_is_ci() {
    case "${CI:-}" in
        1 | true | TRUE | True | yes) return 0 ;;
        *) return 1 ;;
    esac
}

# Run a noisy command quietly; on failure show the end of its output.
facegym_quietly() {
    local log status=0
    log="$(mktemp "${TMPDIR:-/tmp}/facegym-setup.XXXXXX")"
    "$@" >"$log" 2>&1 || status=$?
    if [ "$status" -eq 0 ]; then
        rm -f "$log"
        return 0
    fi
    printf 'facegym: this command failed (exit %s): %s\n' "$status" "$*" >&2
    tail -n 30 "$log" >&2
    printf 'facegym: full output: %s\n' "$log" >&2
    return "$status"
}

# --- system packages -------------------------------------------------------

facegym_deb_installed() {
    # Multi-arch packages print one line per architecture; any "ii" will do.
    dpkg-query -W -f='${db:Status-Abbrev}\n' "$1" 2>/dev/null | grep -q '^ii'
}

# Prints "<missing> <missing> ..." from the package names given.
facegym_deb_missing() {
    local package missing=""
    for package in "$@"; do
        facegym_deb_installed "$package" || missing="$missing $package"
    done
    printf '%s' "${missing# }"
}

facegym_contains() {
    local needle="$1" item
    shift
    for item in "$@"; do
        [ "$item" = "$needle" ] && return 0
    done
    return 1
}

# The venv module lives in its own Debian package; only matters for a new .venv.
facegym_venv_package() {
    local python="$1"
    [ -x "$FACEGYM_VENV/bin/python" ] && return 0
    if [ -z "$python" ]; then
        # Only when there is no python3 at all; an old one needs a newer release.
        command -v python3 >/dev/null 2>&1 || printf 'python3 python3-venv'
        return 0
    fi
    if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        printf 'python%s-venv' "$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    fi
}

facegym_system_packages() {
    local flavour="$1" python="$2"
    if [ -n "${FACEGYM_SKIP_SYSTEM_PACKAGES:-}" ]; then
        return 0
    fi
    if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
        facegym_say "not a Debian/Ubuntu system: skipping the system package check (see README)"
        return 0
    fi

    local wanted=("${FACEGYM_APP_PACKAGES[@]}")
    if [ "$flavour" = test ]; then
        wanted+=("${FACEGYM_TEST_PACKAGES[@]}")
    fi
    local missing extra
    missing="$(facegym_deb_missing "${wanted[@]}")"
    extra="$(facegym_venv_package "$python")"
    if [ -n "$extra" ]; then
        missing="${missing:+$missing }$extra"
    fi
    [ -z "$missing" ] && return 0

    if [ "$(id -u)" -eq 0 ]; then
        facegym_say "installing system packages: $missing"
        export DEBIAN_FRONTEND=noninteractive
        # shellcheck disable=SC2086  # the list is meant to split into words
        if ! facegym_quietly apt-get update -q ||
            ! facegym_quietly apt-get install -y -q --no-install-recommends $missing; then
            facegym_die "could not install the system packages above"
        fi
        return 0
    fi

    local install_line="sudo apt-get install --no-install-recommends $missing"
    facegym_say "missing system packages: $missing"
    facegym_say "install them with: $install_line"
    if [ "$flavour" = app ]; then
        facegym_say "carrying on; the window or the voice may not work until then"
        return 0
    fi
    # Tests: stop when Qt cannot start (or anything is missing in CI, where every
    # test must run); otherwise the tests that need a missing tool are skipped.
    local package
    for package in $missing; do
        case "$package" in
            python3 | python3*-venv) facegym_die "cannot make .venv without $package; run the line above first" ;;
        esac
        if facegym_is_ci || facegym_contains "$package" "${FACEGYM_TEST_ESSENTIAL[@]}"; then
            facegym_die "cannot run the tests without $package; run the line above first"
        fi
    done
    facegym_say "carrying on; tests that need the missing tools will be skipped"
}

# --- Python and the virtual environment ------------------------------------

facegym_python_ok() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1
}

# Prints the interpreter to build .venv with, or nothing when none is suitable.
facegym_find_python() {
    local candidate
    if [ -n "${FACEGYM_PYTHON:-}" ]; then
        printf '%s' "$FACEGYM_PYTHON"
        return 0
    fi
    for candidate in python3 python3.13 python3.12 python3.11; do
        if command -v "$candidate" >/dev/null 2>&1 && facegym_python_ok "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
}

facegym_make_venv() {
    local python="$1"
    if [ -x "$FACEGYM_VENV/bin/python" ] && "$FACEGYM_VENV/bin/python" -c '' >/dev/null 2>&1; then
        return 0
    fi
    if [ -e "$FACEGYM_VENV" ]; then
        facegym_say "the existing .venv does not run; making a new one"
        rm -rf "$FACEGYM_VENV"
    fi
    if [ -z "$python" ]; then
        facegym_die "FaceGym needs Python $FACEGYM_MIN_PYTHON or newer and none was found" \
            "(tried python3, python3.13, python3.12, python3.11; set FACEGYM_PYTHON to choose one;" \
            "on Ubuntu 22.04: sudo apt-get install python3.11 python3.11-venv)"
    fi
    if ! facegym_python_ok "$python"; then
        facegym_die "FaceGym needs Python $FACEGYM_MIN_PYTHON or newer; $python is" \
            "$("$python" -c 'import platform; print(platform.python_version())' 2>/dev/null || echo unusable)"
    fi
    facegym_say "creating .venv with $("$python" -c 'import platform; print("Python", platform.python_version())')"
    facegym_quietly "$python" -m venv "$FACEGYM_VENV" ||
        facegym_die "could not create .venv (on Debian/Ubuntu the venv module is in python3-venv)"
}

facegym_pyproject_hash() {
    "$FACEGYM_VENV/bin/python" -c '
import hashlib, sys
with open(sys.argv[1], "rb") as source:
    print(hashlib.sha256(source.read()).hexdigest())
' "$FACEGYM_ROOT/pyproject.toml"
}

# Installs the project (editable) unless the stamp says this pyproject.toml is in.
# The test install includes everything the app install does, so it counts for both.
facegym_install_project() {
    local flavour="$1" digest stamp
    digest="$(facegym_pyproject_hash)"
    if [ -x "$FACEGYM_VENV/bin/facegym" ]; then
        for stamp in "$FACEGYM_VENV/.facegym-installed-$flavour" "$FACEGYM_VENV/.facegym-installed-test"; do
            if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
                return 0
            fi
        done
    fi
    local target="."
    local note="FaceGym and its Python packages"
    if [ "$flavour" = test ]; then
        target=".[test]"
        note="FaceGym with its test tools"
    fi
    facegym_say "installing $note into .venv (the first time downloads about 250 MB)"
    (
        cd "$FACEGYM_ROOT" &&
            export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 &&
            facegym_quietly "$FACEGYM_VENV/bin/python" -m pip install -e "$target"
    ) || facegym_die "pip could not install the project (see the output above)"
    printf '%s\n' "$digest" >"$FACEGYM_VENV/.facegym-installed-$flavour"
}

# The whole set-up: system packages, .venv, project install. $1 is app or test.
facegym_setup() {
    local flavour="$1" python=""
    if [ ! -x "$FACEGYM_VENV/bin/python" ]; then
        python="$(facegym_find_python)"
    fi
    facegym_system_packages "$flavour" "$python"
    if [ -z "$python" ] && [ ! -x "$FACEGYM_VENV/bin/python" ]; then
        # The package step may just have installed python3.
        python="$(facegym_find_python)"
    fi
    facegym_make_venv "$python"
    facegym_install_project "$flavour"
}
