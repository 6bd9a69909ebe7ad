#!/usr/bin/env bash
# Builds the Lambda deployment package: build/lambda/spotswap-<arch>.zip holding `bootstrap`
# (the spotswap binary; docs/lambda.md) and, in lib/, every shared library it needs, glibc and
# its dynamic loader included, so the package needs nothing from the runtime image.
#
#   deploy/package.sh [--arch x86_64|arm64] [--out DIR] [--build-dir DIR]
#   deploy/package.sh --check DIR      only the checks below, on an unpacked zip
#
# --arch defaults to this machine's; arm64 on x86_64 cross-builds it (Debian multiarch,
# cmake/toolchain-aarch64-linux-gnu.cmake, qemu-user-static; docs/install.md, "arm64").
#
# Why bundle rather than link statically (measured on Debian 12, x86_64; docs/install.md):
# - static: Debian's libcurl.a is built with nghttp2, rtmp, ssh2, psl, gssapi, ldap and zstd,
#   whose -dev packages ship no .a (only libcurl, libssl, libcrypto, libxml2, libjansson,
#   libidn2, libbrotli, libz, libicu and liblzma have one), so `-static` fails with "cannot
#   find -lnghttp2" and seven more. A static build needs a libcurl built for it (HTTPS only),
#   and a static glibc cannot resolve names through NSS. Not done here.
# - dynamic, glibc bundled too: provided.al2023 has glibc 2.34, and Debian 12's libstdc++ and
#   libgcc_s (pulled in by libxml2's ICU) need 2.36 and 2.35, so the build host's glibc goes
#   into the zip with its loader. Lambda extracts the zip to /var/task, so `bootstrap`'s
#   PT_INTERP is set (patchelf) to /var/task/lib/<loader>: the kernel starts the bundled
#   loader, never the image's. Its DT_RPATH is /var/task/lib, absolute like PT_INTERP ($ORIGIN
#   would make the loader read /proc/self/exe), and not RUNPATH: Lambda puts /lib64
#   and /usr/lib64 before /var/task/lib in LD_LIBRARY_PATH, and only DT_RPATH is searched
#   before LD_LIBRARY_PATH (for the libraries' own dependencies too, as long as none has a
#   DT_RUNPATH, which is checked), so every library, libc included, is loaded from the bundle.
#   What glibc would still take from the image: NSS modules other than files/dns (built into
#   glibc 2.36), gconv modules (libxml2 parses UTF-8 without iconv), the locale archive (the
#   binary does not call setlocale). OpenSSL finds no openssl.cnf there (its default path is
#   Debian's /usr/lib/ssl), which it ignores, and its default provider is built in. The CA
#   bundle is the image's: aws/http_curl.c looks for it (docs/http-and-retries.md).
# The checks (check_bundle): PT_INTERP and DT_RPATH point into /var/task/lib, no file has a
# DT_RUNPATH, and every GLIBC_x version a file needs is defined by the bundled libc.
# The zip only runs from /var/task; tests/deploy/test_lambda_zip.py runs it in a chroot.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
out="$src/build/lambda"
build=""
arch=""
task_root="/var/task"

