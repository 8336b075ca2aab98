#!/bin/sh
# test.sh - installs what is missing, builds with ASan+UBSan and runs every
# test (tests/run). Ends with "N passed, N failed".
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
"$src/tools/deps.sh" test
exec "$src/tests/run" "$@"
