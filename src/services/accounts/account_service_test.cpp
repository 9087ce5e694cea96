#include "services/accounts/account_service.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <map>
#include <memory>

#include "services/accounts/secrets.hpp"

namespace motcua::accounts {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using storage::Tx;

// Province 1 > department 10, commune 20; province 2 elsewhere.
class FakeUnits final : public UnitHierarchy {
 public:
  bool IsSameOrBelow(std::int64_t unit, std::int64_t ancestor) const override {
    for (std::int64_t u = unit; u != 0;) {
      if (u == ancestor) return true;
      auto it = parent_.find(u);
      u = it == parent_.end() ? 0 : it->second;
    }
    return false;
  }
  bool IsTopLevel(std::int64_t unit) const override {
    auto it = parent_.find(unit);
    return it != parent_.end() && it->second == 0;
  }

 private:
  std::map<std::int64_t, std::int64_t> parent_{{1, 0}, {10, 1}, {20, 1}, {2, 0}};
};

constexpr char kPassword[] = "sông Hồng chảy về xuôi";
constexpr char kIp[] = "203.0.113.7";

class AccountServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/motcua-accounts-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto store = storage::Store::Open("sqlite:" + (dir_ / "db.sqlite").string());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    ASSERT_TRUE(store_->Migrate());
    auto units = store_->WriteSync([](Tx& tx) -> Status {
      for (auto [id, parent, kind, code] : {std::tuple{1, 0, "province", "000.00.00.H01"},
                                            {10, 1, "department", "000.00.10.H01"},
                                            {20, 1, "commune", "000.00.20.H01"},
                                            {2, 0, "province", "000.00.00.H02"}}) {
        MOTCUA_TRY_VOID(tx.Exec(
            "INSERT INTO units (id, kind, name, agency_code, parent_id, valid_from) "
            "VALUES ($1, $2, $3, $4, $5, '2025-07-01')",
            {std::int64_t{id}, std::string(kind), "Unit " + std::to_string(id), std::string(code),
             parent ? storage::Value(std::int64_t{parent}) : storage::Value(storage::Null{})}));
      }
      return {};
    });
    ASSERT_TRUE(units) << units.error().message;
    AccountOptions options;
    // Cost parameters change no behaviour under test; small ones keep the
    // suite fast (password_hasher_test checks the production defaults).
    options.hashing = HashParams{1024, 1, 1, 4};
    service_ = std::make_unique<AccountService>(*store_, clock_, units_, options);
  }

  void TearDown() override {
    service_.reset();
    if (store_) store_->Close();
    std::filesystem::remove_all(dir_);
  }

  User Create(const std::string& username, std::vector<RoleBinding> roles = {}) {
    auto user = service_->CreateUser({username, "Người dùng " + username, kPassword, roles});
    EXPECT_TRUE(user) << user.error().message;
    return user.value_or(User{});
  }

  LoginResult SignIn(const std::string& username, const std::string& ip = kIp) {
    auto r = service_->Login(username, kPassword, ip, "test-agent");
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(LoginResult{});
  }

  std::filesystem::path dir_;
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 1 / 5)) + hours(8)};
  FakeUnits units_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<AccountService> service_;
};

TEST_F(AccountServiceTest, CreateLoginAuthenticateLogout) {
  User u = Create("can.bo.a", {{Role::kOfficer, 10, false}});
  LoginResult login = SignIn("Can.Bo.A");  // usernames ignore case
  EXPECT_TRUE(IsBase64UrlOfLength(login.session_token, 43));
  EXPECT_FALSE(login.csrf_token.empty());
  EXPECT_EQ(login.expires_at, clock_.Now() + hours(12));

  auto p = service_->AuthenticateSession(login.session_token);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->user_id, u.id);
  EXPECT_EQ(p->username, "can.bo.a");
  EXPECT_EQ(p->method, AuthMethod::kSession);
  EXPECT_EQ(p->csrf_token, login.csrf_token);
  EXPECT_TRUE(p->HasRoleAt(Role::kOfficer, 10, units_));

  ASSERT_TRUE(service_->Logout(login.session_token));
  auto after = service_->AuthenticateSession(login.session_token);
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, Code::kUnauthenticated);
}

