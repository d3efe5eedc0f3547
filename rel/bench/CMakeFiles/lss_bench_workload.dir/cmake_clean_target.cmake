file(REMOVE_RECURSE
  "liblss_bench_workload.a"
)
