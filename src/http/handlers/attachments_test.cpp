#include "http/handlers/attachments.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <filesystem>
#include <memory>

#include "http/internal/route_test_bed.hpp"
#include "http/metrics.hpp"
#include "http/pipeline.hpp"
#include "http/server.hpp"
#include "http/test_client.hpp"
#include "services/accounts/secrets.hpp"
#include "services/attachments/testing.hpp"
#include "storage/attachments_repo.hpp"

namespace motcua::http {
namespace {

namespace json = boost::json;
namespace testing = attachments::testing;
using ::testing::HasSubstr;

constexpr char kPdfType[] = "application/pdf";
// encodeURIComponent("Giấy khai sinh.pdf")
constexpr char kEncodedName[] = "Gi%E1%BA%A5y%20khai%20sinh.pdf";

class AttachmentRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(bed_.Open("attachment_routes"));
    alice_ = std::to_string(testing::AddUser(bed_.store(), "alice"));
    bob_ = std::to_string(testing::AddUser(bed_.store(), "bob"));
    // The dossier rule of this test: alice's dossier 9, each read noted as
    // the access log would have it.
    files_ = std::make_unique<attachments::AttachmentStore>(
        bed_.store(), clock_, bed_.dir() / "attachments", testing::Key(),
        attachments::Limits{.max_file_bytes = 64 * 1024, .max_staged_files = 3},
        [this](const accounts::Principal& who, std::int64_t dossier,
               const audit::ReadContext& context) -> Result<bool> {
          const bool may = std::to_string(who.user_id) == alice_ && dossier == 9;
          if (may) logged_.push_back(context.route);
          return may;
        });
    RegisterAttachmentRoutes(bed_.router(), *files_);
    ASSERT_TRUE(bed_.Serve());
  }
  void TearDown() override {
    bed_.StopServer();
    files_.reset();
  }
  std::vector<std::string> logged_;

  Response Upload(std::string body, const std::string& user,
                  std::optional<std::string> type = kPdfType,
                  std::optional<std::string> name = kEncodedName) {
    Headers h;
    if (type) h.emplace_back("Content-Type", *type);
    if (name) h.emplace_back("X-File-Name", *name);
    if (!user.empty()) h.emplace_back("X-Test-User", user);
    return bed_.client().Send("POST", "/api/v1/attachments", std::move(body), std::move(h));
  }
  Response Send(std::string_view method, const std::string& target, const std::string& user) {
    Headers h;
    if (!user.empty()) h.emplace_back("X-Test-User", user);
    return bed_.client().Send(method, target, {}, std::move(h));
  }
  std::string UploadedId(const std::string& user) {
    Response res = Upload(testing::Pdf(), user);
    EXPECT_EQ(res.status, 201) << res.body;
    return std::string(Body(res).at("id").as_string());
  }
  static json::object Body(const Response& res) { return internal::RouteTestBed::Body(res); }
  static std::string Code(const Response& res) {
    return std::string(Body(res).at("error").at("code").as_string());
  }
  static bool Names(const Response& res, std::string_view field) {
    return Body(res).at("error").at("fields").as_object().contains(field);
  }

  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 3 / 2))};
  internal::RouteTestBed bed_;
  std::unique_ptr<attachments::AttachmentStore> files_;
  std::string alice_;
  std::string bob_;
};