# Refuses a bundle (bootstrap + lib/) that would load anything from the image.
check_bundle() {
  local dir=$1 f v
  local interp
  interp=$(patchelf --print-interpreter "$dir/bootstrap")
  if [ "$(dirname "$interp")" != "$task_root/lib" ] || [ ! -f "$dir/lib/$(basename "$interp")" ]; then
    echo "package.sh: bootstrap's interpreter $interp is not a bundled loader" >&2
    return 1
  fi
  # A DT_RUNPATH anywhere would stop the binary's DT_RPATH from applying to that library's own
  # dependencies, which Lambda's LD_LIBRARY_PATH would then take from the image.
  for f in "$dir/bootstrap" "$dir"/lib/*; do
    if readelf -d "$f" | grep -q '(RUNPATH)'; then
      echo "package.sh: $(basename "$f") has a DT_RUNPATH; the bundle would not be self-contained" >&2
      return 1
    fi
  done
  local rpath
  rpath=$(readelf -d "$dir/bootstrap" | sed -n 's/.*(RPATH).*\[\(.*\)\]/\1/p')
  if [ "$rpath" != "$task_root/lib" ]; then
    echo "package.sh: bootstrap's DT_RPATH is '$rpath', not $task_root/lib" >&2
    return 1
  fi
  # Every GLIBC_x a file needs must be defined by the bundled libc (a library from elsewhere
  # than the build host's glibc could need a newer one). readelf reads either architecture.
  local libc_has missing=()
  libc_has=$(versions "$dir/lib/libc.so.6" definition)
  if [ -z "$(versions "$dir/bootstrap" needs)" ] || [ -z "$libc_has" ]; then
    echo "package.sh: cannot read the symbol versions (readelf -V)" >&2
    return 1
  fi
  for f in "$dir/bootstrap" "$dir"/lib/*; do
    for v in $(versions "$f" needs); do
      grep -qx "$v" <<<"$libc_has" || missing+=("$(basename "$f") needs $v")
    done
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "package.sh: the bundled glibc lacks:" >&2
    printf '  %s\n' "${missing[@]}" >&2
    return 1
  fi
}

versions() {
  readelf -W -V "$1" | sed -n "/Version $2 section/,/^Version /p" | grep -o 'GLIBC_[0-9][0-9.]*' | sort -u
}

check_only=""
while [ $# -gt 0 ]; do
  case "$1" in
  --out) out=$2; shift 2 ;;
  --build-dir) build=$2; shift 2 ;;
  --arch) arch=$2; shift 2 ;;
  --check) check_only=$2; shift 2 ;;
  -h | --help) sed -n '2,43p' "$0"; exit 0 ;;
  *) echo "package.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if [ -n "$check_only" ]; then
  for tool in readelf patchelf; do
    command -v "$tool" >/dev/null || { echo "package.sh: $tool is required (scripts/deps.sh)" >&2; exit 1; }
  done
  check_bundle "$check_only" || exit 1
  echo "$check_only: self-contained"
  exit 0
fi

case "$(uname -m)" in
x86_64) host_arch=x86_64 ;;
aarch64) host_arch=arm64 ;;
*) echo "package.sh: Lambda runs x86_64 or arm64, not $(uname -m)" >&2; exit 1 ;;
esac
[ -n "$arch" ] || arch=$host_arch
[ -n "$build" ] || build="$out/build-$arch"

# Cross-building (x86_64 host, arm64 zip) uses Debian's multiarch toolchain; the target's loader
# lists the libraries under qemu, since ldd cannot run a foreign binary.
cmake_cross=()
tools=(cmake ninja readelf patchelf zip strip)
emulator=()
strip="strip"
case "$host_arch:$arch" in
x86_64:x86_64 | arm64:arm64) ;;
x86_64:arm64)
  cmake_cross=("-DCMAKE_TOOLCHAIN_FILE=$src/cmake/toolchain-aarch64-linux-gnu.cmake")
  strip=aarch64-linux-gnu-strip
  qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)
  [ -n "$qemu" ] || { echo "package.sh: --arch arm64 needs qemu-user-static (docs/install.md)" >&2; exit 1; }
  emulator=("$qemu")
  tools+=(aarch64-linux-gnu-gcc "$strip")
  ;;
*) echo "package.sh: --arch is x86_64 or arm64 (from $host_arch: the same, or arm64 from x86_64)" >&2; exit 2 ;;
esac

for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || { echo "package.sh: $tool is required (scripts/deps.sh)" >&2; exit 1; }
done

# A release build of the binary only, with the bundled libraries' directory as DT_RPATH.
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSPS_BUILD_TESTS=OFF \
  "${cmake_cross[@]}" \
  "-DCMAKE_BUILD_RPATH=$task_root/lib" "-DCMAKE_EXE_LINKER_FLAGS=-Wl,--disable-new-dtags -s" >/dev/null
cmake --build "$build" --target spotswap -j 2 >/dev/null

stage="$out/stage-$arch"
rm -rf "$stage"
mkdir -p "$stage/lib"
cp "$build/spotswap" "$stage/bootstrap"
chmod 755 "$stage/bootstrap"

# Everything the loader lists (what ldd prints), glibc included; the loader is the binary's
# PT_INTERP.
loader=$(patchelf --print-interpreter "$stage/bootstrap")
[ -f "$loader" ] || { echo "package.sh: the loader $loader is not installed" >&2; exit 1; }
cp -L "$loader" "$stage/lib/$(basename "$loader")"
listing=$("${emulator[@]}" "$loader" --list "$stage/bootstrap")
while read -r name path; do
  [ -f "$path" ] || { echo "package.sh: $name not found" >&2; exit 1; }
  cp -L "$path" "$stage/lib/$name"
  case "$name" in
  libc.so.* | libm.so.*) ;; # Debian ships them stripped; leave glibc as built
  *) "$strip" --strip-unneeded "$stage/lib/$name" ;;
  esac
done < <(awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' <<<"$listing")
if grep -q 'not found' <<<"$listing"; then
  echo "package.sh: unresolved libraries:" >&2
  grep 'not found' <<<"$listing" >&2
  exit 1
fi
patchelf --set-interpreter "$task_root/lib/$(basename "$loader")" "$stage/bootstrap"

check_bundle "$stage"

zipfile="$out/spotswap-$arch.zip"
rm -f "$zipfile"
(cd "$stage" && zip -q -9 -r "$zipfile" bootstrap lib)
nlibs=$(find "$stage/lib" -type f | wc -l)
unpacked=$(du -sb "$stage" | cut -f1)
echo "$zipfile: $(stat -c %s "$zipfile") bytes, $unpacked unpacked (bootstrap $(stat -c %s "$stage/bootstrap") bytes, $nlibs libraries)"
