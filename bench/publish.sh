# Sourced by the bench and reliability scripts: publish_app DIR publishes a Release build of the app into DIR the way
# docs/operations.md deploys it — for this machine's runtime, so the code is precompiled (ReadyToRun) and a node
# starting under load does not spend its first minute in the JIT.
# Every script starts the published app with ASPNETCORE_CONTENTROOT set to its folder, as a deployment runs it from there
# (docs/operations.md): otherwise the content root is the caller's folder and the app's appsettings.json is not read.
publish_app() {
  local arch; arch=$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
  rm -rf "$1"
  dotnet publish "$(dirname "${BASH_SOURCE[0]}")/../src/CareerRelay.Web" -c Release -r "linux-$arch" --self-contained false \
    -o "$1" --nologo -v quiet >/dev/null
}

# publish_floor DIR: the lean reference and empty app of issue 23 (bench/floor), built the same way.
publish_floor() {
  local arch; arch=$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
  rm -rf "$1"
  dotnet publish "$(dirname "${BASH_SOURCE[0]}")/floor" -c Release -r "linux-$arch" --self-contained false -o "$1" --nologo -v quiet >/dev/null
}