TEST_F(AttachmentRoutesTest, UploadedFileComesBackAsAPrivateDownload) {
  const std::string pdf = testing::Pdf(10'000);
  Response up = Upload(pdf, alice_);
  ASSERT_EQ(up.status, 201) << up.body;
  const json::object info = Body(up);
  const std::string id(info.at("id").as_string());
  EXPECT_EQ(info.at("name").as_string(), "Giấy khai sinh.pdf");
  EXPECT_EQ(info.at("media_type").as_string(), kPdfType);
  EXPECT_EQ(info.at("size").as_int64(), static_cast<std::int64_t>(pdf.size()));
  EXPECT_EQ(info.at("sha256").as_string(), accounts::Sha256Hex(pdf));
  EXPECT_EQ(info.at("created_at").as_string(), "2026-03-02T00:00:00.000000Z");
  EXPECT_EQ(up.Header("location"), "/api/v1/attachments/" + id);

  Response down = Send("GET", "/api/v1/attachments/" + id, alice_);
  ASSERT_EQ(down.status, 200) << down.body;
  EXPECT_EQ(down.body, pdf);
  EXPECT_EQ(down.Header("content-type"), kPdfType);
  EXPECT_EQ(
      down.Header("content-disposition"),
      "attachment; filename=\"Gi_y khai sinh.pdf\"; filename*=UTF-8''" + std::string(kEncodedName));
  EXPECT_EQ(down.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(down.Header("cache-control"), "private, no-store");
  EXPECT_EQ(down.Header("content-security-policy"), "default-src 'none'; sandbox");

  Response meta = Send("GET", "/api/v1/attachments/" + id + "/meta", alice_);
  ASSERT_EQ(meta.status, 200) << meta.body;
  EXPECT_EQ(Body(meta).at("sha256"), info.at("sha256"));
  EXPECT_TRUE(Body(meta).at("dossier_id").is_null());
}

TEST_F(AttachmentRoutesTest, ThePhotoOfAPhoneWithoutTypeOrExtensionIsNamedByItsContent) {
  Response up = Upload(testing::Jpeg(), alice_, std::nullopt, "IMG_1234");
  ASSERT_EQ(up.status, 201) << up.body;
  EXPECT_EQ(Body(up).at("media_type").as_string(), "image/jpeg");
  EXPECT_EQ(Body(up).at("name").as_string(), "IMG_1234.jpg");
}

TEST_F(AttachmentRoutesTest, EveryRouteNeedsASignedInCaller) {
  const std::string id = UploadedId(alice_);
  EXPECT_EQ(Upload(testing::Pdf(), "").status, 401);
  EXPECT_EQ(Send("GET", "/api/v1/attachments/" + id, "").status, 401);
  EXPECT_EQ(Send("GET", "/api/v1/attachments/" + id + "/meta", "").status, 401);
  EXPECT_EQ(Send("DELETE", "/api/v1/attachments/" + id, "").status, 401);
}

TEST_F(AttachmentRoutesTest, BadUploadsAreToldWhatIsWrong) {
  Response empty = Upload("", alice_);
  EXPECT_EQ(empty.status, 400);
  EXPECT_TRUE(Names(empty, "body"));

  Response exe =
      Upload(std::string("MZ\x90\0\x03\0\0\0", 8), alice_, "application/octet-stream", "tool.pdf");
  EXPECT_EQ(exe.status, 400);
  EXPECT_TRUE(Names(exe, "content-type"));
  EXPECT_THAT(exe.body, HasSubstr("programs and scripts are not accepted"));

  Response html =
      Upload("<html><script>alert(document.cookie)</script></html>", alice_, "text/html", "a.html");
  EXPECT_EQ(html.status, 400);
  EXPECT_TRUE(Names(html, "content-type"));

  Response lie = Upload(testing::Pdf(), alice_, "image/png", "anh.png");
  EXPECT_EQ(lie.status, 400);
  EXPECT_TRUE(Names(lie, "content-type"));
  EXPECT_THAT(lie.body,
              HasSubstr("the file is a PDF document (application/pdf) but was sent as image/png"));

  Response no_name = Upload(testing::Pdf(), alice_, kPdfType, std::nullopt);
  EXPECT_EQ(no_name.status, 400);
  EXPECT_TRUE(Names(no_name, "X-File-Name"));
  for (const char* bad : {"a%zz.pdf", "a%E1%BA.pdf", "a%2"}) {
    Response res = Upload(testing::Pdf(), alice_, kPdfType, std::string(bad));
    EXPECT_EQ(res.status, 400) << bad;
    EXPECT_TRUE(Names(res, "X-File-Name")) << bad;
  }

  Response big = Upload(testing::Pdf(65 * 1024), alice_);
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(Code(big), "payload_too_large");
}

TEST_F(AttachmentRoutesTest, TheStagedQuotaAnswers429) {
  for (int i = 0; i < 3; ++i) UploadedId(alice_);
  Response over = Upload(testing::Pdf(), alice_);
  EXPECT_EQ(over.status, 429);
  EXPECT_EQ(Code(over), "resource_exhausted");
  EXPECT_TRUE(Names(over, "quota"));
  EXPECT_FALSE(over.Header("retry-after").has_value());
  EXPECT_EQ(Upload(testing::Pdf(), bob_).status, 201);
}

TEST_F(AttachmentRoutesTest, AnotherUsersFileIsNotFoundLikeAMissingOne) {
  const std::string id = UploadedId(alice_);
  const std::string missing(32, '0');
  for (const std::string& target :
       {"/api/v1/attachments/" + id, "/api/v1/attachments/" + id + "/meta"}) {
    Response res = Send("GET", target, bob_);
    EXPECT_EQ(res.status, 404) << target;
    EXPECT_EQ(Code(res), "not_found");
  }
  EXPECT_EQ(Send("GET", "/api/v1/attachments/" + missing, bob_).status, 404);
  EXPECT_EQ(Send("DELETE", "/api/v1/attachments/" + id, bob_).status, 404);
  EXPECT_EQ(Send("GET", "/api/v1/attachments/" + id, alice_).status, 200);
  Response bad = Send("GET", "/api/v1/attachments/not-an-id", alice_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(Names(bad, "id"));
}

TEST_F(AttachmentRoutesTest, DeleteWorksOnlyWhileTheFileIsStaged) {
  const std::string staged = UploadedId(alice_);
  const std::string linked = UploadedId(alice_);
  ASSERT_TRUE(bed_.store().WriteSync([&](storage::Tx& tx) -> Status {
    MOTCUA_TRY(storage::attachments::LinkToDossier(tx, linked, std::stoll(alice_), 9, "to_khai"));
    return {};
  }));
  Response removed = Send("DELETE", "/api/v1/attachments/" + staged, alice_);
  EXPECT_EQ(removed.status, 204) << removed.body;
  EXPECT_EQ(Send("GET", "/api/v1/attachments/" + staged, alice_).status, 404);
  Response refused = Send("DELETE", "/api/v1/attachments/" + linked, alice_);
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(Code(refused), "failed_precondition");
  Response meta = Send("GET", "/api/v1/attachments/" + linked + "/meta", alice_);
  EXPECT_EQ(Body(meta).at("dossier_id").as_int64(), 9);
  EXPECT_EQ(Body(meta).at("component_code").as_string(), "to_khai");
  // Reads of a dossier's document go through its rule, with their route
  // for the personal-data access log (issue 19: they left no entry).
  EXPECT_EQ(Send("GET", "/api/v1/attachments/" + linked, alice_).status, 200);
  EXPECT_EQ(Send("GET", "/api/v1/attachments/" + linked, bob_).status, 404);
  EXPECT_EQ(logged_, (std::vector<std::string>{"GET /api/v1/attachments/{id}/meta",
                                               "GET /api/v1/attachments/{id}"}));
}

}  // namespace
}  // namespace motcua::http
