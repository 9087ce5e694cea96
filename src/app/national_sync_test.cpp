// Issue 20: every dossier reaches the national portal, once, in its true
// state, whatever the portal and the network do. `motcua serve` syncs to the
// portal's stand-in (tests/standins/dvcqg, its own process) while the
// stand-in times out, answers 500 and 503, answers slowly, applies a call
// and drops the answer, sees a call twice, is killed and restarted, and
// while motcua itself is killed and restarted. Then, for every dossier in
// motcua's database, the portal holds one record (created once), with the
// dossier's national status, and one history row per closed step; the
// outbox is empty; every first acknowledgement is a "national_synced" event;
// the exchange log verifies and breaks when edited. A record the portal
// refuses for good is dead, shown with the portal's words, and delivered
// once an administrator retries it (`motcua outbox retry`).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <set>

#include "app/internal/process_testing.hpp"
#include "http/test_client.hpp"
#include "storage/store.hpp"

namespace motcua::app {
namespace {

namespace json = boost::json;
using namespace internal;  // NOLINT(google-build-using-namespace)

class NationalSyncTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("motcua-sync-" + std::to_string(::getpid()) + "-" + GetParam());
    fs::remove_all(dir_);
    MakeProvinceFolder(dir_);
    db_ = GetParam() == "sqlite" ? "sqlite:data/m.db"
                                 : PostgresSchemaUrl("sync_" + std::to_string(::getpid()));
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<storage::Store> OpenStore() {
    auto store = storage::Store::Open(
        GetParam() == "sqlite" ? "sqlite:" + (dir_ / "data" / "m.db").string() : db_);
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(*store) : nullptr;
  }

  std::unique_ptr<ServeProcess> Serve(const StandIn& portal) {
    auto serve = std::make_unique<ServeProcess>(
        dir_, db_,
        std::vector<std::string>{"--data-dir", "data", "--dvcqg-url", portal.url(),
                                 "--dvcqg-username", "motcua", "--dvcqg-password", "motcua-test",
                                 "--dvcqg-timeout-ms", "1500", "--dvcqg-retry-ms", "100",
                                 "--submission-limits", "1000,1000,30000"});
    EXPECT_NE(serve->port(), 0);
    return serve;
  }

  std::int64_t Count(const std::string& sql) {
    auto store = OpenStore();
    std::int64_t n = -1;
    EXPECT_TRUE(store->Read([&](storage::Tx& tx) -> Status {
      n = MOTCUA_TRY(tx.Query(sql)).at(0).Int(0);
      return {};
    }));
    store->Close();
    return n;
  }

