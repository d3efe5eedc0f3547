file(REMOVE_RECURSE
  "CMakeFiles/test_interchange.dir/test_interchange.c.o"
  "CMakeFiles/test_interchange.dir/test_interchange.c.o.d"
  "test_interchange"
  "test_interchange.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_interchange.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
