#!/usr/bin/env bash
# tests/gpu/make_kit.sh: gathers what a lent GPU machine (the tool `device`) lacks to build and
# test LatentLab against its CUDA PyTorch: Debian 12's Qt 6, QCustomPlot, OpenCV, nlohmann-json
# and hnswlib, unpacked here into one archive, .kit/latentlab-kit.tar.zst, which a device call
# carries and tests/gpu/device_check.sh unpacks there. Run here, once, before such a call.
#
# The machine has no registry to install from, and the whole closure of OpenCV's image and video
# modules (GDAL, FFmpeg, GStreamer, ...) is 240 MiB against a 64 MiB carry. So the kit holds the
# packages LatentLab's build and tests load, minus what every Debian or Ubuntu base has, and the
# OpenCV libraries lose their links to the codecs LatentLab never asks for (patchelf
# --remove-needed): LatentLab reads and writes PNG and JPEG and writes MJPG/MP4 through
# OpenCV's own code, never through GDAL, GDCM, FFmpeg or GStreamer. tests/gpu/device_check.sh
# checks on the machine that what was built loads.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
kit="$root/.kit"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
command -v patchelf >/dev/null || apt-get install -y -q patchelf >/dev/null
command -v zstd >/dev/null || apt-get install -y -q zstd >/dev/null

# What LatentLab's CMakeLists find, and the Qt platform plugin the tests run on.
# Qt6Gui's CMake package requires OpenGL (FindOpenGL): the GL loaders' headers and links too.
wanted=(qt6-base-dev qt6-base-dev-tools qt6-qpa-plugins libqcustomplot-dev nlohmann-json3-dev
    libhnswlib-dev libopencv-dev libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev
    libopencv-videoio-dev libgl-dev libglx-dev libopengl-dev libegl-dev)
# Left out with their closures: the codecs named above, OpenCV's other modules (only their CMake
# targets are needed, see below), and the BLAS alternatives (BLIS, ATLAS) beside the reference one.
skipped='^(libblis|libatlas|libz3|proj-data|libgdal|libgdcm|libav|libsw|libpostproc|libgstreamer|libdc1394|libgphoto2|libvtk|libhdf|libnetcdf|libpoppler|libspatialite|libmysqlclient|libpq|libproj|libgeos|libogdi|libarmadillo|libfyba|libodbc|libxerces|libkml|libopencv-(contrib|dnn|objdetect|ml|photo|stitching|video|calib3d|features2d|flann|highgui|shape|superres|videostab|viz|aruco|bgsegm|bioinspired|ccalib|datasets|dpm|face|freetype|fuzzy|hdf|hfs|img-hash|intensity|line-descriptor|mcc|optflow|phase|plot|quality|rapid|reg|rgbd|saliency|sfm|stereo|structured|surface|text|tracking|xfeatures|ximgproc|xobjdetect|xphoto|wechat|barcode|gapi)|libtesseract|libleptonica|libogre|libgtk|libwebkit|libvulkan|mesa|libllvm|libclang|libgl1-mesa|libgallium|libx265|libx264|libvpx|libaom|libdav1d|librav1e|libsvtav1|libcodec2|libzvbi|libopenmpt|libmfx|libvdpau|libva|libbluray|librabbitmq|libsrt|libssh|libzmq|libchromaprint|libgme|libshine|libsnappy|libsoxr|libtwolame|libvorbis|libspeex|libopus|libmp3lame|libtheora|libxvid|libgsm|libcairo|libpango|librsvg|libheif|libdeflate-dev|libjxl|libgtk|libqt5|qtbase5|libpython|python3|perl|libperl|gcc|g\+\+|cpp|binutils|libc6-dev|libgcc-|libstdc\+\+-|linux-libc|dpkg|debconf|coreutils|bash|libc6$|libc-bin|libgcc-s1|libstdc\+\+6|zlib1g$|libselinux|libpcre2-8|libcrypt1|libzstd1|liblzma5|libbz2|libtinfo|libudev1|libsystemd|libcap2$|libgpg-error|libgcrypt|liblz4|libmd0|libbsd0|libffi8|libuuid|libblkid|libmount|debianutils|sensible-utils|tar|perl-base|libssl3|openssl|ca-certificates|libtbb-dev|libeigen|libblas-dev|liblapack-dev|libopenblas|libgfortran|libquadmath)'
apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances "${wanted[@]}" 2>/dev/null |
    grep -v '^ ' | grep -v '^<' | sort -u | grep -Ev "$skipped" >"$work/packages"
# -dev packages whose only use is building against them once LatentLab's headers are in: keep
# those LatentLab names, drop the rest of the -dev closure (GL headers, X11 headers, ...).
grep -Ev -- '-dev$' "$work/packages" >"$work/keep"
printf '%s\n' "${wanted[@]}" >>"$work/keep"
sort -u "$work/keep" -o "$work/keep"
echo "make_kit: $(wc -l <"$work/keep") packages"
(cd "$work" && apt-get download $(cat keep) >/dev/null)
mkdir -p "$work/root"
for deb in "$work"/*.deb; do
    dpkg-deb -x "$deb" "$work/root"
done
rm -rf "$work/root/usr/share/doc" "$work/root/usr/share/man" "$work/root/usr/share/locale" \
    "$work/root/usr/share/info" "$work/root/usr/share/lintian" "$work/root/usr/share/qt6/doc"
lib="$work/root/usr/lib/x86_64-linux-gnu"
find "$work/root" -name '*.a' -delete # LatentLab links the shared libraries

# OpenCV: keep only the modules LatentLab links, cut their links to the codecs left out, and
# let OpenCV's CMake package accept the absent modules' files (it checks every one).
for so in "$lib"/libopencv_*.so.4*; do
    [ -f "$so" ] && [ ! -L "$so" ] || continue
    for needed in $(patchelf --print-needed "$so"); do
        if ! find "$work/root" -name "$needed" | grep -q . &&
            echo "$needed" | grep -Eq '^(libgdal|libgdcm|libav|libsw|libgst|libdc1394|libgphoto2)'; then
            patchelf --remove-needed "$needed" "$so"
        fi
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
echo "make_kit: $(du -h "$kit/latentlab-kit.tar.zst" | cut -f1) in $kit/latentlab-kit.tar.zst"
