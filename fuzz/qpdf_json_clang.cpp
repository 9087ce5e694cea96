// The destructor qpdf_json_clang.hpp declares, as libstdc++ 12 writes it:
// destroy the elements; ~_Vector_base then frees the storage.
#define POINTERHOLDER_TRANSITION 4  // as signing.cpp
#include "qpdf_json_clang.hpp"

#include <qpdf/JSON.hh>

// Constexpr, hence inline: `used` makes this file emit it for signing.cpp.
template <>
[[gnu::used]] constexpr std::vector<JSON, std::allocator<JSON>>::~vector() noexcept {
  std::_Destroy(this->_M_impl._M_start, this->_M_impl._M_finish, this->_M_get_Tp_allocator());
}
