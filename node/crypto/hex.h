// Lowercase hexadecimal encoding of binary strings (keys, hashes, signatures in logs and files).
#pragma once

#include <string>
#include <string_view>

#include "node/base/status.h"

namespace jejak::crypto {

// Two lowercase digits per byte.
std::string ToHex(std::string_view bytes);

// Accepts upper- and lowercase digits. Invalid on odd length or a non-hex character (the message
// names its position).
Result<std::string> FromHex(std::string_view hex);

}  // namespace jejak::crypto
