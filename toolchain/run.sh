#!/usr/bin/env bash
# Bootstraps the toolchain, then runs a Node program under the pinned Node with the project's tools on PATH.
# Usage: toolchain/run.sh [--test] <script or node args...>
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
flag=""; if [ "${1:-}" = "--test" ]; then flag=--test; shift; fi
bash "$ROOT/toolchain/bootstrap.sh" $flag
export PATH="$ROOT/.tools/node/bin:$ROOT/.tools/bin:$ROOT/node_modules/.bin:$PATH"
export TZ=UTC
export TEMPORAL_CLI="${TEMPORAL_CLI:-$ROOT/.tools/bin/temporal}"
export TEMPORAL_TEST_SERVER="${TEMPORAL_TEST_SERVER:-$ROOT/.tools/bin/temporal-test-server}"
exec "$ROOT/.tools/node/bin/node" "$@"
