# Adds the benchmark drivers to the consentkit build without touching the
# top-level CMakeLists.txt. bench/run configures the project with
#   -DCMAKE_PROJECT_consentkit_INCLUDE=bench/inject.cmake
# CMake includes this file right after project(consentkit); the deferred
# call includes bench/targets.cmake at the end of the top-level
# CMakeLists.txt, once every ck_* target and the Poco/OpenSSL imports exist,
# as if the line were written there. (Deferred calls may not
# add_subdirectory, hence include.)
#
# Why not a bench/CMakeLists.txt that does add_subdirectory(..)? The top
# level finds fonts/subset.sh and web/* through CMAKE_SOURCE_DIR, which would
# then be bench/ and break the font subsets and the embedded assets. And
# linking a finished build's .a files by hand would copy the library graph
# (Poco, libharu, OpenSSL, the seal library) into bench/ and go stale.
# Deferred arguments are expanded when the call runs, so name the file now.
set(CK_BENCH_TARGETS ${CMAKE_CURRENT_LIST_DIR}/targets.cmake)
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL include ${CK_BENCH_TARGETS})
