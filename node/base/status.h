// Errors as values (RocksDB / Abseil style). No exception crosses a module boundary.
//
// Two kinds of failure are kept apart (Bitcoin Core style):
//   kInvalid  - the input's or the peer's fault: reject it, report it, keep running.
//   kError    - our own fault or the environment's (I/O, corruption): fail loudly.
// The finer codes map one-to-one onto gRPC status codes at the network edge.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "node/base/assert.h"

namespace jejak {

enum class StatusCode {
  kOk = 0,
  kInvalid,            // malformed or rule-breaking input (gRPC INVALID_ARGUMENT / FAILED_PRECONDITION)
  kNotFound,           // the thing asked for does not exist
  kAlreadyExists,      // e.g. a lot commissioned twice
  kPermissionDenied,   // signer not allowed to do this
  kResourceExhausted,  // a bound was hit (queue full, request too large)
  kUnavailable,        // a peer or node cannot be reached
  kCorruption,         // stored data fails its own checks
  kIoError,            // the disk or the OS failed
  kInternal,           // a bug: an invariant of ours does not hold
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Invalid(std::string msg) { return {StatusCode::kInvalid, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {StatusCode::kAlreadyExists, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) {
    return {StatusCode::kPermissionDenied, std::move(msg)};
  }
  static Status ResourceExhausted(std::string msg) {
    return {StatusCode::kResourceExhausted, std::move(msg)};
  }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {StatusCode::kCorruption, std::move(msg)}; }
  static Status IoError(std::string msg) { return {StatusCode::kIoError, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // True for faults of the input or the peer; false for ok and for our own errors.
  bool IsInputFault() const {
    return code_ == StatusCode::kInvalid || code_ == StatusCode::kNotFound ||
           code_ == StatusCode::kAlreadyExists || code_ == StatusCode::kPermissionDenied ||
           code_ == StatusCode::kResourceExhausted;
  }
  // "INVALID: lot urn:jejak:lot:a:1 was already commissioned"
  std::string ToString() const;

  // Prefixes the message with context, keeping the code and the details below: "event 3: field
  // eventTime: ...".
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    Status out = *this;
    out.message_ = context + ": " + message_;
    return out;
  }

  // The refusal falls under the stable rule `code` (node/ledger/rule_codes.h, node/epcis/
  // rule_codes.h): clients and tests match the code, never the words. The message gains the
  // "[code] " prefix. A status that already has a rule keeps it (the innermost rule is the precise
  // one). Called where the refusal is made; a module's general rule (ValidateForCapture's
  // epcis-format) is added on the way out, in front of the context words already there.
  Status WithRule(std::string_view code) const {
    if (ok() || !rule_code_.empty()) return *this;
    Status out = *this;
    out.rule_code_ = std::string(code);
    out.message_ = "[" + out.rule_code_ + "] " + message_;
    return out;
  }
  // The stable rule code of a refusal ("mass-balance"); empty when none applies.
  const std::string& rule_code() const { return rule_code_; }

  // The refusal is about item `index` of a request (an event of a SubmitEvents batch, from 0): the
  // message gains the context "event <index>" and the index is kept for clients, with the
  // item's own reason (event_reason) apart from the request's context. The innermost index is kept.
  Status ForEvent(uint32_t index) const {
    if (ok() || event_index_) return *this;
    Status out = WithContext("event " + std::to_string(index));
    out.event_index_ = index;
    out.event_reason_bytes_ = message_.size();
    return out;
  }
  const std::optional<uint32_t>& event_index() const { return event_index_; }
  // With event_index(): the refusal of that event alone, as the message ends; else the message.
  std::string_view event_reason() const {
    std::string_view m = message_;
    return event_index_ ? m.substr(m.size() - event_reason_bytes_) : m;
  }

  // A status as it came over the wire, details included (node/net); `event_reason` must end the
  // message, as ForEvent made it.
  static Status FromParts(StatusCode code, std::string message, std::string rule_code,
                          std::optional<uint32_t> event_index, size_t event_reason_bytes) {
    if (code == StatusCode::kOk) return Ok();
    Status out(code, std::move(message));
    out.rule_code_ = std::move(rule_code);
    if (event_index && event_reason_bytes <= out.message_.size()) {
      out.event_index_ = event_index;
      out.event_reason_bytes_ = event_reason_bytes;
    }
    return out;
  }

 private:
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string rule_code_;
  std::optional<uint32_t> event_index_;
  size_t event_reason_bytes_ = 0;  // the end of message_ that is the event's own reason
};

inline const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kInvalid: return "INVALID";
    case StatusCode::kNotFound: return "NOT_FOUND";
    case StatusCode::kAlreadyExists: return "ALREADY_EXISTS";
    case StatusCode::kPermissionDenied: return "PERMISSION_DENIED";
    case StatusCode::kResourceExhausted: return "RESOURCE_EXHAUSTED";
    case StatusCode::kUnavailable: return "UNAVAILABLE";
    case StatusCode::kCorruption: return "CORRUPTION";
    case StatusCode::kIoError: return "IO_ERROR";
    case StatusCode::kInternal: return "INTERNAL";
  }
  return "UNKNOWN";
}

inline std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(StatusCodeName(code_)) + ": " + message_;
}

// A value or the Status saying why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {  // NOLINT: implicit by design
    JEJAK_ASSERT(!std::get<Status>(data_).ok(), "a Result needs a value or a failed Status");
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(data_);
  }
  T& value() & { JEJAK_ASSERT(ok(), status().message()); return std::get<T>(data_); }
  const T& value() const& { JEJAK_ASSERT(ok(), status().message()); return std::get<T>(data_); }
  T&& value() && { JEJAK_ASSERT(ok(), status().message()); return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace jejak

// Returns early from the enclosing function when `expr` yields a failed Status.
#define JEJAK_RETURN_IF_ERROR(expr)            \
  do {                                         \
    ::jejak::Status jejak_status_ = (expr);    \
    if (!jejak_status_.ok()) return jejak_status_; \
  } while (0)
