#!/usr/bin/env bash
# Starts birmel and asks its health endpoint once; handy when debugging the smoke test by hand.
set -euo pipefail
port="${PORT:-8080}"
cd "$(dirname "$0")/../packages/birmel"
bun run start &
pid=$!
trap 'kill "$pid"' EXIT
sleep 1
curl -fsS "http://127.0.0.1:${port}/health"
