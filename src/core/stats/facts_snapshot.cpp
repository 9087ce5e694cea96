#include "core/stats/facts_snapshot.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>

#include "core/files/base64.hpp"

namespace motcua::stats {
namespace {

using calendar::Date;

constexpr std::string_view kCodesMagic = "MSC1";
// MSF2: the flags byte gained kSynced (issue 20); an MSF1 part is of
// another kind (its basis differs too, so it is never read).
constexpr std::string_view kFactsMagic = "MSF2";
const Date kEpoch = std::chrono::sys_days{std::chrono::year{2000} / 1 / 1};

enum Flag : std::uint8_t {
  kEligible = 1,
  kDigitised = 2,
  kElectronic = 4,
  kSatisfied = 8,
  kAccepted = 16,
  kSynced = 32,
  kAllFlags = 63,
};

void PutVarint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

void PutZigzag(std::string& out, std::int64_t v) {
  PutVarint(out, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}

std::int64_t DayNumber(Date d) { return (d - kEpoch).count(); }

// Reads one part's bytes, remembering the first problem.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool ok() const { return ok_; }
  bool done() const { return at_ == bytes_.size(); }

  std::uint64_t Varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at_ >= bytes_.size()) return Bad();
      const auto byte = static_cast<std::uint8_t>(bytes_[at_++]);
      v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return v;
    }
    return Bad();
  }
  std::int64_t Zigzag() {
    const std::uint64_t v = Varint();
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
  }
  std::uint8_t Byte() {
    if (at_ >= bytes_.size()) return static_cast<std::uint8_t>(Bad());
    return static_cast<std::uint8_t>(bytes_[at_++]);
  }
  std::string_view Bytes(std::uint64_t n) {
    if (n > bytes_.size() - at_) {
      Bad();
      return {};
    }
    auto out = bytes_.substr(at_, n);
    at_ += n;
    return out;
  }
  // A number no larger than `max`, or a failure.
  std::uint64_t Bounded(std::uint64_t max) {
    const std::uint64_t v = Varint();
    if (v > max) return Bad();
    return v;
  }

 private:
  std::uint64_t Bad() {
    ok_ = false;
    at_ = bytes_.size();
    return 0;
  }
  std::string_view bytes_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

Error PartError(std::size_t part, std::string_view what) {
  return Error{Code::kInvalidArgument,
               "statistics snapshot part " + std::to_string(part) + ": " + std::string(what),
               {}};
}

// A day `offset` days from `base` (days since 2000), if it is one the
// calendar code can hold (1900..2200).
std::optional<Date> DayAt(std::int64_t base, std::int64_t offset) {
  constexpr std::int64_t kLow = -36'600, kHigh = 73'200;
  if (base < kLow || base > kHigh || offset < kLow - kHigh || offset > kHigh - kLow)
    return std::nullopt;
  const std::int64_t n = base + offset;
  if (n < kLow || n > kHigh) return std::nullopt;
  return kEpoch + std::chrono::days(n);
}

}  // namespace

std::vector<std::string> EncodeFacts(const FactsTable& facts,
                                     const std::vector<std::string>& codes) {
  std::vector<std::string> parts;
  std::string bytes(kCodesMagic);
  PutVarint(bytes, codes.size());
  for (const auto& code : codes) {
    PutVarint(bytes, code.size());
    bytes += code;
  }
  parts.push_back(files::EncodeBase64(bytes));

  std::string records;
  std::size_t in_part = 0;
  std::int64_t previous = 0;
  auto finish = [&] {
    std::string part(kFactsMagic);
    PutVarint(part, in_part);
    part += records;
    parts.push_back(files::EncodeBase64(part));
    records.clear();
    in_part = 0;
    previous = 0;
  };
  facts.ForEach([&](std::int64_t id, const DossierFacts& f) {
    PutVarint(records, static_cast<std::uint64_t>(id - previous));
    previous = id;
    PutVarint(records, static_cast<std::uint64_t>(f.unit));
    PutVarint(records, static_cast<std::uint64_t>(f.procedure));
    records += static_cast<char>(f.channel);
    records += static_cast<char>(f.outcome);
    records +=
        static_cast<char>((f.online_eligible ? kEligible : 0) | (f.digitised ? kDigitised : 0) |
                          (f.electronic_result ? kElectronic : 0) | (f.satisfied ? kSatisfied : 0) |
                          (f.accepted ? kAccepted : 0) | (f.synced ? kSynced : 0));
    const std::int64_t received = DayNumber(f.received);
    PutZigzag(records, received);
    const std::array<const std::optional<Date>*, 5> days = {&f.due, &f.decided, &f.returned,
                                                            &f.withdrawn, &f.rated};
    std::uint8_t mask = 0;
    for (std::size_t i = 0; i < days.size(); ++i)
      if (days[i]->has_value()) mask |= static_cast<std::uint8_t>(1u << i);
    records += static_cast<char>(mask);
    for (const auto* day : days)
      if (day->has_value()) PutZigzag(records, DayNumber(**day) - received);
    PutVarint(records, static_cast<std::uint64_t>(f.working_seconds));
    if (++in_part == kRecordsPerPart) finish();
  });
  if (in_part > 0) finish();
  return parts;
}

