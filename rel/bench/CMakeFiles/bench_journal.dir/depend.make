# Empty dependencies file for bench_journal.
# This may be replaced when dependencies are built.
