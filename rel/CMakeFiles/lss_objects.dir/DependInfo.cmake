
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/lib/core/alloc.c" "CMakeFiles/lss_objects.dir/lib/core/alloc.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/core/alloc.c.o.d"
  "/work/main/lib/core/crc32c.c" "CMakeFiles/lss_objects.dir/lib/core/crc32c.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/core/crc32c.c.o.d"
  "/work/main/lib/core/enums.c" "CMakeFiles/lss_objects.dir/lib/core/enums.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/core/enums.c.o.d"
  "/work/main/lib/core/error.c" "CMakeFiles/lss_objects.dir/lib/core/error.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/core/error.c.o.d"
  "/work/main/lib/core/index.c" "CMakeFiles/lss_objects.dir/lib/core/index.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/core/index.c.o.d"
  "/work/main/lib/core/text.c" "CMakeFiles/lss_objects.dir/lib/core/text.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/core/text.c.o.d"
  "/work/main/lib/db/calls.c" "CMakeFiles/lss_objects.dir/lib/db/calls.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/db/calls.c.o.d"
  "/work/main/lib/db/command.c" "CMakeFiles/lss_objects.dir/lib/db/command.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/db/command.c.o.d"
  "/work/main/lib/db/db.c" "CMakeFiles/lss_objects.dir/lib/db/db.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/db/db.c.o.d"
  "/work/main/lib/domain/customer.c" "CMakeFiles/lss_objects.dir/lib/domain/customer.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/domain/customer.c.o.d"
  "/work/main/lib/domain/pipeline.c" "CMakeFiles/lss_objects.dir/lib/domain/pipeline.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/domain/pipeline.c.o.d"
  "/work/main/lib/domain/schema.c" "CMakeFiles/lss_objects.dir/lib/domain/schema.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/domain/schema.c.o.d"
  "/work/main/lib/domain/state.c" "CMakeFiles/lss_objects.dir/lib/domain/state.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/domain/state.c.o.d"
  "/work/main/lib/domain/team.c" "CMakeFiles/lss_objects.dir/lib/domain/team.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/domain/team.c.o.d"
  "/work/main/lib/domain/ticket.c" "CMakeFiles/lss_objects.dir/lib/domain/ticket.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/domain/ticket.c.o.d"
  "/work/main/lib/domain/undo.c" "CMakeFiles/lss_objects.dir/lib/domain/undo.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/domain/undo.c.o.d"
  "/work/main/lib/io/generate.c" "CMakeFiles/lss_objects.dir/lib/io/generate.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/io/generate.c.o.d"
  "/work/main/lib/io/interchange.c" "CMakeFiles/lss_objects.dir/lib/io/interchange.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/io/interchange.c.o.d"
  "/work/main/lib/metrics/metrics.c" "CMakeFiles/lss_objects.dir/lib/metrics/metrics.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/metrics/metrics.c.o.d"
  "/work/main/lib/metrics/report.c" "CMakeFiles/lss_objects.dir/lib/metrics/report.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/metrics/report.c.o.d"
  "/work/main/lib/store/codec.c" "CMakeFiles/lss_objects.dir/lib/store/codec.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/store/codec.c.o.d"
  "/work/main/lib/store/journal.c" "CMakeFiles/lss_objects.dir/lib/store/journal.c.o" "gcc" "CMakeFiles/lss_objects.dir/lib/store/journal.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
