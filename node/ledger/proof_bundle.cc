#include "node/ledger/proof_bundle.h"

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "node/crypto/hex.h"
#include "node/crypto/merkle.h"
#include "node/epcis/json_bounded.h"
#include "node/ledger/genesis.h"
#include "node/ledger/governance.h"
#include "node/ledger/signing.h"

namespace jejak::ledger {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kMaxBundleDepth = 12;
constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 2]);
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kBase64Alphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kBase64Alphabet[n & 63] : '=';
  }
  return out;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Strict: padded, canonical (no stray bits), so one byte string has one text form.
Result<std::string> FromBase64(std::string_view text) {
  if (text.size() % 4 != 0) return Status::Invalid("base64 length is not a multiple of 4");
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    size_t pad = 0;
    uint32_t n = 0;
    for (size_t j = 0; j < 4; ++j) {
      char c = text[i + j];
      bool last_quad = i + 4 == text.size();
      if (c == '=' && last_quad && j >= 2 && (pad > 0 || j == 2 || text[i + 3] == '=')) {
        ++pad;
        n <<= 6;
        continue;
      }
      int v = Base64Value(c);
      if (v < 0 || pad > 0) return Status::Invalid("not base64");
      n = (n << 6) | static_cast<uint32_t>(v);
    }
    if ((pad == 1 && (n & 0xFF) != 0) || (pad == 2 && (n & 0xFFFF) != 0)) {
      return Status::Invalid("not canonical base64");
    }
    out += static_cast<char>((n >> 16) & 0xFF);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xFF);
    if (pad < 1) out += static_cast<char>(n & 0xFF);
  }
  return out;
}

Json HeaderJson(const v1::BlockHeader& h) {
  return Json{{"chain_id", h.chain_id()},
              {"height", h.height()},
              {"time_ms", h.time_ms()},
              {"previous_block_hash", crypto::ToHex(h.previous_block_hash())},
              {"events_root", crypto::ToHex(h.events_root())},
              {"validator_set_hash", crypto::ToHex(h.validator_set_hash())},
              {"proposer", h.proposer()},
              {"event_count", h.event_count()}};
}

Json CertificateJson(const v1::CommitCertificate& c) {
  Json signatures = Json::array();
  for (const v1::CommitSignature& s : c.signatures()) {
    signatures.push_back(
        Json{{"validator_id", s.validator_id()}, {"signature", crypto::ToHex(s.signature())}});
  }
  return Json{{"height", c.height()},
              {"round", c.round()},
              {"block_hash", crypto::ToHex(c.block_hash())},
              {"signatures", std::move(signatures)}};
}

Json EventJson(const ProofEvent& e) {
  Json path = Json::array();
  for (const std::string& hash : e.path) path.push_back(crypto::ToHex(hash));
  const bool governance = IsGovernanceEntry(e.signed_event);
  return Json{{governance ? "entry_id" : "event_id", e.event_id},
              {"height", e.height},
              {"leaf_index", e.leaf_index},
              {governance ? "governance_bytes" : "event_bytes",
               Base64(governance ? e.signed_event.governance_bytes() : e.signed_event.event_bytes())},
              {"signer_key_id", e.signed_event.signer_key_id()},
              {"signature", crypto::ToHex(e.signed_event.signature())},
              {"path", std::move(path)}};
}

Json TraceJson(const ProofTrace& t) {
  Json edges = Json::array();
  for (const ProofEdge& e : t.edges) {
    edges.push_back(
        Json{{"kind", e.kind}, {"from", e.from_lot}, {"to", e.to_lot}, {"event_id", e.event_id}});
  }
  return Json{{"direction", t.direction}, {"lots", t.lot_ids}, {"edges", std::move(edges)}};
}

// ---- reading: each helper names the member path it failed on ----

Result<const Json*> Member(const Json& object, const std::string& where, const char* name) {
  if (!object.is_object()) return Status::Invalid(where + ": not a JSON object");
  auto it = object.find(name);
  if (it == object.end()) return Status::Invalid(where + "." + name + ": missing");
  return &*it;
}

