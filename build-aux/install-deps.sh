#!/usr/bin/env bash
# Installs the Debian packages that are missing for a purpose: "app" (build
# and run), "test" (build and run every test) or "fuzz" (build the libFuzzer
# targets with clang and run them: tests/fuzz/ci-fuzz.sh). Safe to run again.
set -euo pipefail

purpose=${1:-app}

build_packages=(
  gcc pkg-config meson ninja-build gettext
  libglib2.0-dev libgtk-4-dev libgtk-4-bin libadwaita-1-dev libssh-dev libssl-dev libsecret-1-dev libjson-glib-dev
  glib-networking libglib2.0-bin gnome-keyring dbus
)
test_packages=(
  xvfb xauth dbus glib-networking openssh-server openssh-client openssl socat
  gnome-keyring libsecret-tools libglib2.0-bin desktop-file-utils appstream
  postgresql mariadb-server util-linux iproute2 passwd python3 imagemagick
  xdotool groff-base sudo fonts-cantarell
  cloud-init ansible python3-yaml prometheus systemd
  at-spi2-core python3-pyatspi python3-dogtail gsettings-desktop-schemas
)

fuzz_packages=(
  clang libclang-rt-14-dev
)

case "$purpose" in
  app) wanted=("${build_packages[@]}") ;;
  test) wanted=("${build_packages[@]}" "${test_packages[@]}") ;;
  fuzz) wanted=("${build_packages[@]}" "${fuzz_packages[@]}") ;;
  *) echo "usage: $0 app|test|fuzz" >&2; exit 2 ;;
esac

missing=()
for package in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null | grep -qx installed; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing: ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
# The package scripts of postgresql and mariadb start their services; a
# policy that says no keeps the machine as it was (the tests start their own).
policy=$(mktemp)
printf '#!/bin/sh\nexit 101\n' > "$policy"
chmod +x "$policy"
if [ ! -e /usr/sbin/policy-rc.d ]; then
  "${sudo[@]}" cp "$policy" /usr/sbin/policy-rc.d
  trap '"${sudo[@]}" rm -f /usr/sbin/policy-rc.d' EXIT
fi
rm -f "$policy"
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
