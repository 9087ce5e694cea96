// A JSON import of procedures (POST /api/v1/procedures/import, the demo
// catalogue) through ParseJsonImport and PlanImport, against an empty
// catalogue and against one holding the import's own first entry (so that
// both new procedures and new versions of known ones are planned).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/catalog/catalog.hpp"
#include "core/catalog/import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace catalog = motcua::catalog;
  auto entries =
      catalog::ParseJsonImport(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!entries) return 0;
  (void)catalog::PlanImport(catalog::Catalog(), *entries);
  if (!entries->empty()) {
    catalog::Procedure stored = entries->front().procedure;
    stored.id = 1;
    stored.version = 1;
    catalog::Catalog existing({stored});
    (void)catalog::PlanImport(existing, *entries, /*skip_existing=*/false);
    (void)catalog::PlanImport(existing, *entries, /*skip_existing=*/true);
  }
  return 0;
}
