# The benchmark drivers, included at the end of the top-level CMakeLists.txt
# by inject.cmake: they link the very ck_* targets `consentkit` is made of,
# built with the same flags.
set(CK_BENCH_DIR ${CMAKE_CURRENT_LIST_DIR})

# Blank PDFs in-process: times, sizes and the process's peak RSS. Also the
# callgrind driver (bench/profile).
add_executable(bench_render ${CK_BENCH_DIR}/render.cc)
target_include_directories(bench_render PRIVATE ${CK_BENCH_DIR})
target_link_libraries(bench_render PRIVATE ck_pdf ck_form ck_config)

# The form model as JSON: the input the peers (ReportLab, pdf-lib) render.
add_executable(bench_form_json ${CK_BENCH_DIR}/form_json.cc)
target_link_libraries(bench_form_json PRIVATE ck_form ck_config ck_util)

# The intake pipeline in-process on a durable SQLite store. The filled
# submission comes from the test helper, compiled here from its source so the
# bench needs neither doctest nor the test tree's targets.
add_executable(bench_submit ${CK_BENCH_DIR}/submit.cc ${CMAKE_SOURCE_DIR}/tests/support/filled.cc)
target_include_directories(bench_submit PRIVATE ${CK_BENCH_DIR} ${CMAKE_SOURCE_DIR}/tests)
target_link_libraries(bench_submit PRIVATE ck_service ck_seal ck_api ck_store ck_pdf ck_submission ck_form
                                           ck_config)

# A data folder with N stored submissions, for timing `consentkit export`.
add_executable(bench_seed ${CK_BENCH_DIR}/seed.cc ${CMAKE_SOURCE_DIR}/tests/support/filled.cc)
target_include_directories(bench_seed PRIVATE ${CK_BENCH_DIR} ${CMAKE_SOURCE_DIR}/tests)
target_link_libraries(bench_seed PRIVATE ck_service ck_seal ck_api ck_store ck_pdf ck_submission
                                         ck_form ck_config ck_util)

# A practitioner's countersignature of a sealed record, next to the seal
# itself, and the check of both signatures.
add_executable(bench_countersign ${CK_BENCH_DIR}/countersign.cc
                                 ${CMAKE_SOURCE_DIR}/tests/support/filled.cc)
target_include_directories(bench_countersign PRIVATE ${CK_BENCH_DIR} ${CMAKE_SOURCE_DIR}/tests)
target_link_libraries(bench_countersign PRIVATE ck_service ck_seal ck_pdf ck_submission ck_form
                                                ck_config ck_util)

# The store's listings (submissions with filters and cursors, visits of a
# day) on a folder bench_seed --visits made.
add_executable(bench_list ${CK_BENCH_DIR}/list.cc)
target_include_directories(bench_list PRIVATE ${CK_BENCH_DIR})
target_link_libraries(bench_list PRIVATE ck_store ck_util)

# The per-document cost of the embedded font, on its own: consentkit's and
# libharu's own UTF-8 TrueType embedding (the before/after reference).
add_executable(bench_font_cost ${CK_BENCH_DIR}/font_cost.cc)
target_include_directories(bench_font_cost PRIVATE ${CK_BENCH_DIR} ${CMAKE_SOURCE_DIR}/src
                                                   ${HPDF_INCLUDE_DIR})
target_link_libraries(bench_font_cost PRIVATE ck_pdf ${HPDF_LIBRARY})

add_custom_target(bench DEPENDS consentkit bench_render bench_form_json bench_submit bench_seed
                  bench_font_cost bench_countersign bench_list)

# Sealed records with a Latin, a Chinese and an Arabic patient name (the
# font chain's other faces, shaping and bidi), and the resident memory with
# every face of the chain loaded (issue 13).
add_executable(bench_record_scripts ${CK_BENCH_DIR}/record_scripts.cc
                                    ${CMAKE_SOURCE_DIR}/tests/support/filled.cc)
target_include_directories(bench_record_scripts PRIVATE ${CK_BENCH_DIR} ${CMAKE_SOURCE_DIR}/tests
                                                        ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(bench_record_scripts PRIVATE ck_seal ck_pdf ck_submission ck_form ck_config
                                                   ck_util)
target_compile_definitions(bench_record_scripts PRIVATE CONSENTKIT_FONT_DIR="${CONSENTKIT_FONT_DIR}")
