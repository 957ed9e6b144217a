#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# An admin installs Tunnel Wizard with `meson install` and starts it from the
# menu: everything lands under the prefix, the desktop integration points at
# files that exist, and the installed app opens its window with no help from
# the build tree. TAP output.
#
# Usage: test-install.sh BUILD_ROOT SOURCE_ROOT APP_ID VERSION
set -uo pipefail

build=$1
source=$2
app_id=$3
version=$4

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tw-install-XXXXXX")
app_pid=
# shellcheck disable=SC2317  # called by the trap
cleanup () {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid" 2>/dev/null
    wait 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

count=0
failed=0
ok () { count=$((count + 1)); echo "ok $count - $1"; }
not_ok () {
  count=$((count + 1)); failed=$((failed + 1)); echo "not ok $count - $1"
  shift
  for note in "$@"; do printf '%s\n' "$note" | sed 's/^/# /'; done
}
skip () { count=$((count + 1)); echo "ok $count - $1 # SKIP $2"; }
finish () { echo "1..$count"; [ "$failed" -eq 0 ]; exit; }
# check DESCRIPTION COMMAND…: ok when the command succeeds; its output otherwise.
check () {
  local description=$1 output
  shift
  if output=$("$@" 2>&1); then ok "$description"; else not_ok "$description" "$output"; fi
}

# The layout this build was configured with (prefix, bindir, datadir…).
option () {
  meson introspect "$build" --buildoptions |
    python3 -c 'import json, sys; print({o["name"]: o["value"] for o in json.load(sys.stdin)}[sys.argv[1]])' "$1"
}
prefix=$(option prefix)
dest=$tmp/dest
root=$dest$prefix
bindir=$root/$(option bindir)
datadir=$root/$(option datadir)
mandir=$root/$(option mandir)
localedir=$root/$(option localedir)

# --no-rebuild: meson test has built everything, and a second ninja in the
# same build tree would race with the tests running next to this one.
if output=$(meson install -C "$build" --no-rebuild --destdir "$dest" 2>&1); then
  ok "meson install into a temporary DESTDIR"
else
  not_ok "meson install into a temporary DESTDIR" "$output"
  finish
fi

outside=$(find "$dest" \( -type f -o -type l \) ! -path "$root/*" | sed "s|^$dest||")
if [ -z "$outside" ]; then ok "nothing is installed outside the prefix $prefix"
else not_ok "nothing is installed outside the prefix $prefix" "$outside"; fi

expected=(
  "$bindir/tunnel-wizard"
  "$bindir/tunnel-check"
  "$datadir/applications/$app_id.desktop"
  "$datadir/metainfo/$app_id.metainfo.xml"
  "$datadir/glib-2.0/schemas/$app_id.gschema.xml"
  "$datadir/icons/hicolor/scalable/apps/$app_id.svg"
  "$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
  "$mandir/man1/tunnel-wizard.1"
  "$mandir/man1/tunnel-check.1"
)
# Every guide in the source tree (help/C, help/de…), where tw-help.c looks.
help_languages=$(cd "$source/help" && for guide in */index.html; do dirname "$guide"; done)
for lang in $help_languages; do
  expected+=("$datadir/help/$lang/tunnel-wizard/index.html")
done
# Every service preset, where tw-paths.c looks once installed.
for preset in "$source"/data/presets/*.preset; do
  expected+=("$datadir/tunnel-wizard/presets/$(basename "$preset")")
done
languages=$(sed -e 's/#.*//' "$source/po/LINGUAS" | tr -s '[:space:]' '\n' | grep -v '^$' || true)
for lang in $languages; do
  expected+=("$localedir/$lang/LC_MESSAGES/tunnel-wizard.mo")
done
for file in "${expected[@]}"; do
  if [ -s "$file" ]; then ok "installed: ${file#"$dest"}"
  else not_ok "installed: ${file#"$dest"}"; fi
done
for program in tunnel-wizard tunnel-check; do
  if [ -x "$bindir/$program" ]; then ok "$program is executable"
  else not_ok "$program is executable"; fi
done
if [ -z "$languages" ]; then
  skip "translations are installed" "po/LINGUAS lists no language yet"
fi
help_list=" $(echo "$help_languages" | paste -sd' ') "
if [[ $help_list == *" C "* && $help_list == *" de "* ]]; then ok "the guide is installed in English and German:${help_list% }"
else not_ok "the guide is installed in English and German" "help/ has:$help_list"; fi
for lang in $help_languages; do
  check "the installed guide ($lang) is the source tree's" \
    cmp "$source/help/$lang/index.html" "$datadir/help/$lang/tunnel-wizard/index.html"
done

# The desktop integration points at files that are there.
desktop=$datadir/applications/$app_id.desktop
metainfo=$datadir/metainfo/$app_id.metainfo.xml
if command -v desktop-file-validate >/dev/null; then
  check "the installed desktop file is valid" desktop-file-validate "$desktop"
else
  skip "the installed desktop file is valid" "no desktop-file-validate"
fi
if command -v appstreamcli >/dev/null; then
  check "the installed metainfo is valid" appstreamcli validate --no-net "$metainfo"
else
  skip "the installed metainfo is valid" "no appstreamcli"
fi
exec_name=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")
icon_name=$(sed -n 's/^Icon=//p' "$desktop")
if [ -n "$exec_name" ] && [ -x "$bindir/$exec_name" ]; then ok "the desktop file's Exec ($exec_name) is installed"
else not_ok "the desktop file's Exec ($exec_name) is installed"; fi
if [ "$icon_name" = "$app_id" ] && [ -f "$datadir/icons/hicolor/scalable/apps/$icon_name.svg" ]; then
  ok "the desktop file's Icon ($icon_name) is installed"
else
  not_ok "the desktop file's Icon ($icon_name) is installed"
fi
provided=$(sed -n 's|.*<binary>\(.*\)</binary>.*|\1|p' "$metainfo")
missing=
for program in $provided; do
  [ -x "$bindir/$program" ] || missing="$missing $program"
done
if [ -n "$provided" ] && [ -z "$missing" ]; then ok "the binaries the metainfo provides are installed ($(echo "$provided" | paste -sd' '))"
else not_ok "the binaries the metainfo provides are installed" "missing:${missing:- none listed}"; fi

# As a distribution's trigger does after installing.
check "the installed schema compiles with --strict" \
  glib-compile-schemas --strict "$datadir/glib-2.0/schemas"
keys=$(env -u GSETTINGS_SCHEMA_DIR XDG_DATA_DIRS="$datadir" GSETTINGS_BACKEND=memory \
         gsettings list-keys "$app_id" 2>&1 | sort | tr '\n' ' ')
case "$keys" in
  *default-require-tls*default-timeout*window-height*window-maximized*window-width*)
    ok "GSettings finds the schema through XDG_DATA_DIRS" ;;
  *) not_ok "GSettings finds the schema through XDG_DATA_DIRS" "$keys" ;;