TEST_F(AccountServiceTest, DatabaseHoldsOnlyHashesOfSecrets) {
  Create("can.bo.a");
  LoginResult login = SignIn("can.bo.a");
  std::string token_hash, password_hash;
  ASSERT_TRUE(store_->Read([&](Tx& tx) -> Status {
    auto s = MOTCUA_TRY(tx.Query("SELECT token_hash FROM sessions"));
    auto u = MOTCUA_TRY(tx.Query("SELECT password_hash FROM users"));
    token_hash = s.at(0).Text(0);
    password_hash = u.at(0).Text(0);
    return {};
  }));
  EXPECT_EQ(token_hash, Sha256Hex(login.session_token));
  EXPECT_TRUE(password_hash.starts_with("$argon2id$")) << password_hash;
  EXPECT_EQ(password_hash.find(kPassword), std::string::npos);
}

TEST_F(AccountServiceTest, UnknownUserWrongPasswordAndDisabledLookAlike) {
  User u = Create("can.bo.a");
  auto wrong = service_->Login("can.bo.a", "not the password", kIp, "");
  auto unknown = service_->Login("khong.ton.tai", kPassword, "198.51.100.9", "");
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code, Code::kUnauthenticated);
  EXPECT_EQ(unknown.error().code, Code::kUnauthenticated);
  EXPECT_EQ(wrong.error().message, unknown.error().message);

  Principal root;
  root.user_id = 999;
  root.roles = {{Role::kSystemAdmin, 1, true}};
  ASSERT_TRUE(service_->SetDisabled(root, u.id, true));
  auto disabled = service_->Login("can.bo.a", kPassword, "198.51.100.10", "");
  ASSERT_FALSE(disabled);
  EXPECT_EQ(disabled.error().message, wrong.error().message);
}

TEST_F(AccountServiceTest, UsernamesAreUniqueIgnoringCaseAndPolicyNamesTheField) {
  Create("can.bo.a");
  auto again = service_->CreateUser({"CAN.BO.A", "Another", kPassword, {}});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Code::kAlreadyExists);
  EXPECT_TRUE(again.error().fields.contains("username"));

  auto weak = service_->CreateUser({"can.bo.b", "B", "1234567890", {}});
  ASSERT_FALSE(weak);
  EXPECT_TRUE(weak.error().fields.contains("password"));
  auto bad_name = service_->CreateUser({"can bo", "B", kPassword, {}});
  ASSERT_FALSE(bad_name);
  EXPECT_TRUE(bad_name.error().fields.contains("username"));
}

TEST_F(AccountServiceTest, SessionIdleTimeoutSlides) {
  Create("can.bo.a");
  LoginResult login = SignIn("can.bo.a");
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(minutes(29));
    ASSERT_TRUE(service_->AuthenticateSession(login.session_token)) << "round " << i;
  }
  clock_.Advance(minutes(31));
  auto idle = service_->AuthenticateSession(login.session_token);
  ASSERT_FALSE(idle);
  EXPECT_EQ(idle.error().code, Code::kUnauthenticated);
  // Gone for good, not just refused once.
  clock_.Advance(-minutes(31));
  EXPECT_FALSE(service_->AuthenticateSession(login.session_token));
}

TEST_F(AccountServiceTest, SessionEndsAfterItsAbsoluteLifetimeHoweverBusy) {
  Create("can.bo.a");
  LoginResult login = SignIn("can.bo.a");
  for (int i = 0; i < 35; ++i) {  // 35 x 20 min = 11 h 40 min
    clock_.Advance(minutes(20));
    ASSERT_TRUE(service_->AuthenticateSession(login.session_token)) << "round " << i;
  }
  clock_.Advance(minutes(20));  // 12 h
  EXPECT_FALSE(service_->AuthenticateSession(login.session_token));
}

