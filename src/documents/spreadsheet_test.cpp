// Spreadsheets read back as Excel and LibreOffice would: the CSV's header,
// quoting and Vietnamese text; the XLSX unzipped, its strings, numbers and
// merged group headers.
#include "documents/spreadsheet.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "documents/test_tools.hpp"

namespace motcua::documents {
namespace {

using testing::Shell;

Table Sample() {
  Table t;
  t.sheet = "Bao cao";
  t.title = {"BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", "Đơn vị: Xã Ba Bể"};
  t.groups = {{"STT", 1}, {"Lĩnh vực", 1}, {"Số hồ sơ đã giải quyết", 3}};
  t.columns = {"STT", "Lĩnh vực", "Tổng số", "Trước hạn", "Quá hạn"};
  t.rows = {{std::int64_t{1}, std::string("Hộ tịch"), std::int64_t{1234567}, std::int64_t{1200000},
             std::int64_t{34567}},
            {std::int64_t{2}, std::string("Đất đai, \"sổ đỏ\""), std::int64_t{5}, std::int64_t{3},
             std::int64_t{2}},
            {std::string(), std::string("Tổng cộng"), std::int64_t{1234572}, std::int64_t{1200003},
             std::int64_t{34569}}};
  t.last_row_is_total = true;
  t.notes = {"Lập bởi motcua."};
  return t;
}

TEST(SpreadsheetTest, CsvHasOneHeaderRowAndQuotesWhatNeedsIt) {
  const std::string csv = WriteCsv(Sample());
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");  // Excel reads UTF-8 with a BOM
  EXPECT_EQ(csv.substr(3),
            "STT,Lĩnh vực,Số hồ sơ đã giải quyết: Tổng số,Số hồ sơ đã giải quyết: Trước hạn,"
            "Số hồ sơ đã giải quyết: Quá hạn\r\n"
            "1,Hộ tịch,1234567,1200000,34567\r\n"
            "2,\"Đất đai, \"\"sổ đỏ\"\"\",5,3,2\r\n"
            ",Tổng cộng,1234572,1200003,34569\r\n");
}

TEST(SpreadsheetTest, XlsxOpensWithItsTextNumbersAndMergedGroups) {
  auto bytes = WriteXlsx(Sample());
  ASSERT_TRUE(bytes) << bytes.error().message;
  const auto path = std::filesystem::temp_directory_path() /
                    ("motcua-sheet-" + std::to_string(::getpid()) + ".xlsx");
  std::ofstream(path, std::ios::binary) << *bytes;
  EXPECT_NE(Shell("unzip -t " + path.string()).find("No errors detected"), std::string::npos);
  const std::string strings = Shell("unzip -p " + path.string() + " xl/sharedStrings.xml");
  for (const char* s : {"BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
                        "Đơn vị: Xã Ba Bể", "Hộ tịch", "Đất đai, \"sổ đỏ\"",
                        "Số hồ sơ đã giải quyết", "Trước hạn", "Tổng cộng", "Lập bởi motcua."})
    EXPECT_NE(strings.find(s), std::string::npos) << s << " in " << strings;
  const std::string sheet = Shell("unzip -p " + path.string() + " xl/worksheets/sheet1.xml");
  // Numbers are numbers: the first row's total, under the header (rows 4 and 5 after two title
  // lines and a blank).
  EXPECT_NE(sheet.find("<c r=\"C6\" s=\""), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<v>1234567</v>"), std::string::npos);
  // The group spans its three columns; STT and Lĩnh vực span both header rows.
  EXPECT_NE(sheet.find("<mergeCell ref=\"C4:E4\"/>"), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<mergeCell ref=\"A4:A5\"/>"), std::string::npos);
  EXPECT_NE(sheet.find("<mergeCell ref=\"B4:B5\"/>"), std::string::npos);
  const std::string book = Shell("unzip -p " + path.string() + " xl/workbook.xml");
  EXPECT_NE(book.find("name=\"Bao cao\""), std::string::npos) << book;
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace motcua::documents
