// Test helpers: a valid procedure to vary, and the demo catalogue.
// Header-only and used by tests only.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/catalog/import.hpp"
#include "core/catalog/procedure.hpp"

namespace motcua::catalog::testing {

inline Date D(const char* text) { return *units::ParseDate(text); }

inline std::string ReadSourceFile(const std::string& relative) {
  const char* root = std::getenv("MOTCUA_SOURCE_DIR");
  std::ifstream in(std::string(root ? root : ".") + "/" + relative, std::ios::binary);
  EXPECT_TRUE(in) << "missing file " << relative;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A valid published procedure handled by communes from 2025-07-01.
inline Procedure MakeProcedure(std::string code, std::string name, std::string field = "Hộ tịch") {
  Procedure p;
  p.code = std::move(code);
  p.name = std::move(name);
  p.field = std::move(field);
  p.levels = {Level::kCommune};
  p.online_mode = OnlineMode::kFull;
  p.time_limit = {3, TimeUnit::kWorkingDays};
  p.fees = {{"Lệ phí", 15000}};
  p.components = {{"TP1", "Tờ khai", 1, 0, true, "to_khai.docx"}};
  p.result_kind = ResultKind::kCertificate;
  p.workflow_code = "commune-simple";
  p.effective_from = D("2025-07-01");
  return p;
}

// Every entry of data/demo/procedures.json, in file order (both versions of
// a code included).
inline std::vector<Procedure> DemoEntries() {
  auto entries = ParseJsonImport(ReadSourceFile("data/demo/procedures.json"));
  EXPECT_TRUE(entries) << entries.error().message;
  std::vector<Procedure> out;
  if (entries) {
    for (ImportEntry& e : *entries) out.push_back(std::move(e.procedure));
  }
  return out;
}

}  // namespace motcua::catalog::testing
