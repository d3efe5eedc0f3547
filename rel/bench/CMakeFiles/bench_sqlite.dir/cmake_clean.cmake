file(REMOVE_RECURSE
  "CMakeFiles/bench_sqlite.dir/bench_sqlite.c.o"
  "CMakeFiles/bench_sqlite.dir/bench_sqlite.c.o.d"
  "CMakeFiles/bench_sqlite.dir/workload.c.o"
  "CMakeFiles/bench_sqlite.dir/workload.c.o.d"
  "bench_sqlite"
  "bench_sqlite.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_sqlite.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
