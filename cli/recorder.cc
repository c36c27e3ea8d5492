#include "cli/recorder.h"

#include <algorithm>
#include <sstream>
#include <string_view>

#include "node/epcis/document.h"
#include "node/ledger/genesis.h"
#include "node/ledger/membership.h"
#include "node/ledger/signing.h"
#include "node/net/ledger_client.h"

namespace jejak::cli {

Status NumberRefusedEvent(const Status& refused, size_t first_number) {
  if (!refused.event_index()) return refused;
  const std::string reason(refused.event_reason());
  const size_t index = (first_number == 0 ? 0 : first_number - 1) + *refused.event_index();
  const std::string prefix = first_number == 0 ? "" : "event " + std::to_string(index + 1) + ": ";
  return Status::FromParts(refused.code(), prefix + reason, refused.rule_code(), static_cast<uint32_t>(index),
                           reason.size());
}

namespace {

// --as ORG says who signs. With --key FILE as well, the key decides (the ledger knows a signer
// only by its key), so a key of another organisation would silently sign as that one: refuse.
Status CheckSignsAs(const GlobalOptions& options, const ledger::Membership& membership,
                    const std::string& key_id, const std::string& key_organisation) {
  if (options.as_org.empty() || options.as_org == key_organisation) return Status::Ok();
  const std::string key = options.key_path.empty() ? "the key of --as" : "--key " + options.key_path;
  if (membership.FindOrganisation(options.as_org) == nullptr) {
    return Status::Invalid("--as " + options.as_org + ": no such organisation in the network (" + key +
                           " is an agent key of " +
                           key_organisation + ")");
  }
  return Status::Invalid("--as " + options.as_org + " but " + key + " (key " + key_id +
                         ") is an agent key of " + key_organisation + ", not of " +
                         options.as_org + ": give " + options.as_org +
                         "'s key, or leave out --as to sign as " + key_organisation);
}

}  // namespace

Result<Signer> LoadSigner(const GlobalOptions& options) {
  auto path = GenesisPath(options);
  if (!path.ok()) return path.status();
  auto text = ReadTextFile(*path, ledger::kMaxGenesisBytes);
  if (!text.ok()) return text.status();
  auto genesis = ledger::ParseGenesis(*text);
  if (!genesis.ok()) return genesis.status().WithContext("genesis " + *path);
  auto key = LoadSigningKey(options);
  if (!key.ok()) return key.status();
  std::string key_id = crypto::KeyId(key->public_key());
  // The genesis knows the first keys; one that governance added later, the node knows.
  std::shared_ptr<const ledger::Membership> membership = ledger::Membership::FromGenesis(*genesis);
  std::optional<ledger::MemberKey> member = membership->FindKey(key_id);
  std::string where = "the genesis " + *path;
  if (!member) {
    auto endpoint = NodeEndpoint(options);
    if (endpoint.ok()) {
      auto governance = net::LedgerClient(*endpoint).GetGovernance();
      if (!governance.ok()) return governance.status().WithContext("looking up key " + key_id + " on the node");
      auto current = ledger::Membership::FromRecord(governance->membership());
      if (!current.ok()) return current.status();
      membership = *current;
      member = membership->FindKey(key_id);
      where = "the genesis nor on node " + endpoint->address;
    }
  }
  if (!member) {
    return Status::PermissionDenied("signing key " + key_id + " is not an agent key of any " +
                                    "organisation in " + where);
  }
  if (member->key->status() != v1::AGENT_KEY_ACTIVE) {
    const v1::AgentKeyRecord& k = *member->key;
    const std::string why = k.status() == v1::AGENT_KEY_REVOKED   ? "was revoked"
                            : k.status() == v1::AGENT_KEY_ROTATED ? "was rotated out (its successor is key " +
                                                                        k.replaced_by_key_id() + ")"
                                                                  : "is retired (inactive in the genesis)";
    return Status::PermissionDenied("signing key " + key_id + " (" + k.name() + ") of " + member->organisation->id() +
                                    " " + why + ": use an active key");
  }
  const std::string& organisation = member->organisation->id();
  JEJAK_RETURN_IF_ERROR(CheckSignsAs(options, *membership, key_id, organisation));
  return Signer{std::move(key).value(), key_id, genesis->chain_id, organisation};
}

Result<std::vector<v1::SignedEvent>> SignAll(const Signer& signer,
                                             const std::vector<v1::Event>& events) {
  std::vector<v1::SignedEvent> out;
  out.reserve(events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    auto signed_event = ledger::SignEvent(signer.key, signer.chain_id, events[i]);
    if (!signed_event.ok())
      return signed_event.status().WithContext("event " + std::to_string(i + 1));
    out.push_back(std::move(signed_event).value());
  }
  return out;
}

int RecordEvent(const GlobalOptions& options, const Signer& signer,
                const Result<v1::Event>& built) {
  Output out(options);
  if (!built.ok()) return out.Fail(built.status());
  auto endpoint = NodeEndpoint(options);
  if (!endpoint.ok()) return out.Fail(endpoint.status());
  auto signed_events = SignAll(signer, {*built});
  if (!signed_events.ok()) return out.Fail(signed_events.status());
  net::LedgerClient client(*endpoint);
  auto response = client.SubmitEvents(*signed_events);
  // The node numbers events within the request; with one event the number says nothing.
  if (!response.ok()) return out.Fail(NumberRefusedEvent(response.status(), 0));
  if (response->results_size() != 1) {
    return out.Fail(Status::Internal("the node answered " +
                                     std::to_string(response->results_size()) +
                                     " results for one event"));
  }
  const v1::SubmitResult& result = response->results(0);
  std::ostringstream human;
  human << (result.already_committed() ? "already committed: " : "committed: ") << result.event_id()
        << "\nblock height: " << result.height() << "\n";
  nlohmann::json data = {{"event_id", result.event_id()},
                         {"height", result.height()},
                         {"already_committed", result.already_committed()},
                         {"signer_organization", signer.organisation}};
  auto event_json = epcis::EventToJson(*built);
  if (event_json.ok()) data["event"] = *event_json;
  out.Print(human.str(), data);
  return 0;
}

int RecordEvent(const GlobalOptions& options, const Result<v1::Event>& built) {
  if (!built.ok()) return Output(options).Fail(built.status());
  auto signer = LoadSigner(options);
  if (!signer.ok()) return Output(options).Fail(signer.status());
  return RecordEvent(options, *signer, built);
}

int RecordEvent(const GlobalOptions& options,
                const std::function<Result<v1::Event>(const Signer&)>& build) {
  auto signer = LoadSigner(options);
  if (!signer.ok()) return Output(options).Fail(signer.status());
  return RecordEvent(options, *signer, build(*signer));
}

std::vector<Batch> PlanBatches(const std::vector<size_t>& event_bytes, size_t max_events,
                               size_t max_bytes) {
  std::vector<Batch> batches;
  max_events = std::max<size_t>(max_events, 1);
  size_t begin = 0;
  size_t bytes = 0;
  for (size_t i = 0; i < event_bytes.size(); ++i) {
    bool full = i - begin >= max_events || (i > begin && bytes + event_bytes[i] > max_bytes);
    if (full) {
      batches.push_back({begin, i});
      begin = i;
      bytes = 0;
    }
    bytes += event_bytes[i];
  }
  if (begin < event_bytes.size()) batches.push_back({begin, event_bytes.size()});
  return batches;
}

}  // namespace jejak::cli
