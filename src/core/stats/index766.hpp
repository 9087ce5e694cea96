// The real-time service-quality index of Decision 766/QĐ-TTg (DOMAIN.md
// section 5): five groups of indicators, 100 points. Each indicator's score
// is min(1, rate / threshold) × points, its rate a count over a count that
// motcua keeps (a "measure"). Weights, thresholds, grades and which measure
// feeds which indicator are data (data/statistics/index766.json): the national
// scoring has been reweighted since 2022.
//
// An indicator whose data motcua does not hold (published procedures, sync to
// the national portal, online payment, feedback, ...), or with nothing to
// count in the period, is not available: it is shown as such, never given a
// score. The index then says how many of the 100 points could be measured,
// and a grade is given only when all of them could.
//
// Pure and thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace motcua::stats {

struct Indicator {
  std::string id;
  std::string name;
  std::string name_en;
  double points = 0;
  double threshold = 1;                // the rate that earns all the points, (0, 1]
  std::optional<std::string> measure;  // what motcua counts for it; none: not held
};

struct IndicatorGroup {
  std::string id;
  std::string name;
  std::string name_en;
  std::vector<Indicator> indicators;
  double points() const;
};

struct Grade {
  double min = 0;  // from this score up
  std::string name;
  std::string name_en;
};

struct IndexDefinition {
  std::string name;
  std::string name_en;
  unsigned report_cutoff_day = 15;  // Decree 09's report periods (periods.hpp)
  std::vector<IndicatorGroup> groups;
  std::vector<Grade> grades;  // highest first
};

// Errors: kInvalidArgument naming the field ("groups[1].indicators[0].threshold"):
// malformed JSON, duplicate ids, points that are not positive, a threshold
// outside (0, 1], grades not from the highest down.
[[nodiscard]] Result<IndexDefinition> ParseIndexDefinition(std::string_view json);

// A rate: so many dossiers (or procedures) of so many.
struct Ratio {
  std::int64_t count = 0;
  std::int64_t of = 0;
};
// By measure name ("dossiers_on_time"); a measure missing here is not held.
using Measures = std::map<std::string, Ratio, std::less<>>;

struct IndicatorScore {
  const Indicator* indicator = nullptr;
  std::optional<Ratio> ratio;   // what was counted, when the measure is held
  std::optional<double> score;  // set when available
  // Why not available: "not_held" (motcua has no such data) or "none_counted"
  // (nothing to count in the period).
  std::string unavailable;
};

struct GroupScore {
  const IndicatorGroup* group = nullptr;
  std::vector<IndicatorScore> indicators;
  double score = 0;             // of the available indicators
  double available_points = 0;  // the points those could earn
};

struct IndexScore {
  std::vector<GroupScore> groups;
  double score = 0;
  double available_points = 0;
  double points = 0;           // the definition's total (100)
  std::optional<Grade> grade;  // only when every indicator is available
};

IndexScore Score(const IndexDefinition& definition, const Measures& measures);

}  // namespace motcua::stats
