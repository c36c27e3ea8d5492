#include "node/epcis/json_bounded.h"

#include <set>
#include <string>
#include <vector>

namespace jejak::epcis {
namespace {

// Thrown from inside the parser callback to stop parsing early; caught below.
struct StopParse {
  Status status;
};

}  // namespace

Result<nlohmann::ordered_json> ParseJsonBounded(std::string_view text, std::size_t max_bytes,
                                                int max_depth) {
  using Json = nlohmann::ordered_json;
  if (text.size() > max_bytes) {
    return Status::ResourceExhausted("JSON text is " + std::to_string(text.size()) +
                                     " bytes, more than the limit of " +
                                     std::to_string(max_bytes));
  }
  // One set of member names per open object; nullptr-free: arrays push nothing.
  std::vector<std::set<std::string>> open_objects;
  auto callback = [&](int depth, Json::parse_event_t event, Json& parsed) -> bool {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start:
        if (depth + 1 > max_depth) {
          throw StopParse{Status::ResourceExhausted("JSON nesting deeper than the limit of " +
                                                    std::to_string(max_depth))};
        }
        if (event == Json::parse_event_t::object_start) open_objects.emplace_back();
        break;
      case Json::parse_event_t::object_end:
        if (!open_objects.empty()) open_objects.pop_back();
        break;
      case Json::parse_event_t::key: {
        const std::string& key = parsed.get_ref<const std::string&>();
        if (!open_objects.empty() && !open_objects.back().insert(key).second) {
          throw StopParse{Status::Invalid("member '" + key + "' appears twice in one object")};
        }
        break;
      }
      default:
        break;
    }
    return true;
  };
  try {
    return Json::parse(text.begin(), text.end(), callback, /*allow_exceptions=*/true,
                       /*ignore_comments=*/false);
  } catch (const StopParse& stop) {
    return stop.status;
  } catch (const nlohmann::json::exception& e) {
    return Status::Invalid(std::string("not valid JSON: ") + e.what());
  } catch (const std::exception& e) {
    return Status::Internal(std::string("JSON parser failed: ") + e.what());
  }
}

}  // namespace jejak::epcis
