file(REMOVE_RECURSE
  "CMakeFiles/test_team.dir/test_team.c.o"
  "CMakeFiles/test_team.dir/test_team.c.o.d"
  "test_team"
  "test_team.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_team.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