Result<std::string> String(const Json& object, const std::string& where, const char* name,
                           size_t max_bytes = kMaxProofStringBytes) {
  auto m = Member(object, where, name);
  if (!m.ok()) return m.status();
  if (!(*m)->is_string()) return Status::Invalid(where + "." + name + ": not a string");
  const std::string& s = (*m)->get_ref<const std::string&>();
  if (s.size() > max_bytes) {
    return Status::ResourceExhausted(where + "." + name + ": longer than " +
                                     std::to_string(max_bytes) + " bytes");
  }
  return s;
}

Result<uint64_t> Unsigned(const Json& object, const std::string& where, const char* name,
                          uint64_t max) {
  auto m = Member(object, where, name);
  if (!m.ok()) return m.status();
  if (!(*m)->is_number_unsigned() || (*m)->get<uint64_t>() > max) {
    return Status::Invalid(where + "." + name + ": not a whole number from 0 to " +
                           std::to_string(max));
  }
  return (*m)->get<uint64_t>();
}

Result<int64_t> Signed(const Json& object, const std::string& where, const char* name) {
  auto m = Member(object, where, name);
  if (!m.ok()) return m.status();
  if (!(*m)->is_number_integer()) return Status::Invalid(where + "." + name + ": not an integer");
  return (*m)->get<int64_t>();
}

// Hex bytes; `bytes` > 0 demands exactly that many.
Result<std::string> HexBytes(const Json& object, const std::string& where, const char* name,
                             size_t bytes, size_t max_bytes = 64) {
  auto text = String(object, where, name, 2 * max_bytes);
  if (!text.ok()) return text.status();
  auto raw = crypto::FromHex(*text);
  if (!raw.ok() || (bytes > 0 && raw->size() != bytes)) {
    return Status::Invalid(where + "." + name + ": not " +
                           (bytes > 0 ? std::to_string(bytes) + " bytes of " : std::string()) +
                           "hex");
  }
  return raw;
}

Result<const Json*> Array(const Json& object, const std::string& where, const char* name,
                          size_t max_items) {
  auto m = Member(object, where, name);
  if (!m.ok()) return m.status();
  if (!(*m)->is_array()) return Status::Invalid(where + "." + name + ": not an array");
  if ((*m)->size() > max_items) {
    return Status::ResourceExhausted(where + "." + name + ": more than " +
                                     std::to_string(max_items) + " entries");
  }
  return *m;
}

std::string Item(const std::string& where, const char* name, size_t i) {
  return (where.empty() ? std::string() : where + ".") + name + "[" + std::to_string(i) + "]";
}

