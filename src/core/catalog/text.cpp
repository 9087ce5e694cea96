#include "core/catalog/text.hpp"

#include <array>
#include <cstdint>
#include <unordered_map>

namespace motcua::catalog {
namespace {

// Canonical marks in Token::exact. Symbols rather than letters so that they
// never collide with a base letter; '.' is avoided because codes keep it.
constexpr char kBreve = '(';
constexpr char kCircumflex = '^';
constexpr char kHorn = '+';
constexpr char kStroke = '-';  // đ
constexpr std::array<char, 6> kTones = {0,   '`', '\'',
                                        '?', '~', '!'};  // none, huyền, sắc, hỏi, ngã, nặng

struct Letter {
  char base = 0;      // lower-case ASCII
  char modifier = 0;  // 0 or kBreve, kCircumflex, kHorn, kStroke
  char tone = 0;      // 0 or one of kTones
};

std::uint32_t Decode(std::string_view s, std::size_t& i);

// Every precomposed Vietnamese letter, built from rows of six letters in
// tone order (none, huyền, sắc, hỏi, ngã, nặng), lower and upper case.
const std::unordered_map<std::uint32_t, Letter>& Letters() {
  static const auto* table = [] {
    struct Row {
      std::string_view lower, upper;
      char base, modifier;
    };
    constexpr Row kRows[] = {
        {"aàáảãạ", "AÀÁẢÃẠ", 'a', 0},           {"ăằắẳẵặ", "ĂẰẮẲẴẶ", 'a', kBreve},
        {"âầấẩẫậ", "ÂẦẤẨẪẬ", 'a', kCircumflex}, {"eèéẻẽẹ", "EÈÉẺẼẸ", 'e', 0},
        {"êềếểễệ", "ÊỀẾỂỄỆ", 'e', kCircumflex}, {"iìíỉĩị", "IÌÍỈĨỊ", 'i', 0},
        {"oòóỏõọ", "OÒÓỎÕỌ", 'o', 0},           {"ôồốổỗộ", "ÔỒỐỔỖỘ", 'o', kCircumflex},
        {"ơờớởỡợ", "ƠỜỚỞỠỢ", 'o', kHorn},       {"uùúủũụ", "UÙÚỦŨỤ", 'u', 0},
        {"ưừứửữự", "ƯỪỨỬỮỰ", 'u', kHorn},       {"yỳýỷỹỵ", "YỲÝỶỸỴ", 'y', 0},
    };
    auto* t = new std::unordered_map<std::uint32_t, Letter>();
    for (const Row& row : kRows) {
      for (std::string_view text : {row.lower, row.upper}) {
        std::size_t i = 0;
        for (char tone : kTones) {
          (*t)[Decode(text, i)] = Letter{row.base, row.modifier, tone};
        }
      }
    }
    (*t)[0x0111] = Letter{'d', kStroke, 0};  // đ
    (*t)[0x0110] = Letter{'d', kStroke, 0};  // Đ
    return t;
  }();
  return *table;
}

// Combining marks that spell Vietnamese diacritics in decomposed text: the
// mark they stand for, as {modifier, tone}.
Letter CombiningMark(std::uint32_t cp) {
  switch (cp) {
    case 0x0300:
    case 0x0340:
      return {0, 0, kTones[1]};
    case 0x0301:
    case 0x0341:
      return {0, 0, kTones[2]};
    case 0x0309:
      return {0, 0, kTones[3]};
    case 0x0303:
      return {0, 0, kTones[4]};
    case 0x0323:
      return {0, 0, kTones[5]};
    case 0x0306:
      return {0, kBreve, 0};
    case 0x0302:
      return {0, kCircumflex, 0};
    case 0x031B:
      return {0, kHorn, 0};
    default:
      return {};
  }
}

constexpr std::uint32_t kInvalid = 0xFFFFFFFF;

// Decodes the code point at s[i] and advances i; kInvalid (advancing one
// byte) for a malformed sequence.
std::uint32_t Decode(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    ++i;
    return b;
  }
  std::size_t len;
  std::uint32_t cp;
  if ((b & 0xE0) == 0xC0) {
    len = 2, cp = b & 0x1F;
  } else if ((b & 0xF0) == 0xE0) {
    len = 3, cp = b & 0x0F;
  } else if ((b & 0xF8) == 0xF0) {
    len = 4, cp = b & 0x07;
  } else {
    ++i;
    return kInvalid;
  }
  if (i + len > s.size()) {
    ++i;
    return kInvalid;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) {
      ++i;
      return kInvalid;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  static constexpr std::uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kInvalid;
  }
  i += len;
  return cp;
}

bool IsAsciiAlnum(std::uint32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

// Punctuation, symbols and spaces outside ASCII that separate words: Latin-1
// punctuation (no-break space, «», ·), general punctuation (dashes, curly
// quotes), CJK punctuation and the BOM.
bool IsSeparator(std::uint32_t cp) {
  if (cp < 0x80) return !IsAsciiAlnum(cp);
  return cp == kInvalid || (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
         (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) || cp == 0xFEFF;
}

bool IsCombining(std::uint32_t cp) { return cp >= 0x0300 && cp <= 0x036F; }

// Builds one token; the marks of the last letter stay pending so that
// combining marks after it can still join them.
class TokenBuilder {
 public:
  bool empty() const { return folded_.empty(); }
  void Letter(char base, char modifier, char tone) {
    FlushMarks();
    folded_ += base;
    exact_ += base;
    modifier_ = modifier;
    tone_ = tone;
    has_letter_ = true;
  }
  void Raw(std::string_view bytes) {
    FlushMarks();
    folded_ += bytes;
    exact_ += bytes;
    has_letter_ = false;
  }
  void Mark(const catalog::Letter& mark) {
    if (!has_letter_) return;  // a stray combining mark carries no meaning alone
    if (mark.modifier != 0) modifier_ = mark.modifier;
    if (mark.tone != 0) tone_ = mark.tone;
  }
  char last() const { return folded_.empty() ? 0 : folded_.back(); }
  void Finish(std::vector<Token>& out) {
    FlushMarks();
    if (!folded_.empty()) out.push_back(Token{std::move(folded_), std::move(exact_), out.size()});
    folded_.clear();
    exact_.clear();
    has_letter_ = false;
  }

 private:
  void FlushMarks() {
    if (modifier_ != 0) exact_ += modifier_;
    if (tone_ != 0) exact_ += tone_;
    modifier_ = tone_ = 0;
  }
  std::string folded_, exact_;
  char modifier_ = 0, tone_ = 0;
  bool has_letter_ = false;
};

}  // namespace

std::vector<Token> Tokenize(std::string_view text) {
  const auto& letters = Letters();
  std::vector<Token> out;
  TokenBuilder token;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    const std::uint32_t cp = Decode(text, i);
    if (IsAsciiAlnum(cp)) {
      const char c = static_cast<char>(cp);
      const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      token.Letter(lower, 0, 0);
    } else if (cp == '.' && token.last() >= '0' && token.last() <= '9' && i < text.size() &&
               IsAsciiAlnum(static_cast<unsigned char>(text[i]))) {
      token.Raw(".");
    } else if (IsCombining(cp)) {
      token.Mark(CombiningMark(cp));
    } else if (IsSeparator(cp)) {
      token.Finish(out);
    } else if (auto it = letters.find(cp); it != letters.end()) {
      token.Letter(it->second.base, it->second.modifier, it->second.tone);
    } else {
      token.Raw(text.substr(start, i - start));
    }
  }
  token.Finish(out);
  return out;
}

std::string FoldText(std::string_view text) {
  std::string out;
  for (const Token& t : Tokenize(text)) {
    if (!out.empty()) out += ' ';
    out += t.folded;
  }
  return out;
}

bool IsUtf8Text(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::uint32_t cp = Decode(text, i);
    if (cp == kInvalid) return false;
    if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F) return false;
  }
  return true;
}

std::size_t CodePointCount(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace motcua::catalog
