file(REMOVE_RECURSE
  "libsalesservice.pdb"
  "libsalesservice.so"
  "libsalesservice.so.0"
  "libsalesservice.so.0.1.0"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/salesservice.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
