file(REMOVE_RECURSE
  "CMakeFiles/test_customer.dir/test_customer.c.o"
  "CMakeFiles/test_customer.dir/test_customer.c.o.d"
  "test_customer"
  "test_customer.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_customer.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
