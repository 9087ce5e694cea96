#include "http/handlers/units.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/internal/route_test_bed.hpp"
#include "http/metrics.hpp"
#include "http/pipeline.hpp"
#include "http/server.hpp"
#include "http/test_client.hpp"

namespace motcua::http {
namespace {

namespace json = boost::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string ReadGolden(const std::string& name) {
  const char* root = std::getenv("MOTCUA_SOURCE_DIR");
  std::ifstream in(std::string(root ? root : ".") + "/tests/golden/units/" + name,
                   std::ios::binary);
  EXPECT_TRUE(in) << "missing golden file " << name;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class UnitRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(bed_.Open("units_http"));
    service_ = std::make_unique<units::UnitService>(bed_.store(), clock_);
    ASSERT_TRUE(service_->ImportCsv(ReadGolden("valid_import.csv")));
    for (const units::Unit& u : service_->Tree()->units()) ids_[u.agency_code] = u.id;
    RegisterUnitRoutes(bed_.router(), *service_);
    ASSERT_TRUE(bed_.Serve());
  }
  void TearDown() override {
    bed_.StopServer();
    service_.reset();
  }

  Response Send(std::string_view method, const std::string& target, std::string body = {},
                std::string role = {}, std::string type = "application/json") {
    return bed_.Send(method, target, std::move(body), std::move(role), std::move(type));
  }
  static json::object Body(const Response& res) { return internal::RouteTestBed::Body(res); }
  static json::object Fields(const Response& res) { return internal::RouteTestBed::Fields(res); }
  std::string Admin(const char* agency_code) {
    return "province_admin:" + std::to_string(ids_.at(agency_code));
  }
  std::string Id(const char* agency_code) { return std::to_string(ids_.at(agency_code)); }

  static constexpr const char* kThaiNguyen = "000.00.00.H56";
  static constexpr const char* kBacKan = "000.00.00.H06";
  static constexpr const char* kNewThanhMai = "000.31.21.H56";
  static constexpr const char* kOldThanhVan = "000.21.21.H06";

  FakeClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 3 / 1}};
  internal::RouteTestBed bed_;
  std::unique_ptr<units::UnitService> service_;
  std::map<std::string, std::int64_t> ids_;
};

std::vector<std::string> Names(const json::object& list) {
  std::vector<std::string> out;
  for (const auto& item : list.at("items").as_array()) {
    out.emplace_back(item.at("name").as_string());
  }
  return out;
}

TEST_F(UnitRoutesTest, AnyoneListsTodaysUnitsOrThoseOfAnotherDay) {
  auto today = Send("GET", "/api/v1/units?kind=commune");
  ASSERT_EQ(today.status, 200) << today.body;
  EXPECT_THAT(Names(Body(today)), ElementsAre("Xã Thanh Mai"));
  EXPECT_EQ(Body(today).at("items").at(0).at("predecessor_ids").as_array().size(), 2u);

  auto before = Send("GET", "/api/v1/units?kind=province&as_of=2025-06-30");
  EXPECT_THAT(Names(Body(before)), ElementsAre("Tỉnh Bắc Kạn", "Tỉnh Thái Nguyên"));
  auto below = Send("GET", "/api/v1/units?include_retired=true&parent_id=" + Id("000.00.21.H06"));
  EXPECT_THAT(Names(Body(below)), ElementsAre("Xã Thanh Vận", "Xã Thanh Mai"));
}

TEST_F(UnitRoutesTest, BadListParametersAreNamed) {
  auto res = Send("GET",
                  "/api/v1/units?parent_id=abc&kind=xa&as_of=2025-02-30&"
                  "include_retired=yes&sort=name");
  ASSERT_EQ(res.status, 400);
  auto fields = Fields(res);
  for (const char* name : {"parent_id", "kind", "as_of", "include_retired", "sort"}) {
    EXPECT_TRUE(fields.contains(name)) << name;
  }
  EXPECT_EQ(Send("GET", "/api/v1/units?parent_id=999999").status, 404);
}

