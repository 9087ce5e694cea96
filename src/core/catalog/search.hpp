// Search over procedures as a citizen types it: an in-memory inverted index
// over the name, code and field of each procedure.
//
// Matching: the query is tokenised and folded (text.hpp), so "dang ky ket
// hon" finds "Đăng ký kết hôn" and "d" finds "đ". Every word but the last
// must match a whole word; the last matches as a prefix ("khai si" finds
// "khai sinh") unless the query ends with a space. If some procedures match
// every word, only those are results; otherwise the procedures matching any
// word are, with the ones matching more words first (a typo still finds
// something). A code matches whole or by prefix ("1.001193"), and its
// six-digit identifying part alone ("001193") matches too.
//
// Ranking, strongest first: more query words matched; then a score where a
// word in the name or code outweighs one in the field, a word spelled with
// the same diacritics beats a folded match, whole words beat prefixes, query
// words adjacent in the name in the same order earn a phrase bonus, a whole
// code beats everything, and each word of the name costs a little (shorter
// names first); ties go by folded name, then code.
//
// Filters (field, level, online mode) restrict the results before ranking.
// The field filter compares folded text: "ho tich" selects "Hộ tịch".
//
// Thread safety: immutable after construction; Search may run on many
// threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/catalog/procedure.hpp"

namespace motcua::catalog {

// Query words beyond this are ignored: nobody types more, and the bound
// keeps the cost of one query fixed.
inline constexpr std::size_t kMaxQueryWords = 8;

struct SearchQuery {
  std::string text;  // empty: every procedure passing the filters, by name
  std::optional<std::string> field;
  std::optional<Level> level;  // procedures handled at this level (among others)
  std::optional<OnlineMode> online_mode;
  std::size_t limit = 20;
  std::size_t offset = 0;
};

struct SearchResult {
  std::size_t total = 0;             // every match, before offset and limit
  std::vector<std::size_t> indexes;  // the page, as positions in procedures()
};

class SearchIndex {
 public:
  SearchIndex() = default;
  explicit SearchIndex(std::vector<Procedure> procedures);

  const std::vector<Procedure>& procedures() const { return procedures_; }
  SearchResult Search(const SearchQuery& query) const;

 private:
  enum Where : std::uint8_t { kInName, kInCode, kInField };
  struct DocToken {
    std::uint32_t term;   // id in terms_ (sorted, so a prefix is an id range)
    std::uint32_t exact;  // id in exact_terms_
    Where where;
    std::uint8_t position;  // in the name (255 beyond); phrase bonus only below 64
  };
  struct QueryWord;

  int Score(std::size_t doc, const std::vector<QueryWord>& words, int* matched) const;
  bool Passes(std::size_t doc, const SearchQuery& query, const std::string& folded_field) const;

  std::vector<Procedure> procedures_;
  std::vector<std::string> terms_;            // folded words, sorted, unique
  std::vector<std::string> exact_terms_;      // exact spellings, sorted, unique
  std::vector<DocToken> tokens_;              // every document's tokens, document after document
  std::vector<std::uint32_t> token_begin_;    // document d owns tokens_[begin[d], begin[d + 1])
  std::vector<std::uint32_t> posting_begin_;  // term t owns postings_[begin[t], begin[t + 1])
  std::vector<std::uint32_t> postings_;       // documents, ascending per term
  std::vector<std::uint32_t> name_rank_;      // position of each document sorted by name, code
  std::vector<std::uint16_t> name_words_;
  std::vector<std::string> folded_fields_;
};

}  // namespace motcua::catalog
