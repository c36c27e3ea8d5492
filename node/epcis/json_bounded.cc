#include "node/epcis/json_bounded.h"

#include <set>
#include <string>
#include <vector>

namespace jejak::epcis {
namespace {

using Json = nlohmann::ordered_json;

// Thrown from inside the parser callback to stop parsing early; caught below.
struct StopParse {
  Status status;
};

// One open object or array, as the callback sees the parse.
struct Frame {
  bool object = false;
  std::string schema_path;   // "blocks[].header": what check_member is asked about
  std::string display_path;  // "blocks[3].header": what messages name
  std::set<std::string> members;  // objects: names seen so far
  std::string member;             // objects: the member being read
  size_t next_index = 0;          // arrays: position of the next element
};

class BoundedReader {
 public:
  explicit BoundedReader(const JsonReadLimits& limits) : limits_(limits) {}

  bool OnEvent(int depth, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start:
        if (depth + 1 > limits_.max_depth) {
          throw StopParse{Status::ResourceExhausted("JSON nesting deeper than the limit of " +
                                                    std::to_string(limits_.max_depth))};
        }
        CountValue();
        Open(event == Json::parse_event_t::object_start);
        break;
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        if (!frames_.empty()) frames_.pop_back();
        break;
      case Json::parse_event_t::key:
        OnMember(parsed.get_ref<const std::string&>());
        break;
      case Json::parse_event_t::value:
        CountValue();
        if (!frames_.empty() && !frames_.back().object) ++frames_.back().next_index;
        break;
    }
    return true;
  }

 private:
  void CountValue() {
    if (++values_ > limits_.max_values) {
      throw StopParse{Status::ResourceExhausted("JSON text holds more than the limit of " +
                                                std::to_string(limits_.max_values) + " values")};
    }
  }

  static std::string Join(const std::string& path, const std::string& member) {
    return path.empty() ? member : path + "." + member;
  }

  void Open(bool object) {
    Frame frame;
    frame.object = object;
    if (!frames_.empty()) {
      Frame& parent = frames_.back();
      if (parent.object) {
        frame.schema_path = Join(parent.schema_path, parent.member);
        frame.display_path = Join(parent.display_path, parent.member);
      } else {
        frame.schema_path = parent.schema_path + "[]";
        frame.display_path = parent.display_path + "[" + std::to_string(parent.next_index++) + "]";
      }
    }
    frames_.push_back(std::move(frame));
  }

  void OnMember(const std::string& name) {
    if (frames_.empty()) return;
    Frame& frame = frames_.back();
    std::string where = frame.display_path.empty() ? "" : " of " + frame.display_path;
    if (!frame.members.insert(name).second) {
      throw StopParse{Status::Invalid("member '" + name + "' appears twice in one object" +
                                      (frame.display_path.empty() ? "" : " (" + frame.display_path + ")"))};
    }
    if (limits_.check_member) {
      Status allowed = limits_.check_member(frame.schema_path, name);
      if (!allowed.ok()) throw StopParse{allowed.WithContext("member '" + name + "'" + where)};
    }
    frame.member = name;
  }

  const JsonReadLimits& limits_;
  std::vector<Frame> frames_;
  size_t values_ = 0;
};

}  // namespace

Result<nlohmann::ordered_json> ParseJsonBounded(std::string_view text, const JsonReadLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Status::ResourceExhausted("JSON text is " + std::to_string(text.size()) +
                                     " bytes, more than the limit of " +
                                     std::to_string(limits.max_bytes));
  }
  BoundedReader reader(limits);
  auto callback = [&](int depth, Json::parse_event_t event, Json& parsed) {
    return reader.OnEvent(depth, event, parsed);
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

Result<nlohmann::ordered_json> ParseJsonBounded(std::string_view text, std::size_t max_bytes,
                                                int max_depth) {
  JsonReadLimits limits;
  limits.max_bytes = max_bytes;
  limits.max_depth = max_depth;
  return ParseJsonBounded(text, limits);
}

}  // namespace jejak::epcis
