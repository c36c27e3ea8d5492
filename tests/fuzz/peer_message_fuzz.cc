// libFuzzer target: a PeerMessage as a validator's stream delivers it (PeerService.Exchange ->
// Node::OnPeerMessage): consensus messages through DecodeConsensusMessage, gossiped signed
// events through what Node::VerifyEach does to each (bounded size, Event decoding, the ledger
// event id, the signature against the genesis' agent keys), plus the capture validation the
// ledger rules rely on.
//
// Checked besides "never crashes": a decoded consensus message survives the codec round trip.
// The seeds' events are signed by the test genesis' keys, so mutations reach the signature check.
#include <string>

#include "jejak/v1/peer_service.pb.h"
#include "node/ledger/consensus_codec.h"
#include "node/epcis/validate.h"
#include "node/ledger/ledger.h"
#include "node/ledger/signing.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/unit/ledger/test_support.h"

using namespace jejak;  // NOLINT

namespace {

const ledger::Genesis& TheGenesis() {
  static const ledger::Genesis genesis = ledger::testing::TestGenesis();
  return genesis;
}

const ledger::Membership& TheKeys() {
  static const std::shared_ptr<const ledger::Membership> keys = ledger::Membership::FromGenesis(TheGenesis());
  return *keys;
}

void CheckSignedEvent(const v1::SignedEvent& signed_event) {
  if (signed_event.event_bytes().size() > ledger::kMaxEventBytes) return;
  v1::Event event;
  if (!event.ParseFromString(signed_event.event_bytes())) return;
  (void)ledger::LedgerEventId(event);
  (void)epcis::ValidateForCapture(event);
  (void)ledger::VerifyEntrySignature(TheKeys(), TheGenesis().chain_id, signed_event);
}

void WriteSeeds() {
  using namespace ledger::testing;  // NOLINT
  Events events;
  const std::string lot = "urn:jejak:lot:koperasi-gayo:a";
  v1::PeerMessage gossip;
  *gossip.mutable_events()->add_events() = Sign(kGayo, events.Commission(lot, 100));
  *gossip.mutable_events()->add_events() = Sign(kGayo, events.Ship(lot, kRoasterPgln));
  *gossip.mutable_events()->add_events() = Sign(kRoaster, events.Receive(lot));
  fuzz::WriteSeed("gossip", gossip.SerializeAsString());
  consensus::Value value{std::string(32, 'v'), "block bytes"};
  v1::PeerMessage vote;
  *vote.mutable_consensus() = ledger::EncodeConsensusMessage(
      consensus::Vote{consensus::VoteType::kPrevote, 7, 1, value.id, 2, std::string(64, 's')});
  fuzz::WriteSeed("vote", vote.SerializeAsString());
  v1::PeerMessage proposal;
  *proposal.mutable_consensus() =
      ledger::EncodeConsensusMessage(consensus::Proposal{7, 1, value, 0, 1, std::string(64, 's')});
  fuzz::WriteSeed("proposal", proposal.SerializeAsString());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  (void)TheKeys();
  WriteSeeds();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v1::PeerMessage message;
  if (!message.ParseFromArray(data, static_cast<int>(size))) return 0;
  if (message.has_consensus()) {
    Result<consensus::Message> decoded = ledger::DecodeConsensusMessage(message.consensus());
    if (decoded.ok()) {
      Result<consensus::Message> again =
          ledger::DecodeConsensusMessage(ledger::EncodeConsensusMessage(*decoded));
      if (!again.ok() || !(*again == *decoded)) fuzz::Fail("the codec round trip changed a message");
    } else if (decoded.status().message().empty()) {
      fuzz::Fail("a refusal without a reason");
    }
  }
  if (message.has_events()) {
    for (const v1::SignedEvent& signed_event : message.events().events()) CheckSignedEvent(signed_event);
  }
  return 0;
}
