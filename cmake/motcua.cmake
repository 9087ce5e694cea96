# motcua_add_module(NAME DEPS dep1 dep2 ... [LIBS extlib ...])
#
# One static library per folder under src/. Sources are every *.cpp below the
# folder except *_test.cpp and *_benchmark.cpp; tests (*_test.cpp) go into one
# GoogleTest binary per module, registered with CTest; benchmarks
# (*_benchmark.cpp) into one Google Benchmark binary. DEPS are other modules and
# make the one-way arrows of the architecture explicit: a module may only
# include headers of the modules it names.
function(motcua_add_module name)
  cmake_parse_arguments(M "" "" "DEPS;LIBS;TEST_LIBS" ${ARGN})
  set(dir ${CMAKE_CURRENT_SOURCE_DIR})
  file(GLOB_RECURSE all CONFIGURE_DEPENDS ${dir}/*.cpp)
  set(srcs)
  set(tests)
  set(benches)
  foreach(f ${all})
    if(f MATCHES "_test\\.cpp$")
      list(APPEND tests ${f})
    elseif(f MATCHES "_benchmark\\.cpp$")
      list(APPEND benches ${f})
    elseif(NOT f MATCHES "/main\\.cpp$")
      list(APPEND srcs ${f})
    endif()
  endforeach()
  set(deps)
  foreach(d ${M_DEPS})
    list(APPEND deps motcua_${d})
  endforeach()
  if(srcs)
    add_library(motcua_${name} STATIC ${srcs})
    target_link_libraries(motcua_${name} PUBLIC ${deps} ${M_LIBS})
  else()
    add_library(motcua_${name} INTERFACE)
    target_link_libraries(motcua_${name} INTERFACE ${deps} ${M_LIBS})
  endif()
  if(tests AND MOTCUA_BUILD_TESTS)
    add_executable(${name}_tests ${tests})
    target_link_libraries(${name}_tests PRIVATE motcua_${name} ${M_TEST_LIBS} GTest::gtest_main GTest::gmock)
    # PRE_TEST: list the tests when CTest runs, not at build time, so a
    # cross-module build does not run every binary twice.
    gtest_discover_tests(${name}_tests DISCOVERY_MODE PRE_TEST
      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
      PROPERTIES ENVIRONMENT "MOTCUA_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  endif()
  if(benches AND MOTCUA_BUILD_BENCHMARKS)
    add_executable(${name}_benchmark ${benches})
    target_link_libraries(${name}_benchmark PRIVATE motcua_${name} benchmark::benchmark_main)
  endif()
endfunction()
