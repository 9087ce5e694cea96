// Included before anything else in src/documents/signing.cpp, in the fuzz
// build only (fuzz/CMakeLists.txt says why).
#pragma once

#include <memory>
#include <vector>

class JSON;  // qpdf/JSON.hh

// Declared here, while JSON is incomplete, so that clang refers to this
// specialization instead of instantiating the constexpr destructor on the
// spot; defined in qpdf_json_clang.cpp, where JSON is complete.
template <>
constexpr std::vector<JSON, std::allocator<JSON>>::~vector() noexcept;
