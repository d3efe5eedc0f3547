file(REMOVE_RECURSE
  "CMakeFiles/lss_bench_workload.dir/workload.c.o"
  "CMakeFiles/lss_bench_workload.dir/workload.c.o.d"
  "liblss_bench_workload.a"
  "liblss_bench_workload.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/lss_bench_workload.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