Result<std::vector<std::string>> StringList(const Json& object, const std::string& where,
                                            const char* name, size_t max_items) {
  auto list = Array(object, where, name, max_items);
  if (!list.ok()) return list.status();
  std::vector<std::string> out;
  for (size_t i = 0; i < (*list)->size(); ++i) {
    const Json& item = (**list)[i];
    if (!item.is_string() || item.get_ref<const std::string&>().size() > kMaxProofStringBytes) {
      return Status::Invalid(Item(where, name, i) + ": not a string of at most " +
                             std::to_string(kMaxProofStringBytes) + " bytes");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

#define PROOF_ASSIGN(lhs, expr)              \
  do {                                       \
    auto proof_value_ = (expr);              \
    if (!proof_value_.ok()) return proof_value_.status(); \
    lhs = std::move(proof_value_).value();   \
  } while (0)

Result<v1::BlockHeader> ReadHeader(const Json& j, const std::string& w) {
  v1::BlockHeader h;
  std::string s;
  uint64_t u = 0;
  int64_t i = 0;
  PROOF_ASSIGN(s, String(j, w, "chain_id"));
  h.set_chain_id(s);
  PROOF_ASSIGN(u, Unsigned(j, w, "height", UINT64_MAX));
  h.set_height(u);
  PROOF_ASSIGN(i, Signed(j, w, "time_ms"));
  h.set_time_ms(i);
  PROOF_ASSIGN(s, HexBytes(j, w, "previous_block_hash", 0, 32));
  if (!s.empty() && s.size() != 32) return Status::Invalid(w + ".previous_block_hash: not 32 bytes");
  h.set_previous_block_hash(s);
  PROOF_ASSIGN(s, HexBytes(j, w, "events_root", 32));
  h.set_events_root(s);
  PROOF_ASSIGN(s, HexBytes(j, w, "validator_set_hash", 32));
  h.set_validator_set_hash(s);
  PROOF_ASSIGN(s, String(j, w, "proposer"));
  h.set_proposer(s);
  PROOF_ASSIGN(u, Unsigned(j, w, "event_count", UINT32_MAX));
  h.set_event_count(static_cast<uint32_t>(u));
  return h;
}

Result<v1::CommitCertificate> ReadCertificate(const Json& j, const std::string& w) {
  v1::CommitCertificate c;
  uint64_t u = 0;
  std::string s;
  PROOF_ASSIGN(u, Unsigned(j, w, "height", UINT64_MAX));
  c.set_height(u);
  PROOF_ASSIGN(u, Unsigned(j, w, "round", INT32_MAX));
  c.set_round(static_cast<uint32_t>(u));
  PROOF_ASSIGN(s, HexBytes(j, w, "block_hash", 32));
  c.set_block_hash(s);
  const Json* list = nullptr;
  PROOF_ASSIGN(list, Array(j, w, "signatures", kMaxProofSignatures));
  for (size_t i = 0; i < list->size(); ++i) {
    std::string wi = Item(w, "signatures", i);
    v1::CommitSignature* sig = c.add_signatures();
    PROOF_ASSIGN(s, String((*list)[i], wi, "validator_id"));
    sig->set_validator_id(s);
    PROOF_ASSIGN(s, HexBytes((*list)[i], wi, "signature", 0, 64));
    sig->set_signature(s);
  }
  return c;
}

// An event, or with `governance` a governance entry.
Result<ProofEvent> ReadEvent(const Json& j, const std::string& w, bool governance) {
  ProofEvent e;
  uint64_t u = 0;
  std::string s;
  PROOF_ASSIGN(e.event_id, String(j, w, governance ? "entry_id" : "event_id"));
  PROOF_ASSIGN(e.height, Unsigned(j, w, "height", UINT64_MAX));
  PROOF_ASSIGN(u, Unsigned(j, w, "leaf_index", UINT32_MAX));
  e.leaf_index = static_cast<uint32_t>(u);
  const char* bytes_member = governance ? "governance_bytes" : "event_bytes";
  const size_t max_bytes = governance ? kMaxGovernanceBytes : kMaxEventBytes;
  PROOF_ASSIGN(s, String(j, w, bytes_member, (max_bytes + 2) / 3 * 4));
  auto bytes = FromBase64(s);
  if (!bytes.ok()) return bytes.status().WithContext(w + "." + bytes_member);
  if (governance) {
    e.signed_event.set_governance_bytes(std::move(bytes).value());
  } else {
    e.signed_event.set_event_bytes(std::move(bytes).value());
  }
  PROOF_ASSIGN(s, String(j, w, "signer_key_id"));
  e.signed_event.set_signer_key_id(s);
  PROOF_ASSIGN(s, HexBytes(j, w, "signature", 0, 64));
  e.signed_event.set_signature(s);
  const Json* path = nullptr;
  PROOF_ASSIGN(path, Array(j, w, "path", crypto::kMaxMerklePathLength));
  for (size_t i = 0; i < path->size(); ++i) {
    const Json& hex = (*path)[i];
    auto raw = hex.is_string() ? crypto::FromHex(hex.get<std::string>())
                               : Result<std::string>(Status::Invalid("not a string"));
    if (!raw.ok() || raw->size() != 32) {
      return Status::Invalid(Item(w, "path", i) + ": not 32 bytes of hex");
    }
    e.path.push_back(std::move(raw).value());
  }
  return e;
}

Result<ProofTrace> ReadTrace(const Json& j, const std::string& w) {
  ProofTrace t;
  PROOF_ASSIGN(t.direction, String(j, w, "direction"));
  if (t.direction != "back" && t.direction != "forward") {
    return Status::Invalid(w + ".direction: \"" + t.direction + "\" is not back or forward");
  }
  PROOF_ASSIGN(t.lot_ids, StringList(j, w, "lots", kMaxProofLots));
  const Json* edges = nullptr;
  PROOF_ASSIGN(edges, Array(j, w, "edges", kMaxProofEdges));
  for (size_t i = 0; i < edges->size(); ++i) {
    std::string wi = Item(w, "edges", i);
    ProofEdge e;
    PROOF_ASSIGN(e.kind, String((*edges)[i], wi, "kind"));
    PROOF_ASSIGN(e.from_lot, String((*edges)[i], wi, "from"));
    PROOF_ASSIGN(e.to_lot, String((*edges)[i], wi, "to"));
    PROOF_ASSIGN(e.event_id, String((*edges)[i], wi, "event_id"));
    t.edges.push_back(std::move(e));
  }
  return t;
}

Result<ProofLot> ReadLot(const Json& j, const std::string& w) {
  ProofLot lot;
  PROOF_ASSIGN(lot.lot_id, String(j, w, "lot_id"));
  PROOF_ASSIGN(lot.created_by_event_id, String(j, w, "created_by_event_id"));
  PROOF_ASSIGN(lot.event_ids, StringList(j, w, "event_ids", kMaxProofLotEvents));
  return lot;
}

Status CheckFormat(const Json& root) {
  auto format = String(root, "bundle", "format");
  if (!format.ok() || *format != kProofBundleFormat) {
    return Status::Invalid("not a proof bundle: \"format\" is not \"" +
                           std::string(kProofBundleFormat) + "\"");
  }
  auto version = root.find("version");
  if (version == root.end() || !version->is_number_integer() ||
      version->get<int64_t>() != kProofBundleVersion) {
    std::string found = version == root.end() ? "missing" : version->dump();
    return Status::Invalid("proof bundle version " + found + " is not supported (this verifier "
                           "reads version " + std::to_string(kProofBundleVersion) + ")");
  }
  return Status::Ok();
}

Status ReadLists(const Json& root, ProofBundle& b) {
  const Json* list = nullptr;
  PROOF_ASSIGN(list, Array(root, "bundle", "traces", 2));
  for (size_t i = 0; i < list->size(); ++i) {
    auto t = ReadTrace((*list)[i], Item("", "traces", i));
    if (!t.ok()) return t.status();
    b.traces.push_back(std::move(t).value());
  }
  PROOF_ASSIGN(list, Array(root, "bundle", "lots", kMaxProofLots));
  for (size_t i = 0; i < list->size(); ++i) {
    auto lot = ReadLot((*list)[i], Item("", "lots", i));
    if (!lot.ok()) return lot.status();
    b.lots.push_back(std::move(lot).value());
  }
  PROOF_ASSIGN(list, Array(root, "bundle", "blocks", kMaxProofBlocks));
  for (size_t i = 0; i < list->size(); ++i) {
    std::string w = Item("", "blocks", i);
    const Json* member = nullptr;
    ProofBlock block;
    PROOF_ASSIGN(member, Member((*list)[i], w, "header"));
    PROOF_ASSIGN(block.header, ReadHeader(*member, w + ".header"));
    PROOF_ASSIGN(member, Member((*list)[i], w, "certificate"));
    PROOF_ASSIGN(block.certificate, ReadCertificate(*member, w + ".certificate"));
    b.blocks.push_back(std::move(block));
  }
  PROOF_ASSIGN(list, Array(root, "bundle", "events", kMaxProofEvents));
  for (size_t i = 0; i < list->size(); ++i) {
    auto e = ReadEvent((*list)[i], Item("", "events", i), false);
    if (!e.ok()) return e.status();
    b.events.push_back(std::move(e).value());
  }
  PROOF_ASSIGN(list, Array(root, "bundle", "governance", kMaxProofGovernanceEntries));
  for (size_t i = 0; i < list->size(); ++i) {
    auto e = ReadEvent((*list)[i], Item("", "governance", i), true);
    if (!e.ok()) return e.status();
    b.governance.push_back(std::move(e).value());
  }
  return Status::Ok();
}

Result<ProofBundle> ReadBundle(const Json& root) {
  if (!root.is_object()) return Status::Invalid("not a proof bundle: not a JSON object");
  JEJAK_RETURN_IF_ERROR(CheckFormat(root));
  ProofBundle b;
  PROOF_ASSIGN(b.chain_id, String(root, "bundle", "chain_id", kMaxChainIdBytes));
  PROOF_ASSIGN(b.genesis_hash, HexBytes(root, "bundle", "genesis_hash", 32));
  PROOF_ASSIGN(b.lot_id, String(root, "bundle", "lot"));
  JEJAK_RETURN_IF_ERROR(ReadLists(root, b));
  return b;
}

#undef PROOF_ASSIGN

}  // namespace

std::string ProofEventLeaf(const v1::SignedEvent& signed_event) {
  return signed_event.SerializeAsString();
}

std::string ProofBundleToJson(const ProofBundle& b, int indent) {
  Json blocks = Json::array();
  for (const ProofBlock& block : b.blocks) {
    blocks.push_back(Json{{"header", HeaderJson(block.header)},
                          {"certificate", CertificateJson(block.certificate)}});
  }
  Json traces = Json::array();
  for (const ProofTrace& t : b.traces) traces.push_back(TraceJson(t));
  Json lots = Json::array();
  for (const ProofLot& lot : b.lots) {
    lots.push_back(Json{{"lot_id", lot.lot_id},
                        {"created_by_event_id", lot.created_by_event_id},
                        {"event_ids", lot.event_ids}});
  }
  Json events = Json::array();
  for (const ProofEvent& e : b.events) events.push_back(EventJson(e));
  Json governance = Json::array();
  for (const ProofEvent& e : b.governance) governance.push_back(EventJson(e));
  Json root{{"format", kProofBundleFormat},
            {"version", b.version},
            {"chain_id", b.chain_id},
            {"genesis_hash", crypto::ToHex(b.genesis_hash)},
            {"lot", b.lot_id},
            {"governance", std::move(governance)},
            {"traces", std::move(traces)},
            {"lots", std::move(lots)},
            {"blocks", std::move(blocks)},
            {"events", std::move(events)}};
  return root.dump(indent, ' ', false, Json::error_handler_t::replace);
}

namespace {

// The members format v1 defines, by the path of their object (see the header). A member of no
// meaning is refused as soon as its name is read, before its value costs memory: a verifier
// that skipped unknown members would vouch for a file holding things it never checked.
const std::map<std::string, std::set<std::string>, std::less<>>& KnownMembers() {
  static const auto* known = new std::map<std::string, std::set<std::string>, std::less<>>{
      {"", {"format", "version", "chain_id", "genesis_hash", "lot", "governance", "traces", "lots", "blocks",
            "events"}},
      {"traces[]", {"direction", "lots", "edges"}},
      {"traces[].edges[]", {"kind", "from", "to", "event_id"}},
      {"lots[]", {"lot_id", "created_by_event_id", "event_ids"}},
      {"blocks[]", {"header", "certificate"}},
      {"blocks[].header", {"chain_id", "height", "time_ms", "previous_block_hash", "events_root",
                           "validator_set_hash", "proposer", "event_count"}},
      {"blocks[].certificate", {"height", "round", "block_hash", "signatures"}},
      {"blocks[].certificate.signatures[]", {"validator_id", "signature"}},
      {"events[]", {"event_id", "height", "leaf_index", "event_bytes", "signer_key_id",
                    "signature", "path"}},
      {"governance[]", {"entry_id", "height", "leaf_index", "governance_bytes", "signer_key_id", "signature", "path"}},
  };
  return *known;
}

Status CheckKnownMember(std::string_view object_path, std::string_view member) {
  auto known = KnownMembers().find(object_path);
  if (known != KnownMembers().end() && known->second.count(std::string(member)) > 0) {
    return Status::Ok();
  }
  return Status::Invalid("not part of proof bundle format " + std::string(kProofBundleFormat) +
                         " version " + std::to_string(kProofBundleVersion));
}

}  // namespace

Result<ProofBundle> ParseProofBundle(std::string_view json_text) {
  epcis::JsonReadLimits limits;
  limits.max_bytes = kMaxProofBundleBytes;
  limits.max_depth = kMaxBundleDepth;
  limits.max_values = kMaxProofBundleValues;
  limits.check_member = CheckKnownMember;
  auto root = epcis::ParseJsonBounded(json_text, limits);
  if (!root.ok()) return root.status().WithContext("proof bundle");
  try {
    return ReadBundle(*root);
  } catch (const nlohmann::json::exception& e) {
    return Status::Invalid(std::string("proof bundle: ") + e.what());
  }
}

}  // namespace jejak::ledger
