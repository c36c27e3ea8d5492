// What `jejak label` prints on a sack: a QR code holding a GS1 Digital Link URI for the lot, so a
// buyer's phone (or `jejak trace back URI`) finds the lot again.
//
//   GS1 keys (SGTIN, LGTIN, SSCC, ...)  the standard Digital Link of the key, on id.gs1.org or on
//                                       the --base-uri resolver: https://id.gs1.org/01/.../10/...
//   urn:jejak:lot:<org>:<local-id>      <base>/lot/<the URN percent-encoded>; the node does not read
//                                       such URIs, so LotIdFromLabelUri turns them back into URNs.
//
// The QR code is libqrencode's (error correction level M, byte mode, case kept), written as an
// 8-bit grey PNG by libpng with the 4-module quiet zone the QR standard asks for.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "node/base/status.h"

namespace jejak::cli {

inline constexpr const char* kGs1Resolver = "https://id.gs1.org";
// Where jejak lots resolve when --base-uri is not given.
inline constexpr const char* kDefaultJejakResolver = "https://id.jejak.example";
inline constexpr int kQrQuietZoneModules = 4;
inline constexpr int kDefaultModulePixels = 8;

// RFC 3986 percent-encoding: everything but unreserved characters (A-Z a-z 0-9 - . _ ~) as %XX.
std::string PercentEncode(std::string_view text);

// The Digital Link URI for `lot_id` (any accepted form; normalised first). `base_uri` empty means
// the default resolver of the lot's kind; otherwise it must be an http(s) URI without query or
// fragment. Invalid, with the reason, for a malformed lot id or base URI.
Result<std::string> LotLabelUri(std::string_view lot_id, std::string_view base_uri);

// The urn:jejak:lot id a label URI (<base>/lot/<percent-encoded URN>) stands for; nullopt for
// anything else (GS1 Digital Links need no translation: the node reads them).
std::optional<std::string> LotIdFromLabelUri(std::string_view uri);

// A lot argument as the node should see it: the URN of a jejak label URI, else `arg` unchanged.
std::string ResolveLotArgument(const std::string& arg);

// A QR symbol: width x width modules, row by row, true = dark.
struct QrMatrix {
  int version = 0;
  int width = 0;
  std::vector<bool> dark;
  bool at(int x, int y) const { return dark[static_cast<size_t>(y * width + x)]; }
};

// Invalid if `text` is empty or too long for a QR code.
Result<QrMatrix> EncodeQr(std::string_view text);

// The PNG file's bytes: each module `module_pixels` square, black on white, with the quiet zone.
Result<std::string> QrToPng(const QrMatrix& qr, int module_pixels = kDefaultModulePixels);

}  // namespace jejak::cli
