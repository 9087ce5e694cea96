#!/usr/bin/env bash
# Installs what motcua needs to build and test, from Debian's packages only.
# Idempotent: does nothing when everything is present. Needs root (or sudo)
# the first time.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  # The test command checks the layout of the C++ tree (.clang-format).
  clang-format
  # The fuzzers (scripts/fuzz.sh): clang 19 with libFuzzer, since clang 14 and
  # 16 stop at libstdc++ 12's <expected> (it needs C++20 concepts, 202002L).
  clang-19 libclang-rt-19-dev
  # Boost 1.81 from Debian's versioned packages. Never libboost-all-dev (1.74):
  # it conflicts with these.
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libssl-dev libargon2-dev libtomlplusplus-dev
  libjemalloc-dev
  # The integration spine (src/integrations): libcurl carries every outbound
  # call, HTTP to the national portal and gateways, SMTP to the mail server.
  libcurl4-openssl-dev
  # The notification tests send e-mail to a real SMTP server, Debian's
  # aiosmtpd (tests/standins/smtp/mailbox.py runs it with /usr/bin/python3).
  python3-aiosmtpd
  # PostgreSQL: libpq to build, the 15 server for the tests (scripts/test_postgres.sh).
  libpq-dev postgresql-15
  libgtest-dev libgmock-dev libbenchmark-dev
  wrk curl ca-certificates python3
  # Documents (src/documents): cairo writes the PDFs, libqrencode the QR codes;
  # the tests read them back with poppler's pdftotext and pdftoppm and scan
  # the codes with zbar. Signed results: qpdf rewrites the PDF with its
  # signature field; the tests check signatures with poppler's pdfsig, which
  # trusts the demo CA through an NSS database made with certutil.
  libcairo2-dev libqrencode-dev poppler-utils zbar-tools libqpdf-dev libnss3-tools
  # Spreadsheets (the Decree 09 report as XLSX); the tests unzip them to read them back.
  libxlsxwriter-dev unzip
  # The browser tests drive Debian's Chromium (playwright-core cannot
  # download a browser here); Noto has every Vietnamese glyph.
  chromium fonts-noto-core
)
# The front end builds with Node.js 18 or later and npm: NodeSource's nodejs
# where the machine has its repository (it carries npm), else Debian's nodejs
# and npm (Debian 12's Node.js 18 and npm 9 build it; the browser tests, run
# by scripts/test.sh, need Node.js 20: playwright-core refuses 18).
if ! command -v node >/dev/null; then
  packages+=(nodejs)
  if ! apt-cache policy nodejs 2>/dev/null | grep -q 'Candidate:.*nodesource'; then packages+=(npm); fi
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "motcua: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
      echo "motcua: these Debian packages are missing: ${missing[*]}" >&2
      echo "motcua: run this script as root (or install sudo) so that it can install them" >&2
      exit 1
    fi
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
