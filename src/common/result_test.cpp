#include "common/result.hpp"

#include <gtest/gtest.h>

namespace motcua {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return InvalidField("x", "must be even");
  return x / 2;
}

Result<int> Quarter(int x) {
  int h = MOTCUA_TRY(Half(x));
  return MOTCUA_TRY(Half(h));
}

TEST(ResultTest, TryPropagatesTheFirstError) {
  EXPECT_EQ(Quarter(8).value(), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kInvalidArgument);
  EXPECT_EQ(r.error().fields.at("x"), "must be even");
}

TEST(ResultTest, CodeNamesAreStable) {
  EXPECT_EQ(CodeName(Code::kInvalidArgument), "invalid_argument");
  EXPECT_EQ(CodeName(Code::kPermissionDenied), "permission_denied");
  EXPECT_EQ(CodeName(Code::kUnavailable), "unavailable");
}

}  // namespace
}  // namespace motcua
