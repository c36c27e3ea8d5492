// Certificate pinning: impostors are refused on both sides of a connection.
#include "node/net/peer_tls.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "net_test_support.h"
#include "node/net/peer_network.h"

namespace jejak::net {
namespace {

using testing_util::Fingerprint;
using testing_util::MakeGenesis;
using testing_util::MakeMember;
using testing_util::Member;
using testing_util::Numbered;
using testing_util::PollUntil;
using testing_util::RecordingInbox;

PeerNetworkConfig ConfigFor(const Member& member, const ledger::Genesis& genesis) {
  PeerNetworkConfig config;
  config.listen_address = member.address;
  config.own_validator_id = member.id;
  config.genesis = genesis;
  config.identity = member.identity;
  config.options.backoff_min_ms = 10;
  config.options.backoff_max_ms = 100;
  return config;
}

TEST(PeerTls, ImpostorIsRefusedAsClientAndAsServer) {
  std::vector<Member> members{MakeMember("v1"), MakeMember("v2"), MakeMember("v3")};
  const ledger::Genesis genesis = MakeGenesis(members);
  // The impostor listens at v3's address claiming to be v3, with its own certificate: its
  // genesis pins that certificate for v3, the real network's does not.
  Member impostor = MakeMember("v3");
  impostor.address = members[2].address;
  ledger::Genesis forged = genesis;
  forged.validators[2].tls_cert_sha256 = Fingerprint(impostor.identity);

  RecordingInbox inbox1, inbox2, inbox_impostor;
  PeerNetwork v1, v2, fake;
  ASSERT_TRUE(v1.Start(ConfigFor(members[0], genesis), inbox1).ok());
  ASSERT_TRUE(v2.Start(ConfigFor(members[1], genesis), inbox2).ok());
  ASSERT_TRUE(fake.Start(ConfigFor(impostor, forged), inbox_impostor).ok());

  v1.Send(std::nullopt, Numbered(1));
  v2.Send(std::nullopt, Numbered(2));
  fake.Send(std::nullopt, Numbered(3));
  // The honest pair talks (so enough happened for the refusals to mean something) ...
  ASSERT_TRUE(PollUntil([&] { return inbox1.Has("v2", 2) && inbox2.Has("v1", 1); }));
  // ... each honest server refused the impostor's client, each honest client its server.
  ASSERT_TRUE(PollUntil([&] {
    PeerNetworkStats s1 = v1.Stats(), s2 = v2.Stats();
    return s1.refused_handshakes >= 1 && s2.refused_handshakes >= 1 && s1.refused_servers >= 1 &&
           s2.refused_servers >= 1;
  }));
  EXPECT_EQ(inbox1.CountFrom("v3"), 0u);
  EXPECT_EQ(inbox2.CountFrom("v3"), 0u);
  EXPECT_TRUE(inbox_impostor.received().empty());
  EXPECT_EQ(fake.Stats().received, 0u);
  for (const PeerStats& peer : v1.Stats().peers) {
    if (peer.validator_id == "v3") {
      EXPECT_EQ(peer.sent, 0u);
    }
  }
}

TEST(PeerTls, PinsMapFingerprintsToValidatorIds) {
  std::vector<Member> members{MakeMember("v1"), MakeMember("v2")};
  PinSet pins = PinsFromGenesis(MakeGenesis(members));
  ASSERT_EQ(pins.size(), 2u);
  EXPECT_EQ(pins.at(Fingerprint(members[1].identity)), "v2");
  EXPECT_EQ(FingerprintHex(std::string("\x01\xab", 2)), "01ab");
}

TEST(PeerTls, LoadsIdentityFilesAndNamesWhatIsWrong) {
  testing_util::TempDir dir;
  Member member = MakeMember("v1");
  const std::string cert = dir.path() + "/node.crt", key = dir.path() + "/node.key";
  ASSERT_TRUE(crypto::SaveTlsIdentity(member.identity, cert, key).ok());
  Result<crypto::TlsIdentity> loaded = LoadTlsIdentityFiles(cert, key);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->certificate_pem, member.identity.certificate_pem);
  EXPECT_EQ(loaded->private_key_pem, member.identity.private_key_pem);

  Result<crypto::TlsIdentity> missing = LoadTlsIdentityFiles(dir.path() + "/none.crt", key);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("none.crt"), std::string::npos);

  const std::string junk = dir.path() + "/junk.pem";
  std::ofstream(junk) << "not a pem\n";
  std::filesystem::permissions(junk, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(LoadTlsIdentityFiles(junk, key).status().code(), StatusCode::kInvalid);
  Result<crypto::TlsIdentity> bad_key = LoadTlsIdentityFiles(cert, junk);
  ASSERT_FALSE(bad_key.ok());
  EXPECT_NE(bad_key.status().message().find("not a PEM private key"), std::string::npos);
  const std::string empty = dir.path() + "/empty.pem";
  std::ofstream(empty).flush();
  std::filesystem::permissions(empty, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(LoadTlsIdentityFiles(cert, empty).status().code(), StatusCode::kInvalid);
  const std::string huge = dir.path() + "/huge.pem";
  std::ofstream(huge) << std::string(kMaxTlsFileBytes + 1, 'a');
  EXPECT_EQ(LoadTlsIdentityFiles(huge, key).status().code(), StatusCode::kInvalid);
}

// The TLS key is the node's identity to its peers: refused, as node and agent keys are, when
// others may read it.
TEST(PeerTls, KeyFileOthersMayReadIsRefusedNamingItsMode) {
  testing_util::TempDir dir;
  const std::string cert = dir.path() + "/node.crt", key = dir.path() + "/node.key";
  ASSERT_TRUE(crypto::SaveTlsIdentity(MakeMember("v1").identity, cert, key).ok());
  std::filesystem::permissions(key, std::filesystem::perms::group_read | std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  Result<crypto::TlsIdentity> loaded = LoadTlsIdentityFiles(cert, key);
  ASSERT_FALSE(loaded.ok()) << "a TLS key others may read was used";
  EXPECT_EQ(loaded.status().code(), StatusCode::kInvalid);
  EXPECT_NE(loaded.status().message().find("has mode 0644"), std::string::npos) << loaded.status().ToString();
  EXPECT_NE(loaded.status().message().find("chmod 600 " + key), std::string::npos) << loaded.status().ToString();
}

}  // namespace
}  // namespace jejak::net
