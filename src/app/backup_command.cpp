// `motcua backup` and `motcua restore` (docs/operations.md, "Backups").
//
// A backup is a folder:
//   motcua.db      the database, as SQLite (the online backup API from a
//                  SQLite source; a row-for-row copy from PostgreSQL, which
//                  then restores into either engine)
//   attachments/   the files its rows name, still encrypted, in their layout
//   data/          the data folder's law as data (holidays, workflows, forms,
//                  fonts, statistics rules) that its history is replayed with
//   manifest.json  written last: what was checked, so restore can tell a
//                  whole backup from a damaged or unfinished one
// The attachments' key is never in it: a backup that holds the key protects
// nothing. Restore needs the key put back in the target's data folder (or
// MOTCUA_ATTACHMENT_KEY) and refuses any other key.
#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "app/commands.hpp"
#include "app/settings.hpp"
#include "app/verify_command.hpp"
#include "common/clock.hpp"
#include "storage/accounts_repo.hpp"
#include "storage/attachments_repo.hpp"
#include "storage/copy.hpp"
#include "storage/sqlite_backup.hpp"

namespace motcua::app {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr std::string_view kFormat = "motcua-backup/1";

Status FsyncPath(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return Fail(Code::kUnavailable, "cannot open " + path.string());
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Fail(Code::kUnavailable, "cannot sync " + path.string());
  return {};
}

// Copies the files `store`'s rows name from `from` to `to` (same layout),
// each fsynced, then their folders. A file already at `to` with the same
// bytes is kept; with other bytes, it is an error (field "data-dir").
// `missing_staged` collects staged uploads whose file is gone (deleted by
// their owner after the snapshot); any other missing file is an error.
Result<std::int64_t> CopyAttachmentFiles(storage::Store& store, const fs::path& from,
                                         const fs::path& to,
                                         std::vector<std::string>* missing_staged) {
  std::int64_t copied = 0;
  std::error_code made;
  fs::create_directories(to, made);
  if (made) return Fail(Code::kUnavailable, "cannot create " + to.string() + ": " + made.message());
  std::set<fs::path> folders;
  std::string after;
  for (;;) {
    std::vector<storage::attachments::AttachmentRow> page;
    MOTCUA_TRY_VOID(store.Read([&](storage::Tx& tx) -> Status {
      page = MOTCUA_TRY(storage::attachments::ListAfter(tx, after, 1000));
      return {};
    }));
    if (page.empty()) break;
    after = page.back().id;
    for (const auto& row : page) {
      const fs::path relative = fs::path(row.id.substr(0, 2)) / row.id.substr(2, 2) / row.id;
      const fs::path source = from / relative, target = to / relative;
      std::error_code ec;
      if (!fs::exists(source, ec)) {
        if (!row.dossier_id && missing_staged) {
          missing_staged->push_back(row.id);
          continue;
        }
        return Fail(
            Error{Code::kFailedPrecondition, "attachment " + row.id + " has no file", {}}.With(
                "attachments", source.string() + " is missing"));
      }
      fs::create_directories(target.parent_path(), ec);
      if (ec) return Fail(Code::kUnavailable, "cannot create " + target.parent_path().string());
      if (fs::exists(target, ec)) {
        std::ifstream a(source, std::ios::binary), b(target, std::ios::binary);
        std::stringstream sa, sb;
        sa << a.rdbuf();
        sb << b.rdbuf();
        if (sa.str() != sb.str())
          return Fail(Error{Code::kAlreadyExists, "another file is in the way", {}}.With(
              "data-dir", target.string() + " exists with other bytes"));
        continue;
      }
      fs::copy_file(source, target, ec);
      if (ec)
        return Fail(Code::kUnavailable, "cannot copy " + source.string() + ": " + ec.message());
      MOTCUA_TRY_VOID(FsyncPath(target, false));
      folders.insert(target.parent_path());
      folders.insert(target.parent_path().parent_path());
      ++copied;
    }
  }
  folders.insert(to);
  for (const auto& folder : folders) MOTCUA_TRY_VOID(FsyncPath(folder, true));
  return copied;
}

// The data folder's law as data (holidays, workflows, forms and fonts,
// statistics rules, demo files), which the database's history is replayed
// with: everything under `from` but the attachments, the keys, database
// files and `skip` (a backup folder inside it). Into `to`, a file that is
// there already must have the same bytes (field "data-dir" otherwise):
// restore never overwrites the target's configuration.
Result<std::int64_t> CopyDataFiles(const fs::path& from, const fs::path& to, const fs::path& skip) {
  std::int64_t copied = 0;
  std::error_code ec;
  const fs::path skip_abs = skip.empty() ? fs::path() : fs::weakly_canonical(skip, ec);
  for (auto it = fs::recursive_directory_iterator(from, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    const fs::path relative = fs::relative(it->path(), from, ec);
    const std::string top = relative.begin()->string();
    const std::string name = it->path().filename().string();
    const bool database_file = name.ends_with(".db") || name.ends_with("-wal") ||
                               name.ends_with("-shm") || name.ends_with(".partial");
    if (top == "attachments" || top == "keys" ||
        (!skip_abs.empty() && fs::weakly_canonical(it->path(), ec) == skip_abs)) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file() || database_file) continue;
    const fs::path target = to / relative;
    fs::create_directories(target.parent_path(), ec);
    if (fs::exists(target)) {
      std::ifstream a(it->path(), std::ios::binary), b(target, std::ios::binary);
      std::stringstream sa, sb;
      sa << a.rdbuf();
      sb << b.rdbuf();
      if (sa.str() != sb.str())
        return Fail(
            Error{Code::kAlreadyExists, "the data folder differs from the backup's", {}}.With(
                "data-dir", target.string() + " is not the backup's " + relative.string() +
                                ": restore into a data folder without it, or with the same file"));
      continue;
    }
    fs::copy_file(it->path(), target, ec);
    if (ec)
      return Fail(Code::kUnavailable, "cannot copy " + it->path().string() + ": " + ec.message());
    MOTCUA_TRY_VOID(FsyncPath(target, false));
    ++copied;
  }
  if (ec) return Fail(Code::kUnavailable, "cannot read " + from.string() + ": " + ec.message());
  return copied;
}

Status WriteManifest(const fs::path& folder, const json::object& manifest) {
  const fs::path partial = folder / "manifest.json.partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << json::serialize(manifest) << "\n";
    if (!out.flush()) return Fail(Code::kUnavailable, "cannot write " + partial.string());
  }
  MOTCUA_TRY_VOID(FsyncPath(partial, false));
  std::error_code ec;
  fs::rename(partial, folder / "manifest.json", ec);
  if (ec) return Fail(Code::kUnavailable, "cannot write the manifest: " + ec.message());
  return FsyncPath(folder, true);
}

