#include "core/catalog/search.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <numeric>
#include <tuple>
#include <utility>

#include "core/catalog/text.hpp"

namespace motcua::catalog {
namespace {

// Score weights. Only their order matters to users; the gaps are chosen so
// that one stronger signal outweighs any sum of weaker ones for one word.
constexpr int kNameWeight = 100;
constexpr int kCodeWeight = 100;
constexpr int kFieldWeight = 30;      // a word of the field is a weak hint
constexpr int kExactBonus = 20;       // same diacritics as typed
constexpr int kWholeBonus = 10;       // the last word typed in full
constexpr int kPhraseBonus = 40;      // two query words next to each other in the name
constexpr int kWholeCodeBonus = 400;  // a pasted code is a lookup, not a search
constexpr int kMaxLengthPenalty = 50;

using Range = std::pair<std::uint32_t, std::uint32_t>;  // [first, last)

Range WholeRange(const std::vector<std::string>& sorted, const std::string& word) {
  auto [lo, hi] = std::equal_range(sorted.begin(), sorted.end(), word);
  return {static_cast<std::uint32_t>(lo - sorted.begin()),
          static_cast<std::uint32_t>(hi - sorted.begin())};
}

Range PrefixRange(const std::vector<std::string>& sorted, const std::string& prefix) {
  auto lo = std::lower_bound(sorted.begin(), sorted.end(), prefix);
  auto hi = std::partition_point(lo, sorted.end(),
                                 [&prefix](const std::string& t) { return t.starts_with(prefix); });
  return {static_cast<std::uint32_t>(lo - sorted.begin()),
          static_cast<std::uint32_t>(hi - sorted.begin())};
}

bool In(std::uint32_t id, Range r) { return id >= r.first && id < r.second; }

// Extra words indexed for a code: each dotted segment of four digits or more
// ("001193" of "1.001193.000.00.00.H12"), which is how codes are quoted.
std::vector<std::string> CodeParts(const std::string& folded_code) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= folded_code.size()) {
    std::size_t dot = folded_code.find('.', start);
    if (dot == std::string::npos) dot = folded_code.size();
    if (dot - start >= 4 && dot - start < folded_code.size()) {
      parts.push_back(folded_code.substr(start, dot - start));
    }
    start = dot + 1;
  }
  return parts;
}

}  // namespace

struct SearchIndex::QueryWord {
  Range terms;              // folded terms that match
  Range exact;              // exact spellings that match
  std::int64_t whole = -1;  // the folded term equal to the word, if indexed
};

SearchIndex::SearchIndex(std::vector<Procedure> procedures) : procedures_(std::move(procedures)) {
  struct Raw {
    std::string folded, exact;
    Where where;
    std::uint8_t position;
  };
  std::vector<std::vector<Raw>> raw(procedures_.size());
  name_words_.resize(procedures_.size());
  folded_fields_.resize(procedures_.size());
  for (std::size_t d = 0; d < procedures_.size(); ++d) {
    const Procedure& p = procedures_[d];
    std::vector<Token> name = Tokenize(p.name);
    name_words_[d] = static_cast<std::uint16_t>(std::min<std::size_t>(name.size(), 65535));
    for (Token& t : name) {
      raw[d].push_back({std::move(t.folded), std::move(t.exact), kInName,
                        static_cast<std::uint8_t>(std::min<std::size_t>(t.position, 255))});
    }
    for (Token& t : Tokenize(p.code)) {
      for (std::string& part : CodeParts(t.folded)) raw[d].push_back({part, part, kInCode, 255});
      raw[d].push_back({std::move(t.folded), std::move(t.exact), kInCode, 255});
    }
    for (Token& t : Tokenize(p.field)) {
      folded_fields_[d] += (folded_fields_[d].empty() ? "" : " ") + t.folded;
      raw[d].push_back({std::move(t.folded), std::move(t.exact), kInField, 255});
    }
  }

  for (const auto& doc : raw) {
    for (const Raw& r : doc) {
      terms_.push_back(r.folded);
      exact_terms_.push_back(r.exact);
    }
  }
  for (auto* v : {&terms_, &exact_terms_}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }

  token_begin_.push_back(0);
  std::vector<std::vector<std::uint32_t>> docs_of_term(terms_.size());
  for (std::size_t d = 0; d < raw.size(); ++d) {
    for (const Raw& r : raw[d]) {
      const auto term = static_cast<std::uint32_t>(WholeRange(terms_, r.folded).first);
      const auto exact = static_cast<std::uint32_t>(WholeRange(exact_terms_, r.exact).first);
      tokens_.push_back({term, exact, r.where, r.position});
      auto& docs = docs_of_term[term];
      if (docs.empty() || docs.back() != d) docs.push_back(static_cast<std::uint32_t>(d));
    }
    token_begin_.push_back(static_cast<std::uint32_t>(tokens_.size()));
  }
  posting_begin_.push_back(0);
  for (const auto& docs : docs_of_term) {
    postings_.insert(postings_.end(), docs.begin(), docs.end());
    posting_begin_.push_back(static_cast<std::uint32_t>(postings_.size()));
  }

  std::vector<std::string> folded_names(procedures_.size());
  for (std::size_t d = 0; d < procedures_.size(); ++d)
    folded_names[d] = FoldText(procedures_[d].name);
  std::vector<std::uint32_t> order(procedures_.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return std::tie(folded_names[a], procedures_[a].code) <
           std::tie(folded_names[b], procedures_[b].code);
  });
  name_rank_.resize(procedures_.size());
  for (std::size_t r = 0; r < order.size(); ++r)
    name_rank_[order[r]] = static_cast<std::uint32_t>(r);
}

