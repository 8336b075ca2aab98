#!/bin/sh
# web.sh WEBDIR OUTDIR - builds the dashboard: installs the npm packages pinned
# in WEBDIR/package-lock.json into OUTDIR/npm (npm ci, no install scripts) and
# bundles WEBDIR/src with esbuild into OUTDIR/{index.html,app.js,app.css}.
# Called by the meson build; without node and npm it fails with the fix.
set -eu
web=$1 out=$2
for tool in node npm; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "web.sh: '$tool' is missing: the dashboard is built with npm packages." >&2
		echo "web.sh: install it with tools/deps.sh (Debian: apt-get install nodejs npm)." >&2
		exit 1
	fi
done
npm_dir=$out/npm
mkdir -p "$npm_dir"
# npm ci only when the lock file changed: it deletes and refetches node_modules.
if ! cmp -s "$web/package-lock.json" "$npm_dir/package-lock.json" || [ ! -d "$npm_dir/node_modules" ]; then
	cp "$web/package.json" "$web/package-lock.json" "$npm_dir/"
	(cd "$npm_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2) || {
		rm -f "$npm_dir/package-lock.json"
		echo "web.sh: npm ci failed (no registry access? see above)" >&2
		exit 1
	}
fi
esbuild="$npm_dir/node_modules/esbuild/bin/esbuild"
# Modules are found in OUTDIR/npm, not next to the sources.
export NODE_PATH="$npm_dir/node_modules"
node "$esbuild" "$web/src/app.js" --bundle --minify --format=iife --target=es2020 \
	--charset=ascii --legal-comments=none --log-level=warning --outfile="$out/app.js"
node "$esbuild" "$web/src/app.css" --bundle --minify --log-level=warning --outfile="$out/app.css"
cp "$web/src/index.html" "$out/index.html"
cp "$web/src/favicon.svg" "$out/favicon.svg"
