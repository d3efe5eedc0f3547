#!/bin/sh
# The Python package as a user installs it, offline, in fresh virtual
# environments: `pip install ./bindings/python` against the installed C
# library, and the wheel that bundles the library (scripts/python-wheel.sh).
# Usage: check_python_package.sh SOURCE_DIR BUILD_DIR WORKDIR
set -eu
src=$1 build=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
python=/usr/bin/python3
[ -x "$python" ] || python=python3
for m in venv pip setuptools wheel pandas; do
    "$python" -c "import $m" 2>/dev/null ||
        { echo "$python lacks the module $m: run scripts/install-deps.sh (python3-venv python3-pip python3-setuptools python3-wheel python3-pandas)"; exit 1; }
done
check='import salesservice as lss, sys
assert lss.__version__ == lss.version(), (lss.__version__, lss.version())
import os
here = os.path.dirname(lss.__file__)
assert here.startswith(sys.prefix), (here, sys.prefix)   # the installed copy, not the source
assert os.path.exists(os.path.join(here, "py.typed"))
with lss.Database() as db:
    db.generate(customers=50, seed=1)
    r = db.report()
    assert r["sales"]["deals_opened"] > 0
print(lss.__version__, lss._lib._name)'

# 1. pip install ./bindings/python, the library installed to a prefix
cmake --install "$build" --prefix "$work/prefix" >/dev/null
libdir=$(dirname "$(find "$work/prefix" -name libsalesservice.so.0 | head -1)")
cp -R "$src/bindings/python" "$work/pkg"      # pip builds in the folder it is given: not in the sources
"$python" -m venv --system-site-packages "$work/venv"
"$work/venv/bin/pip" install --no-build-isolation --no-index --no-deps -q "$work/pkg"
out=$(cd "$work" && env -u LSS_LIBRARY LD_LIBRARY_PATH="$libdir" "$work/venv/bin/python" -c "$check")
echo "installed package: $out"
case $out in *"$libdir"*|*libsalesservice.so.0*) ;; *) echo "did not load the installed library"; exit 1 ;; esac
# without a library anywhere, the import works and the first call names every place tried
msg=$(cd "$work" && env -u LSS_LIBRARY -u LD_LIBRARY_PATH "$work/venv/bin/python" -c 'import salesservice as lss
try:
    lss.version()
except OSError as e:
    print(e)' 2>&1)
case $msg in *"libsalesservice not found; tried:"*) ;; *) echo "no library: expected OSError, got: $msg"; exit 1 ;; esac

# to_pandas with Debian's pandas (the interpreter of the ctest suite may have none): it must run, not skip
out=$(cd "$src/bindings/python/tests" && LSS_LIBRARY="$libdir/libsalesservice.so.0" \
      "$work/venv/bin/python" -m unittest -v test_salesservice.PackageSurface.test_to_pandas 2>&1) ||
    { echo "to_pandas: $out"; exit 1; }
case $out in *skipped*) echo "to_pandas was skipped: $out"; exit 1 ;; esac
echo "to_pandas: ran"

# 2. the wheel that bundles the library: nothing else needed
PYTHON=$python "$src/scripts/python-wheel.sh" "$build" "$work/dist" >/dev/null
wheel=$(ls "$work"/dist/salesservice-*.whl)
case $wheel in *linux_*) ;; *) echo "the bundling wheel is not tagged for the platform: $wheel"; exit 1 ;; esac
"$python" -m venv --system-site-packages "$work/venv2"
"$work/venv2/bin/pip" install --no-index --no-deps -q "$wheel"
out=$(cd "$work" && env -u LSS_LIBRARY -u LD_LIBRARY_PATH "$work/venv2/bin/python" -c "$check")
echo "wheel: $out"
case $out in *"$work/venv2/"*"/salesservice/libsalesservice.so.0") ;; *) echo "the wheel's package did not load its own library"; exit 1 ;; esac
echo "ok"
