#!/usr/bin/env bash
# scripts/test.sh -- Keel's test command: install missing build/test dependencies (Debian 12,
# apt-get, only what `dpkg -s` reports missing), build `build` (normal) and `build-asan`
# (AddressSanitizer + UBSan, leaks detected), then run every meson test (unit, fuzz corpus
# replay, integration against redis-server and keel-server) in both. Exits non-zero when
# anything fails.
#
# Usage: sudo bash scripts/test.sh [--deps-only | --run-deps-only] [--no-asan]
#   --deps-only      only install the missing packages
#   --run-deps-only  only install what building and running need (scripts/run.sh uses this:
#                    no redis-server package, whose service would take port 6379)
#   --no-asan    skip the sanitizer build (quicker local runs; CI runs both)
# Environment: JOBS (ninja -j), KEEL_TEST_ARGS (extra `meson test` arguments).
# SPDX-License-Identifier: BSD-3-Clause
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

RUN_PACKAGES=(build-essential pkg-config meson ninja-build libuv1-dev libssl-dev libyaml-dev
              libjemalloc-dev
              redis-tools)
PACKAGES=("${RUN_PACKAGES[@]}" check python3-redis python3-pytest redis-server
          prometheus-redis-exporter)
DEPS_ONLY=0
ASAN=1
for arg in "$@"; do
    case $arg in
        --deps-only) DEPS_ONLY=1 ;;
        --run-deps-only) DEPS_ONLY=1; PACKAGES=("${RUN_PACKAGES[@]}") ;;
        --no-asan) ASAN=0 ;;
        -h|--help) awk 'NR > 1 { if (/^#/) { sub(/^# ?/, ""); print } else exit }' "$0"; exit 0 ;;
        *) echo "test.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
    esac
done

log() { printf '[test.sh %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

install_missing() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        # dpkg -s also succeeds for removed packages that left config files: check Status
        [[ $(dpkg -s "$p" 2>/dev/null | sed -n 's/^Status: //p') == "install ok installed" ]] ||
            missing+=("$p")
    done
    if ((${#missing[@]} == 0)); then
        log "all packages present"
        return 0
    fi
    log "installing missing packages: ${missing[*]}"
    local sudo=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null || { log "not root and no sudo: install ${missing[*]}"; exit 1; }
        sudo=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends "${missing[@]}"
}

# setup_build DIR [meson options...] -- configure once; ninja reconfigures when needed.
setup_build() {
    local dir=$1; shift
    if [[ ! -f $dir/build.ninja ]]; then
        rm -rf "$dir"
        meson setup "$dir" "$@"
    fi
}

install_missing
((DEPS_ONLY)) && exit 0

JOBS=${JOBS:-$(nproc)}
start=$(date +%s)
status=0
declare -a summary=()

run_suite() {  # name dir
    local name=$1 dir=$2 rc=0
    log "building $dir"
    if ! ninja -C "$dir" -j "$JOBS"; then
        summary+=("$name: BUILD FAILED"); status=1; return
    fi
    log "testing $dir"
    rm -f "$dir/meson-logs/testlog.json"   # the summary must count this run only
    # shellcheck disable=SC2086
    meson test -C "$dir" --print-errorlogs ${KEEL_TEST_ARGS:-} || rc=$?
    if ((rc)); then summary+=("$name: TESTS FAILED (meson test exit $rc)"); status=1
    else summary+=("$name: ok"); fi
}

setup_build build
run_suite normal build

if ((ASAN)); then
    setup_build build-asan -Db_sanitize=address,undefined -Db_lundef=false
    # halt at the first error; leaks count as errors; UBSan prints where.
    export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:abort_on_error=0:print_summary=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:print_summary=1}
    export LSAN_OPTIONS=${LSAN_OPTIONS:-print_suppressions=0}
    run_suite asan build-asan
fi

log "summary ($(( $(date +%s) - start ))s):"
for line in "${summary[@]}"; do log "  $line"; done
dirs=(build)
((ASAN)) && dirs+=(build-asan)
/usr/bin/python3 scripts/test-summary.py tests "${dirs[@]}" || true
exit "$status"
