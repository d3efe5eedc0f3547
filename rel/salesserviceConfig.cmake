
####### Expanded from @PACKAGE_INIT@ by configure_package_config_file() #######
####### Any changes to this file will be overwritten by the next CMake run ####
####### The input file was salesserviceConfig.cmake.in                            ########

get_filename_component(PACKAGE_PREFIX_DIR "${CMAKE_CURRENT_LIST_DIR}/../../../" ABSOLUTE)

macro(set_and_check _var _file)
  set(${_var} "${_file}")
  if(NOT EXISTS "${_file}")
    message(FATAL_ERROR "File or directory ${_file} referenced by variable ${_var} does not exist !")
  endif()
endmacro()

macro(check_required_components _NAME)
  foreach(comp ${${_NAME}_FIND_COMPONENTS})
    if(NOT ${_NAME}_${comp}_FOUND)
      if(${_NAME}_FIND_REQUIRED_${comp})
        set(${_NAME}_FOUND FALSE)
      endif()
    endif()
  endforeach()
endmacro()

####################################################################################

include(CMakeFindDependencyMacro)
find_dependency(Threads)
include("${CMAKE_CURRENT_LIST_DIR}/salesserviceTargets.cmake")

# salesservice::salesservice is the shared library when it was installed,
# else the static one; salesservice::salesservice_static is always static.
if(NOT TARGET salesservice::salesservice AND TARGET salesservice::salesservice_static)
  add_library(salesservice::salesservice INTERFACE IMPORTED)
  set_target_properties(salesservice::salesservice PROPERTIES
    INTERFACE_LINK_LIBRARIES salesservice::salesservice_static)
endif()
check_required_components(salesservice)
