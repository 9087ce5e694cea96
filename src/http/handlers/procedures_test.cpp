#include "http/handlers/procedures.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <filesystem>

#include "http/internal/route_test_bed.hpp"
#include "http/metrics.hpp"
#include "http/pipeline.hpp"
#include "http/server.hpp"
#include "http/test_client.hpp"

namespace motcua::http {
namespace {

namespace json = boost::json;
using ::testing::ElementsAre;

constexpr const char* kBirth = "1.001193.000.00.00.H56";
constexpr const char* kPermit = "1.009994.000.00.00.H56";
constexpr const char* kAdmin = "province_admin:1";

std::string NewProcedure(const std::string& code, const std::string& name,
                         const std::string& extra = "") {
  return R"({"code":")" + code + R"(","name":")" + name +
         R"(","field":"Hộ tịch","levels":["commune"],
      "online_mode":"full","time_limit":{"value":3,"unit":"working_days"},
      "fees":[{"description":"Lệ phí","amount":15000}],
      "components":[{"code":"TP1","name":"Tờ khai","originals":1,"copies":0}],
      "result_kind":"certificate","workflow_code":"commune-simple","effective_from":"2025-07-01")" +
         extra + "}";
}

class ProcedureRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(bed_.Open("procedures_http"));
    service_ = std::make_unique<catalog::CatalogService>(bed_.store(), clock_);
    const char* root = std::getenv("MOTCUA_SOURCE_DIR");
    ASSERT_TRUE(catalog::LoadCatalogFile(
        *service_, std::string(root ? root : ".") + "/data/demo/procedures.json"));
    RegisterProcedureRoutes(bed_.router(), *service_);
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
  static std::vector<std::string> Names(const Response& res) {
    std::vector<std::string> out;
    const json::object body = Body(res);
    for (const auto& item : body.at("items").as_array())
      out.emplace_back(item.at("name").as_string());
    return out;
  }

  FakeClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 3 / 1} + std::chrono::hours(3)};
  internal::RouteTestBed bed_;
  std::unique_ptr<catalog::CatalogService> service_;
};

TEST_F(ProcedureRoutesTest, AnyoneSearchesAsTheyType) {
  auto res = Send("GET", "/api/v1/procedures?q=dang%20ky%20ket%20hon");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_THAT(Names(res), ElementsAre("Đăng ký kết hôn", "Đăng ký kết hôn có yếu tố nước ngoài"));
  auto body = Body(res);
  EXPECT_EQ(body.at("total").as_int64(), 2);
  EXPECT_EQ(body.at("as_of").as_string(), "2026-03-01");
  auto first = body.at("items").at(0).as_object();
  EXPECT_EQ(first.at("time_limit").at("unit").as_string(), "working_days");
  EXPECT_FALSE(first.contains("components")) << "lists carry summaries only";

  auto accented =
      Send("GET", "/api/v1/procedures?q=" + std::string("kh%E1%BA%A3i%20sinh"));  // "khải sinh"
  ASSERT_EQ(accented.status, 200);
  EXPECT_EQ(Names(accented).at(0), "Đăng ký khai sinh");

  auto filtered = Send("GET",
                       "/api/v1/"
                       "procedures?field=L%C3%BD%20l%E1%BB%8Bch%20t%C6%B0%20ph%C3%A1p&level="
                       "province&online_mode=full&limit=1&offset=1");
  ASSERT_EQ(filtered.status, 200) << filtered.body;
  EXPECT_EQ(Body(filtered).at("total").as_int64(), 2);
  EXPECT_EQ(Body(filtered).at("items").as_array().size(), 1u);
}

TEST_F(ProcedureRoutesTest, BadSearchParametersAreNamed) {
  auto res = Send(
      "GET", "/api/v1/procedures?level=district2&online_mode=yes&limit=0&offset=-1&sort=name&q=" +
                 std::string(201, 'a'));
  ASSERT_EQ(res.status, 400);
  auto fields = Fields(res);
  for (const char* name : {"level", "online_mode", "limit", "offset", "sort", "q"}) {
    EXPECT_TRUE(fields.contains(name)) << name;
  }
  EXPECT_EQ(Send("GET", "/api/v1/procedures?limit=101").status, 400);
}