Result<json::object> ReadManifest(const fs::path& folder) {
  std::ifstream in(folder / "manifest.json", std::ios::binary);
  if (!in)
    return Fail(Error{Code::kFailedPrecondition, "not a whole backup", {}}.With(
        "from", (folder / "manifest.json").string() +
                    " is missing: the backup did not finish, or this is not a backup folder"));
  std::stringstream s;
  s << in.rdbuf();
  boost::system::error_code ec;
  json::value v = json::parse(s.str(), ec);
  if (ec || !v.is_object() || !v.as_object().contains("format") ||
      v.as_object().at("format") != json::value(kFormat))
    return Fail(Error{Code::kFailedPrecondition, "not a backup this motcua reads", {}}.With(
        "from", "manifest.json is not a " + std::string(kFormat) + " manifest"));
  const json::object& m = v.as_object();
  for (const char* key : {"database_sha256", "events", "last_hash", "attachment_files", "key_id"}) {
    if (!m.contains(key))
      return Fail(Error{Code::kFailedPrecondition, "a damaged manifest", {}}.With(
          "from", "manifest.json has no " + std::string(key)));
  }
  return m;
}

int Usage(std::ostream& err, std::string_view what, std::string field, std::string problem) {
  return ReportError(err, what,
                     Error{Code::kInvalidArgument, "invalid arguments", {}}.With(
                         std::move(field), std::move(problem)),
                     2);
}

}  // namespace

