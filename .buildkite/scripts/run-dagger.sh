#!/usr/bin/env bash
# Runs one Dagger function on the shared engine: run-dagger.sh <function> [args...]. Arguments pass
# through untouched. No retry loop: Buildkite's automatic retry covers lost agents and engines.
set -euo pipefail
if [[ -n "${MONOREPO_CI_HOST_CHECKS:-}" ]]; then
  # run-pipeline.ts --host-checks: the catalog's host command for this function, with no engine.
  exec bun --no-env-file --config=/dev/null "$(dirname "${BASH_SOURCE[0]}")/../../.dagger/cli/host-run.ts" "$@"
fi
# shellcheck source=setup-dagger.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup-dagger.sh"
exec dagger -v call "$@"
