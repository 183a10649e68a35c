#!/usr/bin/env bash
# Vendor front-end assets into static/vendor/NAME/VERSION/ so the site never
# loads anything from a CDN (intranet deployments have no internet access).
#
# Uses `npm pack NAME@VERSION` in a throw-away temp dir: no node_modules, no
# package.json, nothing needed at run time. Needs only bash, npm/node, tar.
# Re-runnable: each NAME/VERSION dir is rebuilt from scratch; other versions
# already present under static/vendor/ are left alone.
#
# Usage:
#   scripts/vendor_static.sh            # vendor the pinned versions below
#   scripts/vendor_static.sh --latest   # resolve the newest bootstrap 5.3.x,
#                                       # bootstrap-icons 1.x, echarts 5.x
#                                       # (then update templates + pins!)
# Pins can also be overridden: BOOTSTRAP_VERSION=5.3.8 scripts/vendor_static.sh
#
# Templates reference the exact versions, e.g.
#   {% static 'vendor/bootstrap/5.3.9/css/bootstrap.min.css' %}
# so changing a pin means updating templates too.
set -euo pipefail

BOOTSTRAP_VERSION="${BOOTSTRAP_VERSION:-5.3.9}"
BOOTSTRAP_ICONS_VERSION="${BOOTSTRAP_ICONS_VERSION:-1.13.2}"
ECHARTS_VERSION="${ECHARTS_VERSION:-5.6.0}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/static/vendor"
NPM=(npm --loglevel=error --no-fund --no-audit)

die() { echo "vendor_static: $*" >&2; exit 1; }
command -v npm >/dev/null || die "npm not found (apt-get install npm)"
command -v tar >/dev/null || die "tar not found"

# Newest published version matching a semver range (npm does the matching).
resolve_latest() { # NAME RANGE
  "${NPM[@]}" view "$1@$2" version --json | node -e '
    let v = JSON.parse(require("fs").readFileSync(0, "utf8"));
    if (!Array.isArray(v)) v = [v];
    const key = s => s.split(/[.+-]/).slice(0, 3).map(Number);
    v = v.filter(s => /^\d+\.\d+\.\d+$/.test(s)).sort((a, b) => {
      const x = key(a), y = key(b);
      for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
      return 0;
    });
    if (!v.length) process.exit(1);
    console.log(v[v.length - 1]);'
}

if [[ "${1:-}" == "--latest" ]]; then
  BOOTSTRAP_VERSION="$(resolve_latest bootstrap '>=5.3.0 <5.4.0')"
  BOOTSTRAP_ICONS_VERSION="$(resolve_latest bootstrap-icons '>=1.0.0 <2.0.0')"
  ECHARTS_VERSION="$(resolve_latest echarts '>=5.0.0 <6.0.0')"
