#!/usr/bin/env bash
# Pull requests: diff against the merge base, run the code-review function, post its Markdown as a
# Buildkite annotation. Fails when the review requests changes; the step is soft_fail.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# No setup here: run-dagger.sh sets up Dagger when it calls it, and under --host-checks it runs
# the host command instead, so host mode never installs anything or needs an engine.

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [[ -n "${CI_DIFF_BASE:-}" ]]; then
  base="$CI_DIFF_BASE"
else
  target="${BUILDKITE_PULL_REQUEST_BASE_BRANCH:-${BUILDKITE_PIPELINE_DEFAULT_BRANCH:-main}}"
  if ! git check-ref-format "refs/heads/${target}" || [[ "$target" == -* ]]; then
    echo "code-review: the base branch '${target}' is not a valid branch name" >&2
    exit 2
  fi
  git fetch --quiet --depth=200 origin "+refs/heads/${target}:refs/remotes/origin/${target}"
  if ! base="$(git merge-base HEAD "refs/remotes/origin/${target}")"; then
    git fetch --quiet --unshallow origin || true
    base="$(git merge-base HEAD "refs/remotes/origin/${target}")"
  fi
fi
# quotePath off: non-ASCII paths (ü.ts) as they are, not as quoted octal escapes.
git -c core.quotePath=false diff --no-color --end-of-options "$base" HEAD >"$work/pr.diff"

"$here/run-dagger.sh" code-review --source=. --diff="$work/pr.diff" >"$work/review.md"

status=0
style=info
if grep -qF '<!-- monorepo-ci: changes requested -->' "$work/review.md"; then
  style=warning
  status=1
fi
buildkite-agent annotate --style "$style" --context code-review <"$work/review.md"
exit "$status"
