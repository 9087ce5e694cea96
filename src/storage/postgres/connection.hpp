// A PostgreSQL connection (libpq) and the Tx that runs statements on it.
// Private to the PostgreSQL backend.
//
// Statements are prepared once per connection (at most kMaxPrepared, then
// the cache starts again). The writer's connection is pipelined (libpq's
// pipeline mode): a savepoint, a release and the statements a callback sends
// with Tx::Send go out without waiting, and are answered together with the
// next statement that is waited for (Settle); the first error among them is
// that statement's. Parameters go as text with their types (bigint, double precision, or
// left for the server to infer for text and NULL); results come back as text
// and are turned into Values by column type: integers (smallint, integer,
// bigint, oid) as INTEGER, real, double precision and numeric as REAL,
// boolean as 0 or 1, anything else as TEXT.
//
// Thread safety: none; one thread at a time.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.hpp"
#include "storage/internal/batching_store.hpp"
#include "storage/store.hpp"

namespace motcua::storage::internal {

class PgTx;

class PgConnection final : public EngineConnection {
 public:
  // Connects to `url` (postgresql://user:password@host:port/database?...).
  // Errors: kUnavailable with libpq's reason (never the password).
  // `pipelined`: the writer's connection (see above).
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& url, bool pipelined = false);
  ~PgConnection() override;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Status Control(std::string_view sql, std::string_view what) override;
  Status ControlLater(std::string_view sql, std::string_view what) override;
  Status Settle() override;
  void Flush() override;
  bool InTransaction() const override;
  void RollbackQuietly() override;
  Status RunScript(std::string_view sql) override;
  Tx& tx(bool writable) override;
  bool Broken() override;
  // PQreset: the same parameters, a new session (its prepared statements
  // and settings are made again).
  Status Reconnect() override;

  // One statement with $1..$n parameters (n == params.size(), each used).
  // Rows are collected only if `rows` is not null; returns the rows changed.
  Result<std::int64_t> Run(std::string_view sql, const Params& params, Rows* rows);
  // Tx::Send: pipelined, queued without waiting; otherwise run at once.
  Status Send(std::string_view sql, const Params& params, Tx::Expect expect);
  bool pipelined() const { return pipelined_; }

 private:
  PgConnection(PGconn* conn, bool pipelined);

  // A statement sent on the pipeline and not yet answered.
  struct Pending {
    std::string_view what;            // names it in errors: "statement", "COMMIT"...
    Rows* rows = nullptr;             // where its rows go, if wanted
    std::int64_t* changed = nullptr;  // where its count of changed rows goes, if wanted
    Tx::Expect expect;
    std::string prepared;  // a PREPARE: the SQL whose cached name to drop if it fails
  };
  // The parameters as libpq takes them (text, with the types of numbers).
  struct Bound {
    std::vector<std::string> texts;
    std::vector<const char*> values;
    std::vector<Oid> types;
  };
  static Result<Bound> Bind(std::string_view sql, const Params& params);
  // The name `sql` is prepared under, preparing it first (pipelined: the
  // PREPARE is queued before the statement).
  Result<std::string> PreparedName(std::string_view sql, const Bound& bound);
  // Queues a statement (pipelined only).
  Status Queue(std::string_view sql, const Params& params, Pending pending);
  // Queues parameterless statements separated by ';' (pipelined only).
  Status QueueControl(std::string_view sql, std::string_view what);
  void EnterPipeline();
  // Marks the connection lost (kUnavailable): a send failed or the answers
  // stopped short.
  std::unexpected<Error> Lost();
  // Settles, then leaves pipeline mode, for what only works outside it
  // (PQexec of a script of several statements).
  Status LeavePipeline();

  // Lets the cache be searched with a string_view, without a copy.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Drops every prepared statement (after a migration changed the tables
  // they were planned for, or when the cache is full).
  void ForgetPrepared();

  PGconn* conn_;
  std::unique_ptr<PgTx> write_tx_, read_tx_;
  // Statements prepared on this connection, by SQL text: parsed and planned
  // once, then executed by name.
  std::unordered_map<std::string, std::string, SqlHash, std::equal_to<>> prepared_;
  std::uint64_t next_name_ = 0;
  bool pipelined_;
  std::vector<Pending> pending_;
  bool release_failed_ = false;  // since BEGIN: COMMIT is refused
  bool lost_ = false;            // the pipeline's answers stopped: reconnect
  bool synced_ = false;          // Flush sent the Sync of what is pending
};

class PgTx final : public Tx {
 public:
  PgTx(PgConnection& conn, bool writable) : conn_(conn), writable_(writable) {}
  Result<Rows> Query(std::string_view sql, const Params& params) override;
  Result<std::int64_t> Exec(std::string_view sql, const Params& params) override;
  Status Send(std::string_view sql, const Params& params, Expect expect) override;
  bool writable() const override { return writable_; }

 private:
  PgConnection& conn_;
  bool writable_;
};

// Maps a failed result (or, with none, the connection's state) to an Error:
// kAlreadyExists for a unique violation (23505), kFailedPrecondition for other
// integrity violations (class 23), kUnavailable when the server cannot be
// reached (class 08, 57P01-57P03, a broken connection), kInternal otherwise.
Error PgError(PGconn* conn, const PGresult* result, std::string_view what);

}  // namespace motcua::storage::internal
