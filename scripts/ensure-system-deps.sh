#!/usr/bin/env bash
# The Debian packages the tests need: the independent judges (poppler's pdfsig/pdftoppm/pdftotext,
# qpdf, openssl), the real PDF producers (Ghostscript, LibreOffice Writer without GUI, Chromium),
# NSS tools (a foreign signer for pdfsig), Chromium (UI tests) and Java 17 (DynamoDB Local), and a
# font with Chinese glyphs for the producers, and taskset (util-linux: the local server keeps its event
# loop on one CPU with it, tested by test/integration/event-loop-cpu.test.ts). Installs what is missing with apt-get when
# running as root; otherwise prints the exact install line and fails. It never lets a test skip.
set -euo pipefail

# command  package
REQUIRED="
pdfsig poppler-utils
pdftoppm poppler-utils
pdftotext poppler-utils
qpdf qpdf
openssl openssl
gs ghostscript
certutil libnss3-tools
pk12util libnss3-tools
chromium chromium
soffice libreoffice-writer-nogui
java openjdk-17-jre-headless
unzip unzip
taskset util-linux
"

missing=()
while read -r cmd pkg; do
  [ -z "${cmd:-}" ] && continue
  if ! command -v "$cmd" >/dev/null 2>&1; then
    case " ${missing[*]:-} " in *" $pkg "*) ;; *) missing+=("$pkg") ;; esac
  fi
done <<< "$REQUIRED"

# DynamoDB Local needs Java 17 or newer.
if command -v java >/dev/null 2>&1; then
  major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
  if [ -n "$major" ] && [ "$major" -lt 17 ]; then missing+=(openjdk-17-jre-headless); fi
fi

# LibreOffice and Chromium render Chinese with whatever CJK font fontconfig offers; Droid Sans
# Fallback (7 MB installed, also pulled in by Ghostscript) is the smallest Debian package with one.
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  missing+=(fontconfig fonts-droid-fallback)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "» system packages: all present"
  exit 0
fi

line="apt-get update && apt-get install -y ${missing[*]}"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "» installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  echo "» system packages installed"
else
  echo "✗ The tests need Debian packages that are missing: ${missing[*]}" >&2
  echo "  Install them as root, then run npm test again:" >&2
  echo "    sudo sh -c '$line'" >&2
  exit 1
fi