TEST_F(AccountServiceTest, ForgedOrMalformedSessionTokensAreRefused) {
  Create("can.bo.a");
  LoginResult login = SignIn("can.bo.a");
  std::string forged = login.session_token;
  forged[0] = forged[0] == 'A' ? 'B' : 'A';
  for (const std::string& t : {forged, std::string(""), std::string(43, '!'),
                               login.session_token + "A", login.csrf_token + "x"}) {
    auto r = service_->AuthenticateSession(t);
    ASSERT_FALSE(r) << t;
    EXPECT_EQ(r.error().code, Code::kUnauthenticated);
  }
}

TEST_F(AccountServiceTest, ApiTokensAuthenticateUntilRevokedOrExpired) {
  User u = Create("tich.hop", {{Role::kSpecialist, 20, false}});
  Principal session = SignIn("tich.hop").principal;

  auto created = service_->CreateApiToken(session, "cổng dịch vụ công", std::nullopt);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_TRUE(created->secret.starts_with("mct_"));
  EXPECT_EQ(created->secret.size(), 4u + 43u);
  EXPECT_TRUE(created->secret.starts_with(created->info.prefix));
  EXPECT_LT(created->info.prefix.size(), 12u);

  auto p = service_->AuthenticateApiToken(created->secret);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->user_id, u.id);
  EXPECT_EQ(p->method, AuthMethod::kApiToken);
  EXPECT_TRUE(p->csrf_token.empty());
  EXPECT_TRUE(p->HasRoleAt(Role::kSpecialist, 20, units_));

  // A token cannot mint tokens.
  auto minted = service_->CreateApiToken(*p, "more", std::nullopt);
  ASSERT_FALSE(minted);
  EXPECT_EQ(minted.error().code, Code::kPermissionDenied);

  auto list = service_->ListApiTokens(session);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE(list->front().last_used_at.has_value());

  // Somebody else cannot revoke it, and does not learn it exists.
  Create("nguoi.khac");
  Principal other = SignIn("nguoi.khac").principal;
  auto foreign = service_->RevokeApiToken(other, created->info.id);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, Code::kNotFound);
  EXPECT_TRUE(service_->AuthenticateApiToken(created->secret));

  ASSERT_TRUE(service_->RevokeApiToken(session, created->info.id));
  auto revoked = service_->AuthenticateApiToken(created->secret);
  ASSERT_FALSE(revoked);
  EXPECT_EQ(revoked.error().code, Code::kUnauthenticated);

  auto expiring = service_->CreateApiToken(session, "tạm", hours(1));
  ASSERT_TRUE(expiring);
  EXPECT_TRUE(service_->AuthenticateApiToken(expiring->secret));
  clock_.Advance(hours(1));
  EXPECT_FALSE(service_->AuthenticateApiToken(expiring->secret));
  EXPECT_FALSE(service_->AuthenticateApiToken("mct_" + std::string(43, 'A')));
  EXPECT_FALSE(service_->AuthenticateApiToken(created->secret.substr(4)));
}

TEST_F(AccountServiceTest, FailedLoginsAreLimitedAndRecoverAfterTheWindow) {
  Create("can.bo.a");
  for (int i = 0; i < 5; ++i) {
    auto r = service_->Login("can.bo.a", "wrong password", kIp, "");
    ASSERT_FALSE(r);
    ASSERT_EQ(r.error().code, Code::kUnauthenticated) << i;
  }
  RetryAfter retry;
  auto limited = service_->Login("can.bo.a", kPassword, kIp, "", &retry);
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().code, Code::kResourceExhausted);
  EXPECT_EQ(retry.seconds, std::chrono::seconds(15 * 60));

  // A thousand more never get through, even with the right password.
  for (int i = 0; i < 1000; ++i) {
    auto r = service_->Login("can.bo.a", i % 2 ? kPassword : "guess", kIp, "");
    ASSERT_FALSE(r);
    ASSERT_EQ(r.error().code, Code::kResourceExhausted);
  }
  // The owner at another address is not locked out.
  EXPECT_TRUE(service_->Login("can.bo.a", kPassword, "198.51.100.1", ""));

  clock_.Advance(minutes(15));
  EXPECT_TRUE(service_->Login("can.bo.a", kPassword, kIp, ""));
}

