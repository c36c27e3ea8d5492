// The simulated clients of the real-replica simulator: cooperatives' supply-chain events, as
// node/ledger/event_builders.h builds them and signed with real agent keys. Lots are commissioned,
// shipped, received and roasted, each step once a client was told the one before is committed;
// mixed in are what a ledger must refuse: the same lot commissioned twice, a lot shipped to two
// parties, a lot roasted twice over (over-consumption), receipts by the wrong party, duplicates
// and forged signatures. Conflicting pairs are sent to two validators at once. Now and then an
// organisation changes its clerk's key by a governance entry signed with its admin key (a
// rotation, or a revocation with a replacement); its clerk signs with the new key once told the
// change is committed, so events still in flight with the old one are refused.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "jejak/v1/event.pb.h"
#include "node/crypto/ed25519.h"
#include "node/ledger/genesis.h"
#include "tests/sim/rng.h"

namespace jejak::sim {

// Three member organisations (a producer cooperative, a roaster, a carrier) and validators
// v1..vN (N = `validators`) with consensus keys ValidatorKey(0..N-1).
ledger::Genesis SimGenesis(size_t validators);
crypto::PrivateKey ValidatorKey(size_t index);

struct ClientRequest {
  std::vector<v1::SignedEvent> events;  // one submission: all or nothing
  std::string kind;                     // what the client meant: "commission", "conflicting-ship"...
};

class Workload {
 public:
  Workload(uint64_t seed, const ledger::Genesis& genesis);

  // What clients send next, at `wall_ms`: one request, or two that conflict (meant for two
  // different validators).
  std::vector<ClientRequest> Next(int64_t wall_ms);
  // A client was told this event is committed: the lot's next step may be built on it.
  void Acknowledged(const std::string& event_id);

 private:
  // In the order a lot goes through them; kDone: nothing more is built on it.
  enum class Stage { kCommissioned, kShipped, kReceived, kDone };
  struct Lot {
    std::string id;
    Stage stage = Stage::kCommissioned;
    bool settled = false;  // the event that brought it to `stage` is acknowledged
  };
  struct Step {
    size_t lot = 0;
    Stage stage = Stage::kCommissioned;
  };

  ClientRequest Commission(int64_t wall_ms, int64_t kilos, const std::string& lot, bool and_ship);
  std::vector<ClientRequest> Advance(int64_t wall_ms);
  std::vector<ClientRequest> Conflict(int64_t wall_ms);
  ClientRequest Duplicate();
  ClientRequest Forged(int64_t wall_ms);
  ClientRequest ChangeKey(int64_t wall_ms);
  // Signs `event` by `org`'s agent key and adds it to `request`; `step` applies on acknowledgement.
  void Add(ClientRequest* request, const std::string& org, const v1::Event& event, std::optional<Step> step);
  int64_t EventTime(int64_t wall_ms);
  std::string NewLotId(const std::string& org);
  std::vector<size_t> SettledLots(Stage stage) const;

  Rng rng_;
  std::string chain_id_;
  std::map<std::string, crypto::PrivateKey> agent_keys_;  // by organisation
  std::map<std::string, crypto::PrivateKey> admin_keys_;  // by organisation
  struct KeyChange {
    std::string organisation;
    crypto::PrivateKey key;
  };
  std::map<std::string, KeyChange> key_changes_;  // governance entry id -> the clerk's next key
  std::vector<Lot> lots_;
  std::map<std::string, Step> steps_;  // event id -> what its acknowledgement means
  std::vector<v1::SignedEvent> sent_;  // for duplicates
  uint64_t next_lot_ = 1;
  int64_t last_event_ms_ = 0;
};

}  // namespace jejak::sim
