file(REMOVE_RECURSE
  "CMakeFiles/lss.dir/lss.c.o"
  "CMakeFiles/lss.dir/lss.c.o.d"
  "lss"
  "lss.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/lss.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
