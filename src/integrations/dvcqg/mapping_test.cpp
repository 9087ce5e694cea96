// The national portal's field mapping as the province edits it: the shipped
// file loads and renders every field the portal's sync format needs, and a
// wrong edit is refused naming the file and the field.
#include "integrations/dvcqg/mapping.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace motcua::integrations::dvcqg {
namespace {

std::filesystem::path SourceDir() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  return src ? src : ".";
}

TEST(MappingTest, TheShippedFileSendsTheSyncFormatsFields) {
  auto m = LoadMapping(SourceDir() / "data" / "integrations" / "dvcqg.json");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->sync_service, "DongBoHoSoMC");
  EXPECT_EQ(m->history_service, "CapNhatTienDoHoSoMC");
  EXPECT_EQ(m->lookup_service, "TraCuuHoSo");
  EXPECT_EQ(m->history_chunk, 10);
  EXPECT_EQ(m->success_codes, (std::vector<std::string>{"0", "00"}));

  Values v;
  v["dossier.code"] = "000.00.21.H12-261207-0001";
  v["dossier.national_status"] = "2";
  v["applicant.name"] = "Nguyễn Văn A";
  const auto record = Render(m->dossier, v);
  for (const char* field : {"MaHoSo", "MaTTHC", "ChuHoSo", "TrangThaiHoSo", "NgayTiepNhan",
                            "NgayHenTra", "KenhThucHien", "DinhDanhCHS", "DonViXuLy"})
    EXPECT_TRUE(record.contains(field)) << field;
  EXPECT_EQ(record.at("MaHoSo").as_string(), "000.00.21.H12-261207-0001");
  EXPECT_EQ(record.at("ChuHoSo").as_string(), "Nguyễn Văn A");
  EXPECT_EQ(record.at("HinhThuc").as_string(), "0");   // a constant of the file
  EXPECT_EQ(record.at("NgayHenTra").as_string(), "");  // not given: sent empty
  const auto step = Render(m->history, Values{});
  for (const char* field : {"MaHoSo", "NguoiXuLy", "ThoiDiemXuLy", "PhongBanXuLy", "NoiDungXuLy",
                            "TrangThai", "NgayBatDau", "NgayKetThucTheoQuyDinh"})
    EXPECT_TRUE(step.contains(field)) << field;
}

TEST(MappingTest, AWrongEditIsRefusedNamingTheField) {
  const std::string base = R"({"services": {"sync": "S", "history": "H", "lookup": "L"},
    "success_codes": ["0"], "session_expired_codes": ["-401"],
    "history": {"MaHoSo": "dossier.code"}, )";
  auto unknown = ParseMapping(base + R"("dossier": {"MaHoSo": "dossier.kode"}})", "dvcqg.json");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Code::kInvalidArgument);
  EXPECT_TRUE(unknown.error().fields.contains("dossier.MaHoSo")) << unknown.error().message;
  EXPECT_NE(unknown.error().message.find("dvcqg.json"), std::string::npos);

  auto shape = ParseMapping(base + R"("dossier": {"MaHoSo": 7}})", "dvcqg.json");
  ASSERT_FALSE(shape);
  EXPECT_TRUE(shape.error().fields.contains("dossier.MaHoSo"));

  auto chunk =
      ParseMapping(base + R"("dossier": {"MaHoSo": "dossier.code"}, "history_chunk": 0})", "f");
  ASSERT_FALSE(chunk);
  EXPECT_TRUE(chunk.error().fields.contains("history_chunk"));

  auto no_services = ParseMapping(R"({"dossier": {}})", "f");
  ASSERT_FALSE(no_services);
  EXPECT_TRUE(no_services.error().fields.contains("services"));

  auto fine =
      ParseMapping(base + R"("dossier": {"MaHoSo": "dossier.code", "X": {"const": 1}}})", "f");
  ASSERT_TRUE(fine) << fine.error().message;
}

TEST(MappingTest, PortalTimesAreVietnamsWallClock) {
  // 2026-12-07 01:30:05 UTC is 08:30:05 in Hà Nội; 17:00 UTC is the next day.
  const TimePoint morning =
      TimePoint(std::chrono::seconds(1'796'607'005)) + std::chrono::microseconds(999);
  EXPECT_EQ(PortalTime(morning), "20261207083005");
  EXPECT_EQ(PortalTime(morning + std::chrono::hours(16)), "20261208003005");
  EXPECT_EQ(PortalTime(std::nullopt), "");
}

}  // namespace
}  // namespace motcua::integrations::dvcqg
