# Writes a C++ source that embeds one file's exact bytes, so the server needs
# no files beside the binary. Run by the build (see ck_html in CMakeLists.txt):
#   cmake -DINPUT=web/x.css -DOUTPUT=x_css.cc -DFUNCTION=EmbeddedXCss -P embed_asset.cmake
# -DHEADER=i18n/embedded.h names the header declaring FUNCTION (default:
# html/embedded.h). A byte array, not a raw string literal, so no delimiter
# or line-ending rule can change the bytes.
foreach(var IN ITEMS INPUT OUTPUT FUNCTION)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "embed_asset.cmake: -D${var}=... is required")
  endif()
endforeach()

if(NOT DEFINED HEADER)
  set(HEADER html/embedded.h)
endif()

file(READ "${INPUT}" hex HEX)
# 16 bytes per line, each as 0xNN.
string(REPEAT "[0-9a-f]" 32 sixteen_bytes)
string(REGEX REPLACE "(${sixteen_bytes})" "\\1\n" hex "${hex}")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
get_filename_component(name "${INPUT}" NAME)

file(WRITE "${OUTPUT}" "// Generated from ${name} by src/html/embed_asset.cmake. Do not edit.
#include <string_view>

#include \"${HEADER}\"

namespace consentkit {
namespace {

// A trailing 0 keeps the array non-empty for an empty file.
constexpr unsigned char kBytes[] = {
${bytes}0};

}  // namespace

std::string_view ${FUNCTION}() {
  return {reinterpret_cast<const char*>(kBytes), sizeof kBytes - 1};
}

}  // namespace consentkit
")
