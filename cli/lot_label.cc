#include "cli/lot_label.h"

#include <png.h>
#include <qrencode.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>

#include "node/epcis/gs1_keys.h"
#include "node/epcis/identifiers.h"
#include "node/ledger/vocabulary.h"

namespace jejak::cli {
namespace {

constexpr std::string_view kJejakLotPrefix = "urn:jejak:lot:";
constexpr std::string_view kLotPath = "/lot/";
// A version 40 QR code at level M holds 2331 bytes; a label URI is far shorter.
constexpr size_t kMaxQrBytes = 2331;
constexpr int kMaxModulePixels = 64;

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    int high = HexValue(text[i + 1]), low = HexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

// The base URI without its trailing slashes; Invalid unless it is a plain http(s) URI.
Result<std::string> CheckBaseUri(std::string_view base) {
  std::string out(base);
  while (!out.empty() && out.back() == '/') out.pop_back();
  if (!StartsWithNoCase(out, "https://") && !StartsWithNoCase(out, "http://")) {
    return Status::Invalid("--base-uri " + std::string(base) + " is not an http(s) URI");
  }
  size_t host = out.find("://") + 3;
  if (host >= out.size()) return Status::Invalid("--base-uri " + std::string(base) + " names no host");
  for (unsigned char c : out) {
    if (c <= 0x20 || c >= 0x7F || c == '?' || c == '#' || c == '"' || c == '<' || c == '>') {
      return Status::Invalid("--base-uri " + std::string(base) +
                             " may not hold spaces, a query (?), a fragment (#) or non-ASCII text");
    }
  }
  return out;
}

}  // namespace

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (IsUnreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

Result<std::string> LotLabelUri(std::string_view lot_id, std::string_view base_uri) {
  auto lot = ledger::NormalizeLotId(lot_id);
  if (!lot.ok()) return lot.status();
  std::string base;
  if (!base_uri.empty()) {
    auto checked = CheckBaseUri(base_uri);
    if (!checked.ok()) return checked.status();
    base = *checked;
  }
  if (std::string_view(*lot).starts_with(kJejakLotPrefix)) {
    return (base.empty() ? std::string(kDefaultJejakResolver) : base) + std::string(kLotPath) +
           PercentEncode(*lot);
  }
  auto link = epcis::EpcUrnToDigitalLink(*lot);
  if (!link.ok()) return link.status();
  std::string_view resolver = kGs1Resolver;
  if (base.empty() || !std::string_view(*link).starts_with(resolver)) return *link;
  return base + link->substr(resolver.size());
}

std::optional<std::string> LotIdFromLabelUri(std::string_view uri) {
  if (!StartsWithNoCase(uri, "https://") && !StartsWithNoCase(uri, "http://")) return std::nullopt;
  if (uri.size() > epcis::kMaxIdentifierChars * 3) return std::nullopt;
  size_t at = uri.rfind(kLotPath);
  if (at == std::string_view::npos || at < uri.find("://") + 3) return std::nullopt;
  std::string_view encoded = uri.substr(at + kLotPath.size());
  if (encoded.find_first_of("/?#") != std::string_view::npos) return std::nullopt;
  auto decoded = PercentDecode(encoded);
  if (!decoded || !StartsWithNoCase(*decoded, kJejakLotPrefix)) return std::nullopt;
  return decoded;
}

std::string ResolveLotArgument(const std::string& arg) {
  auto lot = LotIdFromLabelUri(arg);
  return lot ? *lot : arg;
}

Result<QrMatrix> EncodeQr(std::string_view text) {
  if (text.empty()) return Status::Invalid("a QR code needs some text to hold");
  if (text.size() > kMaxQrBytes) {
    return Status::Invalid("a QR code holds at most " + std::to_string(kMaxQrBytes) +
                           " bytes at level M; the text has " + std::to_string(text.size()));
  }
  std::unique_ptr<QRcode, void (*)(QRcode*)> code(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M),
      QRcode_free);
  if (code == nullptr) {
    return Status::Internal("libqrencode could not encode the text: " +
                            std::string(std::strerror(errno)));
  }
  QrMatrix qr;
  qr.version = code->version;
  qr.width = code->width;
  size_t cells = static_cast<size_t>(code->width) * static_cast<size_t>(code->width);
  qr.dark.resize(cells);
  for (size_t i = 0; i < cells; ++i) qr.dark[i] = (code->data[i] & 1) != 0;
  return qr;
}

Result<std::string> QrToPng(const QrMatrix& qr, int module_pixels) {
  if (module_pixels < 1 || module_pixels > kMaxModulePixels) {
    return Status::Invalid("a QR module is 1 to " + std::to_string(kMaxModulePixels) +
                           " pixels wide, not " + std::to_string(module_pixels));
  }
  if (qr.width <= 0 || qr.dark.size() != static_cast<size_t>(qr.width) * qr.width) {
    return Status::Internal("the QR matrix is not square");
  }
  const int side = (qr.width + 2 * kQrQuietZoneModules) * module_pixels;
  std::vector<unsigned char> pixels(static_cast<size_t>(side) * side, 0xFF);
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      int mx = x / module_pixels - kQrQuietZoneModules, my = y / module_pixels - kQrQuietZoneModules;
      if (mx >= 0 && my >= 0 && mx < qr.width && my < qr.width && qr.at(mx, my)) {
        pixels[static_cast<size_t>(y) * side + x] = 0;
      }
    }
  }
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(side);
  image.height = static_cast<png_uint_32>(side);
  image.format = PNG_FORMAT_GRAY;
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&image, nullptr, &size, 0, pixels.data(), side, nullptr)) {
    std::string message = image.message;
    png_image_free(&image);
    return Status::Internal("libpng cannot size the label: " + message);
  }
  std::string png(size, '\0');
  if (!png_image_write_to_memory(&image, png.data(), &size, 0, pixels.data(), side, nullptr)) {
    std::string message = image.message;
    png_image_free(&image);
    return Status::Internal("libpng cannot write the label: " + message);
  }
  png.resize(size);
  return png;
}

}  // namespace jejak::cli
