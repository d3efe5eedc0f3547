"""Only for the wheel that bundles the C library: with
salesservice/libsalesservice.so.0 present, the wheel holds a native library
and is tagged for this platform, not as pure Python. Everything else is in
pyproject.toml."""
import os

from setuptools import setup
from setuptools.dist import Distribution

HERE = os.path.dirname(os.path.abspath(__file__))


class _Distribution(Distribution):
    def has_ext_modules(self):
        return os.path.exists(os.path.join(HERE, "salesservice", "libsalesservice.so.0"))


setup(distclass=_Distribution)
