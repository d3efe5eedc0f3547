file(REMOVE_RECURSE
  "CMakeFiles/test_ticket.dir/test_ticket.c.o"
  "CMakeFiles/test_ticket.dir/test_ticket.c.o.d"
  "test_ticket"
  "test_ticket.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_ticket.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
