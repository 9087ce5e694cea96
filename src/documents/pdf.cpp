#include "documents/pdf.hpp"

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include <cstdint>
#include <fstream>
#include <iterator>
#include <mutex>

#include "documents/truetype.hpp"

namespace motcua::documents {
namespace {

constexpr double kPointsPerMm = 72.0 / 25.4;

cairo_status_t Collect(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

// cairo keeps a font face (and its glyphs, keyed by the FT_Face's address)
// in its caches after the last cairo_font_face_destroy; so the FT_Face is
// released when cairo lets the face go, through the face's user data, never
// before (a new face at a freed one's address would get the old glyphs).
// The faces share their FT_Library, which goes with the last of them;
// FreeType wants the faces of one library created and released one at a time.
struct Fonts::FreeType {
  std::mutex mutex;
  FT_Library library = nullptr;
  ~FreeType() {
    if (library) FT_Done_FreeType(library);
  }
};

namespace {

struct FaceHolder {
  std::shared_ptr<Fonts::FreeType> freetype;
  FT_Face face = nullptr;
  std::string bytes;  // the font FreeType reads from, while the face lives
};

const cairo_user_data_key_t kFaceKey{};

void ReleaseFace(void* p) {
  auto* holder = static_cast<FaceHolder*>(p);
  {
    std::lock_guard lock(holder->freetype->mutex);
    FT_Done_Face(holder->face);
  }
  delete holder;
}

// Errors: kNotFound when `path` is not a font.
Result<cairo_font_face_t*> OpenFace(const std::shared_ptr<Fonts::FreeType>& freetype,
                                    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) return Fail(Code::kNotFound, "no font at " + path);
  // Embedded without its hinting (truetype.hpp); as it is if that fails.
  if (auto plain = WithoutHinting(bytes)) bytes = std::move(*plain);
  auto* holder = new FaceHolder{freetype, nullptr, std::move(bytes)};
  {
    std::lock_guard lock(freetype->mutex);
    if (FT_New_Memory_Face(freetype->library,
                           reinterpret_cast<const FT_Byte*>(holder->bytes.data()),
                           static_cast<FT_Long>(holder->bytes.size()), 0, &holder->face) != 0) {
      delete holder;
      return Fail(Code::kNotFound, "no font at " + path);
    }
  }
  cairo_font_face_t* cairo_face = cairo_ft_font_face_create_for_ft_face(holder->face, 0);
  if (cairo_font_face_set_user_data(cairo_face, &kFaceKey, holder, ReleaseFace) !=
      CAIRO_STATUS_SUCCESS) {
    ReleaseFace(holder);
    cairo_font_face_destroy(cairo_face);
    return Fail(Code::kInternal, "cairo could not keep the font " + path);
  }
  return cairo_face;
}

}  // namespace

Result<std::shared_ptr<const Fonts>> Fonts::Load(const std::string& regular_path,
                                                 const std::string& bold_path) {
  std::shared_ptr<Fonts> fonts(new Fonts());
  auto freetype = std::make_shared<FreeType>();
  if (FT_Init_FreeType(&freetype->library) != 0)
    return Fail(Code::kInternal, "FreeType did not start");
  fonts->regular_ = MOTCUA_TRY(OpenFace(freetype, regular_path));
  fonts->bold_ = MOTCUA_TRY(OpenFace(freetype, bold_path));
  return std::shared_ptr<const Fonts>(std::move(fonts));
}

Fonts::~Fonts() {
  if (regular_) cairo_font_face_destroy(regular_);
  if (bold_) cairo_font_face_destroy(bold_);
}

PdfDocument::PdfDocument(std::shared_ptr<const Fonts> fonts, const std::string& title, double width,
                         double height)
    : fonts_(std::move(fonts)) {
  out_.reserve(64 * 1024);
  surface_ = cairo_pdf_surface_create_for_stream(Collect, &out_, width * kPointsPerMm,
                                                 height * kPointsPerMm);
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "motcua");
  cr_ = cairo_create(surface_);
  cairo_scale(cr_, kPointsPerMm, kPointsPerMm);
  cairo_set_source_rgb(cr_, 0, 0, 0);
}

PdfDocument::~PdfDocument() {
  if (cr_) cairo_destroy(cr_);
  if (surface_) cairo_surface_destroy(surface_);
}

void PdfDocument::Use(const TextStyle& style) {
  cairo_set_font_face(cr_, style.bold ? fonts_->bold() : fonts_->regular());
  // Points to millimetres: the page is drawn in millimetres.
  const double size = style.size / kPointsPerMm;
  cairo_matrix_t m;
  cairo_matrix_init_scale(&m, size, size);
  if (style.italic) m.xy = -0.2 * size;  // a 11-degree slant
  cairo_set_font_matrix(cr_, &m);
}

double PdfDocument::TextWidth(std::string_view utf8, const TextStyle& style) {
  Use(style);
  const std::string text(utf8);
  cairo_text_extents_t e;
  cairo_text_extents(cr_, text.c_str(), &e);
  return e.x_advance;
}

void PdfDocument::Text(double x, double y, std::string_view utf8, const TextStyle& style) {
  const double w = style.align == Align::kLeft ? 0 : TextWidth(utf8, style);
  Use(style);
  const double left = style.align == Align::kCenter  ? x - w / 2
                      : style.align == Align::kRight ? x - w
                                                     : x;
  const std::string text(utf8);
  cairo_move_to(cr_, left, y);
  cairo_show_text(cr_, text.c_str());
}

double PdfDocument::Paragraph(double x, double y, double width, std::string_view utf8,
                              const TextStyle& style) {
  const double leading = style.size / kPointsPerMm * 1.35;
  const double anchor = style.align == Align::kCenter  ? x + width / 2
                        : style.align == Align::kRight ? x + width
                                                       : x;
  std::string line;
  std::size_t i = 0;
  auto flush = [&] {
    Text(anchor, y, line, style);
    y += leading;
    line.clear();
  };
  while (i <= utf8.size()) {
    std::size_t end = utf8.find(' ', i);
    if (end == std::string_view::npos) end = utf8.size();
    std::string_view word = utf8.substr(i, end - i);
    std::string candidate = line.empty() ? std::string(word) : line + " " + std::string(word);
    if (!line.empty() && TextWidth(candidate, style) > width) {
      flush();
      line = std::string(word);
    } else {
      line = std::move(candidate);
    }
    i = end + 1;
  }
  if (!line.empty()) flush();
  return y;
}

void PdfDocument::Line(double x1, double y1, double x2, double y2, double width) {
  cairo_set_line_width(cr_, width);
  cairo_move_to(cr_, x1, y1);
  cairo_line_to(cr_, x2, y2);
  cairo_stroke(cr_);
}

// Dark modules as a one-bit image, one pixel a module, drawn `module` mm per
// pixel without smoothing: one small image in the PDF instead of a
// rectangle per module (each costs a printf of four numbers), and edges as
// sharp as the printer's.
void PdfDocument::Modules(int columns, int rows, const std::function<bool(int, int)>& dark,
                          double x, double y, double module_width, double module_height) {
  cairo_surface_t* mask = cairo_image_surface_create(CAIRO_FORMAT_A1, columns, rows);
  cairo_surface_flush(mask);
  unsigned char* data = cairo_image_surface_get_data(mask);
  const int stride = cairo_image_surface_get_stride(mask);
  for (int r = 0; r < rows; ++r) {
    auto* row = reinterpret_cast<std::uint32_t*>(data + r * stride);
    for (int c = 0; c < columns; ++c) {
      // A1 pixels are bits of native-endian 32-bit words, least significant first on little-endian.
      if (dark(c, r)) row[c / 32] |= 1u << (c % 32);
    }
  }
  cairo_surface_mark_dirty(mask);
  cairo_save(cr_);
  cairo_translate(cr_, x, y);
  cairo_scale(cr_, module_width, module_height);
  cairo_pattern_t* pattern = cairo_pattern_create_for_surface(mask);
  cairo_pattern_set_filter(pattern, CAIRO_FILTER_NEAREST);
  cairo_mask(cr_, pattern);
  cairo_pattern_destroy(pattern);
  cairo_restore(cr_);
  cairo_surface_destroy(mask);
}

void PdfDocument::Qr(const QrMatrix& m, double x, double y, double size) {
  const double module = size / (m.size + 8);
  Modules(
      m.size, m.size, [&](int c, int r) { return m.Dark(c, r); }, x + 4 * module, y + 4 * module,
      module, module);
}

void PdfDocument::Bars(const std::vector<int>& widths, double x, double y, double module,
                       double height) {
  std::vector<bool> dark;
  bool bar = true;
  for (int w : widths) {
    dark.insert(dark.end(), static_cast<std::size_t>(w), bar);
    bar = !bar;
  }
  Modules(
      static_cast<int>(dark.size()), 1,
      [&](int c, int) { return dark[static_cast<std::size_t>(c)]; }, x + 10 * module, y, module,
      height);
}

void PdfDocument::NewPage() { cairo_show_page(cr_); }

Result<std::string> PdfDocument::Finish() {
  cairo_show_page(cr_);
  cairo_destroy(cr_);
  cr_ = nullptr;
  cairo_surface_finish(surface_);
  const cairo_status_t st = cairo_surface_status(surface_);
  cairo_surface_destroy(surface_);
  surface_ = nullptr;
  if (st != CAIRO_STATUS_SUCCESS)
    return Fail(Code::kInternal, std::string("PDF: ") + cairo_status_to_string(st));
  return std::move(out_);
}

}  // namespace motcua::documents
