# shellcheck shell=bash
# Sourced by every step that calls Dagger, and idempotent: a second source in the same shell
# returns at once. It installs curl, jq, kubectl and dagger only when they are missing or at the
# wrong version, finds the shared engine, and installs the module's dependencies.
#
# Engine, first that is set: _EXPERIMENTAL_DAGGER_RUNNER_HOST; DAGGER_ENGINE_ADDR; else the first
# Ready pod labelled DAGGER_ENGINE_LABEL in namespace DAGGER_ENGINE_NAMESPACE, via kubectl.

if [[ -n "${_DAGGER_SETUP_DONE:-}" ]]; then
  return 0
fi

_dagger_setup_arch() {
  case "$(uname -m)" in
    x86_64 | amd64) echo amd64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) uname -m ;;
  esac
}

_dagger_setup() {
  local root bin
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  bin="${DAGGER_BIN_DIR:-$HOME/.local/bin}"
  mkdir -p "$bin"
  case ":$PATH:" in
    *":$bin:"*) ;;
    *) export PATH="$bin:$PATH" ;;
  esac

  local missing=()
  command -v curl >/dev/null || missing+=(curl)
  command -v jq >/dev/null || missing+=(jq)
  if ((${#missing[@]})); then
    echo "setup-dagger: installing ${missing[*]}" >&2
    if command -v apt-get >/dev/null; then
      apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null || return 1
    elif command -v apk >/dev/null; then
      apk add --no-cache "${missing[@]}" >/dev/null || return 1
    else
      echo "setup-dagger: ${missing[*]} missing and neither apt-get nor apk is available" >&2
      return 1
    fi
  fi

  local want_dagger want_kubectl have
  want_dagger="$(jq -r '.engineVersion // empty' "$root/dagger.json")" || {
    echo "setup-dagger: dagger.json is not valid JSON" >&2
    return 1
  }
  want_kubectl="$(jq -r '.tools.kubectl // empty' "$root/.dagger/versions.json")" || {
    echo "setup-dagger: .dagger/versions.json is not valid JSON" >&2
    return 1
  }
  if [[ ! "$want_dagger" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    echo "setup-dagger: dagger.json: engineVersion must be a release such as v0.21.9 (found '${want_dagger:-nothing}')" >&2
    return 1
  fi
  if [[ ! "$want_kubectl" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    echo "setup-dagger: .dagger/versions.json: tools.kubectl must be a release such as v1.31.4 (found '${want_kubectl:-nothing}')" >&2
    return 1
  fi

  have="$(kubectl version --client -o json 2>/dev/null | jq -r '.clientVersion.gitVersion // empty' 2>/dev/null || true)"
  if [[ "$have" != "$want_kubectl" ]]; then
    echo "setup-dagger: installing kubectl $want_kubectl (found ${have:-none})" >&2
    curl -fsSL -o "$bin/kubectl" "https://dl.k8s.io/release/${want_kubectl}/bin/linux/$(_dagger_setup_arch)/kubectl" || return 1
    chmod +x "$bin/kubectl"
  fi

  have="$(dagger version 2>/dev/null | awk '{print $2}' || true)"
  if [[ "$have" != "$want_dagger" ]]; then
    echo "setup-dagger: installing dagger $want_dagger (found ${have:-none})" >&2
    curl -fsSL https://dl.dagger.io/dagger/install.sh | BIN_DIR="$bin" DAGGER_VERSION="${want_dagger#v}" sh >&2 || return 1
  fi
  hash -r

  if [[ -n "${_EXPERIMENTAL_DAGGER_RUNNER_HOST:-}" ]]; then
    :
  elif [[ -n "${DAGGER_ENGINE_ADDR:-}" ]]; then
    export _EXPERIMENTAL_DAGGER_RUNNER_HOST="$DAGGER_ENGINE_ADDR"
  else
    local ns="${DAGGER_ENGINE_NAMESPACE:-dagger}" label="${DAGGER_ENGINE_LABEL:-name=dagger-dagger-helm-engine}" pods pod
    if ! pods="$(kubectl get pods --namespace "$ns" --selector "$label" -o json)"; then
      echo "setup-dagger: kubectl could not list pods in namespace $ns" >&2
      return 1
    fi
    if ! jq -e 'type == "object"' >/dev/null 2>&1 <<<"$pods"; then
      echo "setup-dagger: kubectl get pods did not return JSON: $(head -c 200 <<<"$pods")" >&2
      return 1
    fi
    pod="$(jq -r '[.items[] | select(any(.status.conditions[]?; .type == "Ready" and .status == "True")) | .metadata.name] | first // empty' <<<"$pods")"
    if [[ -z "$pod" ]]; then
      echo "setup-dagger: no Ready Dagger engine pod with label $label in namespace $ns." >&2
      echo "setup-dagger: start the engine, or set DAGGER_ENGINE_ADDR (or _EXPERIMENTAL_DAGGER_RUNNER_HOST)." >&2
      return 1
    fi
    export _EXPERIMENTAL_DAGGER_RUNNER_HOST="kube-pod://${pod}?namespace=${ns}"
  fi
  echo "setup-dagger: engine at $_EXPERIMENTAL_DAGGER_RUNNER_HOST" >&2

  # A subshell, so the caller's working directory stays where it was.
  (cd "$root/.dagger" && bun install --frozen-lockfile >&2) || return 1
  export _DAGGER_SETUP_DONE=1
}

_dagger_setup
