// Reading untrusted JSON text with limits: size, nesting depth, number of values, no duplicate
// member names and, optionally, only the member names a format knows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "node/base/status.h"

namespace jejak::epcis {

struct JsonReadLimits {
  std::size_t max_bytes = 0;
  int max_depth = 0;
  // Every value counts one: object, array, string, number, boolean, null. Memory grows with the
  // number of values (tens of bytes each), not with the text: "[0,0,0,...]" costs 16 bytes or more
  // per 2 bytes of text, so the size limit alone does not bound memory.
  std::size_t max_values = SIZE_MAX;
  // If set, called for every member name before its value is read, with the path of its object:
  // "" for the root, "blocks[].header" for the header of any element of the root's "blocks"
  // (array positions are written "[]"). A failed Status stops the parse at once and is returned
  // with the object's position added ("member 'x' of blocks[3].header: ...").
  std::function<Status(std::string_view object_path, std::string_view member)> check_member;
};

// Parses `text` keeping member order. Refuses text over max_bytes, nested deeper than max_depth
// or holding more than max_values values (ResourceExhausted), malformed JSON and objects naming
// a member twice (Invalid: a duplicate would silently hide one of the two values), and members
// check_member refuses. Nothing past the first refusal is read.
Result<nlohmann::ordered_json> ParseJsonBounded(std::string_view text, const JsonReadLimits& limits);
Result<nlohmann::ordered_json> ParseJsonBounded(std::string_view text, std::size_t max_bytes,
                                                int max_depth);

}  // namespace jejak::epcis
