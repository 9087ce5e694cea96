// Form 01 as a person and a scanner see it: the PDF is read back with
// pdftotext (poppler), its page is rendered with pdftoppm and the codes on it
// are scanned with zbarimg (zbar), all from Debian, none of them ours.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/calendar/date.hpp"
#include "documents/code128.hpp"
#include "documents/control_sheet.hpp"
#include "documents/notice.hpp"
#include "documents/receipt.hpp"
#include "documents/test_tools.hpp"
#include "documents/testing.hpp"

namespace motcua::documents {
namespace {

namespace fs = std::filesystem;
using testing::Shell;
using testing::Source;
using testing::Words;

class ReceiptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = ParseFormLayout(Source("data/documents/forms.json"));
    ASSERT_TRUE(l) << l.error().message;
    layout_ = *l;
    auto f = Fonts::Load(layout_.font_regular, layout_.font_bold);
    ASSERT_TRUE(f) << f.error().message;
    fonts_ = *f;
    dir_ = fs::temp_directory_path() / ("motcua-receipt-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static ReceiptData Sample() { return testing::SampleReceipt(); }

  fs::path Write(const std::string& pdf) {
    fs::path p = dir_ / "receipt.pdf";
    std::ofstream(p, std::ios::binary) << pdf;
    return p;
  }

  // The page count pdfinfo reads.
  static int Pages(const fs::path& pdf) {
    const std::string info = Shell("pdfinfo " + pdf.string());
    const auto at = info.find("Pages:");
    return at == std::string::npos ? -1 : std::atoi(info.c_str() + at + 6);
  }

  std::shared_ptr<const Fonts> fonts_;
  FormLayout layout_;
  fs::path dir_;
};

TEST_F(ReceiptTest, TheTextReadsBackInVietnameseAsWritten) {
  auto pdf = RenderReceipt(fonts_, layout_, Sample());
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
  const std::string text = Words(Shell("pdftotext " + Write(*pdf).string() + " -"));
  for (const char* expected :
       {"ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN", "ỦY BAN NHÂN DÂN PHƯỜNG PHAN ĐÌNH PHÙNG",
        "Bộ phận tiếp nhận và trả kết quả: Phường Phan Đình Phùng",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Thái Nguyên, ngày 02 tháng 12 năm 2026", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Mã hồ sơ: 000.51.00.H55-261202-0007", "Tiếp nhận hồ sơ của: Nguyễn Thị Ánh Tuyết",
        "Nội dung yêu cầu giải quyết: Đăng ký kết hôn có yếu tố nước ngoài",
        "Tờ khai đăng ký kết hôn", "Hộ chiếu của người nước ngoài",
        "2. Thời gian giải quyết hồ sơ theo quy định: 10 ngày làm việc",
        "3. Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 02/12/2026",
        "4. Thời gian trả kết quả giải quyết hồ sơ: 08 giờ 30 phút, ngày 16/12/2026",
        "Mã tra cứu: K7QX2M9P", "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Trần Văn Bình"}) {
    EXPECT_NE(text.find(expected), std::string::npos)
        << "missing: " << expected << "\nin: " << text;
  }
  // Every glyph came from the font: no replacement box anywhere.
  EXPECT_EQ(text.find("\xEF\xBF\xBD"), std::string::npos);
  // The fonts are embedded subsets, not the whole files.
  const std::string fonts = Shell("pdffonts " + Write(*pdf).string());
  EXPECT_NE(fonts.find("NotoSans-Regular"), std::string::npos) << fonts;
  EXPECT_NE(fonts.find("NotoSans-Bold"), std::string::npos) << fonts;
  EXPECT_EQ(fonts.find(" no  "), std::string::npos) << "a font is not embedded:\n" << fonts;
  // Light for a phone on 3G: the fonts' subsets go without their hinting.
  EXPECT_LT(pdf->size(), 32u * 1024) << "a receipt should be light";
}

TEST_F(ReceiptTest, AScannerReadsTheNumberFromTheBarcodeAndTheLookupFromTheQrCode) {
  auto pdf = RenderReceipt(fonts_, layout_, Sample());
  ASSERT_TRUE(pdf) << pdf.error().message;
  const fs::path file = Write(*pdf);
  // At 200 dpi, as an office scanner or a phone's camera would see it; kept
  // as a test artifact.
  const fs::path artifacts =
      fs::path(std::getenv("MOTCUA_SOURCE_DIR") ? std::getenv("MOTCUA_SOURCE_DIR") : ".") /
      "tests" / "artifacts" / "documents";
  fs::create_directories(artifacts);
  Shell("pdftoppm -r 200 -png -singlefile " + file.string() + " " +
        (artifacts / "receipt").string());
  ASSERT_TRUE(fs::exists(artifacts / "receipt.png"));
  const std::string scanned =
      Shell("zbarimg --quiet " + (artifacts / "receipt.png").string() + " 2>/dev/null");
  EXPECT_NE(scanned.find("CODE-128:000.51.00.H55-261202-0007\n"), std::string::npos) << scanned;
  EXPECT_NE(scanned.find("QR-Code:https://dichvucong.thainguyen.gov.vn/"
                         "tra-cuu?so=000.51.00.H55-261202-0007&ma=K7QX2M9P\n"),
            std::string::npos)
      << scanned;
}

TEST_F(ReceiptTest, BeforeAcceptanceTheAppointmentIsPromisedNotInvented) {
  ReceiptData d = Sample();
  d.due_at.reset();
  d.officer_name.clear();
  auto pdf = RenderReceipt(fonts_, layout_, d);
  ASSERT_TRUE(pdf) << pdf.error().message;
  const std::string text = Words(Shell("pdftotext " + Write(*pdf).string() + " -"));
  EXPECT_NE(
      text.find(
          "4. Thời gian trả kết quả giải quyết hồ sơ: sẽ báo khi hồ sơ được tiếp nhận đủ, đúng"),
      std::string::npos)
      << text;
}

TEST_F(ReceiptTest, TheControlSheetListsEveryHandOverAndGoesOnToANewPageWhenLong) {
  ControlSheetData d;
  d.parent_agency = "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN";
  d.agency = "ỦY BAN NHÂN DÂN PHƯỜNG PHAN ĐÌNH PHÙNG";
  d.number = "000.51.00.H55-261202-0007";
  d.applicant_name = "Nguyễn Thị Ánh Tuyết";
  d.procedure_name = "Đăng ký kết hôn có yếu tố nước ngoài";
  d.printed_at = *calendar::ParseMoment("2026-12-04T10:00+07:00");
  const TimePoint t0 = *calendar::ParseMoment("2026-12-02T08:30+07:00");
  d.rows.push_back({"Mới tiếp nhận", "Phường Phan Đình Phùng", "", t0, std::nullopt,
                    t0 + std::chrono::minutes(30), ""});
  d.rows.push_back({"Đang thẩm định", "Phường Phan Đình Phùng", "Trần Văn Bình",
                    t0 + std::chrono::minutes(30), t0 + std::chrono::hours(24),
                    t0 + std::chrono::hours(5), "early"});
  d.rows.push_back({"Chờ lãnh đạo phê duyệt", "Phường Phan Đình Phùng", "Lê Thị Cúc",
                    t0 + std::chrono::hours(5), t0 + std::chrono::hours(8), std::nullopt, ""});
  auto pdf = RenderControlSheet(fonts_, layout_, d);
  ASSERT_TRUE(pdf) << pdf.error().message;
  const std::string text = Words(Shell("pdftotext " + Write(*pdf).string() + " -"));
  for (const char* expected :
       {"PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Mã hồ sơ: 000.51.00.H55-261202-0007",
        "Kèm theo hồ sơ của: Nguyễn Thị Ánh Tuyết", "1. Mới tiếp nhận", "2. Đang thẩm định",
        "Trước hạn", "Trần Văn Bình", "3. Chờ lãnh đạo phê duyệt", "đang xử lý",
        "Nhận: 02/12/2026 08:30", "Hoàn thành: 02/12/2026 13:30"}) {
    EXPECT_NE(text.find(expected), std::string::npos)
        << "missing: " << expected << "\nin: " << text;
  }
  EXPECT_EQ(Pages(Write(*pdf)), 1);
  // Forty hand-overs do not fit on a page: they go on, with the header again.
  for (int i = 0; i < 37; ++i) d.rows.push_back(d.rows[1]);
  auto long_pdf = RenderControlSheet(fonts_, layout_, d);
  ASSERT_TRUE(long_pdf);
  EXPECT_EQ(Pages(Write(*long_pdf)), 3);
  const std::string long_text = Words(Shell("pdftotext " + Write(*long_pdf).string() + " -"));
  EXPECT_NE(long_text.find("40. Đang thẩm định"), std::string::npos);
}

TEST_F(ReceiptTest, ARequestForSupplementsNamesEverythingMissingAndWhoAsked) {
  NoticeData d;
  d.kind = NoticeKind::kSupplement;
  d.parent_agency = "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN";
  d.agency = "ỦY BAN NHÂN DÂN PHƯỜNG PHAN ĐÌNH PHÙNG";
  d.unit_name = "Phường Phan Đình Phùng";
  d.number = "000.51.00.H55-261202-0007";
  d.applicant_name = "Nguyễn Thị Ánh Tuyết";
  d.procedure_name = "Đăng ký kết hôn có yếu tố nước ngoài";
  d.received_at = *calendar::ParseMoment("2026-12-02T08:30+07:00");
  d.decided_at = *calendar::ParseMoment("2026-12-03T10:00+07:00");
  d.items = {"Bản sao hộ chiếu có chứng thực", "Giấy xác nhận tình trạng hôn nhân còn hạn"};
  d.reason = "Thiếu giấy tờ theo quy định";
  d.signer = "Lê Thị Cúc";
  auto pdf = RenderNotice(fonts_, layout_, d);
  ASSERT_TRUE(pdf) << pdf.error().message;
  const std::string text = Words(Shell("pdftotext " + Write(*pdf).string() + " -"));
  for (const char* expected :
       {"Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Thái Nguyên, ngày 03 tháng 12 năm 2026", "Kính gửi: Nguyễn Thị Ánh Tuyết",
        "lúc 08 giờ 30 phút, ngày 02/12/2026", "1. Bản sao hộ chiếu có chứng thực",
        "2. Giấy xác nhận tình trạng hôn nhân còn hạn", "Lý do: Thiếu giấy tờ theo quy định",
        "Lê Thị Cúc"}) {
    EXPECT_NE(text.find(expected), std::string::npos)
        << "missing: " << expected << "\nin: " << text;
  }
  // An apology carries its new appointment.
  d.kind = NoticeKind::kApology;
  d.items.clear();
  d.new_due_at = *calendar::ParseMoment("2026-12-20T16:00+07:00");
  auto apology = RenderNotice(fonts_, layout_, d);
  ASSERT_TRUE(apology);
  const std::string sorry = Words(Shell("pdftotext " + Write(*apology).string() + " -"));
  EXPECT_NE(sorry.find("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"), std::string::npos) << sorry;
  EXPECT_NE(sorry.find("Ngày hẹn trả kết quả mới: 16 giờ 00 phút, ngày 20/12/2026"),
            std::string::npos)
      << sorry;
  EXPECT_EQ(ParseNoticeKind("03"), NoticeKind::kRefusal);
  EXPECT_FALSE(ParseNoticeKind("06"));
}

TEST(Code128Test, SymbolsAreElevenModulesAndTheCheckSymbolIsTheWeightedSum) {
  auto bars = Code128B("PJJ123C");
  ASSERT_TRUE(bars);
  // Start B, 7 characters, the check symbol: 9 symbols of 6 elements, then stop's 7.
  ASSERT_EQ(bars->size(), 9u * 6 + 7);
  int modules = 0;
  for (int w : *bars) modules += w;
  EXPECT_EQ(modules, 9 * 11 + 13);
  // (104 + 48*1 + 42*2 + 42*3 + 17*4 + 18*5 + 19*6 + 35*7) % 103 = 55: "311321".
  std::string check;
  for (std::size_t i = 8 * 6; i < 9 * 6; ++i) check += static_cast<char>('0' + (*bars)[i]);
  EXPECT_EQ(check, "311321");
  EXPECT_FALSE(Code128B(""));
  EXPECT_FALSE(Code128B("Số"));  // not ASCII
}

TEST(FormLayoutTest, AgenciesAreNamedInCapitalsWithTheirVietnameseLetters) {
  EXPECT_EQ(VietnameseUpper(
                "Phường Phan Đình Phùng, xã Ba Bể, Sở Tư pháp; ạ ả ấ ầ ẩ ẫ ậ ắ ằ ẳ ẵ ặ ẹ ẻ ẽ ế ề ể "
                "ễ ệ ỉ ị ọ ỏ ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ ụ ủ ứ ừ ử ữ ự ỳ ỵ ỷ ỹ ă â đ ê ô ơ ư ĩ ũ"),
            "PHƯỜNG PHAN ĐÌNH PHÙNG, XÃ BA BỂ, SỞ TƯ PHÁP; Ạ Ả Ấ Ầ Ẩ Ẫ Ậ Ắ Ằ Ẳ Ẵ Ặ Ẹ Ẻ Ẽ Ế Ề Ể Ễ Ệ "
            "Ỉ Ị Ọ Ỏ Ố Ồ Ổ Ỗ Ộ Ớ Ờ Ở Ỡ Ợ Ụ Ủ Ứ Ừ Ử Ữ Ự Ỳ Ỵ Ỷ Ỹ Ă Â Đ Ê Ô Ơ Ư Ĩ Ũ");
  FormLayout l;
  l.agencies = {{"commune", "ỦY BAN NHÂN DÂN {NAME}"}};
  EXPECT_EQ(l.AgencyOf("commune", "Phường Gia Sàng"), "ỦY BAN NHÂN DÂN PHƯỜNG GIA SÀNG");
  EXPECT_EQ(l.AgencyOf("department", "Sở Tư pháp"), "SỞ TƯ PHÁP");
}

TEST(FormLayoutTest, AMissingWordIsNamed) {
  auto bad = ParseFormLayout(R"({"place": "Thái Nguyên", "nation": "", "words": {"title": 3}})");
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().fields.contains("fonts"));
  EXPECT_TRUE(bad.error().fields.contains("nation"));
  EXPECT_TRUE(bad.error().fields.contains("motto"));
  EXPECT_TRUE(bad.error().fields.contains("words.title"));
}

}  // namespace
}  // namespace motcua::documents
