#!/usr/bin/env bash
# Regenerates po/tunnel-wizard.pot from the files in po/POTFILES (meson's
# tunnel-wizard-pot target) and merges it into every translation in
# po/LINGUAS, so that translators see the new and changed strings.
# The build directory is BUILDDIR (default: _build); it is set up when missing.
# Usage: build-aux/update-po.sh [LANG…]   (default: every language in po/LINGUAS)
set -euo pipefail
cd "$(dirname "$0")/.."

builddir=${BUILDDIR:-_build}
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir"
fi

meson compile -C "$builddir" tunnel-wizard-pot
pot=po/tunnel-wizard.pot
echo "$pot: $(grep -c '^msgid ' "$pot") messages (the header included)"

if [ $# -gt 0 ]; then
  languages=("$@")
else
  mapfile -t languages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' po/LINGUAS | grep -v '^$' || true)
fi

if [ ${#languages[@]} -eq 0 ]; then
  echo "po/LINGUAS lists no language yet: nothing to merge."
  exit 0
fi

for lang in "${languages[@]}"; do
  po="po/$lang.po"
  if [ ! -f "$po" ]; then
    # A new translation starts from the template, with its header filled in.
    msginit --no-translator --locale="$lang" --input="$pot" --output-file="$po"
    echo "$po: created"
  else
    msgmerge --quiet --update --backup=none --previous "$po" "$pot"
  fi
  # msgfmt --check fails on broken format strings, which would crash at run time.
  printf '%s: ' "$po"
  msgfmt --check --statistics --output-file=/dev/null "$po"
done