bool SearchIndex::Passes(std::size_t doc, const SearchQuery& query,
                         const std::string& folded_field) const {
  const Procedure& p = procedures_[doc];
  if (query.field && folded_fields_[doc] != folded_field) return false;
  if (query.online_mode && p.online_mode != *query.online_mode) return false;
  if (query.level && std::find(p.levels.begin(), p.levels.end(), *query.level) == p.levels.end()) {
    return false;
  }
  return true;
}

int SearchIndex::Score(std::size_t doc, const std::vector<QueryWord>& words, int* matched) const {
  std::array<int, kMaxQueryWords> best{};
  std::array<std::uint64_t, kMaxQueryWords> name_positions{};
  for (std::uint32_t k = token_begin_[doc]; k < token_begin_[doc + 1]; ++k) {
    const DocToken& t = tokens_[k];
    for (std::size_t w = 0; w < words.size(); ++w) {
      const QueryWord& word = words[w];
      if (!In(t.term, word.terms)) continue;
      const bool whole = t.term == word.whole;
      int s = t.where == kInField ? kFieldWeight : t.where == kInCode ? kCodeWeight : kNameWeight;
      if (In(t.exact, word.exact)) s += kExactBonus;
      if (whole) s += kWholeBonus;
      if (whole && t.where == kInCode) s += kWholeCodeBonus;
      best[w] = std::max(best[w], s);
      if (t.where == kInName && t.position < 64)
        name_positions[w] |= std::uint64_t{1} << t.position;
    }
  }
  int score = 0;
  *matched = 0;
  for (std::size_t w = 0; w < words.size(); ++w) {
    score += best[w];
    *matched += best[w] > 0;
    if (w > 0 && ((name_positions[w - 1] << 1) & name_positions[w]) != 0) score += kPhraseBonus;
  }
  return score - std::min<int>(name_words_[doc], kMaxLengthPenalty);
}

SearchResult SearchIndex::Search(const SearchQuery& query) const {
  const std::string folded_field = query.field ? FoldText(*query.field) : std::string();
  std::vector<Token> tokens = Tokenize(query.text);
  if (tokens.size() > kMaxQueryWords) tokens.resize(kMaxQueryWords);
  const bool last_is_prefix =
      !query.text.empty() && query.text.back() != ' ' && query.text.back() != '\t';

  struct Hit {
    int matched;
    int score;
    std::uint32_t rank;
    std::uint32_t doc;
  };
  std::vector<Hit> hits;

  if (tokens.empty()) {
    for (std::size_t d = 0; d < procedures_.size(); ++d) {
      if (Passes(d, query, folded_field))
        hits.push_back({0, 0, name_rank_[d], static_cast<std::uint32_t>(d)});
    }
  } else {
    std::vector<QueryWord> words;
    std::size_t rarest = 0;
    std::uint32_t rarest_count = UINT32_MAX;
    bool every_word_indexed = true;
    for (std::size_t w = 0; w < tokens.size(); ++w) {
      const bool prefix = last_is_prefix && w + 1 == tokens.size();
      QueryWord word;
      word.terms =
          prefix ? PrefixRange(terms_, tokens[w].folded) : WholeRange(terms_, tokens[w].folded);
      word.exact = prefix ? PrefixRange(exact_terms_, tokens[w].exact)
                          : WholeRange(exact_terms_, tokens[w].exact);
      if (Range r = WholeRange(terms_, tokens[w].folded); r.first != r.second) word.whole = r.first;
      const std::uint32_t count =
          posting_begin_[word.terms.second] - posting_begin_[word.terms.first];
      if (count == 0) every_word_indexed = false;
      if (count < rarest_count) rarest_count = count, rarest = w;
      words.push_back(word);
    }

    // Collects the documents listed under the terms of `range` once each,
    // scores those passing the filters and keeps those matching at least
    // `need` words.
    std::vector<std::uint8_t> seen(procedures_.size());
    auto collect = [&](Range range, int need) {
      for (std::uint32_t k = posting_begin_[range.first]; k < posting_begin_[range.second]; ++k) {
        const std::uint32_t d = postings_[k];
        if (seen[d]) continue;
        seen[d] = 1;
        if (!Passes(d, query, folded_field)) continue;
        int matched = 0;
        const int score = Score(d, words, &matched);
        if (matched >= need) hits.push_back({matched, score, name_rank_[d], d});
      }
    };
    // Every result must contain the rarest word: scan only its documents.
    if (every_word_indexed) collect(words[rarest].terms, static_cast<int>(words.size()));
    if (hits.empty()) {
      std::fill(seen.begin(), seen.end(), 0);
      for (const QueryWord& w : words) collect(w.terms, 1);
    }
  }

  SearchResult result;
  result.total = hits.size();
  if (query.offset >= hits.size()) return result;
  const std::size_t end = std::min(hits.size(), query.offset + query.limit);
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(end), hits.end(),
                    [](const Hit& a, const Hit& b) {
                      if (a.matched != b.matched) return a.matched > b.matched;
                      if (a.score != b.score) return a.score > b.score;
                      return a.rank < b.rank;
                    });
  for (std::size_t i = query.offset; i < end; ++i) result.indexes.push_back(hits[i].doc);
  return result;
}

}  // namespace motcua::catalog
