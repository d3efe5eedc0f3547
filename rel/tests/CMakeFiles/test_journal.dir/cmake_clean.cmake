file(REMOVE_RECURSE
  "CMakeFiles/test_journal.dir/test_journal.c.o"
  "CMakeFiles/test_journal.dir/test_journal.c.o.d"
  "test_journal"
  "test_journal.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_journal.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