TEST_F(ProcedureRoutesTest, GetOneProcedureAsOfADay) {
  auto res = Send("GET", std::string("/api/v1/procedures/") + kPermit);
  ASSERT_EQ(res.status, 200) << res.body;
  auto p = Body(res);
  EXPECT_EQ(p.at("version").as_int64(), 2);
  EXPECT_EQ(p.at("levels").at(0).as_string(), "commune");
  EXPECT_FALSE(p.at("components").as_array().empty());

  auto before = Send("GET", std::string("/api/v1/procedures/") + kPermit + "?as_of=2024-05-01");
  ASSERT_EQ(before.status, 200);
  EXPECT_EQ(Body(before).at("levels").at(0).as_string(), "district");
  EXPECT_EQ(Send("GET", std::string("/api/v1/procedures/") + kPermit + "?as_of=2020-01-01").status,
            404);
  auto bad = Send("GET", std::string("/api/v1/procedures/") + kPermit + "?as_of=2024-02-30&x=1");
  ASSERT_EQ(bad.status, 400);
  EXPECT_TRUE(Fields(bad).contains("as_of"));
  EXPECT_TRUE(Fields(bad).contains("x"));

  auto missing = Send("GET", "/api/v1/procedures/9.999999");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(Body(missing).at("error").at("code").as_string(), "not_found");
  auto malformed = Send("GET", "/api/v1/procedures/khai-sinh");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_TRUE(Fields(malformed).contains("code"));

  auto versions = Send("GET", std::string("/api/v1/procedures/") + kPermit + "/versions");
  ASSERT_EQ(versions.status, 200);
  EXPECT_EQ(Body(versions).at("items").as_array().size(), 2u);
}

TEST_F(ProcedureRoutesTest, FieldsAreListedWithCounts) {
  auto res = Send("GET", "/api/v1/procedure-fields");
  ASSERT_EQ(res.status, 200);
  bool found = false;
  const json::object body = Body(res);
  for (const auto& item : body.at("items").as_array()) {
    if (item.at("field").as_string() == "Lý lịch tư pháp") {
      found = true;
      EXPECT_EQ(item.at("procedures").as_int64(), 2);
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(ProcedureRoutesTest, WritesNeedAnAdministrator) {
  const std::string body = NewProcedure("1.000001.000.00.00.H56", "Đăng ký hoạt động tín ngưỡng");
  EXPECT_EQ(Send("POST", "/api/v1/procedures", body).status, 401);
  EXPECT_EQ(Send("POST", "/api/v1/procedures", body, "officer:1").status, 403);
  EXPECT_EQ(Send("POST", std::string("/api/v1/procedures/") + kBirth + "/retire",
                 R"({"date":"2027-01-01"})", "specialist:1")
                .status,
            403);
  EXPECT_EQ(Send("POST", "/api/v1/procedures/import", "[]", "citizen:0").status, 403);

  auto created = Send("POST", "/api/v1/procedures", body, kAdmin);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Header("location").value_or(""), "/api/v1/procedures/1.000001.000.00.00.H56");
  EXPECT_EQ(Body(created).at("version").as_int64(), 1);
  auto found = Send("GET", "/api/v1/procedures?q=tin%20nguong");
  EXPECT_THAT(Names(found), ElementsAre("Đăng ký hoạt động tín ngưỡng"));
  EXPECT_EQ(Send("POST", "/api/v1/procedures", body, "system_admin:0").status, 409);
}

TEST_F(ProcedureRoutesTest, CreateNamesEveryBadField) {
  auto res = Send("POST", "/api/v1/procedures",
                  R"({"code":"x","name":"","field":"F","levels":["ward"],"online_mode":"full",
                      "time_limit":{"value":0,"unit":"working_hours"},"components":[{"code":"TP1","name":"",
                      "originals":0,"copies":0}],"result_kind":"certificate","workflow_code":"w",
                      "effective_from":"2025-07-01","colour":"red"})",
                  kAdmin);
  ASSERT_EQ(res.status, 400) << res.body;
  EXPECT_TRUE(Fields(res).contains("levels[0]"));
  EXPECT_TRUE(Fields(res).contains("colour"));
  auto rules = Send("POST", "/api/v1/procedures",
                    R"({"code":"x","name":"","field":"F","levels":["commune"],"online_mode":"full",
                        "time_limit":{"value":0,"unit":"working_hours"},"components":[],
                        "result_kind":"certificate","workflow_code":"w","effective_from":"2025-07-01"})",
                    kAdmin);
  ASSERT_EQ(rules.status, 400) << rules.body;
  auto fields = Fields(rules);
  for (const char* name : {"code", "name", "time_limit"}) {
    bool any = false;
    for (const auto& f : fields) any = any || std::string_view(f.key()).starts_with(name);
    EXPECT_TRUE(any) << name << " in " << rules.body;
  }
  EXPECT_EQ(Send("POST", "/api/v1/procedures", "{", kAdmin).status, 400);
}

