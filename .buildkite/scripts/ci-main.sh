#!/usr/bin/env bash
# ci-main.sh <function> [args...]: for steps whose function needs values of this build (the
# commit, the tag, the repository). They are read from the environment here, at run time, each as
# one argv element: the generator only ever emits constants and env://NAME secret references,
# which arrive in "$@".
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fn="${1:?usage: ci-main.sh <function> [args...]}"
shift

# owner/name from the clone URL: the last two path components, whatever the form
# (git@host:org/repo.git, https://host/org/repo/, ssh://git@host:22/org/repo.git).
repo_slug() {
  local url="$1" name rest owner
  while [[ "$url" == */ ]]; do url="${url%/}"; done
  url="${url%.git}"
  name="${url##*[/:]}"
  rest="${url%[/:]*}"
  owner="${rest##*[/:]}"
  if [[ ! "$owner/$name" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ || "$rest" == "$url" ]]; then
    echo "ci-main.sh: cannot tell owner/name from BUILDKITE_REPO '$1'" >&2
    return 2
  fi
  printf '%s/%s\n' "$owner" "$name"
}

args=(--source=.)
case "$fn" in
  ci)
    if [[ -n "${BUILDKITE_COMMIT:-}" ]]; then args+=("--git-sha=${BUILDKITE_COMMIT}"); fi
    ;;
  publish)
    args+=("--git-sha=${BUILDKITE_COMMIT:?}" "--version=${BUILDKITE_TAG#v}" "--registry=${PUBLISH_REGISTRY:?set by the generated step}")
    ;;
  github-release)
    slug="$(repo_slug "${BUILDKITE_REPO:?}")" || exit 2
    args+=("--tag=${BUILDKITE_TAG:?}" "--repository=${slug}")
    ;;
  *)
    echo "ci-main.sh: no run-time arguments are defined for $fn" >&2
    exit 2
    ;;
esac
exec "$here/run-dagger.sh" "$fn" "${args[@]}" "$@"
