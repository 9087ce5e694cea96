// Makes the pdf_verify fuzzer's seeds (not built by default; see
// fuzz/README.md): a demo CA (fuzz/data/pdf_verify_ca.pem, the fuzzer's
// trust list) and a small PDF signed by a signer it issued, as SignPdf
// writes them.
//
//   pdf_verify_seeds FORMS_JSON OUT_CA_PEM OUT_DIR
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "core/calendar/date.hpp"
#include "documents/pdf.hpp"
#include "documents/receipt.hpp"
#include "documents/signing.hpp"

namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void Write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// One empty page: the smallest file qpdf reads without repairing it.
std::string OnePage() {
  std::string body = "%PDF-1.7\n";
  std::string xref;
  auto object = [&](const std::string& text) {
    char offset[32];
    std::snprintf(offset, sizeof offset, "%010zu 00000 n \n", body.size());
    xref += offset;
    body += text;
  };
  object("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
  object("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
  object("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n");
  const std::size_t at = body.size();
  body += "xref\n0 4\n0000000000 65535 f \n" + xref;
  body += "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n" + std::to_string(at) + "\n%%EOF\n";
  return body;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace motcua;
  if (argc != 4) {
    std::fprintf(stderr, "usage: pdf_verify_seeds FORMS_JSON OUT_CA_PEM OUT_DIR\n");
    return 2;
  }
  auto fail = [](const Error& e) {
    std::fprintf(stderr, "pdf_verify_seeds: %s\n", e.message.c_str());
    return 1;
  };
  const TimePoint issued = *calendar::ParseMoment("2026-01-05T08:00+07:00");
  auto layout = documents::ParseFormLayout(Read(argv[1]));
  if (!layout) return fail(layout.error());
  auto fonts = documents::Fonts::Load(layout->font_regular, layout->font_bold);
  if (!fonts) return fail(fonts.error());
  auto ca = documents::MakeDemoCa("motcua Fuzz CA", "motcua", issued, 30);
  if (!ca) return fail(ca.error());
  auto p12 = documents::MakeDemoSigner(*ca, "Người Ký", "motcua", "fuzz", issued, 30);
  if (!p12) return fail(p12.error());
  auto signer = documents::SigningIdentity::FromPkcs12(*p12, "fuzz");
  if (!signer) return fail(signer.error());
  documents::SignOptions options{.time = *calendar::ParseMoment("2026-12-02T14:35:20+07:00"),
                                 .reason = "fuzz",
                                 .location = "motcua",
                                 .stamp = {.lines = {"Ký"}, .verify_url = "https://x/v/1"}};
  auto pdf = documents::SignPdf(OnePage(), *signer, options, *fonts);
  if (!pdf) return fail(pdf.error());
  Write(argv[2], ca->cert_pem);
  const std::string dir = argv[3];
  Write(dir + "/signed.pdf", *pdf);
  return 0;
}
