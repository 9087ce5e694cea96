#include "documents/qr.hpp"

#include <qrencode.h>

#include <memory>
#include <string>

namespace motcua::documents {

Result<QrMatrix> MakeQr(std::string_view text) {
  const std::string owned(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString8bit(owned.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!code) return InvalidField("text", "cannot be encoded as a QR code (too long?)");
  QrMatrix m;
  m.size = code->width;
  m.dark.resize(static_cast<std::size_t>(m.size) * static_cast<std::size_t>(m.size));
  // libqrencode: one byte per module, bit 0 set for a dark one.
  for (std::size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = (code->data[i] & 1) != 0;
  return m;
}

}  // namespace motcua::documents
