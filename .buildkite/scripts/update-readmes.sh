#!/usr/bin/env bash
# Default branch only: regenerate the catalog-driven sections and push a commit only when they
# changed. The commit carries [skip ci] and the bot's address, and the generator never schedules
# this step for such a build, so it never reacts to its own commit.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# No setup here: run-dagger.sh sets up Dagger when it calls it, and under --host-checks it runs
# the host command instead, so host mode never installs anything or needs an engine.
: "${README_COMMIT_MESSAGE:?set by the generated step}" "${README_BOT_EMAIL:?set by the generated step}"
: "${BUILDKITE_BRANCH:?}" "${GITHUB_TOKEN:?the secret of this step}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$here/run-dagger.sh" update-readmes --source=. export --path="$work/out" >&2

files=()
while IFS= read -r -d '' f; do
  files+=("${f#"$work/out/"}")
done < <(find "$work/out" -type f -print0)
for f in "${files[@]}"; do
  cp -- "$work/out/$f" "$f"
done
if ((${#files[@]} == 0)) || git diff --quiet -- "${files[@]}"; then
  echo "update-readmes: the generated sections are up to date" >&2
  exit 0
fi

git add -- "${files[@]}"
git -c user.name="monorepo-ci bot" -c user.email="$README_BOT_EMAIL" commit --quiet -m "$README_COMMIT_MESSAGE"
# The token reaches git through a credential helper's own shell, never through an argument.
# shellcheck disable=SC2016
git -c credential.helper='!f() { echo username=x-access-token; echo "password=${GITHUB_TOKEN}"; }; f' \
  push origin "HEAD:refs/heads/${BUILDKITE_BRANCH}"
