#!/usr/bin/env bash
# Rebuild the vendored GOV.UK Frontend CSS/JS and MapLibre from npm (developer tool; needs npm).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund \
  govuk-frontend@6.3.0 maplibre-gl@5.24.1 axe-core@4.14.1 sass@1 >/dev/null)
out=locus/static/vendor
(cd "$work" && npx sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
  "$OLDPWD/scss/locus.scss" "$OLDPWD/$out/govuk/govuk-frontend.min.css")
sed -i 's#url("/static/vendor/govuk/assets/images/govuk-crest.svg")#none#g' "$out/govuk/govuk-frontend.min.css"
cp "$work/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js" "$out/govuk/"
cp "$work"/node_modules/maplibre-gl/dist/maplibre-gl.{js,css} "$work/node_modules/maplibre-gl/LICENSE.txt" "$out/maplibre/"
cp "$work/node_modules/axe-core/axe.min.js" tests/e2e/vendor/
sed -i 's#//\# sourceMappingURL=.*$##' "$out/govuk/govuk-frontend.min.js" "$out/maplibre/maplibre-gl.js"
rm -rf "$work"
echo "Rebuilt vendored assets"
