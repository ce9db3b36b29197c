#!/usr/bin/env bash
# The ci step. Branch-specific arguments are read from the environment here, at run time, as
# single argv elements; the generator only ever emits constants and env://NAME secret references,
# which arrive in "$@".
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
args=(--source=.)
if [[ -n "${BUILDKITE_COMMIT:-}" ]]; then
  args+=("--git-sha=${BUILDKITE_COMMIT}")
fi
exec "$here/run-dagger.sh" ci "${args[@]}" "$@"