esac

# The man pages render without a groff warning.
for page in tunnel-wizard tunnel-check; do
  if ! command -v groff >/dev/null; then
    skip "man page $page(1) renders cleanly" "no groff"
    continue
  fi
  # At a terminal's width too: a long word in a tag cannot be adjusted there.
  warnings=$(for width in 78n 72n; do
               LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z -rCHECKSTYLE=3 -rLL=$width "$mandir/man1/$page.1" 2>&1
             done)
  rendered=$(LC_ALL=C.UTF-8 groff -man -Tutf8 "$mandir/man1/$page.1" 2>/dev/null)
  # A here-string, not a pipe: with pipefail, grep -q leaving early makes printf's SIGPIPE a failure
  if [ -z "$warnings" ] && grep -q "$page" <<<"$rendered"; then ok "man page $page(1) renders cleanly"
  else not_ok "man page $page(1) renders cleanly" "$warnings"; fi
done

# The command line, from the prefix.
out=$("$bindir/tunnel-check" --version 2>&1)
if [ "$out" = "tunnel-check $version" ]; then ok "tunnel-check --version says $version"
else not_ok "tunnel-check --version says $version" "$out"; fi
if out=$("$bindir/tunnel-check" --help 2>&1) && grep -q 'probe' <<<"$out"; then
  ok "tunnel-check --help lists the commands"
else
  not_ok "tunnel-check --help lists the commands" "$out"
fi

# The installed app opens its window, with the schema from the prefix and
# nothing from the build tree. Its own bus: a Tunnel Wizard running for
# another test must not receive this activation instead.
start_app () {
  if [ -z "${DISPLAY:-}" ] || ! command -v xdotool >/dev/null || ! command -v dbus-run-session >/dev/null; then
    skip "the installed tunnel-wizard maps its window" "needs DISPLAY, xdotool and dbus-run-session"
    return
  fi
  mkdir -p "$tmp/home" "$tmp/runtime"
  chmod 700 "$tmp/runtime"
  # The inner sh writes its own pid, which exec hands to tunnel-wizard.
  # shellcheck disable=SC2016
  env -u GSETTINGS_SCHEMA_DIR -u G_TEST_SRCDIR -u G_TEST_BUILDDIR \
      HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share" \
      XDG_CACHE_HOME="$tmp/home/.cache" XDG_RUNTIME_DIR="$tmp/runtime" \
      XDG_DATA_DIRS="$datadir:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}" \
      dbus-run-session -- sh -c 'echo $$ > "$1"; exec "$2"' sh "$tmp/app.pid" "$bindir/tunnel-wizard" \
      > "$tmp/app.log" 2>&1 &
  for _ in $(seq 100); do
    [ -s "$tmp/app.pid" ] && break
    sleep 0.1
  done
  app_pid=$(cat "$tmp/app.pid" 2>/dev/null)
  # By its process id: other tests may show windows with the same title on this
  # display. Polled rather than --sync, to stop at once when the app dies.
  window=
  for _ in $(seq 600); do
    if [ -z "$app_pid" ] || ! kill -0 "$app_pid" 2>/dev/null; then break; fi
    window=$(xdotool search --limit 1 --all --onlyvisible --pid "$app_pid" \
               --name '^Tunnel Wizard$' 2>/dev/null)
    [ -n "$window" ] && break
    sleep 0.1
  done
  if [ -n "$window" ] && kill -0 "$app_pid" 2>/dev/null; then
    ok "the installed tunnel-wizard maps its window '$(xdotool getwindowname "$window")'"
  else
    not_ok "the installed tunnel-wizard maps its window" "$(cat "$tmp/app.log")"
    return
  fi
  # Drawn, not just mapped: a blank window has a single colour.
  if command -v import >/dev/null && command -v convert >/dev/null; then
    sleep 1
    colours=$(import -window "$window" png:- 2>/dev/null | convert - -format '%k' info: 2>/dev/null)
    if [ "${colours:-0}" -gt 1 ]; then ok "its window has content ($colours colours)"
    else not_ok "its window has content" "${colours:-no image} colours"; fi
  fi
  kill "$app_pid"
  wait 2>/dev/null
  app_pid=
}
start_app

finish
