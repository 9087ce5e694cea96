// A file anyone may send to POST /api/v1/verify ("is this result genuine?")
// through CheckPdfSignature, which ResultService::Check runs on it before
// looking anything up: the last /ByteRange and /Contents read from the raw
// bytes, the CMS signature, the signing time, the chain to the trust list.
// The trust list is the demo CA that signed the seeds (fuzz/data/, made by
// pdf_verify_seeds.cpp), so that the seeds reach the trusted verdict and
// mutations of them every step before it.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string_view>

#include "core/calendar/date.hpp"
#include "documents/signing.hpp"

namespace {

const motcua::documents::TrustList& Trust() {
  static const auto* trust = [] {
    std::ifstream in(MOTCUA_FUZZ_TRUSTED_CA);
    std::stringstream pem;
    pem << in.rdbuf();
    auto list = motcua::documents::TrustList::FromPem(pem.str());
    if (!list) {
      std::fprintf(stderr, "cannot read %s: %s\n", MOTCUA_FUZZ_TRUSTED_CA,
                   list.error().message.c_str());
      std::abort();
    }
    return new motcua::documents::TrustList(std::move(*list));
  }();
  return *trust;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto check = motcua::documents::CheckPdfSignature(
      std::string_view(reinterpret_cast<const char*>(data), size), Trust());
  if (!check) return 0;
  // The answer of POST /api/v1/verify carries the signing time as text
  // (FormatMoment in http/handlers/results.cpp), whatever year /M says.
  (void)motcua::calendar::FormatMoment(check->signed_at);
  return 0;
}
