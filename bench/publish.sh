#!/usr/bin/env bash
# Publishes commit REV of Basalt exactly as ./basalt publishes the working tree (Release, ReadyToRun for this machine),
# into DIR, so an A/B (bench/pg-ab.sh's BENCH_OTHER_DLL) compares two builds made the same way: a plain publish (JIT
# with dynamic PGO) against a ReadyToRun one measures the publishing as much as the change.
#
#   bench/publish.sh REV DIR        # then BENCH_OTHER_DLL=DIR/Basalt.Cli.dll bench/pg-ab.sh
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: bench/publish.sh REV DIR" >&2; exit 2; }
rev=$1
out=$(realpath -m "$2")
src=$(mktemp -d "${TMPDIR:-/tmp}/basalt-publish.XXXXXX")
trap 'rm -rf "$src"' EXIT
git -C "$(dirname "$0")/.." archive "$rev" | tar -x -C "$src"
case $(uname -m) in
  x86_64 | amd64) runtime=(-a amd64) ;;
  aarch64 | arm64) runtime=(-a arm64) ;;
  *) runtime=(--use-current-runtime) ;;
esac
dotnet publish "$src/src/Basalt.Cli/Basalt.Cli.csproj" -c Release "${runtime[@]}" --self-contained false \
  -p:PublishReadyToRun=true -p:ArtifactsPath="$src/artifacts/launcher" -o "$out" -nologo -v quiet
echo "published $(git -C "$(dirname "$0")/.." rev-parse --short "$rev") to $out/Basalt.Cli.dll"
