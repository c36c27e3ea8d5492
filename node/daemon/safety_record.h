// The consensus safety record in the store's metadata (synced before any vote leaves the node).
#pragma once

#include <optional>

#include "consensus/types.h"
#include "node/base/status.h"
#include "node/storage/store.h"

namespace jejak::daemon {

inline constexpr const char* kSafetyRecordKey = "consensus/safety_record";

Status SaveSafetyRecord(storage::Store& store, const consensus::SafetyRecord& record);
// nullopt when this node never signed anything.
Result<std::optional<consensus::SafetyRecord>> LoadSafetyRecord(const storage::Store& store);

}  // namespace jejak::daemon
