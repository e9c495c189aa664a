#!/usr/bin/env bash
# Builds the Python column: build/venv with rocketmq-client-python 2.0.0 (requirements.txt) plus the native
# librocketmq.so it loads through ctypes, taken from the one PyPI wheel of the same project that bundles it
# (native-requirements.txt). Idempotent: a second run only checks that the library still loads.
# Prints "PREPARED ..." and exits 0, or exits non-zero with the exact load error.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
build="$here/build"
venv="$build/venv"
stamp="$build/prepared.stamp"
what="rocketmq-client-python 2.0.0 (ctypes) + librocketmq.so (rocketmq-client-cpp C API) from the rocketmq-client-python 0.5.0rc2 manylinux1_x86_64 wheel"
pip_flags=(--quiet --disable-pip-version-check --no-input)

load_error() {
  # Prints nothing when the wrapper imports (which loads librocketmq.so), else the exception's last line.
  "$venv/bin/python" -c 'import rocketmq.client' 2>&1 | tail -n 1 || true
}

wanted="$(cat "$here/requirements.txt" "$here/native-requirements.txt" | sha256sum | cut -c1-16)"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && [ -z "$(load_error)" ]; then
  echo "PREPARED $what (cached)"
  exit 0
fi

rm -rf "$venv" "$build/native" "$stamp"
mkdir -p "$build"
python3 -m venv "$venv"
"$venv/bin/pip" install "${pip_flags[@]}" --require-hashes -r "$here/requirements.txt"

if [ "$(uname -sm)" != "Linux x86_64" ]; then
  echo "prepare.sh: librocketmq.so is only on PyPI as a Linux x86_64 wheel; this is $(uname -sm)" >&2
  echo "prepare.sh: rocketmq-client-python cannot load: $(load_error)" >&2
  exit 1
fi
"$venv/bin/pip" download "${pip_flags[@]}" --no-deps --only-binary=:all: --platform manylinux1_x86_64 \
  --require-hashes -r "$here/native-requirements.txt" -d "$build/native"

# Copy rocketmq/librocketmq.so and its auditwheel-vendored rocketmq/.libs/ (RPATH $ORIGIN/.libs) next to 2.0.0's
# ffi.py, which prefers a librocketmq.so in its own folder.
"$venv/bin/python" - "$build/native" <<'EOF'
import glob, importlib.util, os, sys, zipfile
pkg_dir = os.path.dirname(importlib.util.find_spec('rocketmq').origin)
wheels = glob.glob(os.path.join(sys.argv[1], '*.whl'))
assert len(wheels) == 1, wheels
with zipfile.ZipFile(wheels[0]) as wheel:
    for name in wheel.namelist():
        if name == 'rocketmq/librocketmq.so' or name.startswith('rocketmq/.libs/'):
            target = os.path.join(pkg_dir, name[len('rocketmq/'):])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with wheel.open(name) as src, open(target, 'wb') as dst:
                dst.write(src.read())
EOF

error="$(load_error)"
if [ -n "$error" ]; then
  echo "prepare.sh: rocketmq-client-python cannot load its native library: $error" >&2
  exit 1
fi
echo "$wanted" > "$stamp"
echo "PREPARED $what"
