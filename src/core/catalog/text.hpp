// Vietnamese text as a citizen types it: folding and tokenisation for search.
//
// Input is UTF-8, normally NFC; decomposed input (a base letter followed by
// combining marks U+0300..U+036F, as NFD text and some keyboards produce)
// gives the same tokens. Pure functions, thread safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::catalog {

struct Token {
  // Lower-case, diacritics removed, đ -> d: "Đăng" -> "dang".
  std::string folded;
  // Lower-case with the diacritics kept in a canonical spelling (the base
  // letter, then its vowel mark, then its tone mark, as ASCII symbols), so
  // that NFC and NFD spellings of a word compare equal: "Đăng" -> "d-a(ng".
  // Equal to `folded` for a word without diacritics.
  std::string exact;
  std::size_t position = 0;  // 0, 1, 2, ... in the text
};

// Words of `text`: runs of letters and digits. Anything else separates
// words, except a '.' between a digit and a letter or digit, which keeps a
// procedure code such as "1.001193.000.00.00.H12" in one token. Letters
// outside Vietnamese (other scripts) are kept as they are. Invalid UTF-8
// bytes separate words.
std::vector<Token> Tokenize(std::string_view text);

// The folded tokens joined by single spaces: "  Hộ  tịch " -> "ho tich".
std::string FoldText(std::string_view text);

// True if `text` is valid UTF-8 (no overlongs, no surrogates) without control
// characters other than tab, CR and LF.
bool IsUtf8Text(std::string_view text);
// Code points in valid UTF-8 `text` (counts lead bytes).
std::size_t CodePointCount(std::string_view text);
// `text` without leading and trailing ASCII spaces and tabs.
std::string_view TrimSpaces(std::string_view text);

}  // namespace motcua::catalog