TEST_F(AccountServiceTest, OneAddressTryingManyUsernamesIsLimited) {
  for (int i = 0; i < 30; ++i) {
    auto r = service_->Login("user" + std::to_string(i), "wrong password", kIp, "");
    ASSERT_EQ(r.error().code, Code::kUnauthenticated) << i;
  }
  auto r = service_->Login("user99", "wrong password", kIp, "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kResourceExhausted);
}

TEST_F(AccountServiceTest, ProvinceAdminGrantsOnlyWithinTheirSubtree) {
  Create("qt.tinh", {{Role::kProvinceAdmin, 1, true}});
  User target = Create("can.bo.a");
  User root = Create("qt.he.thong", {{Role::kSystemAdmin, 1, true}});
  Principal admin = SignIn("qt.tinh").principal;

  auto granted = service_->SetRoles(admin, target.id,
                                    {{Role::kOfficer, 10, false}, {Role::kUnitLeader, 20, true}});
  ASSERT_TRUE(granted) << granted.error().message;
  EXPECT_EQ(granted->roles.size(), 2u);

  auto sysadmin = service_->SetRoles(admin, target.id, {{Role::kSystemAdmin, 1, true}});
  ASSERT_FALSE(sysadmin);
  EXPECT_EQ(sysadmin.error().code, Code::kPermissionDenied);
  auto elsewhere = service_->SetRoles(admin, target.id, {{Role::kOfficer, 2, false}});
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().code, Code::kPermissionDenied);
  // Nor may they strip or disable a system administrator.
  EXPECT_EQ(service_->SetRoles(admin, root.id, {}).error().code, Code::kPermissionDenied);
  EXPECT_EQ(service_->SetDisabled(admin, root.id, true).error().code, Code::kPermissionDenied);
  // A failed change left the roles as they were.
  auto now = service_->GetUser(admin, target.id);
  ASSERT_TRUE(now);
  EXPECT_EQ(now->roles, granted->roles);

  // Staff cannot grant at all.
  Principal officer = SignIn("can.bo.a").principal;
  EXPECT_EQ(service_->SetRoles(officer, target.id, {}).error().code, Code::kPermissionDenied);
  EXPECT_EQ(service_->ListUsers(officer, 0, 50).error().code, Code::kPermissionDenied);
}

TEST_F(AccountServiceTest, RolesMustNameExistingUnitsAndBeWellFormed) {
  User root = Create("qt.he.thong", {{Role::kSystemAdmin, 1, true}});
  User target = Create("can.bo.a");
  Principal admin = SignIn("qt.he.thong").principal;
  for (const auto& roles : std::vector<std::vector<RoleBinding>>{
           {{Role::kOfficer, 999, false}},
           {{Role::kOfficer, 0, false}},
           {{Role::kCitizen, 10, false}},
           {{Role::kOfficer, 10, false}, {Role::kOfficer, 10, true}}}) {
    auto r = service_->SetRoles(admin, target.id, roles);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Code::kInvalidArgument);
    EXPECT_TRUE(r.error().fields.contains("roles")) << r.error().message;
  }
  EXPECT_EQ(service_->SetRoles(admin, 12345, {}).error().code, Code::kNotFound);
  (void)root;
}

TEST_F(AccountServiceTest, DisablingEndsSessions) {
  User u = Create("can.bo.a");
  Create("qt.tinh", {{Role::kProvinceAdmin, 1, true}});
  LoginResult login = SignIn("can.bo.a");
  Principal admin = SignIn("qt.tinh").principal;
  ASSERT_TRUE(service_->SetDisabled(admin, u.id, true));
  EXPECT_FALSE(service_->AuthenticateSession(login.session_token));
  ASSERT_TRUE(service_->SetDisabled(admin, u.id, false));
  EXPECT_FALSE(service_->AuthenticateSession(login.session_token));
  EXPECT_TRUE(service_->Login("can.bo.a", kPassword, kIp, ""));
  // An administrator cannot lock themself out.
  EXPECT_EQ(service_->SetDisabled(admin, admin.user_id, true).error().code,
            Code::kFailedPrecondition);
}

