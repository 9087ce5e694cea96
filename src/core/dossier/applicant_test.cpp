#include "core/dossier/applicant.hpp"

#include <gtest/gtest.h>

namespace motcua::dossier {
namespace {

Applicant Valid() {
  return {"  Nguyễn   Thị Ánh ", "001203004567", "+84 912 345 678", "anh.nguyen@example.vn",
          "Tổ 5, phường Phan Đình Phùng, tỉnh Thái Nguyên"};
}

TEST(ApplicantTest, ValidApplicantIsNormalised) {
  auto a = ValidateApplicant(Valid());
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->full_name, "Nguyễn Thị Ánh");
  EXPECT_EQ(a->phone, "0912345678");
}

TEST(ApplicantTest, EveryBadFieldIsNamed) {
  Applicant a{"X", "12345", "12", "not-an-email", ""};
  auto r = ValidateApplicant(a);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kInvalidArgument);
  for (const char* field :
       {"applicant.full_name", "applicant.id_number", "applicant.phone", "applicant.email"})
    EXPECT_TRUE(r.error().fields.contains(field)) << field;
}

TEST(ApplicantTest, NamesOfEthnicMinoritiesAndOldIdCardsAreAccepted) {
  Applicant a = Valid();
  a.full_name = "Hoàng A Páo";
  a.id_number = "095123456";  // a 9-digit identity card of before 2016
  EXPECT_TRUE(ValidateApplicant(a));
  a.full_name = "Lò Văn D'Ngọc";
  EXPECT_TRUE(ValidateApplicant(a));
  a.full_name = "Nguyễn <script>";
  EXPECT_FALSE(ValidateApplicant(a));
  a.full_name = "Bad \xC3\x28";
  EXPECT_FALSE(ValidateApplicant(a));
}

TEST(ApplicantTest, MaskingKeepsEnoughToRecogniseNotToIdentify) {
  EXPECT_EQ(MaskName("Nguyễn Thị Ánh"), "Nguyễn T. Á.");
  EXPECT_EQ(MaskName("Lê Minh"), "Lê M.");
  EXPECT_EQ(MaskName("Páo"), "P.");
  EXPECT_EQ(MaskName("Ánh"), "Á.");
  EXPECT_EQ(MaskName("  Hoàng \t Thị  Đào   Ngọc "), "Hoàng T. Đ. N.");
  EXPECT_EQ(MaskName("Ê Đê"), "Ê Đ.");
  EXPECT_EQ(MaskName(""), "***");
  EXPECT_EQ(MaskName("   "), "***");
  EXPECT_EQ(MaskName("Bad \xC3\x28"), "***");  // not UTF-8: nothing shown
  EXPECT_EQ(MaskIdNumber("001203004567"), "001*******67");
  EXPECT_EQ(MaskIdNumber("095123456"), "095****56");
  EXPECT_EQ(MaskPhone("0912345678"), "091****678");
}

}  // namespace
}  // namespace motcua::dossier
