# Empty dependencies file for lss_bench_workload.
# This may be replaced when dependencies are built.
