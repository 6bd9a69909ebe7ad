# Shared compile settings, so every module builds with the same warnings and sanitizers.
set(SPS_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wformat=2 -Wvla
    -Wmissing-prototypes -Wno-unused-parameter)

function(sps_target_defaults target)
  target_compile_options(${target} PRIVATE ${SPS_WARNINGS})
  if(SPS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  target_compile_definitions(${target} PRIVATE _POSIX_C_SOURCE=200809L)
  if(SPS_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${SPS_SANITIZE} -fno-omit-frame-pointer
                           -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=${SPS_SANITIZE})
  endif()
endfunction()

# One static library per module, from every .c file in the module's folder. A module with no
# sources yet defines no target, so later issues only have to add files.
function(sps_add_module name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.c)
  if(NOT sources)
    return()
  endif()
  add_library(${name} STATIC ${sources})
  target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  sps_target_defaults(${name})
endfunction()
