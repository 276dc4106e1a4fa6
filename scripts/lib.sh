# shellcheck shell=bash
# Shared helpers for bootstrap, run-tests and .ci/run (sourced, not run).
# Each step's tool output goes to a log under .bootstrap/log/, shown only when the step fails,
# so a good run prints one line per step with its time.

EXCERT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXCERT_STATE="$EXCERT_ROOT/.bootstrap"
EXCERT_CACHE="${EXCERT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/excert}"
EXCERT_PWSH_VERSION="${EXCERT_PWSH_VERSION:-7.6.9}"
EXCERT_PESTER_VERSION="${EXCERT_PESTER_VERSION:-5.9.1}"
mkdir -p "$EXCERT_STATE/log"

_prog="$(basename "$0")"

# Seconds since the epoch with microseconds (bash 5's EPOCHREALTIME; date as a fallback).
now() { echo "${EPOCHREALTIME:-$(date +%s.%N)}"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

say() { echo "$_prog: $*"; }
warn() { echo "$_prog: $*" >&2; }
die() { echo "$_prog: error: $*" >&2; exit 1; }

# step NAME FUNCTION [ARGS...]: run FUNCTION in a subshell with `set -e` in force and its output
# in .bootstrap/log/NAME.log; print "NAME ok (N s)" with the step's note, or the log's tail and exit.
# (It runs as a background job because bash ignores `set -e` inside anything tested with `||`.)
# Steps hand results to later steps through files, and a one-line note through note_file.
note_file="$EXCERT_STATE/log/note"
step() {
  local name="$1"; shift
  local log="$EXCERT_STATE/log/$name.log" t0 rc=0 note=""
  t0="$(now)"; rm -f "$note_file"
  ( set -euo pipefail; "$@" ) >"$log" 2>&1 </dev/null &
  wait $! || rc=$?
  [ -f "$note_file" ] && note="$(cat "$note_file")"
  if [ "$rc" -ne 0 ]; then
    echo "$_prog: $name FAILED after $(elapsed "$t0") s (exit $rc); last lines of $log:" >&2
    tail -n 40 "$log" | sed 's/^/  | /' >&2
    [ -n "$note" ] && echo "$_prog: error: $note" >&2
    exit "$rc"
  fi
  printf '%s: %-8s ok %6s s%s\n' "$_prog" "$name" "$(elapsed "$t0")" "${note:+  $note}"
}

# note TEXT: the step's one-line summary. fail TEXT: end the step with a message that names the
# problem and the fix.
note() { echo "$*" >"$note_file"; }
fail() { echo "$*" >"$note_file"; exit 1; }

have() { command -v "$1" >/dev/null 2>&1; }

# version_ge A B: A >= B for dotted versions.
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

# The cargo target directory (honours CARGO_TARGET_DIR and build.target-dir).
target_dir() {
  cargo metadata --format-version 1 --no-deps --manifest-path "$EXCERT_ROOT/Cargo.toml" 2>/dev/null \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])'
}

# The native library's file name on this OS.
lib_name() {
  case "$(uname -s)" in
    Darwin) echo libexcert.dylib ;;
    MINGW* | MSYS* | CYGWIN*) echo excert.dll ;;
    *) echo libexcert.so ;;
  esac
}

# The pwsh that bootstrap chose (recorded in .bootstrap/pwsh), else one >= 7.2 on PATH.
find_pwsh() {
  local p
  if [ -f "$EXCERT_STATE/pwsh" ]; then
    p="$(cat "$EXCERT_STATE/pwsh")"
    [ -x "$p" ] && { echo "$p"; return 0; }
  fi
  p="$(command -v pwsh || true)"
  [ -n "$p" ] && pwsh_ok "$p" && { echo "$p"; return 0; }
  return 1
}

# pwsh_ok PATH: PATH runs and is PowerShell 7.2 or newer.
pwsh_ok() {
  local v
  v="$("$1" -NoProfile -NonInteractive -c '$PSVersionTable.PSVersion.ToString()' 2>/dev/null </dev/null)" || return 1
  version_ge "${v%%-*}" 7.2
}

# The version of this release: Cargo.toml's, the one source every package and manifest takes.
crate_version() { sed -n 's/^version *= *"\(.*\)"/\1/p' "$EXCERT_ROOT/Cargo.toml" | head -n1; }

# The ABI version (EXCERT_ABI_VERSION in src/ffi/mod.rs), which is the soname's number.
abi_version() { sed -n 's/^pub const EXCERT_ABI_VERSION: u32 = \([0-9]*\);/\1/p' "$EXCERT_ROOT/src/ffi/mod.rs"; }

# The .NET runtime identifier of this machine (linux-x64, osx-arm64 ...), as the module's loader
# names its bin/<rid>/ folder (Library.RuntimeId in powershell/ExchangeCertificate/LibraryDiscovery.cs).
dotnet_rid() {
  local os arch
  case "$(uname -s)" in
    Darwin) os=osx ;; MINGW* | MSYS* | CYGWIN*) os=win ;; *) os=linux ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; armv7* | armhf) arch=arm ;;
    i?86) arch=x86 ;; *) arch="$(uname -m)" ;;
  esac
  echo "$os-$arch"
}

# ready_to_run DLL REFERENCES_DIR FRAMEWORK_DIR: compiles DLL's methods to native code for this
# RID beside its IL (crossgen2, as Microsoft compiles pwsh itself), against the assemblies of
# REFERENCES_DIR (the pwsh that loads it) and the shared framework, so a ReadyToRun pwsh
# JIT-compiles none of it (docs/performance.md). The image stays valid on any .NET of the same
# major: the runtime uses the IL for code it cannot use, never wrong code. crossgen2 comes from
# the SDK's own restore (scripts/crossgen2). On failure DLL stays as it was and ready_to_run_why
# says why. Used by scripts/package-module (the shipped shim) and bench/r2r-compile.
ready_to_run() {
  local dll="$1" references="${2:-}" framework="${3:-}" crossgen rid work
  ready_to_run_why=""
  [ -d "$references" ] && [ -d "$framework" ] || { ready_to_run_why="the references' or .NET's folder not found"; return 1; }
  work="$(mktemp -d)"
  if ! crossgen="$("$EXCERT_ROOT/scripts/crossgen2" "$(basename "$framework")" 2>"$work/log")"; then
    ready_to_run_why="$(tail -n1 "$work/log")"
    rm -rf "$work"
    return 1
  fi
  rid="$(dotnet_rid)"
  if ! "$crossgen" "$dll" -o "$work/compiled.dll" -O --targetos "${rid%-*}" --targetarch "${rid##*-}" \
      -r "$references/*.dll" -r "$framework/*.dll" >"$work/log" 2>&1; then
    ready_to_run_why="crossgen2 failed ($(tail -n1 "$work/log"))"
    rm -rf "$work"
    return 1
  fi
  install -m 0644 "$work/compiled.dll" "$dll"
  rm -rf "$work"
}
