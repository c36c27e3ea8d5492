#include "node/daemon/safety_record.h"

#include "jejak/v1/consensus.pb.h"
#include "node/daemon/consensus_codec.h"

#include <optional>

namespace jejak::daemon {
namespace {

consensus::Value FromProto(const v1::ConsensusValue& value) { return {value.id(), value.bytes()}; }

std::optional<consensus::Vote> FromProto(const v1::VoteProto& vote) {
  if (vote.type() != static_cast<uint32_t>(consensus::VoteType::kPrevote) &&
      vote.type() != static_cast<uint32_t>(consensus::VoteType::kPrecommit)) {
    return std::nullopt;
  }
  return consensus::Vote{static_cast<consensus::VoteType>(vote.type()), vote.height(), vote.round(),
                         vote.value_id(), vote.validator(), vote.signature()};
}

}  // namespace

Status SaveSafetyRecord(storage::Store& store, const consensus::SafetyRecord& record) {
  v1::SafetyRecordProto proto;
  proto.set_height(record.height);
  proto.set_round(record.round);
  proto.set_step(static_cast<uint32_t>(record.step));
  proto.set_value_id(record.value_id);
  proto.set_signature(record.signature);
  proto.set_locked_round(record.locked_round);
  EncodeValue(record.locked_value, proto.mutable_locked_value());
  proto.set_valid_round(record.valid_round);
  EncodeValue(record.valid_value, proto.mutable_valid_value());
  if (record.round_prevote) EncodeVote(*record.round_prevote, proto.mutable_round_prevote());
  for (const consensus::Vote& vote : record.valid_polka) EncodeVote(vote, proto.add_valid_polka());
  for (const consensus::Vote& vote : record.round_change_precommits) {
    EncodeVote(vote, proto.add_round_change_precommits());
  }
  return store.PutMetaSynced(kSafetyRecordKey, proto.SerializeAsString());
}

Result<std::optional<consensus::SafetyRecord>> LoadSafetyRecord(const storage::Store& store) {
  Result<std::optional<std::string>> bytes = store.GetMeta(kSafetyRecordKey);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return std::optional<consensus::SafetyRecord>();
  v1::SafetyRecordProto proto;
  if (!proto.ParseFromString(**bytes) || proto.step() > 2) {
    return Status::Corruption("the stored consensus safety record does not parse");
  }
  consensus::SafetyRecord record;
  record.height = proto.height();
  record.round = proto.round();
  record.step = static_cast<consensus::RoundStep>(proto.step());
  record.value_id = proto.value_id();
  record.signature = proto.signature();
  record.locked_round = proto.locked_round();
  record.locked_value = FromProto(proto.locked_value());
  record.valid_round = proto.valid_round();
  record.valid_value = FromProto(proto.valid_value());
  const auto corrupt = Status::Corruption("a vote in the stored consensus safety record is corrupt");
  if (proto.has_round_prevote()) {
    record.round_prevote = FromProto(proto.round_prevote());
    if (!record.round_prevote) return corrupt;
  }
  for (const v1::VoteProto& stored : proto.valid_polka()) {
    std::optional<consensus::Vote> vote = FromProto(stored);
    if (!vote) return corrupt;
    record.valid_polka.push_back(std::move(*vote));
  }
  for (const v1::VoteProto& stored : proto.round_change_precommits()) {
    std::optional<consensus::Vote> vote = FromProto(stored);
    if (!vote) return corrupt;
    record.round_change_precommits.push_back(std::move(*vote));
  }
  return std::optional<consensus::SafetyRecord>(std::move(record));
}

}  // namespace jejak::daemon