TEST_F(UnitRoutesTest, GetOneUnitWithItsLinks) {
  auto res = Send("GET", "/api/v1/units/" + Id(kBacKan));
  ASSERT_EQ(res.status, 200) << res.body;
  auto unit = Body(res);
  EXPECT_EQ(unit.at("name").as_string(), "Tỉnh Bắc Kạn");
  EXPECT_EQ(unit.at("valid_to").as_string(), "2025-07-01");
  EXPECT_EQ(unit.at("successor_ids").at(0).as_int64(), ids_.at(kThaiNguyen));
  EXPECT_EQ(unit.at("children_count").to_number<int>(), 0);
  EXPECT_TRUE(unit.at("parent_id").is_null());

  auto missing = Send("GET", "/api/v1/units/999999");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(Body(missing).at("error").at("code").as_string(), "not_found");
  auto bad = Send("GET", "/api/v1/units/12abc");
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(Fields(bad).contains("id"));
}

TEST_F(UnitRoutesTest, CreateNeedsAnAdminOverTheParent) {
  std::string body = R"({"kind":"commune","name":"Xã Mới","stats_code":"02100",
      "agency_code":"000.50.21.H56","parent_id":)" +
                     Id(kThaiNguyen) + R"(,"valid_from":"2025-07-01"})";
  EXPECT_EQ(Send("POST", "/api/v1/units", body).status, 401);
  EXPECT_EQ(Send("POST", "/api/v1/units", body, "citizen:0").status, 403);
  EXPECT_EQ(Send("POST", "/api/v1/units", body, Admin(kBacKan)).status, 403);

  auto created = Send("POST", "/api/v1/units", body, Admin(kThaiNguyen));
  ASSERT_EQ(created.status, 201) << created.body;
  auto unit = Body(created);
  EXPECT_EQ(
      created.headers.end() !=
          std::find(created.headers.begin(), created.headers.end(),
                    std::pair<std::string, std::string>(
                        "location", "/api/v1/units/" + std::to_string(unit.at("id").as_int64()))),
      true);
  EXPECT_EQ(unit.at("kind").as_string(), "commune");
  EXPECT_EQ(Send("GET", "/api/v1/units/" + std::to_string(unit.at("id").as_int64())).status, 200);

  // The same codes again: 409 naming them.
  auto again = Send("POST", "/api/v1/units", body, Admin(kThaiNguyen));
  EXPECT_EQ(again.status, 409);
  EXPECT_TRUE(Fields(again).contains("agency_code"));

  std::string province = R"({"kind":"province","name":"Tỉnh Mới","stats_code":"98",
      "agency_code":"000.00.00.H98","valid_from":"2025-07-01"})";
  EXPECT_EQ(Send("POST", "/api/v1/units", province, Admin(kThaiNguyen)).status, 403);
  EXPECT_EQ(Send("POST", "/api/v1/units", province, "system_admin:0").status, 201);
}

TEST_F(UnitRoutesTest, CreateRejectsBadBodiesNamingTheField) {
  auto res =
      Send("POST", "/api/v1/units",
           R"({"kind":"xa","name":"","agency_code":"1","valid_from":"2025-7-1","colour":"red"})",
           "system_admin:0");
  ASSERT_EQ(res.status, 400) << res.body;
  auto fields = Fields(res);
  for (const char* name : {"kind", "name", "valid_from", "colour"}) {
    EXPECT_TRUE(fields.contains(name)) << name << " in " << res.body;
  }
  auto rules = Send("POST", "/api/v1/units",
                    R"({"kind":"commune","name":"Xã","agency_code":"1","valid_from":"2025-07-01"})",
                    "system_admin:0");
  ASSERT_EQ(rules.status, 400);
  EXPECT_TRUE(Fields(rules).contains("agency_code"));
  EXPECT_TRUE(Fields(rules).contains("parent_id"));
  EXPECT_TRUE(Fields(rules).contains("stats_code"));
}

