// What the recording commands share: who signs (the agent key and the chain it signs for, from
// the genesis), signing, submitting to the node and printing what was committed.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli/cli_context.h"
#include "jejak/v1/event.pb.h"
#include "jejak/v1/ledger_service.pb.h"
#include "node/base/status.h"
#include "node/crypto/ed25519.h"

namespace jejak::cli {

struct Signer {
  crypto::PrivateKey key;
  std::string key_id;
  std::string chain_id;
  std::string organisation;  // the genesis organisation the key belongs to
};

// The signing key (--key / --as / --home) and the chain id of the genesis. PermissionDenied when
// the key is not an active agent key of the genesis: the node would refuse what it signs.
Result<Signer> LoadSigner(const GlobalOptions& options);

Result<std::vector<v1::SignedEvent>> SignAll(const Signer& signer,
                                             const std::vector<v1::Event>& events);

// Signs `built`, submits it, waits for its commit and prints the event id and block height (or
// the failure). Returns the process exit code.
int RecordEvent(const GlobalOptions& options, const Signer& signer, const Result<v1::Event>& built);

// The same, loading the signer first (for commands whose event does not depend on it).
int RecordEvent(const GlobalOptions& options, const Result<v1::Event>& built);
// The same, for events that name the signer's organisation: `build` gets the loaded signer.
int RecordEvent(const GlobalOptions& options,
                const std::function<Result<v1::Event>(const Signer&)>& build);

// Submission of many events (jejak capture): consecutive batches of at most `max_events` events
// and `max_bytes` serialised bytes (an event larger than max_bytes goes alone). Each batch is
// [begin, end) of `event_bytes`.
struct Batch {
  size_t begin = 0;
  size_t end = 0;
};
std::vector<Batch> PlanBatches(const std::vector<size_t>& event_bytes, size_t max_events,
                               size_t max_bytes);

// The node's refusal of one event of a request, for the clerk: that event's own reason, numbered
// by its place in what the clerk gave ("event 503: [lot-unknown] ..."), where the request began at
// event `first_number` (counted from 1, as the EPCIS parser counts); `first_number` 0: a request of
// one event, not numbered. Read from the refusal's details (rule code, event index), never from its
// words; the codes stay (and so the exit code), the event index becomes the one in what the clerk
// gave. A refusal about no event (a full queue) is returned as it is.
Status NumberRefusedEvent(const Status& refused, size_t first_number);

}  // namespace jejak::cli
