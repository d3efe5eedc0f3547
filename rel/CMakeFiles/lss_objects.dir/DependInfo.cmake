
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/lib/alloc.c" "CMakeFiles/lss_objects.dir/lib/alloc.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/alloc.c.o.d"
  "/work/main/lib/command.c" "CMakeFiles/lss_objects.dir/lib/command.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/command.c.o.d"
  "/work/main/lib/customer.c" "CMakeFiles/lss_objects.dir/lib/customer.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/customer.c.o.d"
  "/work/main/lib/db.c" "CMakeFiles/lss_objects.dir/lib/db.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/db.c.o.d"
  "/work/main/lib/enums.c" "CMakeFiles/lss_objects.dir/lib/enums.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/enums.c.o.d"
  "/work/main/lib/error.c" "CMakeFiles/lss_objects.dir/lib/error.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/error.c.o.d"
  "/work/main/lib/event.c" "CMakeFiles/lss_objects.dir/lib/event.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/event.c.o.d"
  "/work/main/lib/generate.c" "CMakeFiles/lss_objects.dir/lib/generate.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/generate.c.o.d"
  "/work/main/lib/index.c" "CMakeFiles/lss_objects.dir/lib/index.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/index.c.o.d"
  "/work/main/lib/interchange.c" "CMakeFiles/lss_objects.dir/lib/interchange.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/interchange.c.o.d"
  "/work/main/lib/journal.c" "CMakeFiles/lss_objects.dir/lib/journal.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/journal.c.o.d"
  "/work/main/lib/metrics.c" "CMakeFiles/lss_objects.dir/lib/metrics.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/metrics.c.o.d"
  "/work/main/lib/pipeline.c" "CMakeFiles/lss_objects.dir/lib/pipeline.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/pipeline.c.o.d"
  "/work/main/lib/report.c" "CMakeFiles/lss_objects.dir/lib/report.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/report.c.o.d"
  "/work/main/lib/team.c" "CMakeFiles/lss_objects.dir/lib/team.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/team.c.o.d"
  "/work/main/lib/text.c" "CMakeFiles/lss_objects.dir/lib/text.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/text.c.o.d"
  "/work/main/lib/ticket.c" "CMakeFiles/lss_objects.dir/lib/ticket.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/ticket.c.o.d"
  "/work/main/lib/undo.c" "CMakeFiles/lss_objects.dir/lib/undo.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/undo.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
