file(REMOVE_RECURSE
  "CMakeFiles/bench_journal.dir/bench_journal.c.o"
  "CMakeFiles/bench_journal.dir/bench_journal.c.o.d"
  "bench_journal"
  "bench_journal.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_journal.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
