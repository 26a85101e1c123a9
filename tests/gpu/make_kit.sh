#!/usr/bin/env bash
# tests/gpu/make_kit.sh: gathers what a lent GPU machine (the tool `device`) lacks to build and
# test LatentLab against its CUDA PyTorch: Debian 12's Qt 6, QCustomPlot, OpenCV, nlohmann-json
# and hnswlib, in one archive, .kit/latentlab-kit.tar.zst, which a device call carries (64 MiB
# at most) and tests/gpu/device_check.sh unpacks there. Run here, once, after a build (it reads
# what build/ links), before such a call.
#
# What goes in:
# - the -dev packages LatentLab's CMakeLists find (headers, CMake packages, Qt's moc, rcc and
#   uic), unpacked without their dependencies;
# - the shared libraries LatentLab's programs, the tests the device runs, Qt's tools and its
#   offscreen platform plugin load, followed library by library from their DT_NEEDED entries,
#   except LibTorch's (the machine's CUDA PyTorch has its own), the C and C++ runtimes (every
#   Debian or Ubuntu base has them) and the codecs OpenCV's image and video modules link but
#   LatentLab never calls (GDAL, GDCM, FFmpeg, GStreamer, ...: LatentLab reads and writes PNG
#   and JPEG and writes MJPG through OpenCV's own code). The OpenCV libraries lose their links
#   to those codecs (patchelf --remove-needed), and OpenCV's CMake package stops checking that
#   its other modules' files exist.
# Following the libraries rather than the packages' dependencies keeps out what a package
# depends on that LatentLab never loads: the packages' closure was 319 packages and 99 MiB.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
kit="$root/.kit"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
command -v patchelf >/dev/null || apt-get install -y -q patchelf >/dev/null
command -v zstd >/dev/null || apt-get install -y -q zstd >/dev/null

seeds=("$root/build/bin/latentlab" "$root/build/bin/latentlab-cli" "$root/build/bin/tst_trainstep")
for f in "${seeds[@]}"; do
    [ -x "$f" ] || { echo "make_kit: $f is missing: run packaging/build.sh first" >&2; exit 2; }
done
qtlib=/usr/lib/x86_64-linux-gnu
seeds+=("$qtlib/qt6/plugins/platforms/libqoffscreen.so" /usr/lib/qt6/libexec/moc
    /usr/lib/qt6/libexec/rcc /usr/lib/qt6/libexec/uic)

# What LatentLab's CMakeLists find. Qt6Gui's CMake package requires OpenGL (FindOpenGL): the GL
# loaders' headers and links too.
dev=(qt6-base-dev qt6-base-dev-tools libqcustomplot-dev nlohmann-json3-dev libhnswlib-dev
    libopencv-dev libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev
    libopencv-videoio-dev libgl-dev libglx-dev libopengl-dev libegl-dev)
(cd "$work" && apt-get download "${dev[@]}" >/dev/null 2>&1)
mkdir -p "$work/root"
for deb in "$work"/*.deb; do
    dpkg-deb -x "$deb" "$work/root"
done
rm -rf "$work/root/usr/share/doc" "$work/root/usr/share/man" "$work/root/usr/share/lintian" \
    "$work/root/usr/share/qt6/doc"
find "$work/root" -name '*.a' -delete # LatentLab links the shared libraries

# The libraries, breadth first from the seeds' DT_NEEDED entries.
lib="$work/root/usr/lib/x86_64-linux-gnu"
mkdir -p "$lib/qt6/plugins/platforms"
cp -a "$qtlib/qt6/plugins/platforms/libqoffscreen.so" "$lib/qt6/plugins/platforms/"
base='^(libc|libm|libdl|librt|libpthread|libresolv|libutil|ld-linux-x86-64|libstdc\+\+|libgcc_s)\.so'
torch='^(libtorch|libc10|libshm|libcaffe2|libcuda|libcudart|libnvrtc|libnvToolsExt)'
codecs='^(libgdal|libgdcm|libav|libsw|libgst|libdc1394|libgphoto2)'
declare -A seen
queue=("${seeds[@]}")
while [ ${#queue[@]} -gt 0 ]; do
    file="${queue[0]}"
    queue=("${queue[@]:1}")
    for needed in $(patchelf --print-needed "$file"); do
        [ -n "${seen[$needed]:-}" ] && continue
        seen[$needed]=1
        if [[ $needed =~ $base || $needed =~ $torch || $needed =~ $codecs ]]; then
            continue
        fi
        path=""
        for dir in "$qtlib" /lib/x86_64-linux-gnu /usr/lib /lib; do
            [ -e "$dir/$needed" ] && { path="$dir/$needed"; break; }
        done
        [ -n "$path" ] || { echo "make_kit: $needed (for $file) is not on this machine" >&2; exit 1; }
        # The file under the name the loader asks for (Debian's alternatives, such as
        # liblapack.so.3, are absolute links), and its own name as a link to it (CMake packages
        # name the full version).
        real="$(readlink -f "$path")"
        cp -L "$path" "$lib/$needed"
        [ "$(basename "$real")" = "$needed" ] || ln -sf "$needed" "$lib/$(basename "$real")"
        queue+=("$real")
    done
done
echo "make_kit: ${#seen[@]} libraries named, $(ls "$lib" | grep -c '\.so') files under lib"

# OpenCV: cut the links to the codecs left out, and let its CMake package accept the absent
# modules' files (it checks every one).
for so in "$lib"/libopencv_*.so.4*; do
    [ -f "$so" ] && [ ! -L "$so" ] || continue
    for needed in $(patchelf --print-needed "$so"); do
        [[ $needed =~ $codecs ]] && patchelf --remove-needed "$needed" "$so"
    done
done
cmake_dir="$lib/cmake/opencv4"
if [ -f "$cmake_dir/OpenCVModules-release.cmake" ]; then
    sed -i 's/^list(APPEND _cmake_import_check_files_for_\(.*\)$/# (kit) &/;
            s/^list(APPEND _IMPORT_CHECK_FILES_FOR_\(.*\)$/# (kit) &/' \
        "$cmake_dir/OpenCVModules-release.cmake"
fi
mkdir -p "$kit"
tar -C "$work/root" -c . | zstd -q -19 -T0 -o "$kit/latentlab-kit.tar.zst" -f
echo "make_kit: $(du -h "$kit/latentlab-kit.tar.zst" | cut -f1) in $kit/latentlab-kit.tar.zst" \
    "($(du -sh "$work/root" | cut -f1) unpacked)"
