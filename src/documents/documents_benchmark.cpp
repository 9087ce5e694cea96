// Receipts (form 01) rendered per second on one core: a counter prints one
// for every dossier it receives, and must never wait for it (issue 6: at
// least 200 per second). The sample of documents/testing.hpp.
//
//   scripts/build.sh -DMOTCUA_BUILD_BENCHMARKS=ON && MOTCUA_SOURCE_DIR=$PWD ./build/src/documents/documents_benchmark
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/calendar/date.hpp"
#include "documents/code128.hpp"
#include "documents/qr.hpp"
#include "documents/receipt.hpp"
#include "documents/testing.hpp"

namespace motcua::documents {
namespace {

struct Setup {
  FormLayout layout;
  std::shared_ptr<const Fonts> fonts;
  ReceiptData data;
  Setup() {
    const char* root = std::getenv("MOTCUA_SOURCE_DIR");
    std::ifstream in(std::string(root ? root : ".") + "/data/documents/forms.json");
    std::ostringstream text;
    text << in.rdbuf();
    layout = ParseFormLayout(text.str()).value();
    fonts = Fonts::Load(layout.font_regular, layout.font_bold).value();
    data = testing::SampleReceipt();
  }
};

Setup& Shared() {
  static Setup s;
  return s;
}

void BM_Receipt(benchmark::State& state) {
  Setup& s = Shared();
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto pdf = RenderReceipt(s.fonts, s.layout, s.data);
    bytes = pdf->size();
    benchmark::DoNotOptimize(pdf);
  }
  state.counters["receipts_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["pdf_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Receipt)->Unit(benchmark::kMillisecond);

// The parts, to see where the time goes.
void BM_QrCode(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(MakeQr(Shared().data.lookup_url));
}
BENCHMARK(BM_QrCode)->Unit(benchmark::kMicrosecond);

void BM_Code128(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(Code128B(Shared().data.number));
}
BENCHMARK(BM_Code128)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace motcua::documents