int RunBackup(const Args& args, std::ostream& out, std::ostream& err) {
  auto options = CommonOptions();
  options.push_back(
      {"to", "DIR", "the new backup folder (must not exist, or be empty)", "", false});
  Command cmd(
      "motcua backup --to DIR [options]",
      "Writes a backup of the province to a new folder while motcua serves: the database as\n"
      "committed when the backup begins (SQLite's online backup API; from PostgreSQL, a\n"
      "row-for-row copy into a SQLite file) and every attachment file its rows name, still\n"
      "encrypted. The attachments' key is not copied: keep it apart (DATA_DIR/keys/\n"
      "attachments.key). The backup is then verified as 'motcua verify --statistics\n"
      "--attachments' does, and manifest.json is written last. Exit status 0 when the\n"
      "backup is whole and verified, 1 if not.",
      options);
  auto parsed = ParseCommand(cmd, args);
  if (!parsed) return ReportError(err, "backup", parsed.error(), 2);
  if (parsed->help) {
    out << cmd.Help();
    return 0;
  }
  if (parsed->Get("to").empty()) return Usage(err, "backup", "to", "name the new backup folder");
  const fs::path folder = parsed->Get("to");
  std::error_code ec;
  if (fs::exists(folder, ec) && !fs::is_empty(folder, ec))
    return Usage(err, "backup", "to",
                 folder.string() + " is not empty: a backup goes to a new folder");
  fs::create_directories(folder, ec);
  if (ec)
    return ReportError(
        err, "backup",
        Error{Code::kUnavailable, "cannot create " + folder.string() + ": " + ec.message(), {}}, 1);
  const std::string data_dir = parsed->Get("data-dir");
  const fs::path live_attachments = fs::path(data_dir) / "attachments";
  const fs::path database = folder / "motcua.db";
  const char* key_env = std::getenv(attachments::kKeyEnvironmentVariable.data());
  auto key = attachments::LoadExistingAttachmentKey(live_attachments, key_env);
  // A province with no file yet has no key yet either.
  if (!key && key.error().code == Code::kFailedPrecondition && !fs::exists(live_attachments, ec))
    key = attachments::KeyFromBase64(std::string(43, 'A') + "=", "unused");
  if (!key) return ReportError(err, "backup", key.error(), 1);

  std::string engine;
  if (auto file = storage::SqliteFileOf(parsed->Get("db"))) {
    if (!fs::exists(*file, ec))
      return ReportError(err, "backup", InvalidField("db", *file + " does not exist").error(), 1);
    engine = "sqlite";
    if (auto copied = storage::BackupSqliteFile(*file, database.string()); !copied)
      return ReportError(err, "backup", copied.error(), 1);
  } else {
    auto source = OpenStore(*parsed);
    if (!source) return ReportError(err, "backup", source.error(), 1);
    engine = std::string((*source)->engine());
    auto target = storage::Store::Open("sqlite:" + database.string());
    if (!target) return ReportError(err, "backup", target.error(), 1);
    auto copied = storage::CopyDatabase(**source, **target);
    (*target)->Close();
    (*source)->Close();
    if (!copied) return ReportError(err, "backup", copied.error(), 1);
  }
  out << "database copied from " << engine << " to " << database.string() << "\n";

  auto backup = storage::Store::Open("sqlite:" + database.string());
  if (!backup) return ReportError(err, "backup", backup.error(), 1);
  std::vector<std::string> missing_staged;
  auto files =
      CopyAttachmentFiles(**backup, live_attachments, folder / "attachments", &missing_staged);
  if (!files) return ReportError(err, "backup", files.error(), 1);
  // Uploads not yet in any dossier whose owner deleted them after the
  // snapshot: the live database no longer has them either.
  if (!missing_staged.empty()) {
    auto removed = (*backup)->WriteSync([&](storage::Tx& tx) -> Status {
      for (const auto& id : missing_staged)
        MOTCUA_TRY(tx.Exec("DELETE FROM attachments WHERE id = $1 AND dossier_id IS NULL", {id}));
      return {};
    });
    if (!removed) return ReportError(err, "backup", removed.error(), 1);
  }
  out << "attachments copied: " << *files << " files\n";
  auto data_files = CopyDataFiles(data_dir, folder / "data", folder);
  if (!data_files) return ReportError(err, "backup", data_files.error(), 1);
  out << "data folder copied: " << *data_files << " files (holidays, workflows, forms, ...)\n";

  auto summary = CheckDatabase(**backup,
                               CheckOptions{.data_dir = (folder / "data").string(),
                                            .office_hours = parsed->Get("office-hours"),
                                            .statistics = true,
                                            .attachments = true,
                                            .attachments_dir = (folder / "attachments").string(),
                                            .key = *key},
                               out);
  auto schema = (*backup)->SchemaVersion();
  (*backup)->Close();
  if (!summary) return ReportError(err, "backup", summary.error(), 1);
  if (!schema) return ReportError(err, "backup", schema.error(), 1);
  if (!summary->intact) {
    out << "the backup in " << folder.string() << " did not verify; it has no manifest\n";
    return 1;
  }
  auto sha = storage::FileSha256Hex(database.string());
  if (!sha) return ReportError(err, "backup", sha.error(), 1);
  json::object manifest{{"format", kFormat},
                        {"created_at", storage::accounts::FormatTime(SystemClock().Now())},
                        {"source_engine", engine},
                        {"schema_version", *schema},
                        {"database_sha256", *sha},
                        {"events", summary->events},
                        {"last_hash", summary->last_hash},
                        {"dossiers", summary->dossiers},
                        {"attachment_files", summary->files.files},
                        {"attachment_bytes", summary->files.bytes},
                        {"key_id", summary->files.files > 0 ? key->id : ""}};
  if (auto written = WriteManifest(folder, manifest); !written)
    return ReportError(err, "backup", written.error(), 1);
  out << "backup written to " << folder.string() << ": " << summary->events << " events, "
      << summary->dossiers << " dossiers, " << summary->files.files
      << " attachment files; keep the last hash " << summary->last_hash << " and the key (id "
      << (summary->files.files > 0 ? key->id : "none needed") << ") apart from it\n";
  return 0;
}

