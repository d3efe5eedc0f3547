"""The package's version: the C library's version it is written for (a test
holds it equal to include/salesservice/version.h and to lss_version())."""
__version__ = "0.1.0"
