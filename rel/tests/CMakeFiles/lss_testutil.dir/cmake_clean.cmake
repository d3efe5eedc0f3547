file(REMOVE_RECURSE
  "CMakeFiles/lss_testutil.dir/dump.c.o"
  "CMakeFiles/lss_testutil.dir/dump.c.o.d"
  "CMakeFiles/lss_testutil.dir/randevents.c.o"
  "CMakeFiles/lss_testutil.dir/randevents.c.o.d"
  "CMakeFiles/lss_testutil.dir/testutil.c.o"
  "CMakeFiles/lss_testutil.dir/testutil.c.o.d"
  "liblss_testutil.a"
  "liblss_testutil.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/lss_testutil.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