int RunRestore(const Args& args, std::ostream& out, std::ostream& err) {
  auto options = CommonOptions();
  options.push_back({"from", "DIR", "the backup folder (written by motcua backup)", "", false});
  Command cmd(
      "motcua restore --from DIR --db URL --data-dir DIR [options]",
      "Restores a backup into a new database (a SQLite file that does not exist yet, or an\n"
      "empty PostgreSQL database) and its attachment files into DATA_DIR/attachments. The\n"
      "attachments' key must be back first: DATA_DIR/keys/attachments.key (mode 0600) or\n"
      "MOTCUA_ATTACHMENT_KEY, the one the manifest names. The backup is checked before\n"
      "anything is written (its database's SHA-256, its chain, every file), and the restored\n"
      "province after, as 'motcua verify --statistics --attachments' does, against the\n"
      "manifest's last hash. Exit status 0 when restored and verified, 1 if not.",
      options);
  auto parsed = ParseCommand(cmd, args);
  if (!parsed) return ReportError(err, "restore", parsed.error(), 2);
  if (parsed->help) {
    out << cmd.Help();
    return 0;
  }
  if (parsed->Get("from").empty()) return Usage(err, "restore", "from", "name the backup folder");
  const fs::path folder = parsed->Get("from");
  auto manifest = ReadManifest(folder);
  if (!manifest) return ReportError(err, "restore", manifest.error(), 1);
  const fs::path database = folder / "motcua.db";
  auto sha = storage::FileSha256Hex(database.string());
  if (!sha)
    return ReportError(err, "restore",
                       sha.error().With("from", "the backup's database cannot be read"), 1);
  if (*sha != manifest->at("database_sha256").as_string())
    return ReportError(err, "restore",
                       Error{Code::kFailedPrecondition, "the backup is damaged", {}}.With(
                           "from", database.string() +
                                       " is not the database the manifest names (SHA-256 differs)"),
                       1);
  const std::int64_t events = manifest->at("events").to_number<std::int64_t>();
  const std::string last_hash(manifest->at("last_hash").as_string());
  const std::int64_t files = manifest->at("attachment_files").to_number<std::int64_t>();
  const std::string key_id(manifest->at("key_id").as_string());

  const std::string data_dir = parsed->Get("data-dir");
  const fs::path attachments_dir = fs::path(data_dir) / "attachments";
  auto key = attachments::LoadExistingAttachmentKey(
      attachments_dir, std::getenv(attachments::kKeyEnvironmentVariable.data()));
  if (files == 0 && !key && key.error().code == Code::kFailedPrecondition)
    key = attachments::KeyFromBase64(std::string(43, 'A') + "=", "unused");
  if (!key) return ReportError(err, "restore", key.error(), 1);
  if (files > 0 && key->id != key_id)
    return ReportError(
        err, "restore",
        Error{Code::kFailedPrecondition, "not the attachments' key", {}}.With(
            "key", "the files were encrypted with key " + key_id + "; the key found is " + key->id +
                       ": put the key kept with this backup in " +
                       attachments::KeyFilePath(attachments_dir).string() +
                       " or MOTCUA_ATTACHMENT_KEY"),
        1);

  // The backup itself first: nothing is written from a backup that fails.
  {
    auto backup = storage::Store::Open("sqlite:" + database.string());
    if (!backup) return ReportError(err, "restore", backup.error(), 1);
    out << "checking the backup\n";
    auto checked = CheckDatabase(**backup,
                                 CheckOptions{.data_dir = (folder / "data").string(),
                                              .office_hours = parsed->Get("office-hours"),
                                              .attachments = true,
                                              .attachments_dir = (folder / "attachments").string(),
                                              .key = *key,
                                              .expected_events = events,
                                              .expected_last_hash = last_hash},
                                 out);
    (*backup)->Close();
    if (!checked) return ReportError(err, "restore", checked.error(), 1);
    if (!checked->intact) {
      out << "the backup in " << folder.string() << " is damaged; nothing was restored\n";
      return 1;
    }
  }

  const std::string url = parsed->Get("db");
  if (auto file = storage::SqliteFileOf(url); file && fs::exists(*file))
    return ReportError(err, "restore",
                       InvalidField("db", *file + " exists: restore into a new file").error(), 1);
  auto data_files = CopyDataFiles(folder / "data", data_dir, {});
  if (!data_files) return ReportError(err, "restore", data_files.error(), 1);
  out << "data folder restored: " << *data_files << " files (the others were there already)\n";
  if (auto file = storage::SqliteFileOf(url)) {
    if (auto copied = storage::BackupSqliteFile(database.string(), *file); !copied) {
      Error e = copied.error();
      if (e.fields.contains("to"))
        e = InvalidField("db", *file + " exists: restore into a new file").error();
      return ReportError(err, "restore", e, 1);
    }
  } else {
    auto backup = storage::Store::Open("sqlite:" + database.string());
    if (!backup) return ReportError(err, "restore", backup.error(), 1);
    auto target = storage::Store::Open(url);
    if (!target) return ReportError(err, "restore", target.error(), 1);
    auto copied = storage::CopyDatabase(**backup, **target);
    (*backup)->Close();
    (*target)->Close();
    if (!copied) return ReportError(err, "restore", copied.error(), 1);
  }
  // Never the PostgreSQL URL: it may carry a password.
  out << "database restored into "
      << (storage::SqliteFileOf(url) ? *storage::SqliteFileOf(url) : "the PostgreSQL database")
      << "\n";

  auto restored = storage::Store::Open(url);
  if (!restored) return ReportError(err, "restore", restored.error(), 1);
  auto copied = CopyAttachmentFiles(**restored, folder / "attachments", attachments_dir, nullptr);
  if (!copied) {
    (*restored)->Close();
    return ReportError(err, "restore", copied.error(), 1);
  }
  out << "attachments restored: " << *copied << " files\n";
  auto summary = CheckDatabase(**restored,
                               CheckOptions{.data_dir = data_dir,
                                            .office_hours = parsed->Get("office-hours"),
                                            .statistics = true,
                                            .attachments = true,
                                            .key = *key,
                                            .expected_events = events,
                                            .expected_last_hash = last_hash},
                               out);
  (*restored)->Close();
  if (!summary) return ReportError(err, "restore", summary.error(), 1);
  if (!summary->intact) {
    out << "the restored province did not verify\n";
    return 1;
  }
  out << "restored and verified: " << summary->events << " events (last hash " << summary->last_hash
      << "), " << summary->dossiers << " dossiers, " << summary->files.files
      << " attachment files\n";
  return 0;
}

}  // namespace motcua::app
