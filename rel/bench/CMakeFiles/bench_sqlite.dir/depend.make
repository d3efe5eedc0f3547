# Empty dependencies file for bench_sqlite.
# This may be replaced when dependencies are built.
