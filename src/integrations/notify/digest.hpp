// The officers' daily digest (issue 20, section 3): on each working day,
// from 07:00, every officer who asked for it is sent one e-mail with the
// overdue and nearing dossiers of their inbox (the inbox's own rules,
// dossier_service.hpp), none when there are none. An officer's address and
// choice are their own (`PUT /api/v1/account/notifications`); users have no
// e-mail otherwise.
//
// At most one digest per officer and day: its idempotency key is the user
// and the date, so a restart after 07:00 sends only what was not written.
//
// Thread safety: DigestScheduler's Start and Stop from one thread; the
// functions over a Tx as that Tx.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "core/calendar/working_time.hpp"
#include "services/dossiers/dossier_service.hpp"
#include "storage/store.hpp"

namespace motcua::integrations::notify {

struct StaffSettings {
  std::string email;
  bool daily_digest = false;
  std::string language = "vi";
  std::optional<TimePoint> updated_at;  // none: never set
};

Result<StaffSettings> ReadStaffSettings(storage::Tx& tx, std::int64_t user_id);
Status WriteStaffSettings(storage::Tx& tx, std::int64_t user_id, const StaffSettings& s,
                          TimePoint now);

// Writes today's digests (the date of `now` in Vietnam) not yet written;
// returns how many it wrote. Officers without a nearing or overdue dossier,
// disabled accounts and those who did not ask are skipped.
Result<int> EnqueueDigests(storage::Store& store, const dossiers::DossierService& dossiers,
                           TimePoint now, std::string_view public_url);

// Runs EnqueueDigests once a day: on a working day, from 07:00; checked at
// start and every `every`.
class DigestScheduler {
 public:
  DigestScheduler(storage::Store& store, const Clock& clock, const calendar::WorkingCalendar& cal,
                  const dossiers::DossierService& dossiers, std::string public_url,
                  std::function<void()> written, Micros every = std::chrono::minutes(10));
  ~DigestScheduler() { Stop(); }
  void Start();
  void Stop();

 private:
  void Run();
  storage::Store& store_;
  const Clock& clock_;
  const calendar::WorkingCalendar& cal_;
  const dossiers::DossierService& dossiers_;
  std::string public_url_;
  std::function<void()> written_;
  Micros every_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace motcua::integrations::notify
