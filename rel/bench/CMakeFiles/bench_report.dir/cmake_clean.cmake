file(REMOVE_RECURSE
  "CMakeFiles/bench_report.dir/bench_report.c.o"
  "CMakeFiles/bench_report.dir/bench_report.c.o.d"
  "bench_report"
  "bench_report.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_report.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
