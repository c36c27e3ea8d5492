// Reading untrusted JSON text with limits: size, nesting depth, no duplicate member names.
#pragma once

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "node/base/status.h"

namespace jejak::epcis {

// Parses `text` keeping member order. Refuses text over max_bytes or nested deeper than
// max_depth (ResourceExhausted), malformed JSON and objects naming a member twice (Invalid:
// a duplicate would silently hide one of the two values).
Result<nlohmann::ordered_json> ParseJsonBounded(std::string_view text, std::size_t max_bytes,
                                                int max_depth);

}  // namespace jejak::epcis
