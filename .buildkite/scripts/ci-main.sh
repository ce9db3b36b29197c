#!/usr/bin/env bash
# ci-main.sh <function> [args...]: for steps whose function needs values of this build (the
# commit, the tag, the repository). They are read from the environment here, at run time, each as
# one argv element: the generator only ever emits constants and env://NAME secret references,
# which arrive in "$@".
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fn="${1:?usage: ci-main.sh <function> [args...]}"
shift

# owner/name from the clone URL, SSH or HTTPS form.
repo_slug() {
  local url="${1%.git}"
  url="${url#*://}"
  url="${url#*@}"
  url="${url#*[:/]}"
  printf '%s\n' "$url"
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
    args+=("--tag=${BUILDKITE_TAG:?}" "--repository=$(repo_slug "${BUILDKITE_REPO:?}")")
    ;;
  *)
    echo "ci-main.sh: no run-time arguments are defined for $fn" >&2
    exit 2
    ;;
esac
exec "$here/run-dagger.sh" "$fn" "${args[@]}" "$@"
