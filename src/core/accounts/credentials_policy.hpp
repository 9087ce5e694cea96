// Rules for usernames and passwords, shared by every way an account is made
// or changed (admin screens, self-registration, the bootstrap command).
//
// Pure functions; thread safe.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace motcua::accounts {

// 3..64 characters: a-z, 0-9, '.', '_' and '-'. Callers lower-case ASCII
// first (NormalizeUsername) so that "NguyenVanA" and "nguyenvana" are one
// account. Errors: kInvalidArgument naming "username".
Status CheckUsername(std::string_view username);
// ASCII lower-casing; other bytes are left as they are (and then rejected by
// CheckUsername).
std::string NormalizeUsername(std::string_view username);

// 10..128 code points of valid UTF-8, not one of a built-in list of very
// common passwords (compared ignoring ASCII case), and not the username
// (ignoring ASCII case). Errors: kInvalidArgument naming "password".
Status CheckPassword(std::string_view password, std::string_view username);

// A person's or a token's name as shown on screens: 1..`max_length` code
// points of valid UTF-8 without control characters. Errors: kInvalidArgument
// naming `field`.
Status CheckDisplayText(std::string_view text, std::string_view field, std::size_t max_length);

}  // namespace motcua::accounts