TEST_F(ProcedureRoutesTest, PublishAVersionThenRetire) {
  const std::string target = std::string("/api/v1/procedures/") + kBirth;
  std::string next = NewProcedure(kBirth, "Đăng ký khai sinh");
  next.replace(next.find("2025-07-01"), 10, "2026-06-01");
  auto published = Send("POST", target + "/versions", next, kAdmin);
  ASSERT_EQ(published.status, 201) << published.body;
  EXPECT_EQ(Body(published).at("version").as_int64(), 2);
  EXPECT_EQ(Body(Send("GET", target)).at("version").as_int64(), 1)
      << "not in force before 2026-06-01";
  EXPECT_EQ(Body(Send("GET", target + "?as_of=2026-06-01")).at("version").as_int64(), 2);

  auto stale = Send("POST", target + "/versions", next, kAdmin);
  ASSERT_EQ(stale.status, 400);
  EXPECT_TRUE(Fields(stale).contains("effective_from"));
  auto other = Send("POST", target + "/versions", NewProcedure(kPermit, "x"), kAdmin);
  ASSERT_EQ(other.status, 400);
  EXPECT_TRUE(Fields(other).contains("code"));
  std::string without_code = next;
  without_code.erase(without_code.find(R"("code")"),
                     std::string(R"("code":"")").size() + std::string(kBirth).size() + 1);
  EXPECT_EQ(Send("POST", "/api/v1/procedures/9.999999/versions", without_code, kAdmin).status, 404)
      << without_code;

  auto retired = Send("POST", target + "/retire", R"({"date":"2027-01-01"})", kAdmin);
  ASSERT_EQ(retired.status, 200) << retired.body;
  EXPECT_EQ(Body(retired).at("status").as_string(), "retired");
  EXPECT_EQ(Body(retired).at("retired_on").as_string(), "2027-01-01");
  EXPECT_EQ(Send("POST", target + "/retire", R"({"date":"2028-01-01"})", kAdmin).status, 409);
  auto bad_date = Send("POST", target + "/retire", R"({"date":"soon"})", kAdmin);
  ASSERT_EQ(bad_date.status, 400);
  EXPECT_TRUE(Fields(bad_date).contains("date"));
}

TEST_F(ProcedureRoutesTest, ImportJsonOrCsvAllOrNothing) {
  const std::string csv =
      "code,name,name_en,field,levels,online_mode,time_limit_value,time_limit_unit,cutoff_1500,"
      "fees,"
      "components,result_kind,workflow_code,effective_from,status\n"
      "1.000010,Đăng ký hoạt động tín ngưỡng,,Tôn giáo,commune,partial,15,working_days,,,"
      "TP1|Văn bản đăng ký|1|0|required|,written_answer,commune-simple,2025-07-01,\n";
  auto imported = Send("POST", "/api/v1/procedures/import", csv, kAdmin, "text/csv; charset=utf-8");
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(Body(imported).at("procedures_created").as_int64(), 1);

  const std::string json_body =
      "[" + NewProcedure("1.000011", "Đăng ký A") + "," + NewProcedure("1.000012", "", "") + "]";
  auto failed = Send("POST", "/api/v1/procedures/import", json_body, kAdmin);
  ASSERT_EQ(failed.status, 400) << failed.body;
  EXPECT_TRUE(Fields(failed).contains("procedures[1].name"));
  EXPECT_EQ(Send("GET", "/api/v1/procedures/1.000011").status, 404) << "nothing was imported";

  auto type = Send("POST", "/api/v1/procedures/import", "x", kAdmin, "text/plain");
  ASSERT_EQ(type.status, 400);
  EXPECT_TRUE(Fields(type).contains("content-type"));
}

}  // namespace
}  // namespace motcua::http
