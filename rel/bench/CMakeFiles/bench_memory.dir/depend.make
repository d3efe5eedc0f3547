# Empty dependencies file for bench_memory.
# This may be replaced when dependencies are built.
