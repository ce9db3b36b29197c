# monorepo-ci tasks. `just` lists them; every check recipe runs the catalog's host command.

set shell := ["bash", "-euo", "pipefail", "-c"]

default:
    @just --list

# BEGIN GENERATED: check recipes (from the catalog; `bun run readmes` rewrites them)

# Workspace conformance: real scripts, membership, metadata, LICENSE, bun.lock, no key files.
compliance *args:
    bun run check compliance {{ args }}

# Suppression ratchet, ESLint, Prettier, ShellCheck, actionlint, secretlint and Trivy.
quality *args:
    bun run check quality {{ args }}

# The mobile workspace: typecheck, lint, format check and tests in parallel.
mobile *args:
    bun run check mobile {{ args }}

# The birmel service: generate, typecheck/lint/test, build, then a health-endpoint smoke test.
birmel *args:
    bun run check birmel {{ args }}

# Every other workspace package: typecheck, lint, test and build, all reported.
packages *args:
    bun run check packages {{ args }}

# Runs the five checks concurrently, then the workspace build; returns a summary table.
ci *args:
    bun run check ci {{ args }}

# Reviews a PR diff: lint findings in changed files, suppressions added, and the checks it triggers.
code-review *args:
    bun run review --diff {{ args }}

# Regenerates the catalog-driven sections of README.md and the justfile.
update-readmes *args:
    bun run readmes {{ args }}

# The executables monorepo-ci.json declares, for every target, with a SHA256SUMS file.
binaries *args:
    bun run binaries {{ args }}

# END GENERATED: check recipes

# The test suite, as CI runs it.
test:
    bun test

# Type-check the module against the real Dagger SDK types, and everything else.
typecheck:
    bunx tsc -p .dagger --noEmit
    bunx tsc -p . --noEmit

# Run any Buildkite pipeline on this machine: just pipeline-run [FILE|-] [options]
pipeline-run *args:
    bun .buildkite/run-pipeline.ts {{ args }}

# Generate this repo's pipeline and run it here end to end, each Dagger step as its host command.
ci-local *args:
    mkdir -p .buildkite/.local
    BUILDKITE_BRANCH=ci-local BUILDKITE_PIPELINE_DEFAULT_BRANCH=main bun .buildkite/generate-pipeline.ts > .buildkite/.local/pipeline.json
    bun .buildkite/run-pipeline.ts .buildkite/.local/pipeline.json --host-checks {{ args }}

# Cut a release: just release patch|minor|major [--dry-run] [--yes] ...
release bump *args:
    bun .buildkite/scripts/release.ts --bump {{ bump }} {{ args }}

# The module's functions as `dagger functions` would list them, from the SDK's introspector.
functions:
    bun run dagger:functions
