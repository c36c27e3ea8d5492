#include "node/daemon/safety_record.h"

#include "jejak/v1/consensus.pb.h"

namespace jejak::daemon {
namespace {

void ToProto(const consensus::Value& value, v1::ConsensusValue* out) {
  out->set_id(value.id);
  out->set_bytes(value.bytes);
}

consensus::Value FromProto(const v1::ConsensusValue& value) { return {value.id(), value.bytes()}; }

}  // namespace

Status SaveSafetyRecord(storage::Store& store, const consensus::SafetyRecord& record) {
  v1::SafetyRecordProto proto;
  proto.set_height(record.height);
  proto.set_round(record.round);
  proto.set_step(static_cast<uint32_t>(record.step));
  proto.set_value_id(record.value_id);
  proto.set_signature(record.signature);
  proto.set_locked_round(record.locked_round);
  ToProto(record.locked_value, proto.mutable_locked_value());
  proto.set_valid_round(record.valid_round);
  ToProto(record.valid_value, proto.mutable_valid_value());
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
  return std::optional<consensus::SafetyRecord>(std::move(record));
}

}  // namespace jejak::daemon