  // Waits until nothing is pending in the outbox (or 90 s pass).
  bool Drained() {
    for (int i = 0; i < 900; ++i) {
      if (Count("SELECT COUNT(*) FROM outbox WHERE state = 'pending'") == 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  fs::path dir_;
  std::string db_;
};

json::object PortalState(const StandIn& portal) {
  http::TestClient c(portal.port());
  auto r = c.Send("GET", "/_control/state");
  EXPECT_EQ(r.status, 200);
  return json::parse(r.body).as_object();
}

// The faults queued and not yet met.
json::array FaultsQueued(const StandIn& portal) {
  http::TestClient c(portal.port());
  auto r = c.Send("GET", "/_control/faults");
  EXPECT_EQ(r.status, 200);
  json::value v = json::parse(r.body);
  if (v.is_array()) return v.as_array();
  const json::value* q = v.is_object() ? v.as_object().if_contains("faults") : nullptr;
  return q && q->is_array() ? q->as_array() : json::array{};
}

void Fault(const StandIn& portal, const std::string& body) {
  http::TestClient c(portal.port());
  auto r = c.Send("POST", "/_control/faults", body, {{"content-type", "application/json"}});
  EXPECT_EQ(r.status, 200) << r.body;
}

// A counter submission at Ba Bể, accepted when `accept`; the dossier's id.
std::int64_t Receive(http::TestClient& client, const http::Headers& officer, std::int64_t unit,
                     bool accept) {
  auto s = SubmitAtBaBe(client, officer, unit);
  EXPECT_EQ(s.status, 201) << s.body;
  if (s.status != 201) return 0;
  const std::int64_t id = json::parse(s.body).at("dossier").at("id").as_int64();
  if (accept) {
    auto a = client.Send("POST", "/api/v1/dossiers/" + std::to_string(id) + "/actions/accept", "{}",
                         officer);
    EXPECT_EQ(a.status, 200) << a.body;
  }
  return id;
}

TEST_P(NationalSyncTest, EveryDossierReachesThePortalOnceInItsTrueStateThroughFaultsAndRestarts) {
  ASSERT_FALSE(db_.empty());
  ASSERT_EQ(RunMotcua({"demo", "--db", db_}, "", dir_).exit_code, 0);
  StandIn portal("dvcqg", {"--state", (dir_ / "portal.json").string()});
  ASSERT_NE(portal.port(), 0);
  auto serve = Serve(portal);
  std::vector<std::int64_t> ids;
  {
    http::TestClient client(serve->port());
    const auto officer = SignIn(client, "motcua.babe");
    const std::int64_t unit = BaBeUnitId(client);
    // In calm weather first.
    for (int i = 0; i < 4; ++i) ids.push_back(Receive(client, officer, unit, i % 2 == 0));
    ASSERT_TRUE(Drained());
    // Then every fault the portal and the network can throw, in a queue the
    // next calls meet one after another, while dossiers keep coming.
    for (const char* f :
         {R"({"mode":"timeout","count":2})", R"({"mode":"error500","count":2})",
          R"({"mode":"error503","count":1})", R"({"mode":"lose_ack","count":3})",
          R"({"mode":"duplicate_ack","count":2})", R"({"mode":"slow","count":3,"ms":300})",
          R"({"mode":"lose_ack","count":2,"service":"CapNhatTienDoHoSoMC"})"})
      Fault(portal, f);
    for (int i = 0; i < 6; ++i) ids.push_back(Receive(client, officer, unit, i % 2 == 1));
  }
  // Every fault met (the queue lives in the stand-in's memory only).
  for (int i = 0; i < 600 && !FaultsQueued(portal).empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_TRUE(FaultsQueued(portal).empty()) << json::serialize(FaultsQueued(portal));
  // The portal dies and comes back with what it had stored; then motcua dies
  // (SIGKILL: whatever it had in flight is sent again after the restart).
  portal.Stop(SIGKILL);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  portal.Start();
  {
    http::TestClient client(serve->port());
    const auto officer = SignIn(client, "motcua.babe");
    const std::int64_t unit = BaBeUnitId(client);
    for (int i = 0; i < 3; ++i) ids.push_back(Receive(client, officer, unit, true));
  }
  EXPECT_EQ(serve->Stop(SIGKILL), 128 + SIGKILL);
  serve = Serve(portal);
  {
    http::TestClient client(serve->port());
    const auto officer = SignIn(client, "motcua.babe");
    // Work goes on after the restart: the dossiers not yet accepted.
    for (std::size_t i : {1u, 3u}) {
      auto r = client.Send("POST", "/api/v1/dossiers/" + std::to_string(ids[i]) + "/actions/accept",
                           "{}", officer);
      EXPECT_EQ(r.status, 200) << r.body;
    }
  }
  ASSERT_TRUE(Drained());

  // What motcua holds, straight from its database.
  struct Held {
    std::string number;
    int status = 0;
    std::int64_t closed_steps = 0;
  };
  std::map<std::string, Held> held;
  {
    auto store = OpenStore();
    ASSERT_TRUE(store->Read([&](storage::Tx& tx) -> Status {
      for (const auto& r : MOTCUA_TRY(tx.Query(
               "SELECT d.number, d.national_status, (SELECT COUNT(*) FROM dossier_steps s WHERE "
               "s.dossier_id = d.id AND s.finished_at IS NOT NULL) FROM dossiers d")))
        held[r.Text(0)] = Held{r.Text(0), static_cast<int>(r.Int(1)), r.Int(2)};
      return {};
    }));
    store->Close();
  }
  ASSERT_EQ(held.size(), ids.size());
  const json::object state = PortalState(portal);
  const json::object& dossiers = state.at("dossiers").as_object();
  EXPECT_EQ(dossiers.size(), held.size()) << "the portal holds a dossier motcua does not, or "
                                             "misses one";
  for (const auto& [number, h] : held) {
    SCOPED_TRACE(number);
    const json::value* d = dossiers.if_contains(number);
    ASSERT_NE(d, nullptr) << "lost on the way to the portal";
    EXPECT_EQ(d->at("creates").as_int64(), 1) << "created twice at the portal";
    EXPECT_EQ(d->at("record").at("TrangThaiHoSo").as_string(), std::to_string(h.status));
    EXPECT_EQ(static_cast<std::int64_t>(d->at("history").as_array().size()), h.closed_steps);
  }
  // The faults did happen, and the lost acknowledgements of creates were
  // answered with "already exists" that motcua turned into updates.
  const json::object& applied = state.at("faults_applied").as_object();
  for (const char* mode : {"timeout", "error500", "error503", "lose_ack", "duplicate_ack", "slow"})
    EXPECT_GE(applied.contains(mode) ? applied.at(mode).as_int64() : 0, 1) << mode;
  EXPECT_GE(state.at("refused_duplicate_creates").as_int64(), 1);

  // What motcua recorded: nothing owed, each dossier acknowledged once.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox WHERE state <> 'delivered'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM national_sync"), static_cast<std::int64_t>(held.size()));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events WHERE action = 'national_synced'"),
            static_cast<std::int64_t>(held.size()));
  EXPECT_GT(Count("SELECT COUNT(*) FROM exchange_log WHERE outcome = 'retry'"), 0);

  // A create whose acknowledgement is lost, then a lookup that gets no
  // answer: the refusal of the second create is not final while the
  // portal's records are unknown; the next attempt finds the record and
  // updates it. Nothing is dead.
  Fault(portal, R"({"mode":"lose_ack","count":1,"service":"DongBoHoSoMC"})");
  Fault(portal, R"({"mode":"error500","count":1,"service":"TraCuuHoSo"})");
  {
    http::TestClient client(serve->port());
    const auto officer = SignIn(client, "motcua.babe");
    ids.push_back(Receive(client, officer, BaBeUnitId(client), false));
  }
  ASSERT_TRUE(Drained());
  EXPECT_TRUE(FaultsQueued(portal).empty()) << json::serialize(FaultsQueued(portal));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox WHERE state <> 'delivered'"), 0)
      << "a lookup without an answer made a lost acknowledgement final";
  EXPECT_EQ(PortalState(portal).at("dossiers").as_object().size(), ids.size());

  // A record the portal refuses for good: dead, with the portal's words,
  // until an administrator retries it.
  Fault(portal, R"({"mode":"refuse","count":1})");
  {
    http::TestClient client(serve->port());
    const auto officer = SignIn(client, "motcua.babe");
    ids.push_back(Receive(client, officer, BaBeUnitId(client), false));
  }
  std::int64_t dead = 0;
  for (int i = 0; i < 300 && dead == 0; ++i) {
    dead = Count("SELECT COALESCE(MAX(id), 0) FROM outbox WHERE state = 'dead'");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_GT(dead, 0);
  RunResult listed = RunMotcua({"outbox", "list", "--db", db_, "--state", "dead"}, "", dir_);
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("error_code -2"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("CSDL quốc gia"), std::string::npos) << listed.out;
  RunResult retried = RunMotcua({"outbox", "retry", std::to_string(dead), "--db", db_}, "", dir_);
  EXPECT_EQ(retried.exit_code, 0) << retried.err;
  ASSERT_TRUE(Drained());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox WHERE state = 'dead'"), 0);
  EXPECT_EQ(PortalState(portal).at("dossiers").as_object().size(), ids.size());

  // The same through the administration API (its page): the system
  // administrator sees what is owed and the refusal with the dossier's
  // number, retries it, or gives up another one with a reason.
  Fault(portal, R"({"mode":"refuse","count":2,"service":"DongBoHoSoMC"})");
  {
    http::TestClient client(serve->port());
    const auto officer = SignIn(client, "motcua.babe");
    ids.push_back(Receive(client, officer, BaBeUnitId(client), false));
    ids.push_back(Receive(client, officer, BaBeUnitId(client), false));
  }
  for (int i = 0; i < 300 && Count("SELECT COUNT(*) FROM outbox WHERE state = 'dead'") < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  {
    http::TestClient client(serve->port());
    const auto admin = SignIn(client, "admin");
    EXPECT_EQ(
        client.Send("GET", "/api/v1/integrations/outbox", "", SignIn(client, "motcua.babe")).status,
        403);
    auto r = client.Send("GET", "/api/v1/integrations/outbox?state=dead", "", admin);
    ASSERT_EQ(r.status, 200) << r.body;
    json::object page = json::parse(r.body).as_object();
    const json::object& owed = page.at("destinations").at(0).as_object();
    EXPECT_EQ(owed.at("destination").as_string(), "dvcqg");
    EXPECT_EQ(owed.at("dead").as_int64(), 2);
    EXPECT_EQ(owed.at("active").as_bool(), true);
    EXPECT_GE(owed.at("delivered_since_start").as_int64(), 1);
    const json::array& items = page.at("items").as_array();
    ASSERT_EQ(items.size(), 2u);
    for (const auto& item : items) {
      EXPECT_EQ(item.at("state").as_string(), "dead");
      EXPECT_NE(std::string(item.at("last_error").as_string()).find("CSDL quốc gia"),
                std::string::npos);
      EXPECT_TRUE(item.at("dossier_number").is_string());
    }
    const std::string first = std::to_string(items.at(0).at("id").as_int64());
    const std::string second = std::to_string(items.at(1).at("id").as_int64());
    auto no_reason =
        client.Send("POST", "/api/v1/integrations/outbox/" + second + "/discard", "{}", admin);
    EXPECT_EQ(no_reason.status, 400);
    EXPECT_NE(no_reason.body.find("reason"), std::string::npos) << no_reason.body;
    auto discarded = client.Send("POST", "/api/v1/integrations/outbox/" + second + "/discard",
                                 R"({"reason":"Hồ sơ đã được đồng bộ từ hệ thống khác"})", admin);
    EXPECT_EQ(discarded.status, 200) << discarded.body;
    EXPECT_EQ(
        client.Send("POST", "/api/v1/integrations/outbox/" + second + "/retry", "{}", admin).status,
        409);
    EXPECT_EQ(client.Send("POST", "/api/v1/integrations/outbox/999999/retry", "{}", admin).status,
              404);
    EXPECT_EQ(client.Send("GET", "/api/v1/integrations/outbox?limit=0", "", admin).status, 400);
    auto retried_api =
        client.Send("POST", "/api/v1/integrations/outbox/" + first + "/retry", "{}", admin);
    ASSERT_EQ(retried_api.status, 200) << retried_api.body;
    EXPECT_EQ(json::parse(retried_api.body).at("state").as_string(), "pending");
  }
  ASSERT_TRUE(Drained());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox WHERE state = 'dead'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox WHERE state = 'discarded'"), 1);
  // The discarded dossier was never acknowledged; every other one was.
  EXPECT_EQ(PortalState(portal).at("dossiers").as_object().size(), ids.size() - 1);

  // The portal loses everything it held; the operator replays one dossier,
  // which reaches it again whole: its record and every history row.
  {
    http::TestClient c(portal.port());
    EXPECT_EQ(
        c.Send("POST", "/_control/reset", "{}", {{"content-type", "application/json"}}).status,
        200);
  }
  const Held& again = held.begin()->second;
  RunResult replayed =
      RunMotcua({"outbox", "replay", "--dossier", again.number, "--db", db_}, "", dir_);
  EXPECT_EQ(replayed.exit_code, 0) << replayed.err;
  ASSERT_TRUE(Drained());
  {
    const json::object lost = PortalState(portal);
    const json::object& back = lost.at("dossiers").as_object();
    ASSERT_EQ(back.size(), 1u) << json::serialize(lost);
    ASSERT_TRUE(back.contains(again.number));
    EXPECT_EQ(back.at(again.number).at("record").at("TrangThaiHoSo").as_string(),
              std::to_string(again.status));
    EXPECT_EQ(static_cast<std::int64_t>(back.at(again.number).at("history").as_array().size()),
              again.closed_steps);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events WHERE action = 'national_synced'"),
            static_cast<std::int64_t>(ids.size() - 1))
      << "a replay is not a first acknowledgement";
  serve->Stop();

  // The exchange log verifies, and an edited entry breaks it.
  RunResult verified = RunMotcua(
      {"verify", "--db", db_, "--data-dir", "data", "--exchanges", "--statistics"}, "", dir_);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("exchange log verified"), std::string::npos) << verified.out;
  {
    auto store = OpenStore();
    ASSERT_TRUE(store->WriteSync([](storage::Tx& tx) -> Status {
      MOTCUA_TRY(tx.Exec("UPDATE exchange_log SET response = response || ' ' WHERE seq = 3"));
      return {};
    }));
    store->Close();
  }
  RunResult broken =
      RunMotcua({"verify", "--db", db_, "--data-dir", "data", "--exchanges"}, "", dir_);
  EXPECT_EQ(broken.exit_code, 1) << broken.out;
  EXPECT_NE(broken.out.find("exchange log broken at entry 3"), std::string::npos) << broken.out;
}

// The other direction: the portal pushes a dossier a citizen filed there.
// It is received once whatever the portal resends, enters the counter's
// inbox as an online dossier with its source, and its status goes back to
// the portal under the portal's own code.
TEST_P(NationalSyncTest, ADossierFiledOnThePortalIsReceivedOnceAndItsStatusGoesBack) {
  ASSERT_FALSE(db_.empty());
  ASSERT_EQ(RunMotcua({"demo", "--db", db_}, "", dir_).exit_code, 0);
  StandIn portal("dvcqg", {});
  ASSERT_NE(portal.port(), 0);
  const std::string token = "cong-dvcqg-day-ho-so-0123456789abcdef";
  auto serve = std::make_unique<ServeProcess>(
      dir_, db_,
      std::vector<std::string>{"--data-dir", "data", "--dvcqg-url", portal.url(),
                               "--dvcqg-username", "motcua", "--dvcqg-password", "motcua-test",
                               "--dvcqg-retry-ms", "100", "--dvcqg-inbound-token", token});
  ASSERT_NE(serve->port(), 0);
  const std::string endpoint =
      "http://127.0.0.1:" + std::to_string(serve->port()) + "/api/v1/integrations/dvcqg/dossiers";
  auto pdf = [](const std::string& what) {
    return std::string(R"({"MaThanhPhanHoSo":")" + what + R"(","TenTep":")" + what +
                       R"(.pdf","NoiDung":")" +
                       // "%PDF-1.4\n% scan\n%%EOF\n"
                       "JVBERi0xLjQKJSBzY2FuCiUlRU9GCg==" + R"("})");
  };
  const std::string code = "G22.99-261207-00042";
  auto record = [&](const std::string& fields) {
    return R"({"MaHoSo":")" + code +
           R"(","MaTTHC":"1.004873.000.00.00.H56","MaCoQuanTiepNhan":"000.54.00.H55",)"
           R"("ChuHoSo":"Hoàng Thị Cổng","SoGiayToChuHoSo":"001099012345",)"
           R"("SoDienThoai":"0912345678","NgayNopHoSo":"20261207090000",)" +
           fields + "}";
  };
  const std::string full = record(R"("TaiLieuNop":[)" + pdf("TP1") + "," + pdf("TP2") + "]");
  auto push = [&](const std::string& body, const std::string& with_token, int times) {
    http::TestClient c(portal.port());
    auto r = c.Send("POST", "/_control/push",
                    R"({"url":")" + endpoint + R"(","token":")" + with_token + R"(","times":)" +
                        std::to_string(times) + R"(,"body":)" + body + "}",
                    {{"content-type", "application/json"}});
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body).at("answers").as_array();
  };