TEST_F(AccountServiceTest, ChangePasswordNeedsTheOldOneAndEndsOtherSessions) {
  Create("can.bo.a");
  LoginResult phone = SignIn("can.bo.a", "198.51.100.1");
  LoginResult desk = SignIn("can.bo.a");
  auto wrong = service_->ChangePassword(desk.principal, "not it at all", "một mật khẩu mới", kIp);
  ASSERT_FALSE(wrong);
  EXPECT_TRUE(wrong.error().fields.contains("old_password"));
  auto weak = service_->ChangePassword(desk.principal, kPassword, "password123", kIp);
  ASSERT_FALSE(weak);
  EXPECT_TRUE(weak.error().fields.contains("new_password"));

  ASSERT_TRUE(service_->ChangePassword(desk.principal, kPassword, "một mật khẩu mới", kIp));
  EXPECT_TRUE(service_->AuthenticateSession(desk.session_token));
  EXPECT_FALSE(service_->AuthenticateSession(phone.session_token));
  EXPECT_FALSE(service_->Login("can.bo.a", kPassword, "198.51.100.2", ""));
  EXPECT_TRUE(service_->Login("can.bo.a", "một mật khẩu mới", "198.51.100.2", ""));
}

TEST_F(AccountServiceTest, ListUsersPages) {
  Create("qt.tinh", {{Role::kProvinceAdmin, 1, true}});
  for (int i = 0; i < 5; ++i) Create("user." + std::to_string(i), {{Role::kOfficer, 10, false}});
  Principal admin = SignIn("qt.tinh").principal;
  auto first = service_->ListUsers(admin, 0, 4);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->users.size(), 4u);
  ASSERT_TRUE(first->next_after);
  EXPECT_EQ(first->users[1].roles, (std::vector<RoleBinding>{{Role::kOfficer, 10, false}}));
  auto second = service_->ListUsers(admin, *first->next_after, 4);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->users.size(), 2u);
  EXPECT_FALSE(second->next_after);
  EXPECT_EQ(service_->ListUsers(admin, 0, 0).error().code, Code::kInvalidArgument);
}

TEST_F(AccountServiceTest, CitizensRegisterThemselvesWithinALimit) {
  auto c = service_->RegisterCitizen("cong.dan", "Công dân", kPassword, kIp);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->roles, (std::vector<RoleBinding>{{Role::kCitizen, 0, false}}));
  for (int i = 1; i < 10; ++i) {
    ASSERT_TRUE(service_->RegisterCitizen("cong.dan" + std::to_string(i), "C", kPassword, kIp));
  }
  RetryAfter retry;
  auto limited = service_->RegisterCitizen("cong.dan.x", "C", kPassword, kIp, &retry);
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().code, Code::kResourceExhausted);
  EXPECT_GT(retry.seconds.count(), 0);
}

}  // namespace
}  // namespace motcua::accounts

namespace motcua::accounts {
namespace {

// The cache of proven credentials must never outlive what it caches.
TEST(AuthCacheTest, EntriesExpireAndAClearWinsOverAReadThatStartedBefore) {
  AuthCache cache;
  const TimePoint t0{std::chrono::seconds(1'000'000)};
  Principal p;
  p.user_id = 7;
  cache.Put("h", cache.Generation(), p, t0 + std::chrono::seconds(5));
  ASSERT_TRUE(cache.Find("h", t0));
  EXPECT_EQ(cache.Find("h", t0)->user_id, 7);
  EXPECT_FALSE(cache.Find("h", t0 + std::chrono::seconds(5)));
  // A read that began before a revocation cannot store what it read.
  std::uint64_t before = cache.Generation();
  cache.Clear();
  cache.Put("h", before, p, t0 + std::chrono::seconds(5));
  EXPECT_FALSE(cache.Find("h", t0));
}

}  // namespace
}  // namespace motcua::accounts
