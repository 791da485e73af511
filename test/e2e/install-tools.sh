#!/usr/bin/env bash
# Installs what the real-editor tests need, once, into .tools/ (git-ignored):
#   apt (only when run as root and something is missing):
#     chromium            the browser playwright-core drives
#     libkrb5-dev pkg-config   to build code-server's native `kerberos` module
#     ripgrep             pre-seeds @vscode/ripgrep, which would download rg at install
#     neovim              the second LSP client (test/nvim)
#   npm, into .tools/e2e: code-server@4.100.3 (VS Code 1.100 on Node 20), playwright-core
# Re-running is cheap: a marker file records a finished install.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TOOLS="$ROOT/.tools/e2e"
CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_VERSION=1.65.1
RG_CACHE_VERSION=1.15.11   # @vscode/ripgrep's cache folder name in code-server 4.100.3
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
command -v nvim >/dev/null || need+=(neovim)
command -v pkg-config >/dev/null || need+=(pkg-config)
[ -e /usr/include/krb5.h ] || [ -e /usr/include/krb5/krb5.h ] || need+=(libkrb5-dev)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "install-tools: apt-get install ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "install-tools: missing apt packages: ${need[*]} (run as root, or: sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
fi

[ "${1:-}" = "--apt-only" ] && exit 0

MARK="$TOOLS/.installed-$CODE_SERVER_VERSION-$PLAYWRIGHT_VERSION"
if [ -f "$MARK" ]; then exit 0; fi
echo "install-tools: npm install code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_VERSION into .tools/e2e (~450 MB, about a minute)"
mkdir -p "$TOOLS/rgcache/vscode-ripgrep-cache-$RG_CACHE_VERSION"
tar czf "$TOOLS/rgcache/vscode-ripgrep-cache-$RG_CACHE_VERSION/$RG_ASSET" -C "$(dirname "$(command -v rg)")" rg
[ -f "$TOOLS/package.json" ] || echo '{ "name": "article-lens-e2e-tools", "private": true }' > "$TOOLS/package.json"
(
  cd "$TOOLS"
  TMPDIR="$TOOLS/rgcache" npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --no-save --loglevel=error \
    "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION"
)
touch "$MARK"
