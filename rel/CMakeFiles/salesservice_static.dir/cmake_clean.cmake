file(REMOVE_RECURSE
  "libsalesservice.a"
  "libsalesservice.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/salesservice_static.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
