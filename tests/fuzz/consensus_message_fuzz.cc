// libFuzzer target: consensus messages from a peer, as the node handles them: the wire bytes
// (v1::ConsensusMessage) through DecodeConsensusMessage into a live consensus core (validator 0
// of 4), interleaved with clock ticks.
//
// The fuzzer plays validators 1..3. It cannot forge the fake signatures of tests/sim/fakes.h, so
// an op byte may ask the harness to sign the decoded message as its claimed author and to set
// value ids to the hash of their bytes: that lets inputs reach the core's rules, not only its
// signature check. Three of four being the fuzzer's, the core is outside its fault assumption, so
// only memory safety, bounded work and the codec round trip are checked, not agreement.
//
// Input: records of [op][length: 2 bytes little-endian][length bytes]:
//   op % 4 == 0..2: the bytes are a ConsensusMessage; op & 0x10: sign it; op & 0x20: fix value ids
//   op % 4 == 3:    tick the core (first byte of the record) times
#include <string>

#include "consensus/consensus.h"
#include "consensus/sign_bytes.h"
#include "node/ledger/consensus_codec.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/sim/fakes.h"

using namespace jejak;  // NOLINT
namespace cs = jejak::consensus;
namespace ct = jejak::consensus::testing;

namespace {

constexpr size_t kValidators = 4;
constexpr const char* kChain = "test-chain";

void FixValueId(cs::Value& value) { value.id = ct::Hex64(ct::Hash64(value.bytes)); }

void SignAsAuthor(cs::Message& message, bool fix_ids) {
  if (auto* p = std::get_if<cs::Proposal>(&message)) {
    if (fix_ids) FixValueId(p->value);
    p->signature = ct::FakeSign(ct::PublicKeyOf(p->proposer), cs::ProposalSignBytes(kChain, *p));
  } else if (auto* v = std::get_if<cs::Vote>(&message)) {
    v->signature = ct::FakeSign(ct::PublicKeyOf(v->validator), cs::VoteSignBytes(kChain, *v));
  } else if (auto* c = std::get_if<cs::Commit>(&message)) {
    if (fix_ids) {
      FixValueId(c->value);
      c->certificate.value_id = c->value.id;
    }
    for (cs::Vote& vote : c->certificate.precommits) {
      if (fix_ids) vote.value_id = c->value.id;
      vote.signature = ct::FakeSign(ct::PublicKeyOf(vote.validator), cs::VoteSignBytes(kChain, vote));
    }
  }
}

void CheckRoundTrip(const cs::Message& message) {
  Result<cs::Message> again = ledger::DecodeConsensusMessage(ledger::EncodeConsensusMessage(message));
  if (!again.ok()) fuzz::Fail("a decoded message does not decode again: " + again.status().ToString());
  if (!(*again == message)) fuzz::Fail("the codec round trip changed a message");
}

void Drain(cs::Core& core) {
  while (core.HasReady()) core.Advance(core.TakeReady());
}

void WriteSeeds() {
  cs::Value value = ct::MakeValue(1, "seed");
  cs::Proposal proposal{1, 0, value, -1, 1, ""};
  cs::Vote prevote{cs::VoteType::kPrevote, 1, 0, value.id, 2, ""};
  cs::Vote precommit{cs::VoteType::kPrecommit, 1, 0, value.id, 3, ""};
  cs::Commit commit{value, {1, 0, value.id, {}}};
  for (cs::ValidatorIndex i = 1; i < kValidators; ++i) {
    commit.certificate.precommits.push_back({cs::VoteType::kPrecommit, 1, 0, value.id, i, ""});
  }
  std::string all;
  auto record = [&](uint8_t op, const std::string& bytes) {
    all.push_back(static_cast<char>(op));
    all.push_back(static_cast<char>(bytes.size() & 0xff));
    all.push_back(static_cast<char>(bytes.size() >> 8));
    all += bytes;
  };
  int n = 0;
  for (const cs::Message& m : {cs::Message(proposal), cs::Message(prevote), cs::Message(precommit),
                               cs::Message(commit)}) {
    const std::string bytes = ledger::EncodeConsensusMessage(m).SerializeAsString();
    std::string one;
    one.push_back(0x30);
    one.push_back(static_cast<char>(bytes.size() & 0xff));
    one.push_back(static_cast<char>(bytes.size() >> 8));
    fuzz::WriteSeed("message-" + std::to_string(n++), one + bytes);
    record(0x30, bytes);
  }
  record(3, std::string(1, '\x40'));
  fuzz::WriteSeed("sequence", all);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  WriteSeeds();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ct::FakeSigner signer(ct::PublicKeyOf(0));
  ct::FakeVerifier verifier;
  ct::TestApp app("node0");
  cs::Core core(ct::MakeConfig(0), ct::MakeValidators(kValidators), app, signer, verifier, 1,
                std::nullopt);
  std::string_view in = fuzz::AsText(data, size);
  while (in.size() >= 3) {
    const uint8_t op = static_cast<uint8_t>(in[0]);
    const size_t length = static_cast<uint8_t>(in[1]) | (static_cast<size_t>(static_cast<uint8_t>(in[2])) << 8);
    in.remove_prefix(3);
    const std::string_view body = in.substr(0, length);
    in.remove_prefix(body.size());
    if (op % 4 == 3) {
      const int ticks = body.empty() ? 1 : static_cast<uint8_t>(body[0]);
      for (int i = 0; i < ticks; ++i) {
        core.Tick();
        Drain(core);
      }
      continue;
    }
    v1::ConsensusMessage proto;
    if (!proto.ParseFromArray(body.data(), static_cast<int>(body.size()))) continue;
    Result<cs::Message> message = ledger::DecodeConsensusMessage(proto);
    if (!message.ok()) {
      if (message.status().message().empty()) fuzz::Fail("a refusal without a reason");
      continue;
    }
    CheckRoundTrip(*message);
    if (op & 0x10) SignAsAuthor(*message, (op & 0x20) != 0);
    (void)core.Step(*message);
    Drain(core);
  }
  return 0;
}