elif [[ $# -gt 0 ]]; then
  die "unknown argument: $1 (only --latest is supported)"
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# fetch NAME VERSION -> prints path of the extracted package dir
fetch() {
  local name="$1" version="$2" dir="$TMP/$1"
  mkdir -p "$dir"
  ( cd "$dir" && "${NPM[@]}" pack "$name@$version" >/dev/null ) \
    || die "npm pack $name@$version failed"
  local tgz
  tgz="$(ls "$dir"/*.tgz)"
  tar -xzf "$tgz" -C "$dir"
  local got
  got="$(node -p 'require(process.argv[1]).version' "$dir/package/package.json")"
  [[ "$got" == "$version" ]] || die "$name: asked for $version, got $got"
  echo "$dir/package"
}

licence_of() { # PKGDIR
  node -p 'const p = require(process.argv[1]); p.license || (p.licenses || []).map(l => l.type || l).join(" OR ") || "UNKNOWN"' \
    "$1/package.json"
}

# copy SRC DEST (DEST is a file path; parent dirs are created)
copy() {
  [[ -f "$1" ]] || die "missing in package: $1"
  mkdir -p "$(dirname "$2")"
  cp "$1" "$2"
}

# Every sourceMappingURL must point at a file that exists (Django/whitenoise
# manifest storage rewrites these and fails on a missing target). If the map
# is not there, strip the comment line instead.
fix_sourcemaps() { # DIR
  local f url
  while IFS= read -r -d '' f; do
    grep -q 'sourceMappingURL=' "$f" || continue
    url="$(grep -o 'sourceMappingURL=[^ *]*' "$f" | tail -n1 | cut -d= -f2-)"
    url="${url%%[?#]*}"
    if [[ "$url" == data:* ]] || [[ -f "$(dirname "$f")/$url" ]]; then
      continue
    fi
    echo "  $(basename "$f"): map '$url' not shipped, stripping sourceMappingURL"
    sed -i -E '/^[[:space:]]*(\/\/|\/\*)[#@][[:space:]]*sourceMappingURL=/d' "$f"
    ! grep -q 'sourceMappingURL=' "$f" || die "could not strip sourceMappingURL from $f"
  done < <(find "$1" -type f \( -name '*.js' -o -name '*.css' -o -name '*.mjs' \) -print0)
}

VERSIONS_LINES=()

vendor_bootstrap() {
  local v="$BOOTSTRAP_VERSION" pkg out
  pkg="$(fetch bootstrap "$v")"
  out="$VENDOR/bootstrap/$v"
  rm -rf "$out"
  copy "$pkg/dist/css/bootstrap.min.css"          "$out/css/bootstrap.min.css"
  copy "$pkg/dist/css/bootstrap.min.css.map"      "$out/css/bootstrap.min.css.map"
  copy "$pkg/dist/js/bootstrap.bundle.min.js"     "$out/js/bootstrap.bundle.min.js"
  copy "$pkg/dist/js/bootstrap.bundle.min.js.map" "$out/js/bootstrap.bundle.min.js.map"
  copy "$pkg/LICENSE"                             "$out/LICENSE"
  fix_sourcemaps "$out"
  VERSIONS_LINES+=("bootstrap $v $(licence_of "$pkg")")
}

vendor_bootstrap_icons() {
  local v="$BOOTSTRAP_ICONS_VERSION" pkg out css f
  pkg="$(fetch bootstrap-icons "$v")"
  out="$VENDOR/bootstrap-icons/$v"
  rm -rf "$out"
  css="bootstrap-icons.min.css"
  [[ -f "$pkg/font/$css" ]] || css="bootstrap-icons.css"
  copy "$pkg/font/$css" "$out/$css"
  # css url()s are relative: fonts/bootstrap-icons.woff2?hash
  for f in "$pkg"/font/fonts/*.woff "$pkg"/font/fonts/*.woff2; do
    if [[ -e "$f" ]]; then copy "$f" "$out/fonts/$(basename "$f")"; fi
  done
  [[ -f "$out/fonts/bootstrap-icons.woff2" ]] || die "bootstrap-icons: no woff2 font"
  copy "$pkg/LICENSE" "$out/LICENSE"
  fix_sourcemaps "$out"
  VERSIONS_LINES+=("bootstrap-icons $v $(licence_of "$pkg")")
}

vendor_echarts() {
  local v="$ECHARTS_VERSION" pkg out f
  pkg="$(fetch echarts "$v")"
  out="$VENDOR/echarts/$v"
  rm -rf "$out"
  copy "$pkg/dist/echarts.min.js" "$out/echarts.min.js"
  if [[ -f "$pkg/dist/echarts.min.js.map" ]]; then
    copy "$pkg/dist/echarts.min.js.map" "$out/echarts.min.js.map"
  fi
  copy "$pkg/LICENSE" "$out/LICENSE"
  if [[ -f "$pkg/NOTICE" ]]; then copy "$pkg/NOTICE" "$out/NOTICE"; fi
  # LICENSE refers to /licenses/LICENSE-d3 (d3 code embedded in echarts)
  if [[ -d "$pkg/licenses" ]]; then
    for f in "$pkg"/licenses/*; do
      if [[ -f "$f" ]]; then copy "$f" "$out/licenses/$(basename "$f")"; fi
    done
  fi
  fix_sourcemaps "$out"
  VERSIONS_LINES+=("echarts $v $(licence_of "$pkg")")
}

mkdir -p "$VENDOR"
vendor_bootstrap
vendor_bootstrap_icons
vendor_echarts

{
  echo "# Vendored front-end assets (generated by scripts/vendor_static.sh; do not edit)"
  echo "# NAME VERSION LICENCE"
  printf '%s\n' "${VERSIONS_LINES[@]}"
} > "$VENDOR/VERSIONS.txt"

echo "Vendored into ${VENDOR#"$ROOT"/}:"
printf '  %s\n' "${VERSIONS_LINES[@]}"
