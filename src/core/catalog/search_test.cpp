#include "core/catalog/search.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "core/catalog/catalog.hpp"
#include "core/catalog/testing.hpp"
#include "core/catalog/text.hpp"

namespace motcua::catalog {
namespace {

using testing::D;
using ::testing::ElementsAre;
using testing::MakeProcedure;

// The demo catalogue as in force on 2026-03-01.
const SearchIndex& Demo() {
  static const SearchIndex* index = [] {
    Catalog catalog;
    auto plan = PlanImport(Catalog{}, [] {
      std::vector<ImportEntry> entries;
      for (Procedure& p : testing::DemoEntries()) entries.push_back({"", "", std::move(p)});
      return entries;
    }());
    EXPECT_TRUE(plan) << plan.error().message;
    if (plan) {
      for (const Procedure& p : plan->rows) catalog.Put(p);
    }
    return new SearchIndex(catalog.AllInForce(D("2026-03-01")));
  }();
  return *index;
}

std::vector<std::string> Names(const SearchIndex& index, const SearchQuery& query) {
  std::vector<std::string> out;
  for (std::size_t i : index.Search(query).indexes) out.push_back(index.procedures()[i].name);
  return out;
}

std::vector<std::string> Top(const SearchIndex& index, std::string text, std::size_t n) {
  return Names(index, SearchQuery{.text = std::move(text), .limit = n});
}

// tests/golden/catalog/search.txt: "query => name | name | ...": the first
// results, in this order.
TEST(SearchGoldenTest, QueriesFindWhatACitizenExpects) {
  std::istringstream in(testing::ReadSourceFile("tests/golden/catalog/search.txt"));
  std::string line;
  int cases = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t arrow = line.find(" => ");
    ASSERT_NE(arrow, std::string::npos) << line;
    std::string query = line.substr(0, arrow);
    std::vector<std::string> expected;
    std::string rest = line.substr(arrow + 4);
    for (std::size_t start = 0;;) {
      const std::size_t bar = rest.find(" | ", start);
      expected.push_back(rest.substr(start, bar == std::string::npos ? bar : bar - start));
      if (bar == std::string::npos) break;
      start = bar + 3;
    }
    // "<sp>" at the end of a query stands for a typed space.
    if (query.ends_with("<sp>")) query = query.substr(0, query.size() - 4) + " ";
    EXPECT_EQ(Top(Demo(), query, expected.size()), expected) << "query: " << query;
    ++cases;
  }
  EXPECT_GE(cases, 15);
}

TEST(SearchTest, EmptyQueryListsEverythingByName) {
  auto result = Demo().Search({});
  EXPECT_EQ(result.total, Demo().procedures().size());
  EXPECT_GE(result.total, 40u);
  auto names = Names(Demo(), {.limit = 3});
  EXPECT_THAT(
      names,
      ElementsAre("Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực",
                  "Cấp bản sao trích lục hộ tịch", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc"));
}

TEST(SearchTest, FiltersRestrictTheResults) {
  auto judicial =
      Demo().Search({.text = "phieu", .level = Level::kProvince, .online_mode = OnlineMode::kFull});
  EXPECT_EQ(judicial.total, 2u);
  for (std::size_t i : judicial.indexes) {
    EXPECT_EQ(Demo().procedures()[i].field, "Lý lịch tư pháp");
  }
  // The field filter ignores case and diacritics.
  auto civil = Demo().Search({.field = "ho tich", .limit = 100});
  EXPECT_GE(civil.total, 10u);
  for (std::size_t i : civil.indexes) EXPECT_EQ(Demo().procedures()[i].field, "Hộ tịch");
  EXPECT_EQ(Demo().Search({.text = "khai sinh", .field = "Đất đai"}).total, 0u);
}

TEST(SearchTest, PagesDoNotOverlapAndTotalCountsAll) {
  auto all = Names(Demo(), {.text = "cap", .limit = 100});
  auto first = Demo().Search({.text = "cap", .limit = 5});
  auto second = Demo().Search({.text = "cap", .limit = 5, .offset = 5});
  EXPECT_EQ(first.total, all.size());
  EXPECT_EQ(second.total, all.size());
  ASSERT_EQ(second.indexes.size(), 5u);
  EXPECT_EQ(Demo().procedures()[second.indexes[0]].name, all[5]);
  EXPECT_TRUE(Demo().Search({.text = "cap", .limit = 5, .offset = 1000}).indexes.empty());
}

TEST(SearchTest, CodesAreFoundWholeByPrefixOrByTheirIdentifyingPart) {
  EXPECT_THAT(Top(Demo(), "1.001193.000.00.00.H56", 1), ElementsAre("Đăng ký khai sinh"));
  EXPECT_THAT(Top(Demo(), "1.001193", 1), ElementsAre("Đăng ký khai sinh"));
  EXPECT_THAT(Top(Demo(), "001193", 1), ElementsAre("Đăng ký khai sinh"));
}

TEST(SearchTest, TheLastWordIsAPrefixUnlessFollowedByASpace) {
  SearchIndex index({MakeProcedure("1.000001", "Đăng ký khai sinh"),
                     MakeProcedure("1.000002", "Đăng ký kết hôn")});
  EXPECT_THAT(Top(index, "dang ky k", 10), ElementsAre("Đăng ký kết hôn", "Đăng ký khai sinh"));
  EXPECT_THAT(Top(index, "khai si", 10), ElementsAre("Đăng ký khai sinh"));
  EXPECT_EQ(index.Search({.text = "si"}).total, 1u);
  EXPECT_EQ(index.Search({.text = "si "}).total, 0u) << "a typed space ends the word";
}

TEST(SearchTest, ExactDiacriticsBeatAFoldedMatch) {
  // "Đăng" and "Đang" fold alike; the one typed with its marks wins.
  SearchIndex index(
      {MakeProcedure("1.000001", "Đang xử lý"), MakeProcedure("1.000002", "Đăng xử lý")});
  EXPECT_THAT(Top(index, "đăng", 1), ElementsAre("Đăng xử lý"));
  EXPECT_THAT(Top(index, "đang", 1), ElementsAre("Đang xử lý"));
  const std::string nfd =
      "\xC4\x91"
      "a\xCC\x86ng";  // "đăng" with a combining breve
  EXPECT_THAT(Top(index, nfd, 1), ElementsAre("Đăng xử lý"));
}

TEST(SearchTest, NameBeatsFieldAndAdjacentWordsBeatScatteredOnes) {
  SearchIndex index({MakeProcedure("1.000001", "Cấp phiếu", "Hộ tịch"),
                     MakeProcedure("1.000002", "Đăng ký hộ tịch", "Khác"),
                     MakeProcedure("1.000003", "Hộ kinh doanh tạm ngừng, tịch thu", "Khác")});
  EXPECT_THAT(Top(index, "hộ tịch", 3),
              ElementsAre("Đăng ký hộ tịch", "Hộ kinh doanh tạm ngừng, tịch thu", "Cấp phiếu"));
}

TEST(SearchTest, AllWordsMatchedBeatsSomeAndSomeIsAFallback) {
  SearchIndex index({MakeProcedure("1.000001", "Đăng ký khai sinh"),
                     MakeProcedure("1.000002", "Đăng ký kết hôn"),
                     MakeProcedure("1.000003", "Chứng thực chữ ký")});
  auto all = index.Search({.text = "đăng ký kết hôn"});
  EXPECT_EQ(all.total, 1u) << "only the procedures with every word";
  // A typo: nothing has every word, so the closest ones come back.
  EXPECT_THAT(Top(index, "dang ky ket hoon", 3),
              ElementsAre("Đăng ký kết hôn", "Đăng ký khai sinh", "Chứng thực chữ ký"));
  EXPECT_EQ(index.Search({.text = "xyz"}).total, 0u);
}

}  // namespace
}  // namespace motcua::catalog
