#----------------------------------------------------------------
# Generated CMake target import file for configuration "Release".
#----------------------------------------------------------------

# Commands may need to know the format version.
set(CMAKE_IMPORT_FILE_VERSION 1)

# Import target "salesservice::salesservice" for configuration "Release"
set_property(TARGET salesservice::salesservice APPEND PROPERTY IMPORTED_CONFIGURATIONS RELEASE)
set_target_properties(salesservice::salesservice PROPERTIES
  IMPORTED_LOCATION_RELEASE "${_IMPORT_PREFIX}/lib/libsalesservice.so.0.1.0"
  IMPORTED_SONAME_RELEASE "libsalesservice.so.0"
  )

list(APPEND _cmake_import_check_targets salesservice::salesservice )
list(APPEND _cmake_import_check_files_for_salesservice::salesservice "${_IMPORT_PREFIX}/lib/libsalesservice.so.0.1.0" )

# Import target "salesservice::salesservice_static" for configuration "Release"
set_property(TARGET salesservice::salesservice_static APPEND PROPERTY IMPORTED_CONFIGURATIONS RELEASE)
set_target_properties(salesservice::salesservice_static PROPERTIES
  IMPORTED_LINK_INTERFACE_LANGUAGES_RELEASE "C"
  IMPORTED_LOCATION_RELEASE "${_IMPORT_PREFIX}/lib/libsalesservice.a"
  )

list(APPEND _cmake_import_check_targets salesservice::salesservice_static )
list(APPEND _cmake_import_check_files_for_salesservice::salesservice_static "${_IMPORT_PREFIX}/lib/libsalesservice.a" )

# Commands beyond this point should not need to know the version.
set(CMAKE_IMPORT_FILE_VERSION)