Status DecodeFacts(const std::vector<std::string>& parts, std::vector<std::string>& codes,
                   const std::function<void(std::int64_t, const DossierFacts&)>& each) {
  if (parts.empty()) return Fail(PartError(0, "missing"));
  for (std::size_t p = 0; p < parts.size(); ++p)
    MOTCUA_TRY_VOID(DecodeFactsPart(p, parts[p], codes, each));
  return {};
}

Status DecodeFactsPart(std::size_t p, std::string_view part, std::vector<std::string>& codes,
                       const std::function<void(std::int64_t, const DossierFacts&)>& each) {
  if (p == 0) codes.clear();
  auto bytes = files::DecodeBase64(part);
  if (!bytes) return Fail(PartError(p, "not base64"));
  Reader in(*bytes);
  const auto magic = in.Bytes(4);
  if (magic != (p == 0 ? kCodesMagic : kFactsMagic))
    return Fail(PartError(p, "not a part of this kind"));
  if (p == 0) {
    const std::uint64_t n = in.Bounded(std::numeric_limits<std::int32_t>::max());
    for (std::uint64_t i = 0; i < n && in.ok(); ++i) codes.emplace_back(in.Bytes(in.Bounded(1024)));
  } else {
    const std::uint64_t n = in.Bounded(kRecordsPerPart);
    std::int64_t id = 0;
    for (std::uint64_t i = 0; i < n && in.ok(); ++i) {
      const std::uint64_t delta = in.Bounded(std::uint64_t{1} << 40);
      if (in.ok() && delta == 0 && i > 0) return Fail(PartError(p, "ids not ascending"));
      id += static_cast<std::int64_t>(delta);
      DossierFacts f;
      f.unit = static_cast<std::int64_t>(in.Bounded(std::numeric_limits<std::int64_t>::max()));
      const std::uint64_t procedure = in.Varint();
      if (in.ok() && procedure >= codes.size())
        return Fail(PartError(p, "a procedure number without a code"));
      f.procedure = static_cast<std::int32_t>(procedure);
      f.channel = in.Byte();
      const std::uint8_t outcome = in.Byte();
      const std::uint8_t flags = in.Byte();
      if (in.ok() && (f.channel < 1 || f.channel > 3 || outcome > 3 || flags > kAllFlags))
        return Fail(PartError(p, "a channel, outcome or flag out of range"));
      f.outcome = static_cast<Outcome>(outcome);
      f.online_eligible = (flags & kEligible) != 0;
      f.digitised = (flags & kDigitised) != 0;
      f.electronic_result = (flags & kElectronic) != 0;
      f.satisfied = (flags & kSatisfied) != 0;
      f.accepted = (flags & kAccepted) != 0;
      f.synced = (flags & kSynced) != 0;
      const std::int64_t received = in.Zigzag();
      const std::uint8_t mask = in.Byte();
      if (!in.ok()) break;
      auto day = DayAt(received, 0);
      if (!day || mask > 31) return Fail(PartError(p, "a day out of range"));
      f.received = *day;
      const std::array<std::optional<Date>*, 5> days = {&f.due, &f.decided, &f.returned,
                                                        &f.withdrawn, &f.rated};
      for (std::size_t d = 0; d < days.size(); ++d) {
        if ((mask & (1u << d)) == 0) continue;
        auto at = DayAt(received, in.Zigzag());
        if (!in.ok()) break;
        if (!at) return Fail(PartError(p, "a day out of range"));
        *days[d] = *at;
      }
      f.working_seconds = static_cast<std::int64_t>(
          in.Bounded(static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())));
      if (!in.ok()) break;
      each(id, f);
    }
  }
  if (!in.ok()) return Fail(PartError(p, "cut short"));
  if (!in.done()) return Fail(PartError(p, "bytes after its end"));
  return {};
}

}  // namespace motcua::stats
