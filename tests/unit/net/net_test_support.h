// Helpers for the net tests: temporary directories, validator identities and a genesis naming
// them, an inbox that records what arrives, and polling with a deadline (never sleeping).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "jejak/v1/peer_service.pb.h"
#include "node/crypto/tls_identity.h"
#include "node/replica/ports.h"
#include "node/ledger/genesis.h"
#include "node/net/free_port.h"
#include "tests/support/temp_dir.h"

namespace jejak::net::testing_util {

inline constexpr char kChain[] = "jejak-net-test";

using TempDir = jejak::testing::TempDir;

// Polls `done` until it holds or `timeout` passes; waits on the condition variable `cv` guarded by
// `mutex` when given, so there is no fixed sleep.
inline bool PollUntil(const std::function<bool()>& done,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::mutex mutex;
  std::condition_variable never;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::unique_lock<std::mutex> lock(mutex);
    never.wait_for(lock, std::chrono::milliseconds(5));  // a bounded poll interval
  }
  return true;
}

struct Member {
  std::string id;
  crypto::TlsIdentity identity;
  std::string address;
};

inline std::string Fingerprint(const crypto::TlsIdentity& identity) {
  Result<std::string> fp = crypto::CertificateFingerprint(identity.certificate_pem);
  EXPECT_TRUE(fp.ok()) << fp.status().ToString();
  return fp.ok() ? *fp : std::string();
}

inline Member MakeMember(const std::string& id) {
  Member member;
  member.id = id;
  Result<crypto::TlsIdentity> identity = crypto::GenerateTlsIdentity(id);
  EXPECT_TRUE(identity.ok()) << identity.status().ToString();
  if (identity.ok()) member.identity = *identity;
  Result<int> port = FreeLoopbackPort();
  EXPECT_TRUE(port.ok()) << port.status().ToString();
  member.address = "127.0.0.1:" + std::to_string(port.ok() ? *port : 1);
  return member;
}

// A genesis listing `members` as validators (peer addresses and pinned certificates).
inline ledger::Genesis MakeGenesis(const std::vector<Member>& members) {
  ledger::Genesis genesis;
  genesis.chain_id = kChain;
  ledger::Organisation org;
  org.id = "koperasi";
  org.name = "Koperasi";
  org.roles = {ledger::Role::kProducer};
  org.party_ids = {ledger::OrgPartyId("koperasi")};
  genesis.organisations.push_back(org);
  for (const Member& member : members) {
    ledger::Validator validator;
    validator.id = member.id;
    validator.organisation = "koperasi";
    validator.public_key = std::string(32, static_cast<char>(member.id.back()));
    validator.address = member.address;
    validator.tls_cert_sha256 = Fingerprint(member.identity);
    genesis.validators.push_back(validator);
  }
  return genesis;
}

inline v1::PeerMessage Numbered(uint64_t n) {
  v1::PeerMessage message;
  message.mutable_consensus()->mutable_vote()->set_height(n);
  return message;
}

// Records every delivered message as (sender, vote height).
class RecordingInbox final : public replica::PeerInbox {
 public:
  void OnPeerMessage(const std::string& from, v1::PeerMessage message) override {
    std::lock_guard<std::mutex> lock(mutex_);
    received_.emplace_back(from, message.consensus().vote().height());
  }
  std::vector<std::pair<std::string, uint64_t>> received() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return received_;
  }
  bool Has(const std::string& from, uint64_t n) const {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [f, h] : received_) {
      if (f == from && h == n) return true;
    }
    return false;
  }
  size_t CountFrom(const std::string& from) const {
    std::lock_guard<std::mutex> lock(mutex_);
    size_t count = 0;
    for (const auto& entry : received_) count += entry.first == from ? 1 : 0;
    return count;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, uint64_t>> received_;
};

}  // namespace jejak::net::testing_util
