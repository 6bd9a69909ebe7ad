#!/usr/bin/env bash
# Builds the Lambda deployment package: build/lambda/spotswap-<arch>.zip holding `bootstrap`
# (the spotswap binary; docs/lambda.md) and, in lib/, every shared library it needs except
# glibc's own, which the provided.al2023 runtime has (glibc 2.34).
#
#   deploy/package.sh [--out DIR] [--build-dir DIR] [--no-glibc-check]
#
# Why bundle rather than link statically (measured on Debian 12, x86_64; docs/install.md):
# - static: Debian's libcurl.a is built with nghttp2, rtmp, ssh2, psl, gssapi, ldap and zstd,
#   whose -dev packages ship no .a (only libcurl, libssl, libcrypto, libxml2, libjansson,
#   libidn2, libbrotli, libz, libicu and liblzma have one), so `-static` fails with "cannot
#   find -lnghttp2" and seven more. A static build needs a libcurl built for it (HTTPS only),
#   and a static glibc cannot resolve names through NSS. Not done here.
# - dynamic: the binary plus its libraries (ldd), without glibc's. The binary is linked with
#   DT_RPATH $ORIGIN/lib (not RUNPATH): Lambda puts /lib64 and /usr/lib64 before
#   /var/task/lib in LD_LIBRARY_PATH, and only DT_RPATH is searched before LD_LIBRARY_PATH, so
#   the bundled libraries are the ones loaded, whatever the image ships. The image's
#   contents are then irrelevant except for glibc.
# Every file must need at most GLIBC_2.34 (AL2023). On a newer build host (Debian 12 has
# 2.36) libstdc++ and libgcc_s, pulled in by libxml2's ICU, need 2.36 and 2.35: the check fails
# and names them. Build on Amazon Linux 2023 (or in its container) for a deployable zip;
# --no-glibc-check only builds the zip to measure it.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
out="$src/build/lambda"
build=""
glibc_check=1
max_glibc="2.34"

while [ $# -gt 0 ]; do
  case "$1" in
  --out) out=$2; shift 2 ;;
  --build-dir) build=$2; shift 2 ;;
  --no-glibc-check) glibc_check=0; shift ;;
  -h | --help) sed -n '2,25p' "$0"; exit 0 ;;
  *) echo "package.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$build" ] || build="$out/build"

case "$(uname -m)" in
x86_64) arch=x86_64 ;;
aarch64) arch=arm64 ;;
*) echo "package.sh: Lambda runs x86_64 or arm64, not $(uname -m)" >&2; exit 1 ;;
esac

for tool in cmake ninja ldd objdump zip; do
  command -v "$tool" >/dev/null || { echo "package.sh: $tool is required" >&2; exit 1; }
done

# A release build of the binary only, with the bundled libraries' directory as DT_RPATH.
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSPS_BUILD_TESTS=OFF \
  "-DCMAKE_BUILD_RPATH=\$ORIGIN/lib" "-DCMAKE_EXE_LINKER_FLAGS=-Wl,--disable-new-dtags -s" >/dev/null
cmake --build "$build" --target spotswap -j 2 >/dev/null

stage="$out/stage-$arch"
rm -rf "$stage"
mkdir -p "$stage/lib"
cp "$build/spotswap" "$stage/bootstrap"
chmod 755 "$stage/bootstrap"

# glibc's own libraries come from the runtime; everything else is bundled.
is_glibc() {
  case "$1" in
  linux-vdso.so.* | linux-gate.so.* | ld-linux*.so.* | libc.so.* | libm.so.* | libdl.so.* | \
    libpthread.so.* | librt.so.* | libresolv.so.* | libutil.so.* | libanl.so.*) return 0 ;;
  esac
  return 1
}

while read -r name path; do
  is_glibc "$name" && continue
  [ -f "$path" ] || { echo "package.sh: $name not found" >&2; exit 1; }
  cp -L "$path" "$stage/lib/$name"
  strip --strip-unneeded "$stage/lib/$name" 2>/dev/null || true
done < <(ldd "$stage/bootstrap" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }')

too_new=()
for f in "$stage/bootstrap" "$stage"/lib/*; do
  [ -e "$f" ] || continue
  need=$(objdump -T "$f" | { grep -o 'GLIBC_[0-9][0-9.]*' || true; } | sed 's/GLIBC_//' | sort -Vu | tail -1)
  [ -n "$need" ] || continue
  if [ "$(printf '%s\n%s\n' "$need" "$max_glibc" | sort -V | tail -1)" != "$max_glibc" ]; then
    too_new+=("$(basename "$f") needs GLIBC_$need")
  fi
done
if [ "${#too_new[@]}" -gt 0 ]; then
  echo "package.sh: provided.al2023 has glibc $max_glibc; built here:" >&2
  printf '  %s\n' "${too_new[@]}" >&2
  if [ "$glibc_check" -eq 1 ]; then
    echo "package.sh: build on Amazon Linux 2023 (--no-glibc-check builds it anyway)" >&2
    exit 1
  fi
fi

zipfile="$out/spotswap-$arch.zip"
rm -f "$zipfile"
(cd "$stage" && zip -q -9 -r "$zipfile" bootstrap lib)
nlibs=$(find "$stage/lib" -type f | wc -l)
echo "$zipfile: $(stat -c %s "$zipfile") bytes (bootstrap $(stat -c %s "$stage/bootstrap") bytes, $nlibs libraries)"
