// A4 pages drawn into a PDF with cairo, in millimetres from the top left.
// Text is UTF-8 in an embedded TrueType font (a subset, with the map back to
// Unicode: pdftotext and a reader's search give the Vietnamese back as
// written); the font must have a glyph for every precomposed Vietnamese
// letter (NFC), as Noto Sans and DejaVu Sans do.
//
// Thread safety: Fonts is immutable once loaded and may be shared by any
// number of threads; a PdfDocument belongs to one thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "documents/qr.hpp"

typedef struct _cairo cairo_t;
typedef struct _cairo_surface cairo_surface_t;
typedef struct _cairo_font_face cairo_font_face_t;

namespace motcua::documents {

// A regular and a bold face, read once from their files.
class Fonts {
 public:
  // Errors: kNotFound for a file that is missing or not a font.
  [[nodiscard]] static Result<std::shared_ptr<const Fonts>> Load(const std::string& regular_path,
                                                                 const std::string& bold_path);
  ~Fonts();
  Fonts(const Fonts&) = delete;
  Fonts& operator=(const Fonts&) = delete;

  cairo_font_face_t* regular() const { return regular_; }
  cairo_font_face_t* bold() const { return bold_; }

  struct FreeType;  // the faces' FreeType library (pdf.cpp)

 private:
  Fonts() = default;
  cairo_font_face_t* regular_ = nullptr;
  cairo_font_face_t* bold_ = nullptr;
};

enum class Align { kLeft, kCenter, kRight };

struct TextStyle {
  double size = 12;  // points
  bool bold = false;
  bool italic = false;  // drawn slanted (the font has no italic face)
  Align align = Align::kLeft;
};

class PdfDocument {
 public:
  static constexpr double kPageWidth = 210;  // A4, mm
  static constexpr double kPageHeight = 297;

  // `title` goes into the document's properties; pages are A4 unless a
  // size in mm is given (a signature's stamp is drawn on a page of its own size).
  PdfDocument(std::shared_ptr<const Fonts> fonts, const std::string& title,
              double width = kPageWidth, double height = kPageHeight);
  ~PdfDocument();
  PdfDocument(const PdfDocument&) = delete;
  PdfDocument& operator=(const PdfDocument&) = delete;

  // One line with its baseline at `y`; `x` is its left end, centre or right
  // end as `style.align` says.
  void Text(double x, double y, std::string_view utf8, const TextStyle& style);
  // Wrapped at spaces to `width` from `x` (aligned within it), the first
  // baseline at `y`; returns the baseline after the last line.
  double Paragraph(double x, double y, double width, std::string_view utf8, const TextStyle& style);
  double TextWidth(std::string_view utf8, const TextStyle& style);
  void Line(double x1, double y1, double x2, double y2, double width = 0.3);
  // `size` mm per side, quiet zone included (four modules around).
  void Qr(const QrMatrix& m, double x, double y, double size);
  // Bars and spaces as Code128B gives them, `module` mm each, quiet zones included.
  void Bars(const std::vector<int>& widths, double x, double y, double module, double height);
  void NewPage();

  // The PDF's bytes. Errors: kInternal if cairo failed. Call once.
  [[nodiscard]] Result<std::string> Finish();

 private:
  void Use(const TextStyle& style);
  void Modules(int columns, int rows, const std::function<bool(int, int)>& dark, double x, double y,
               double module_width, double module_height);
  std::shared_ptr<const Fonts> fonts_;
  std::string out_;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
};

}  // namespace motcua::documents
