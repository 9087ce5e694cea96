// Issue 19, item 1: the disk fills up while citizens and officers write.
// The database and the attachments live on a small tmpfs (a real ENOSPC from
// the kernel, through SQLite and the file layer alike). While it is full,
// writes are refused with 503 and a JSON error, never a 500 or a crash, and
// reads and /healthz go on; when space returns the same server takes writes
// again, and afterwards every acknowledged dossier is there and the province
// verifies (chain, statistics, every file). Needs root to mount the tmpfs,
// as the test command has (scripts/test.sh runs as root on CI).
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "app/internal/process_testing.hpp"
#include "http/test_client.hpp"

namespace motcua::app {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace internal;

class DiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("motcua-full-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "data");
    fs::create_directories(dir_ / "disk");
    const char* src = std::getenv("MOTCUA_SOURCE_DIR");
    const fs::path source = src ? fs::path(src) : fs::current_path();
    for (const char* part : {"demo", "holidays", "workflows", "documents", "statistics"})
      fs::copy(source / "data" / part, dir_ / "data" / part, fs::copy_options::recursive);
    mounted_ = ::mount("tmpfs", (dir_ / "disk").c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
                       "size=12m,mode=0700") == 0;
  }
  void TearDown() override {
    if (mounted_) ::umount2((dir_ / "disk").c_str(), MNT_DETACH);
    fs::remove_all(dir_);
  }

  fs::path dir_;
  bool mounted_ = false;
};

TEST_F(DiskFullTest, AFullDiskRefusesWritesWith503AndTheServerRecoversWhenSpaceReturns) {
  ASSERT_TRUE(mounted_) << "cannot mount a tmpfs (" << std::strerror(errno)
                        << "): run the tests as root, as scripts/test.sh does on CI";
  // The demo province, then its database moved onto the small disk, and the
  // attachments folder there too.
  ASSERT_EQ(RunMotcua({"demo", "--db", "sqlite:data/m.db"}, "", dir_).exit_code, 0);
  fs::copy_file(dir_ / "data" / "m.db", dir_ / "disk" / "m.db");
  fs::remove(dir_ / "data" / "m.db");
  fs::create_directories(dir_ / "disk" / "attachments");
  fs::create_directory_symlink(dir_ / "disk" / "attachments", dir_ / "data" / "attachments");
  const std::string db = "sqlite:" + (dir_ / "disk" / "m.db").string();
  // Ballast: the disk all but full, as a disk is when something else filled it.
  {
    const auto space = fs::space(dir_ / "disk");
    std::ofstream ballast(dir_ / "disk" / "ballast", std::ios::binary);
    std::string mb(1 << 20, 'x');
    for (std::uintmax_t left = space.available; left > 3 * (1u << 20); left -= mb.size())
      ballast.write(mb.data(), static_cast<std::streamsize>(mb.size()));
  }

  ServeProcess server(dir_, db,
                      {"--data-dir", "data", "--submission-limits", "1000000,1000000,416666"});
  ASSERT_NE(server.port(), 0);
  http::TestClient client(server.port());
  http::Headers officer = SignIn(client, "motcua.babe");
  const std::int64_t unit = BaBeUnitId(client);
  http::Headers upload = {
      officer[0], officer[1], {"content-type", "application/pdf"}, {"x-file-name", "scan.pdf"}};
  const std::string page = "%PDF-1.4\n% " + std::string(200'000, 's') + "\n%%EOF\n";

  std::vector<std::string> acknowledged;  // numbers
  std::map<int, int> answers;
  std::vector<std::string> bad;
  auto submit = [&] {
    auto r = SubmitAtBaBe(client, officer, unit);
    ++answers[r.status];
    if (r.status == 201)
      acknowledged.emplace_back(json::parse(r.body).at("dossier").at("number").as_string());
    else if (r.status != 503 || !json::parse(r.body).as_object().contains("error"))
      bad.push_back(std::to_string(r.status) + " " + r.body);
    return r.status;
  };
  // Files and dossiers until the disk refuses both.
  int refused_uploads = 0, refused_submissions = 0;
  for (int i = 0; i < 400 && (refused_uploads < 3 || refused_submissions < 3); ++i) {
    auto r = client.Send("POST", "/api/v1/attachments", page, upload);
    ++answers[r.status];
    if (r.status == 503) ++refused_uploads;
    if (r.status != 201 && r.status != 503) bad.push_back(std::to_string(r.status) + " " + r.body);
    for (int k = 0; k < 5; ++k)
      if (submit() == 503) ++refused_submissions;
  }
  EXPECT_GE(refused_uploads, 3) << "the disk never refused a file";
  EXPECT_GE(refused_submissions, 3) << "the disk never refused a dossier";
  EXPECT_TRUE(bad.empty()) << bad.size() << " answers neither 201 nor a 503 error, first: "
                           << (bad.empty() ? "" : bad.front());
  // Reads go on meanwhile.
  EXPECT_EQ(client.Send("GET", "/healthz").status, 200);
  EXPECT_EQ(client.Send("GET", "/api/v1/inbox", "", officer).status, 200);

  // Space returns: the same server takes writes again.
  fs::remove(dir_ / "disk" / "ballast");
  int after = 0;
  for (int i = 0; i < 20; ++i)
    if (submit() == 201) ++after;
  EXPECT_EQ(after, 20) << "the server did not recover when space returned";
  EXPECT_EQ(client.Send("POST", "/api/v1/attachments", page, upload).status, 201);
  EXPECT_EQ(server.Stop(), 0);

  std::cout << answers[201] << " writes acknowledged, " << answers[503]
            << " refused with 503 while the disk was full, " << after
            << " acknowledged once space returned\n";
  // Nothing acknowledged is lost, nothing is damaged.
  ServeProcess again(dir_, db, {"--data-dir", "data"});
  ASSERT_NE(again.port(), 0);
  // It starts again on the database the full disk left.
  EXPECT_EQ(http::TestClient(again.port()).Send("GET", "/healthz").status, 200);
  EXPECT_EQ(again.Stop(), 0);
  auto store = storage::Store::Open(db);
  ASSERT_TRUE(store);
  std::int64_t found = 0;
  ASSERT_TRUE((*store)->Read([&](storage::Tx& tx) -> Status {
    for (const auto& number : acknowledged)
      found += MOTCUA_TRY(tx.Query("SELECT count(*) FROM dossiers WHERE number = $1", {number}))
                   .at(0)
                   .Int(0);
    return {};
  }));
  (*store)->Close();
  EXPECT_EQ(found, static_cast<std::int64_t>(acknowledged.size()));
  RunResult verify = RunMotcua(
      {"verify", "--db", db, "--data-dir", "data", "--statistics", "--attachments"}, "", dir_);
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

}  // namespace
}  // namespace motcua::app
