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
# A repository that installs the module as a toolchain (dagger.json "toolchains", which
# `monorepo-ci init` writes) calls its functions under the toolchain's name; the generator sets
# it from dagger.json, and only a plain name is ever passed on.
if [[ -n "${MONOREPO_CI_TOOLCHAIN:-}" ]]; then
  if [[ ! "$MONOREPO_CI_TOOLCHAIN" =~ ^[a-z][a-z0-9-]{0,62}$ ]]; then
    echo "run-dagger: MONOREPO_CI_TOOLCHAIN must be a toolchain name (lowercase letters, digits, dashes)" >&2
    exit 2
  fi
  exec dagger -v call "$MONOREPO_CI_TOOLCHAIN" "$@"
fi
exec dagger -v call "$@"
