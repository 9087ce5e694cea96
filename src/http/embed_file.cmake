# cmake -DINPUT=file -DOUTPUT=file.cpp -DFUNCTION=Name -P embed_file.cmake
#
# Writes a .cpp defining `std::string_view motcua::http::<FUNCTION>()` that
# returns the bytes of INPUT. Bytes as hex, so no content can break the
# generated source (a raw string literal could meet its own delimiter).
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by embed_file.cmake. Do not edit.\n"
  "#include <string_view>\n\n"
  "namespace motcua::http {\n"
  "namespace {\n"
  "constexpr char kData[] = {${bytes} '\\0'};\n"
  "}  // namespace\n\n"
  "std::string_view ${FUNCTION}() { return std::string_view(kData, ${size}); }\n\n"
  "}  // namespace motcua::http\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
