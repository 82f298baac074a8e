#!/usr/bin/env bash
# Builds the release binary and runs the cross-language benchmark suite (benches/run.py).
# All arguments go to run.py: --runs N, --filter NAME, --smoke, --markdown FILE, --runtimes LIST.
# The harness runs under the distro CPython (/usr/bin/python3.11, override with PYTHON=...),
# which is also the CPython that the other runtimes are compared with.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release
exec "${PYTHON:-/usr/bin/python3.11}" benches/run.py "$@"
