#include "core/dossier/dossier_number.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace motcua::dossier {
namespace {

using namespace std::chrono;
using ::testing::HasSubstr;

constexpr calendar::Date k20250314 = sys_days{year{2025} / 3 / 14};

TEST(DossierNumberTest, FormatsTheCircularExample) {
  auto n = FormatDossierNumber({"000.00.21.H12", k20250314, 7});
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, "000.00.21.H12-250314-0007");
  EXPECT_EQ(*FormatDossierNumber({"000.00.21.H12", k20250314, 9999}), "000.00.21.H12-250314-9999");
}

TEST(DossierNumberTest, WidensAfter9999UpToSevenDigits) {
  EXPECT_EQ(*FormatDossierNumber({"000.00.00.H55", k20250314, 10000}),
            "000.00.00.H55-250314-10000");
  EXPECT_EQ(*FormatDossierNumber({"000.00.00.H55", k20250314, 100000}),
            "000.00.00.H55-250314-100000");
  EXPECT_EQ(*FormatDossierNumber({"000.00.00.H55", k20250314, kMaxDossierSequence}),
            "000.00.00.H55-250314-9999999");
  auto over = FormatDossierNumber({"000.00.00.H55", k20250314, kMaxDossierSequence + 1});
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, Code::kResourceExhausted);
}

TEST(DossierNumberTest, RefusesWhatCannotBeNumbered) {
  EXPECT_TRUE(FormatDossierNumber({"H12", k20250314, 1}).error().fields.contains("agency_code"));
  EXPECT_TRUE(FormatDossierNumber({"000.00.21.H12", sys_days{year{1999} / 12 / 31}, 1})
                  .error()
                  .fields.contains("day"));
  EXPECT_TRUE(FormatDossierNumber({"000.00.21.H12", sys_days{year{2100} / 1 / 1}, 1})
                  .error()
                  .fields.contains("day"));
  EXPECT_TRUE(
      FormatDossierNumber({"000.00.21.H12", k20250314, 0}).error().fields.contains("sequence"));
}

TEST(DossierNumberTest, ParsesWhatItFormats) {
  for (int seq : {1, 7, 999, 9999, 10000, 54321, 99999, 100000, 1234567, 9999999}) {
    DossierNumber n{"000.00.21.H12", sys_days{year{2031} / 12 / 31}, seq};
    auto text = FormatDossierNumber(n);
    ASSERT_TRUE(text);
    auto back = ParseDossierNumber(*text);
    ASSERT_TRUE(back) << *text << ": " << back.error().message;
    EXPECT_EQ(*back, n);
  }
}

TEST(DossierNumberTest, ParseRejectsEveryOtherText) {
  for (std::string_view bad : {
           "",
           "000.00.21.H12",
           "000.00.21.H12-250314",
           "000.00.21.H12-250314-7",         // too short
           "000.00.21.H12-250314-00007",     // padded to five
           "000.00.21.H12-250314-0000",      // zero
           "000.00.21.H12-250314-012345",    // padded to six
           "000.00.21.H12-250314-12345678",  // too long
           "000.00.21.H12-250230-0001",      // 30 February
           "000.00.21.H12-25031-40001",
           "000.00.21.H12-250314-0001-2",
           "00.00.21.H12-250314-0001",
           "000.00.21.H12-2503a4-0001",
           "000.00.21.H12-250314-+001",
       }) {
    auto n = ParseDossierNumber(bad);
    ASSERT_FALSE(n) << "accepted " << bad;
    EXPECT_TRUE(n.error().fields.contains("dossier_number"));
  }
  EXPECT_THAT(ParseDossierNumber("000.00.21.H12-250230-0001").error().message,
              HasSubstr("does not exist"));
}

TEST(DossierNumberTest, TheDayIsTheDateInVietnam) {
  // 16:59:59 UTC on the 13th is 23:59:59 in Hà Nội; a second later it is
  // the 14th there, still the 13th in UTC.
  const TimePoint before = sys_days{year{2025} / 3 / 13} + hours(16) + minutes(59) + seconds(59);
  EXPECT_EQ(DossierDay(before), sys_days{year{2025} / 3 / 13});
  EXPECT_EQ(DossierDay(before + seconds(1)), k20250314);
}

}  // namespace
}  // namespace motcua::dossier