TEST_F(UnitRoutesTest, PatchRenamesAndClearsFields) {
  const std::string target = "/api/v1/units/" + Id(kNewThanhMai);
  auto res = Send("PATCH", target, R"j({"name":"Xã Thanh Mai (mới)","name_en":"Thanh Mai"})j",
                  Admin(kThaiNguyen));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(Body(res).at("name_en").as_string(), "Thanh Mai");
  res = Send("PATCH", target, R"({"name_en":null})", Admin(kNewThanhMai));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_TRUE(Body(res).at("name_en").is_null());
  EXPECT_EQ(Body(res).at("name").as_string(), "Xã Thanh Mai (mới)");

  EXPECT_EQ(Send("PATCH", target, R"({"name":"X"})", Admin(kBacKan)).status, 403);
  EXPECT_EQ(Send("PATCH", target, R"({"name":"X"})").status, 401);
  EXPECT_EQ(Send("PATCH", "/api/v1/units/999999", R"({"name":"X"})", "system_admin:0").status, 404);
  // Moving it below the retired Bắc Kạn needs rights there too.
  std::string move = R"({"parent_id":)" + Id(kBacKan) + "}";
  EXPECT_EQ(Send("PATCH", target, move, Admin(kThaiNguyen)).status, 403);
  auto moved = Send("PATCH", target, move, "system_admin:0");
  EXPECT_EQ(moved.status, 400);
  EXPECT_TRUE(Fields(moved).contains("valid_to"));
}

TEST_F(UnitRoutesTest, RetireLinksSuccessorsAndRefusesWhileChildrenRemain) {
  std::string body = R"({"kind":"commune","name":"Xã Cũ","stats_code":"02101",
      "agency_code":"000.51.21.H56","parent_id":)" +
                     Id(kThaiNguyen) + R"(,"valid_from":"2025-07-01"})";
  auto created = Send("POST", "/api/v1/units", body, Admin(kThaiNguyen));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = std::to_string(Body(created).at("id").as_int64());

  auto retired = Send("POST", "/api/v1/units/" + id + "/retire",
                      R"({"date":"2026-01-01","successor_ids":[)" + Id(kNewThanhMai) + "]}",
                      Admin(kThaiNguyen));
  ASSERT_EQ(retired.status, 200) << retired.body;
  EXPECT_EQ(Body(retired).at("valid_to").as_string(), "2026-01-01");
  EXPECT_EQ(Body(retired).at("successor_ids").at(0).as_int64(), ids_.at(kNewThanhMai));

  auto busy = Send("POST", "/api/v1/units/" + Id(kThaiNguyen) + "/retire",
                   R"({"date":"2026-01-01"})", "system_admin:0");
  EXPECT_EQ(busy.status, 409);
  EXPECT_THAT(busy.body, HasSubstr("failed_precondition"));

  auto bad = Send("POST", "/api/v1/units/" + Id(kNewThanhMai) + "/retire",
                  R"({"date":"soon","successor_ids":"all"})", Admin(kThaiNguyen));
  ASSERT_EQ(bad.status, 400);
  EXPECT_TRUE(Fields(bad).contains("date"));
  EXPECT_TRUE(Fields(bad).contains("successor_ids"));
}

TEST_F(UnitRoutesTest, ImportTakesCsvAllOrNothing) {
  const std::string csv =
      "agency_code,stats_code,name,name_en,kind,parent_agency_code,valid_from,valid_to,"
      "successor_agency_codes\n"
      "000.00.12.H56,,Sở Y tế,,department,000.00.00.H56,2025-07-01,,\n";
  EXPECT_EQ(Send("POST", "/api/v1/units/import", csv, Admin(kThaiNguyen)).status, 400);
  EXPECT_EQ(Send("POST", "/api/v1/units/import", csv).status, 401);
  EXPECT_EQ(Send("POST", "/api/v1/units/import", csv, Admin(kBacKan), "text/csv").status, 403);

  auto ok =
      Send("POST", "/api/v1/units/import", csv, Admin(kThaiNguyen), "text/csv; charset=utf-8");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Body(ok).at("units_created").to_number<int>(), 1);

  auto broken = Send("POST", "/api/v1/units/import", ReadGolden("broken_rows.csv"),
                     "system_admin:0", "text/csv");
  ASSERT_EQ(broken.status, 400);
  EXPECT_TRUE(Fields(broken).contains("line 7, column kind"));
  EXPECT_EQ(Body(Send("GET", "/api/v1/units?include_retired=true")).at("items").as_array().size(),
            9u);
}

}  // namespace
}  // namespace motcua::http
