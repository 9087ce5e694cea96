#include "core/files/content_type.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace motcua::files {
namespace {

using ::testing::HasSubstr;

void PutLe(std::string& out, std::uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

// A real ZIP archive with stored (uncompressed) entries, as `unzip -l` reads
// it: local headers, the central directory and the end record.
std::string Zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out;
  std::string directory;
  for (const auto& [name, data] : entries) {
    const auto offset = static_cast<std::uint32_t>(out.size());
    out += std::string("PK\x03\x04", 4);
    PutLe(out, 20, 2);  // version needed
    PutLe(out, 0, 2);   // flags
    PutLe(out, 0, 2);   // stored
    PutLe(out, 0, 4);   // time, date
    PutLe(out, 0, 4);   // CRC-32 (not checked by the sniffer)
    PutLe(out, data.size(), 4);
    PutLe(out, data.size(), 4);
    PutLe(out, name.size(), 2);
    PutLe(out, 0, 2);
    out += name + data;
    directory += std::string("PK\x01\x02", 4);
    PutLe(directory, 20, 2);
    PutLe(directory, 20, 2);
    PutLe(directory, 0, 2);
    PutLe(directory, 0, 2);
    PutLe(directory, 0, 4);
    PutLe(directory, 0, 4);
    PutLe(directory, data.size(), 4);
    PutLe(directory, data.size(), 4);
    PutLe(directory, name.size(), 2);
    PutLe(directory, 0, 2);  // extra
    PutLe(directory, 0, 2);  // comment
    PutLe(directory, 0, 2);  // disk
    PutLe(directory, 0, 2);  // internal attributes
    PutLe(directory, 0, 4);  // external attributes
    PutLe(directory, offset, 4);
    directory += name;
  }
  const auto directory_offset = static_cast<std::uint32_t>(out.size());
  out += directory;
  out += std::string("PK\x05\x06", 4);
  PutLe(out, 0, 4);
  PutLe(out, entries.size(), 2);
  PutLe(out, entries.size(), 2);
  PutLe(out, directory.size(), 4);
  PutLe(out, directory_offset, 4);
  PutLe(out, 0, 2);
  return out;
}

const std::string kContentTypes = "<?xml version=\"1.0\"?><Types/>";

std::string Docx() {
  return Zip({{"[Content_Types].xml", kContentTypes},
              {"_rels/.rels", "<Relationships/>"},
              {"word/document.xml", "<w:document/>"}});
}
std::string Xlsx() {
  return Zip({{"[Content_Types].xml", kContentTypes}, {"xl/workbook.xml", "<workbook/>"}});
}

std::string MinimalPdf() {
  return "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
         "2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
}
std::string PngHeader() {
  return std::string("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0", 29);
}
std::string JpegHeader() { return std::string("\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01", 13); }

std::string Problem(const Result<FileType>& r) {
  EXPECT_FALSE(r.has_value());
  if (r) return "";
  EXPECT_EQ(r.error().code, Code::kInvalidArgument);
  EXPECT_EQ(r.error().fields.count("content-type"), 1u);
  return r.error().message;
}

TEST(SniffTest, RecognisesTheAcceptedTypesFromTheirBytes) {
  EXPECT_EQ(Sniff(MinimalPdf()), FileType::kPdf);
  EXPECT_EQ(Sniff(PngHeader()), FileType::kPng);
  EXPECT_EQ(Sniff(JpegHeader()), FileType::kJpeg);
  EXPECT_EQ(Sniff(std::string("RIFF\x24\0\0\0WEBPVP8 ", 16)), FileType::kWebp);
  EXPECT_EQ(Sniff(std::string("II*\0\x08\0\0\0", 8)), FileType::kTiff);
  EXPECT_EQ(Sniff(std::string("MM\0*\0\0\0\x08", 8)), FileType::kTiff);
  EXPECT_EQ(Sniff(Docx()), FileType::kDocx);
  EXPECT_EQ(Sniff(Xlsx()), FileType::kXlsx);
}

TEST(SniffTest, ADocxIsJudgedByItsEntriesNotByThePkMagic) {
  EXPECT_THAT(Problem(Sniff(Zip({{"ho_so/giay_to.pdf", MinimalPdf()}}))),
              HasSubstr("ZIP archives"));
  // The main part alone, without [Content_Types].xml, is not a document.
  EXPECT_THAT(Problem(Sniff(Zip({{"word/document.xml", "<w:document/>"}}))), HasSubstr("ZIP"));
  // "PK\3\4" followed by junk: no directory.
  EXPECT_THAT(Problem(Sniff(std::string("PK\x03\x04", 4) + std::string(100, 'x'))),
              HasSubstr("damaged"));
  // A directory that names entries whose local headers are not where it says.
  std::string lying = Docx();
  lying.replace(lying.find("word/document.xml"), 4, "xxxx");
  EXPECT_FALSE(Sniff(lying).has_value());
}

TEST(SniffTest, RefusesMacrosAndOtherArchiveDocuments) {
  EXPECT_THAT(Problem(Sniff(Zip({{"[Content_Types].xml", kContentTypes},
                                 {"word/document.xml", "<w:document/>"},
                                 {"word/vbaProject.bin", "macro"}}))),
              HasSubstr("macros"));
  EXPECT_THAT(Problem(Sniff(Zip({{"mimetype", "application/vnd.oasis.opendocument.text"},
                                 {"content.xml", "<office/>"}}))),
              HasSubstr("OpenDocument"));
  EXPECT_THAT(
      Problem(Sniff(std::string("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) + std::string(504, '\0'))),
      HasSubstr(".doc"));
}

TEST(SniffTest, RefusesProgramsScriptsAndMarkup) {
  EXPECT_THAT(Problem(Sniff(std::string("MZ\x90\0\x03\0\0\0", 8) +
                            "This program cannot be run in DOS mode")),
              HasSubstr("programs"));
  EXPECT_THAT(Problem(Sniff("\x7f"
                            "ELF\x02\x01\x01")),
              HasSubstr("programs"));
  EXPECT_THAT(Problem(Sniff("#!/bin/sh\nrm -rf /\n")), HasSubstr("scripts"));
  EXPECT_THAT(Problem(Sniff("<!DOCTYPE html><script>alert(1)</script>")), HasSubstr("HTML"));
  EXPECT_THAT(
      Problem(Sniff("\xef\xbb\xbf\n  <svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"x()\"/>")),
      HasSubstr("SVG"));
}

TEST(SniffTest, RefusesEmptyUnknownAndPhoneOnlyFormats) {
  EXPECT_THAT(Problem(Sniff("")), HasSubstr("empty"));
  EXPECT_THAT(Problem(Sniff("Họ và tên: Nguyễn Văn A\n")), HasSubstr("not accepted"));
  EXPECT_THAT(Problem(Sniff(std::string("\0\0\0\x18"
                                        "ftypheic\0\0\0\0",
                                        16))),
              HasSubstr("JPEG"));
  // A PNG signature without its IHDR chunk is not a PNG.
  EXPECT_FALSE(Sniff(PngHeader().substr(0, 8) + "garbage!").has_value());
}

TEST(CheckDeclaredTypeTest, AcceptsTheTruthAliasesAndIgnorance) {
  EXPECT_TRUE(CheckDeclaredType(FileType::kPdf, "application/pdf"));
  EXPECT_TRUE(CheckDeclaredType(FileType::kPdf, "Application/PDF; name=\"x.pdf\""));
  EXPECT_TRUE(CheckDeclaredType(FileType::kJpeg, "image/jpg"));
  EXPECT_TRUE(CheckDeclaredType(FileType::kJpeg, "application/octet-stream"));
  EXPECT_TRUE(CheckDeclaredType(FileType::kJpeg, ""));
  EXPECT_TRUE(CheckDeclaredType(FileType::kXlsx, "application/x-zip-compressed"));
}

TEST(CheckDeclaredTypeTest, RefusesATypeThatLies) {
  auto lie = CheckDeclaredType(FileType::kPdf, "image/png");
  ASSERT_FALSE(lie);
  EXPECT_EQ(lie.error().fields.count("content-type"), 1u);
  EXPECT_EQ(lie.error().message,
            "invalid content-type: the file is a PDF document (application/pdf) but was sent as "
            "image/png");
  EXPECT_FALSE(CheckDeclaredType(FileType::kPdf, "text/html"));
  EXPECT_FALSE(CheckDeclaredType(FileType::kPdf, "application/zip"));
}

TEST(NameWithExtensionTest, CorrectsTheExtensionToTheRealType) {
  EXPECT_EQ(NameWithExtension("Giấy khai sinh.PDF", FileType::kPdf), "Giấy khai sinh.PDF");
  EXPECT_EQ(NameWithExtension("ảnh.jpeg", FileType::kJpeg), "ảnh.jpeg");
  EXPECT_EQ(NameWithExtension("IMG_1234", FileType::kJpeg), "IMG_1234.jpg");
  EXPECT_EQ(NameWithExtension("scan.png", FileType::kJpeg), "scan.jpg");
  EXPECT_EQ(NameWithExtension("hoso.exe", FileType::kPdf), "hoso.exe.pdf");
  EXPECT_EQ(NameWithExtension("QĐ số 12.2025", FileType::kDocx), "QĐ số 12.2025.docx");
}

}  // namespace
}  // namespace motcua::files