  // Refused: no such token; a record without its procedure or with an
  // agency not of this province; a required document missing.
  EXPECT_EQ(push(full, "another-token-0123456789abcdef-0123", 1).at(0).at("status").as_int64(),
            401);
  auto bad = push(record(R"("MaCoQuanTiepNhan":"000.99.99.H99","TaiLieuNop":[])"), token, 1);
  // (the key repeated: JSON keeps the last, the unknown agency)
  EXPECT_EQ(bad.at(0).at("status").as_int64(), 400);
  EXPECT_TRUE(
      bad.at(0).at("body").at("error").at("fields").as_object().contains("MaCoQuanTiepNhan"))
      << json::serialize(bad);
  auto missing = push(record(R"("TaiLieuNop":[)" + pdf("TP1") + "]"), token, 1);
  EXPECT_EQ(missing.at(0).at("status").as_int64(), 400);
  EXPECT_TRUE(missing.at(0).at("body").at("error").at("fields").as_object().contains("TaiLieuNop"))
      << json::serialize(missing);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dossiers"), 0);

  // Pushed three times (the portal lost the answers): received once, the
  // same answer each time.
  auto answers = push(full, token, 3);
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers.at(0).at("status").as_int64(), 201) << json::serialize(answers);
  const json::value first = answers.at(0).at("body");
  EXPECT_EQ(first.at("error_code").as_string(), "0");
  EXPECT_EQ(first.at("result").at(0).at("MaHoSo").as_string(), code);
  const std::string number(first.at("result").at(0).at("SoHoSoTinh").as_string());
  EXPECT_EQ(number.rfind("000.54.00.H55-", 0), 0u) << number;
  for (int i = 1; i < 3; ++i) {
    EXPECT_EQ(answers.at(i).at("status").as_int64(), 200);
    EXPECT_EQ(answers.at(i).at("body").at("result"), first.at("result"));
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dossiers"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dossiers WHERE channel = 2 AND source = 'dvcqg' AND "
                  "source_ref = '" +
                  code + "' AND state = 'received'"),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attachments a JOIN dossiers d ON d.id = a.dossier_id"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM exchange_log WHERE direction = 'in' AND outcome = "
                  "'accepted'"),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM exchange_log WHERE direction = 'in' AND outcome = "
                  "'duplicate'"),
            2);

  // The counter accepts it from its inbox; the portal hears of it under its
  // own code, received (1) then accepted (2), with the intake's history row.
  const std::int64_t id = Count("SELECT id FROM dossiers");
  {
    http::TestClient client(serve->port());
    const auto officer = SignIn(client, "motcua.babe");
    auto inbox = client.Send("GET", "/api/v1/inbox", "", officer);
    EXPECT_NE(inbox.body.find(number), std::string::npos) << inbox.body;
    auto a = client.Send("POST", "/api/v1/dossiers/" + std::to_string(id) + "/actions/accept", "{}",
                         officer);
    EXPECT_EQ(a.status, 200) << a.body;
  }
  ASSERT_TRUE(Drained());
  const json::object state = PortalState(portal);
  const json::object& held = state.at("dossiers").as_object();
  ASSERT_EQ(held.size(), 1u) << json::serialize(state);
  ASSERT_TRUE(held.contains(code)) << json::serialize(state);
  EXPECT_EQ(held.at(code).at("record").at("TrangThaiHoSo").as_string(), "2");
  EXPECT_EQ(held.at(code).at("statuses").as_array().back().as_string(), "2");
  EXPECT_EQ(held.at(code).at("history").as_array().size(), 1u);
  serve->Stop();
  RunResult verified =
      RunMotcua({"verify", "--db", db_, "--data-dir", "data", "--exchanges"}, "", dir_);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
}

INSTANTIATE_TEST_SUITE_P(Engines, NationalSyncTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace motcua::app
