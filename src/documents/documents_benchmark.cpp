// Receipts (form 01) rendered per second on one core: a counter prints one
// for every dossier it receives, and must never wait for it (issue 6: at
// least 200 per second). The sample of documents/testing.hpp.
//
//   scripts/build.sh -DMOTCUA_BUILD_BENCHMARKS=ON && MOTCUA_SOURCE_DIR=$PWD
//   ./build/src/documents/documents_benchmark
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/calendar/date.hpp"
#include "documents/code128.hpp"
#include "documents/qr.hpp"
#include "documents/receipt.hpp"
#include "documents/signing.hpp"
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
  state.counters["receipts_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["pdf_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Receipt)->Unit(benchmark::kMillisecond);

// A leader signing a result (documents/signing.hpp): the receipt as the
// document, an RSA 2048 key as Vietnamese public CAs issue them. The key and
// the certificates are made once, outside the loop.
void BM_SignResult(benchmark::State& state) {
  Setup& s = Shared();
  const TimePoint now = *calendar::ParseMoment("2026-12-02T14:00+07:00");
  const auto ca = MakeDemoCa("Bench CA", "motcua", now - std::chrono::days(1), 10).value();
  const auto p12 = MakeDemoSigner(ca, "Ngô Quang Huy", "UBND phường Phan Đình Phùng", "x",
                                  now - std::chrono::days(1), 3)
                       .value();
  const auto signer = SigningIdentity::FromPkcs12(p12, "x").value();
  const std::string pdf = RenderReceipt(s.fonts, s.layout, s.data).value();
  const SignOptions options{
      .time = now,
      .reason = "Phê duyệt kết quả",
      .location = "Thái Nguyên",
      .stamp = {.lines = {"Ký bởi: Ngô Quang Huy", "UBND phường Phan Đình Phùng",
                          "Thời gian ký: 02/12/2026 14:00", "Kiểm tra: https://x/verify/abc"},
                .verify_url = "https://x/verify/abcdefghijklmnop"}};
  for (auto _ : state) benchmark::DoNotOptimize(SignPdf(pdf, signer, options, s.fonts).value());
  state.counters["signatures_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SignResult)->Unit(benchmark::kMillisecond);

// Checking a signed file (POST /api/v1/verify): digest and CMS signature.
void BM_CheckSignature(benchmark::State& state) {
  Setup& s = Shared();
  const TimePoint now = *calendar::ParseMoment("2026-12-02T14:00+07:00");
  const auto ca = MakeDemoCa("Bench CA", "motcua", now - std::chrono::days(1), 10).value();
  const auto p12 =
      MakeDemoSigner(ca, "Ngô Quang Huy", "", "x", now - std::chrono::days(1), 3).value();
  const auto signer = SigningIdentity::FromPkcs12(p12, "x").value();
  const auto trust = TrustList::FromPem(ca.cert_pem).value();
  const std::string pdf = SignPdf(RenderReceipt(s.fonts, s.layout, s.data).value(), signer,
                                  SignOptions{.time = now}, s.fonts)
                              .value();
  for (auto _ : state) benchmark::DoNotOptimize(CheckPdfSignature(pdf, trust).value());
  state.counters["checks_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CheckSignature)->Unit(benchmark::kMillisecond);

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
