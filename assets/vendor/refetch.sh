#!/bin/sh
# Re-fetches the vendored QR decoder (the camera fallback where the browser has
# no BarcodeDetector) from the npm registry with `npm pack`, extracts exactly
# the files we ship into assets/web/vendor/ and checks every one against the
# committed SHA256SUMS. Any mismatch fails loudly and leaves the tree as it was.
#
#   assets/vendor/refetch.sh            fetch, check, install (a no-op when the tree is intact)
#   assets/vendor/refetch.sh --check    only check the files in the tree against SHA256SUMS
#   assets/vendor/refetch.sh --update-sums   after changing the versions below: fetch and
#                                       write new sums (review the diff of the library first)
#
# Needs: sh, npm, tar, sha256sum. See assets/vendor/README.md.
set -eu

BARCODE_DETECTOR=3.2.2 # barcode-detector: the BarcodeDetector ponyfill (MIT)
ZXING_WASM=3.1.3       # zxing-wasm: ZXing-C++ compiled to WebAssembly (MIT; ZXing-C++ Apache-2.0);
                       # must be the exact version barcode-detector depends on

here=$(cd "$(dirname "$0")" && pwd)
vendor="$here/../web/vendor"
sums="$here/SHA256SUMS"
mode=${1:-install}

fail() {
	echo "refetch.sh: FAILED: $*" >&2
	exit 1
}

check_tree() {
	(cd "$vendor" && sha256sum --check --strict --quiet "$sums") ||
		fail "assets/web/vendor does not match assets/vendor/SHA256SUMS"
}

if [ "$mode" = "--check" ]; then
	check_tree
	echo "refetch.sh: assets/web/vendor matches SHA256SUMS"
	exit 0
fi
case "$mode" in install | --update-sums) ;; *) fail "unknown option $mode" ;; esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
(cd "$tmp" && npm pack --silent "barcode-detector@$BARCODE_DETECTOR" "zxing-wasm@$ZXING_WASM" >/dev/null) ||
	fail "npm pack"
mkdir "$tmp/bd" "$tmp/zx"
tar -xzf "$tmp/barcode-detector-$BARCODE_DETECTOR.tgz" -C "$tmp/bd"
tar -xzf "$tmp/zxing-wasm-$ZXING_WASM.tgz" -C "$tmp/zx"

pinned=$(sed -n 's/.*"zxing-wasm": *"\([^"]*\)".*/\1/p' "$tmp/bd/package/package.json")
[ "$pinned" = "$ZXING_WASM" ] ||
	fail "barcode-detector@$BARCODE_DETECTOR wants zxing-wasm $pinned, this script fetches $ZXING_WASM"

# The staging tree: exactly what we ship, under its final names.
stage="$tmp/stage"
bd="barcode-detector-$BARCODE_DETECTOR"
zx="zxing-wasm-$ZXING_WASM"
mkdir -p "$stage/$bd" "$stage/$zx"
cp "$tmp/bd/package/dist/iife/ponyfill.js" "$stage/$bd/ponyfill.js"
cp "$tmp/bd/package/LICENSE" "$stage/$bd/LICENSE"
cp "$tmp/zx/package/dist/reader/zxing_reader.wasm" "$stage/$zx/zxing_reader.wasm"
cp "$tmp/zx/package/LICENSE" "$stage/$zx/LICENSE"
# Not in the npm package, kept in the tree and checked: the notice naming the
# bundled components and the Apache-2.0 text of ZXing-C++.
for kept in "$zx/NOTICE" "$zx/LICENSE-zxing-cpp-Apache-2.0"; do
	[ -f "$vendor/$kept" ] || fail "missing $kept (write it before updating)"
	cp "$vendor/$kept" "$stage/$kept"
done

if [ "$mode" = "--update-sums" ]; then
	(cd "$stage" && find . -type f | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum) >"$sums"
	echo "refetch.sh: wrote new sums; now remove the old version folders and update camera.js' paths"
else
	(cd "$stage" && sha256sum --check --strict --quiet "$sums") ||
		fail "the files from npm do not match the committed SHA256SUMS (a changed package, or the wrong versions)"
fi
mkdir -p "$vendor"
cp -R "$stage/." "$vendor/"
check_tree
echo "refetch.sh: barcode-detector $BARCODE_DETECTOR and zxing-wasm $ZXING_WASM installed and checked"
