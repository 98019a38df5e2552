#!/bin/sh
# Fill a folder (default: wheels/) with every wheel the server needs, for the laptops of venues
# without internet: Linux x86_64, Windows x64, macOS arm64 and x86_64, on Python 3.11-3.13, plus
# Conference day's own wheel. Run it on a connected machine; install at the venue with
#   python3 -m pip install --no-index --find-links wheels -r requirements.txt   (docs/INSTALL.md)
# Fewer targets: PLATFORMS="win_amd64" PYTHONS="3.12" scripts/build_offline_wheels.sh
set -eu
cd "$(dirname "$0")/.."
OUT=${1:-wheels}
PLATFORMS=${PLATFORMS:-"manylinux_2_28_x86_64 win_amd64 macosx_11_0_arm64 macosx_11_0_x86_64"}
PYTHONS=${PYTHONS:-"3.11 3.12 3.13"}
mkdir -p "$OUT"
missing=""

for platform in $PLATFORMS; do
    # A manylinux_2_28 machine also runs the older manylinux wheels (glibc 2.17 and up).
    case $platform in
        manylinux_2_28_x86_64) tags="--platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64" ;;
        *) tags="--platform $platform" ;;
    esac
    for python in $PYTHONS; do
        echo "== $platform, Python $python"
        # shellcheck disable=SC2086  # $tags is several options on purpose
        python3 -m pip download --quiet --only-binary=:all: $tags --python-version "$python" \
            --implementation cp -r requirements.txt -d "$OUT" || missing="$missing $platform/$python"
    done
done
# Pure Python, one wheel for every platform (needs setuptools from the index to build).
python3 -m pip wheel --quiet --no-deps -w "$OUT" .
rm -rf build conference_day.egg-info
echo "$(ls "$OUT" | wc -l) wheels in $OUT/"
if [ -n "$missing" ]; then
    # A pinned version without a wheel for a target (pip named it above): that target cannot
    # install offline until requirements.txt pins a version that has one.
    echo "no complete set for:$missing" >&2
    exit 1
fi
