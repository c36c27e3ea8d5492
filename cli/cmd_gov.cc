// jejak gov propose|approve|rotate-own-key|revoke-own-key|list|show, jejak orgs, jejak validators:
// governance entries signed with an organisation's admin key, and the membership they made.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <sstream>

#include "cli/cli_context.h"
#include "cli/commands.h"
#include "cli/recorder.h"
#include "node/crypto/hex.h"
#include "node/epcis/quantity.h"
#include "node/epcis/rfc3339.h"
#include "node/ledger/genesis.h"
#include "node/ledger/governance.h"
#include "node/ledger/membership.h"
#include "node/net/ledger_client.h"

namespace jejak::cli {
namespace {
namespace fs = std::filesystem;
using Json = nlohmann::json;

// Governance is signed with the admin key: --key, else <home>/keys/admin/<--as>.pem.
GlobalOptions AdminOptions(const GlobalOptions& options) {
  GlobalOptions admin = options;
  if (admin.key_path.empty() && !admin.home.empty() && !admin.as_org.empty()) {
    admin.key_path = (fs::path(admin.home) / kAgentKeysDir / kAdminKeysDir / (admin.as_org + ".pem")).string();
  }
  return admin;
}

// 64 hex digits, or a PEM file holding a public or a private Ed25519 key.
Result<std::string> PublicKeyArgument(const std::string& text) {
  if (text.size() == 64) {
    auto raw = crypto::FromHex(text);
    if (raw.ok()) return raw;
  }
  if (auto public_key = crypto::LoadPublicKeyPem(text); public_key.ok()) return public_key;
  auto private_key = crypto::PrivateKey::LoadPem(text);
  if (!private_key.ok()) {
    return Status::Invalid("--public-key " + text + ": neither 64 hex digits nor a readable key file (" +
                           private_key.status().message() + ")");
  }
  return private_key->public_key();
}

Result<int64_t> TimeArgument(const std::string& flag, const std::string& text) {
  auto ms = epcis::ParseRfc3339Ms(text);
  if (!ms.ok()) return ms.status().WithContext(flag);
  return *ms;
}

std::string ApprovalsText(const v1::ProposalRecord& p, uint64_t required) {
  const std::string count = std::to_string(p.approvals_size());
  if (p.status() == v1::PROPOSAL_APPLIED) return count + (p.approvals_size() == 1 ? " approval" : " approvals");
  return count + " of " + std::to_string(required) + " approvals";
}

std::string ProposalState(const v1::ProposalRecord& p, uint64_t head) {
  if (p.status() == v1::PROPOSAL_APPLIED) return "applied";
  // The next approval would land at head + 1 at the earliest.
  return head >= p.expires_after_height() ? "expired" : "open";
}

Json ProposalJson(const v1::ProposalRecord& p, uint64_t head, uint64_t required) {
  Json approvals = Json::array();
  for (const v1::ProposalApproval& a : p.approvals()) {
    approvals.push_back({{"organisation", a.organisation()}, {"entry_id", a.entry_id()}, {"height", a.height()}});
  }
  return {{"id", p.id()},
          {"change", ledger::DescribeChange(p.change())},
          {"memo", p.memo()},
          {"status", ProposalState(p, head)},
          {"proposer", p.proposer_organisation()},
          {"proposed_at_height", p.proposed_at_height()},
          {"expires_after_height", p.expires_after_height()},
          {"applied_at_height", p.applied_at_height()},
          {"approvals", approvals},
          {"required_approvals", required}};
}

// Signs `tx` with the admin key, submits it, waits for its commit, prints what became of it.
int SubmitGovernance(const GlobalOptions& global, v1::GovernanceTx tx) {
  const GlobalOptions options = AdminOptions(global);
  Output out(options);
  auto signer = LoadSigner(options);
  if (!signer.ok()) return out.Fail(signer.status());
  auto endpoint = NodeEndpoint(options);
  if (!endpoint.ok()) return out.Fail(endpoint.status());
  tx.set_format_version(ledger::kGovernanceFormatVersion);
  tx.set_organisation(signer->organisation);
  tx.set_issued_at_ms(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  auto entry = ledger::SignGovernance(signer->key, signer->chain_id, tx);
  if (!entry.ok()) return out.Fail(entry.status());
  net::LedgerClient client(*endpoint);
  auto response = client.SubmitEvents({*entry});
  if (!response.ok()) return out.Fail(NumberRefusedEvent(response.status(), 0));
  if (response->results_size() != 1) return out.Fail(Status::Internal("the node answered no result"));
  const v1::SubmitResult& result = response->results(0);
  std::ostringstream human;
  human << (result.already_committed() ? "already committed: " : "committed: ") << result.event_id()
        << "\nblock height: " << result.height() << "\n";
  Json data = {{"entry_id", result.event_id()}, {"height", result.height()},
               {"already_committed", result.already_committed()}, {"signer_organization", signer->organisation}};
  const std::string proposal_id = tx.has_approve() ? tx.approve() : tx.has_propose() ? result.event_id() : "";
  if (!proposal_id.empty()) {
    auto state = client.GetGovernance(proposal_id);
    if (state.ok() && state->proposals_size() == 1) {
      const v1::ProposalRecord& p = state->proposals(0);
      human << "proposal " << p.id() << ": " << ProposalState(p, state->height()) << ", "
            << ApprovalsText(p, state->required_approvals()) << " (" << ledger::DescribeChange(p.change()) << ")\n";
      data["proposal"] = ProposalJson(p, state->height(), state->required_approvals());
    }
  } else {
    human << "applied: " << ledger::DescribeChange(tx.own_key()) << "\n";
  }
  out.Print(human.str(), data);
  return 0;
}

struct KeyArgs {
  std::string organisation, old_key_id, key_id, name, public_key, compromised_since, memo;
  bool admin = false;
};

Result<v1::AgentKeySpec> KeySpecOf(const KeyArgs& args) {
  auto public_key = PublicKeyArgument(args.public_key);
  if (!public_key.ok()) return public_key.status();
  v1::AgentKeySpec spec;
  spec.set_name(args.name);
  spec.set_public_key(*public_key);
  spec.set_admin(args.admin);
  return spec;
}

Result<v1::GovernanceChange> RotateChange(const KeyArgs& args) {
  auto spec = KeySpecOf(args);
  if (!spec.ok()) return spec.status();
  v1::GovernanceChange change;
  change.mutable_rotate_agent_key()->set_organisation(args.organisation);
  change.mutable_rotate_agent_key()->set_old_key_id(args.old_key_id);
  *change.mutable_rotate_agent_key()->mutable_new_key() = *spec;
  return change;
}

Result<v1::GovernanceChange> RevokeChange(const KeyArgs& args) {
  v1::GovernanceChange change;
  if (!args.public_key.empty()) {
    if (args.name.empty()) return Status::Invalid("--replacement-key needs --replacement-name");
    auto spec = KeySpecOf(args);
    if (!spec.ok()) return spec.status();
    *change.mutable_revoke_agent_key()->mutable_replacement() = *spec;
  }
  change.mutable_revoke_agent_key()->set_organisation(args.organisation);
  change.mutable_revoke_agent_key()->set_key_id(args.key_id);
  if (!args.compromised_since.empty()) {
    auto since = TimeArgument("--compromised-since", args.compromised_since);
    if (!since.ok()) return since.status();
    change.mutable_revoke_agent_key()->set_compromised_since_ms(*since);
  }
  return change;
}

int Propose(const GlobalOptions& options, const Result<v1::GovernanceChange>& change, const std::string& memo) {
  if (!change.ok()) return Output(options).Fail(change.status());
  v1::GovernanceTx tx;
  *tx.mutable_propose() = *change;
  tx.set_memo(memo);
  return SubmitGovernance(options, std::move(tx));
}

int OwnKey(const GlobalOptions& options, const Result<v1::GovernanceChange>& change, const std::string& memo) {
  if (!change.ok()) return Output(options).Fail(change.status());
  v1::GovernanceTx tx;
  *tx.mutable_own_key() = *change;
  tx.set_memo(memo);
  return SubmitGovernance(options, std::move(tx));
}

Result<v1::GetGovernanceResponse> FetchGovernance(const GlobalOptions& options, const std::string& id = "") {
  auto endpoint = NodeEndpoint(options);
  if (!endpoint.ok()) return endpoint.status();
  return net::LedgerClient(*endpoint).GetGovernance(id);
}

int List(const GlobalOptions& options, const std::string& id) {
  Output out(options);
  auto state = FetchGovernance(options, id);
  if (!state.ok()) return out.Fail(state.status());
  std::ostringstream human;
  Json list = Json::array();
  for (const v1::ProposalRecord& p : state->proposals()) {
    list.push_back(ProposalJson(p, state->height(), state->required_approvals()));
    human << p.id() << "  " << ProposalState(p, state->height()) << "  "
          << ApprovalsText(p, state->required_approvals()) << "  " << ledger::DescribeChange(p.change()) << "\n";
    if (id.empty()) continue;
    human << "  proposed by " << p.proposer_organisation() << " at block " << p.proposed_at_height()
          << ", approvals count until block " << p.expires_after_height() << "\n";
    if (!p.memo().empty()) human << "  memo: " << p.memo() << "\n";
    for (const v1::ProposalApproval& a : p.approvals()) {
      human << "  approved by " << a.organisation() << " at block " << a.height() << " (" << a.entry_id() << ")\n";
    }
    if (p.status() == v1::PROPOSAL_APPLIED) human << "  applied at block " << p.applied_at_height() << "\n";
  }
  if (state->proposals().empty()) human << "no proposals\n";
  out.Print(human.str(), id.empty() ? Json{{"height", state->height()}, {"proposals", list}} : list[0]);
  return 0;
}

const char* OrgStatusName(v1::OrganisationStatus status) {
  switch (status) {
    case v1::ORGANISATION_ACTIVE: return "active";
    case v1::ORGANISATION_SUSPENDED: return "suspended";
    case v1::ORGANISATION_REMOVED: return "removed";
    default: return "unknown";
  }
}

const char* KeyStatusName(v1::AgentKeyStatus status) {
  switch (status) {
    case v1::AGENT_KEY_ACTIVE: return "active";
    case v1::AGENT_KEY_INACTIVE: return "inactive";
    case v1::AGENT_KEY_ROTATED: return "rotated";
    case v1::AGENT_KEY_REVOKED: return "revoked";
    default: return "unknown";
  }
}

int Orgs(const GlobalOptions& options) {
  Output out(options);
  auto state = FetchGovernance(options);
  if (!state.ok()) return out.Fail(state.status());
  std::ostringstream human;
  Json orgs = Json::array();
  for (const v1::OrganisationRecord& org : state->membership().organisations()) {
    std::string roles;
    for (const std::string& role : org.roles()) roles += (roles.empty() ? "" : ", ") + role;
    human << org.id() << "  " << OrgStatusName(org.status()) << "  " << roles << "  " << org.name() << "\n";
    Json keys = Json::array();
    for (const v1::AgentKeyRecord& key : org.agent_keys()) {
      human << "  key " << key.key_id() << "  " << key.name() << "  " << KeyStatusName(key.status())
            << (key.admin() ? ", admin" : "");
      if (key.changed_at_height() > 0) human << ", since block " << key.changed_at_height();
      if (key.has_compromised_since_ms()) {
        human << ", compromised since " << epcis::FormatRfc3339Ms(key.compromised_since_ms());
      }
      human << "\n";
      Json k = {{"key_id", key.key_id()}, {"name", key.name()}, {"public_key", crypto::ToHex(key.public_key())},
                {"status", KeyStatusName(key.status())}, {"admin", key.admin()},
                {"changed_at_height", key.changed_at_height()}};
      if (key.has_compromised_since_ms()) k["compromised_since"] = epcis::FormatRfc3339Ms(key.compromised_since_ms());
      if (!key.replaced_by_key_id().empty()) k["replaced_by_key_id"] = key.replaced_by_key_id();
      keys.push_back(k);
    }
    orgs.push_back({{"id", org.id()}, {"name", org.name()}, {"status", OrgStatusName(org.status())},
                    {"roles", Json(std::vector<std::string>(org.roles().begin(), org.roles().end()))},
                    {"party_ids", Json(std::vector<std::string>(org.party_ids().begin(), org.party_ids().end()))},
                    {"joined_at_height", org.joined_at_height()}, {"agent_keys", keys}});
  }
  auto threshold = epcis::Quantity::FromMicros(state->membership().governance_threshold_micros());
  const std::string fraction = threshold.ok() ? threshold->ToString() : "?";
  human << "governance: " << state->required_approvals() << " approvals apply a proposal (threshold " << fraction
        << " of the active organisations)\n";
  out.Print(human.str(), {{"height", state->height()}, {"organisations", orgs}, {"governance_threshold", fraction},
                          {"required_approvals", state->required_approvals()}});
  return 0;
}

int Validators(const GlobalOptions& options) {
  Output out(options);
  auto state = FetchGovernance(options);
  if (!state.ok()) return out.Fail(state.status());
  std::ostringstream human;
  Json list = Json::array();
  for (const v1::ValidatorRecord& v : state->membership().validators()) {
    human << v.id() << "  " << v.organisation() << "  " << v.address() << "  node key "
          << crypto::ToHex(v.public_key()) << "\n";
    list.push_back({{"id", v.id()}, {"organisation", v.organisation()}, {"address", v.address()},
                    {"public_key", crypto::ToHex(v.public_key())},
                    {"tls_cert_sha256", crypto::ToHex(v.tls_cert_sha256())}});
  }
  out.Print(human.str(), {{"height", state->height()}, {"validators", list}});
  return 0;
}

void AddRevokeOptions(CLI::App* cmd, KeyArgs& args) {
  cmd->add_option("--key", args.key_id, "Key id")->required();
  cmd->add_option("--compromised-since", args.compromised_since, "RFC 3339 time since which it may be stolen");
  cmd->add_option("--replacement-name", args.name, "Name of a key that replaces it at once");
  cmd->add_option("--replacement-key", args.public_key, "That key: 64 hex digits or a key file (.pem)");
  cmd->add_flag("--replacement-admin", args.admin, "The replacement signs governance entries");
}

void AddKeyOptions(CLI::App* cmd, KeyArgs& args, bool old_key) {
  if (old_key) cmd->add_option("--old", args.old_key_id, "Key id of the key to replace")->required();
  cmd->add_option("--name", args.name, "Name of the new key (e.g. clerk-2)")->required();
  cmd->add_option("--public-key", args.public_key, "The new key: 64 hex digits or a key file (.pem)")->required();
  cmd->add_flag("--admin", args.admin, "The new key signs governance entries (a replaced admin key's successor always does)");
}

void AddProposeCommands(CLI::App* gov, GlobalOptions& options, int& exit_code) {
  CLI::App* propose = gov->add_subcommand("propose", "Propose a change for the member organisations to approve");
  propose->require_subcommand(1);
  auto memo = std::make_shared<std::string>();
  propose->add_option("--memo", *memo, "Why, in a sentence members will read");
  auto key = std::make_shared<KeyArgs>();
  auto spec = std::make_shared<v1::OrganisationSpec>();
  auto roles = std::make_shared<std::vector<std::string>>();
  auto parties = std::make_shared<std::vector<std::string>>();
  auto keys = std::make_shared<std::vector<std::string>>();
  auto admin_keys = std::make_shared<std::vector<std::string>>();

  CLI::App* add_org = propose->add_subcommand("add-org", "Admit a new organisation");
  add_org->add_option("--id", *spec->mutable_id(), "Organisation id")->required();
  add_org->add_option("--name", *spec->mutable_name(), "Its name")->required();
  add_org->add_option("--role", *roles, "Its roles: producer processor logistics certifier auditor")->required();
  add_org->add_option("--party", *parties, "Its party ids (GS1 PGLN URNs); urn:jejak:org:<id> is added");
  add_org->add_option("--key", *keys, "NAME=PUBLIC_KEY of an agent key (hex or .pem)");
  add_org->add_option("--admin-key", *admin_keys, "NAME=PUBLIC_KEY of an admin agent key (hex or .pem)");
  add_org->callback([&, memo, spec, roles, parties, keys, admin_keys] {
    v1::GovernanceChange change;
    v1::OrganisationSpec& org = *change.mutable_add_organisation() = *spec;
    for (const std::string& r : *roles) org.add_roles(r);
    for (const std::string& p : *parties) org.add_party_ids(p);
    Status failed = Status::Ok();
    auto add_keys = [&](const std::vector<std::string>& list, bool admin) {
      for (const std::string& item : list) {
        const size_t eq = item.find('=');
        if (eq == std::string::npos) {
          failed = Status::Invalid("--key " + item + ": give NAME=PUBLIC_KEY");
          return;
        }
        auto public_key = PublicKeyArgument(item.substr(eq + 1));
        if (!public_key.ok()) {
          failed = public_key.status();
          return;
        }
        v1::AgentKeySpec* k = org.add_agent_keys();
        k->set_name(item.substr(0, eq));
        k->set_public_key(*public_key);
        k->set_admin(admin);
      }
    };
    add_keys(*admin_keys, true);
    add_keys(*keys, false);
    exit_code = failed.ok() ? Propose(options, change, *memo) : Propose(options, failed, *memo);
  });

  for (auto [name, status, help] :
       {std::tuple{"suspend-org", v1::ORGANISATION_SUSPENDED, "Suspend an organisation: its keys sign nothing"},
        std::tuple{"reinstate-org", v1::ORGANISATION_ACTIVE, "Reinstate a suspended organisation"},
        std::tuple{"remove-org", v1::ORGANISATION_REMOVED, "Remove an organisation for good"}}) {
    auto org_id = std::make_shared<std::string>();
    CLI::App* cmd = propose->add_subcommand(name, help);
    cmd->add_option("organisation", *org_id, "Organisation id")->required();
    cmd->callback([&, memo, org_id, status = status] {
      v1::GovernanceChange change;
      change.mutable_set_organisation_status()->set_organisation(*org_id);
      change.mutable_set_organisation_status()->set_status(status);
      exit_code = Propose(options, change, *memo);
    });
  }

  CLI::App* add_key = propose->add_subcommand("add-key", "Add an agent key to an organisation");
  add_key->add_option("--org", key->organisation, "Organisation id")->required();
  AddKeyOptions(add_key, *key, false);
  add_key->callback([&, memo, key] {
    auto spec_of = KeySpecOf(*key);
    if (!spec_of.ok()) {
      exit_code = Propose(options, spec_of.status(), *memo);
      return;
    }
    v1::GovernanceChange change;
    change.mutable_add_agent_key()->set_organisation(key->organisation);
    *change.mutable_add_agent_key()->mutable_key() = *spec_of;
    exit_code = Propose(options, change, *memo);
  });

  CLI::App* rotate = propose->add_subcommand("rotate-key", "Replace an organisation's key with a new one");
  rotate->add_option("--org", key->organisation, "Organisation id")->required();
  AddKeyOptions(rotate, *key, true);
  rotate->callback([&, memo, key] { exit_code = Propose(options, RotateChange(*key), *memo); });

  CLI::App* revoke = propose->add_subcommand("revoke-key", "Revoke an organisation's key");
  revoke->add_option("--org", key->organisation, "Organisation id")->required();
  AddRevokeOptions(revoke, *key);
  revoke->callback([&, memo, key] { exit_code = Propose(options, RevokeChange(*key), *memo); });

  CLI::App* set_roles = propose->add_subcommand("set-roles", "Set an organisation's roles");
  set_roles->add_option("--org", key->organisation, "Organisation id")->required();
  set_roles->add_option("--role", *roles, "Roles")->required();
  set_roles->callback([&, memo, key, roles] {
    v1::GovernanceChange change;
    change.mutable_set_roles()->set_organisation(key->organisation);
    for (const std::string& r : *roles) change.mutable_set_roles()->add_roles(r);
    exit_code = Propose(options, change, *memo);
  });

  auto fraction = std::make_shared<std::string>();
  CLI::App* threshold = propose->add_subcommand("set-threshold", "Set the fraction of members that applies a change");
  threshold->add_option("fraction", *fraction, "Above 0, at most 1 (e.g. 0.67)")->required();
  threshold->callback([&, memo, fraction] {
    auto q = epcis::Quantity::Parse(*fraction);
    if (!q.ok()) {
      exit_code = Propose(options, q.status().WithContext("threshold"), *memo);
      return;
    }
    v1::GovernanceChange change;
    change.mutable_set_threshold()->set_threshold_micros(q->micros());
    exit_code = Propose(options, change, *memo);
  });

  auto product = std::make_shared<std::string>();
  CLI::App* yield = propose->add_subcommand("set-max-yield", "Set (or with 0 remove) a product's maximum yield");
  yield->add_option("product", *product, "Product (as in the genesis product_rules)")->required();
  yield->add_option("yield", *fraction, "Outputs per unit of input, above 0 and at most 1000; 0 removes")->required();
  yield->callback([&, memo, product, fraction] {
    auto q = epcis::Quantity::Parse(*fraction);
    if (!q.ok()) {
      exit_code = Propose(options, q.status().WithContext("yield"), *memo);
      return;
    }
    v1::GovernanceChange change;
    change.mutable_set_max_yield()->set_product(*product);
    change.mutable_set_max_yield()->set_max_yield_micros(q->micros());
    exit_code = Propose(options, change, *memo);
  });
}

}  // namespace

void AddGovernanceCommands(CLI::App& app, GlobalOptions& options, int& exit_code) {
  CLI::App* gov = app.add_subcommand("gov", "Governance: propose and approve changes of the membership");
  gov->require_subcommand(1);
  AddProposeCommands(gov, options, exit_code);

  auto id = std::make_shared<std::string>();
  CLI::App* approve = gov->add_subcommand("approve", "Approve a proposal for your organisation (--as ORG)");
  approve->add_option("id", *id, "Proposal id (gov:...)")->required();
  approve->callback([&, id] {
    v1::GovernanceTx tx;
    tx.set_approve(*id);
    exit_code = SubmitGovernance(options, std::move(tx));
  });

  auto key = std::make_shared<KeyArgs>();
  auto memo = std::make_shared<std::string>();
  CLI::App* rotate = gov->add_subcommand("rotate-own-key", "Replace one of your organisation's keys, at once");
  AddKeyOptions(rotate, *key, true);
  rotate->add_option("--memo", *memo, "Why");
  // The change is of the signer's own organisation, which its admin key tells.
  auto own_key = [&options, &exit_code, key, memo](Result<v1::GovernanceChange> (*change)(const KeyArgs&)) {
    auto signer = LoadSigner(AdminOptions(options));
    if (!signer.ok()) {
      exit_code = Output(options).Fail(signer.status());
      return;
    }
    key->organisation = signer->organisation;
    exit_code = OwnKey(options, change(*key), *memo);
  };
  rotate->callback([own_key] { own_key(RotateChange); });
  CLI::App* revoke = gov->add_subcommand("revoke-own-key", "Revoke one of your organisation's keys, at once");
  AddRevokeOptions(revoke, *key);
  revoke->add_option("--memo", *memo, "Why");
  revoke->callback([own_key] { own_key(RevokeChange); });

  CLI::App* list = gov->add_subcommand("list", "The newest proposals and their state");
  list->callback([&] { exit_code = List(options, ""); });
  auto shown = std::make_shared<std::string>();
  CLI::App* show = gov->add_subcommand("show", "One proposal with its approvals");
  show->add_option("id", *shown, "Proposal id (gov:...)")->required();
  show->callback([&, shown] { exit_code = List(options, *shown); });

  app.add_subcommand("orgs", "Member organisations, their keys and statuses, at the node's head")
      ->callback([&] { exit_code = Orgs(options); });
  app.add_subcommand("validators", "The validator set at the node's head")
      ->callback([&] { exit_code = Validators(options); });
}

}  // namespace jejak::cli
