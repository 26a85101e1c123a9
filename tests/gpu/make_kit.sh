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
#   with the libraries of the CMake packages LatentLab finds, except LibTorch's (the machine's
#   CUDA PyTorch has its own), what every Debian or Ubuntu base has (the C and C++ runtimes,
#   zlib, expat, OpenSSL, ...) and the codecs OpenCV's image and video modules link but
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

[ -x "$root/build/bin/latentlab-cli" ] ||
    { echo "make_kit: build/bin is empty: run packaging/build.sh first" >&2; exit 2; }
qtlib=/usr/lib/x86_64-linux-gnu
# Every program and test suite of the build, Qt's offscreen plugin and its tools.
seeds=("$root"/build/bin/* "$qtlib/qt6/plugins/platforms/libqoffscreen.so"
    /usr/lib/qt6/libexec/moc /usr/lib/qt6/libexec/rcc /usr/lib/qt6/libexec/uic)
# And the libraries whose CMake packages LatentLab finds, loaded or not: a package stops the
# configuration when a library it names is missing (Qt6Network, Qt6Concurrent, FindOpenGL's).
libraries=(libQt6Core.so.6 libQt6Concurrent.so.6 libQt6Gui.so.6 libQt6Network.so.6
    libQt6Widgets.so.6 libQt6PrintSupport.so.6 libQt6Test.so.6 libQCustomPlotQt6.so.2.1
    libGL.so.1 libOpenGL.so.0 libGLX.so.0 libEGL.so.1 libGLdispatch.so.0)

# What LatentLab's CMakeLists find. Qt6Gui's CMake package requires OpenGL (FindOpenGL): the GL
# loaders' headers and links too.
dev=(qt6-base-dev qt6-base-dev-tools qmake6 libqcustomplot-dev nlohmann-json3-dev libhnswlib-dev
    libopencv-dev libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev
    libopencv-videoio-dev libgl-dev libglx-dev libopengl-dev libegl-dev)
(cd "$work" && apt-get download "${dev[@]}" >/dev/null)
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
# What every Debian or Ubuntu base has, in versions at least as new: the kit goes first on the
# library path there, and an older copy would shadow what the machine's own tools (Python's
# expat, the compiler's zstd) were built against.
base='^(libc|libm|libdl|librt|libpthread|libresolv|libutil|ld-linux-x86-64|libstdc\+\+|libgcc_s|libz|libzstd|liblzma|libbz2|libexpat|libffi|libgcrypt|libgpg-error|libsystemd|libudev|libcap|liblz4|libselinux|libpcre2-8|libmount|libblkid|libuuid|libcrypt|libgomp|libtinfo|libmd|libbsd|libssl|libcrypto)\.so'
torch='^(libtorch|libc10|libshm|libcaffe2|libcuda|libcudart|libnvrtc|libnvToolsExt)'
codecs='^(libgdal|libgdcm|libav|libsw|libgst|libdc1394|libgphoto2)'
declare -A seen
queue=()
for f in "${seeds[@]}"; do
    file -b "$f" | grep -q '^ELF' && queue+=("$f")
done
pending=("${libraries[@]}") # names to take before following the seeds
while [ ${#queue[@]} -gt 0 ] || [ ${#pending[@]} -gt 0 ]; do
    if [ ${#pending[@]} -gt 0 ]; then
        names="${pending[*]}"
        pending=()
    else
        file="${queue[0]}"
        queue=("${queue[@]:1}")
        names="$(patchelf --print-needed "$file")"
    fi
    for needed in $names; do
        [ -n "${seen[$needed]:-}" ] && continue
        seen[$needed]=1
        if [[ $needed =~ $base || $needed =~ $torch || $needed =~ $codecs ]]; then
            continue
        fi
        path=""
        for dir in "$qtlib" /lib/x86_64-linux-gnu /usr/lib /lib; do
            [ -e "$dir/$needed" ] && { path="$dir/$needed"; break; }
        done
        [ -n "$path" ] || { echo "make_kit: $needed is not on this machine" >&2; exit 1; }
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
