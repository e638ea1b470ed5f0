#!/usr/bin/env bash
# Installs every Debian package the build, the tests and the demo need: the single list.
# Idempotent: when everything is present it only checks and returns.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build pkg-config clang-format lld
  libboost-json1.81-dev libboost-url1.81-dev
  libmariadb-dev mariadb-server mariadb-client
  libssl-dev libspdlog-dev libfmt-dev libtomlplusplus-dev libpugixml-dev libcli11-dev libicu-dev
  libcairo2-dev libpango1.0-dev fonts-wqy-microhei libxlsxwriter-dev libedit-dev
  libhowardhinnant-date-dev tzdata
  libbenchmark-dev libgtest-dev libgmock-dev wrk curl
  python3 python3-openpyxl
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

echo "setup-deps: all dependencies present"
