
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/rel/tests/hdr/salesservice_alloc_h.c" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_alloc_h.c.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_alloc_h.c.o.d"
  "/work/main/rel/tests/hdr/salesservice_common_h.c" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_common_h.c.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_common_h.c.o.d"
  "/work/main/rel/tests/hdr/salesservice_customer_h.c" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_customer_h.c.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_customer_h.c.o.d"
  "/work/main/rel/tests/hdr/salesservice_db_h.c" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_db_h.c.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_db_h.c.o.d"
  "/work/main/rel/tests/hdr/salesservice_errors_h.c" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_errors_h.c.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_errors_h.c.o.d"
  "/work/main/rel/tests/hdr/salesservice_generate_h.c" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_generate_h.c.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_generate_h.c.o.d"
  "/work/main/rel/tests/hdr/salesservice_h.c" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_h.c.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_h.c.o.d"
  "/work/main/rel/tests/hdr/salesservice_interchange_h.c" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_interchange_h.c.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_interchange_h.c.o.d"
  "/work/main/rel/tests/hdr/salesservice_metrics_h.c" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_metrics_h.c.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_metrics_h.c.o.d"
  "/work/main/rel/tests/hdr/salesservice_pipeline_h.c" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_pipeline_h.c.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_pipeline_h.c.o.d"
  "/work/main/rel/tests/hdr/salesservice_team_h.c" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_team_h.c.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_team_h.c.o.d"
  "/work/main/rel/tests/hdr/salesservice_ticket_h.c" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_ticket_h.c.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_ticket_h.c.o.d"
  "/work/main/rel/tests/hdr/salesservice_values_h.c" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_values_h.c.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_values_h.c.o.d"
  "/work/main/rel/tests/hdr/salesservice_version_h.c" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_version_h.c.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_version_h.c.o.d"
  "/work/main/rel/tests/hdr/salesservice_alloc_h.cpp" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_alloc_h.cpp.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_alloc_h.cpp.o.d"
  "/work/main/rel/tests/hdr/salesservice_common_h.cpp" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_common_h.cpp.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_common_h.cpp.o.d"
  "/work/main/rel/tests/hdr/salesservice_customer_h.cpp" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_customer_h.cpp.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_customer_h.cpp.o.d"
  "/work/main/rel/tests/hdr/salesservice_db_h.cpp" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_db_h.cpp.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_db_h.cpp.o.d"
  "/work/main/rel/tests/hdr/salesservice_errors_h.cpp" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_errors_h.cpp.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_errors_h.cpp.o.d"
  "/work/main/rel/tests/hdr/salesservice_generate_h.cpp" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_generate_h.cpp.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_generate_h.cpp.o.d"
  "/work/main/rel/tests/hdr/salesservice_h.cpp" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_h.cpp.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_h.cpp.o.d"
  "/work/main/rel/tests/hdr/salesservice_interchange_h.cpp" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_interchange_h.cpp.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_interchange_h.cpp.o.d"
  "/work/main/rel/tests/hdr/salesservice_metrics_h.cpp" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_metrics_h.cpp.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_metrics_h.cpp.o.d"
  "/work/main/rel/tests/hdr/salesservice_pipeline_h.cpp" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_pipeline_h.cpp.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_pipeline_h.cpp.o.d"
  "/work/main/rel/tests/hdr/salesservice_team_h.cpp" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_team_h.cpp.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_team_h.cpp.o.d"
  "/work/main/rel/tests/hdr/salesservice_ticket_h.cpp" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_ticket_h.cpp.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_ticket_h.cpp.o.d"
  "/work/main/rel/tests/hdr/salesservice_values_h.cpp" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_values_h.cpp.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_values_h.cpp.o.d"
  "/work/main/rel/tests/hdr/salesservice_version_h.cpp" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_version_h.cpp.o" "gcc" "tests/CMakeFiles/lss_header_check.dir/hdr/salesservice_version_h.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
