file(REMOVE_RECURSE
  "CMakeFiles/test_metrics_service.dir/test_metrics_service.c.o"
  "CMakeFiles/test_metrics_service.dir/test_metrics_service.c.o.d"
  "test_metrics_service"
  "test_metrics_service.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_metrics_service.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
