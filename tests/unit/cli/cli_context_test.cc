// Which ledger service a command asks, and how: --node / the home's config, and the TLS pin from
// --tls-pin (hex or a validator id of the genesis) or from the home's own certificate.
#include "cli/cli_context.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli_test_support.h"
#include "node/crypto/hex.h"
#include "node/crypto/tls_identity.h"
#include "tests/support/temp_dir.h"

namespace jejak::cli {
namespace {

namespace fs = std::filesystem;

class NodeEndpointTest : public ::testing::Test {
 protected:
  void SetUp() override { Write("genesis.json", ledger::GenesisToJson(testing::TestGenesis())); }

  void Write(const std::string& name, const std::string& text) {
    fs::create_directories((fs::path(home_) / name).parent_path());
    std::ofstream(fs::path(home_) / name) << text;
  }
  void WriteConfig(bool tls) {
    Write("config.toml", std::string("[node]\nid = \"observer\"\n[ledger_service]\nlisten = "
                                     "\"127.0.0.1:7100\"\ntls = ") +
                             (tls ? "true" : "false") + "\n");
  }

  jejak::testing::TempDir dir_;
  const std::string home_ = dir_.path();
};

TEST_F(NodeEndpointTest, NodeFlagIsPlaintextUnlessPinned) {
  GlobalOptions options;
  options.node_address = "10.0.0.5:7100";
  Result<net::LedgerEndpoint> plain = NodeEndpoint(options);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(plain->address, "10.0.0.5:7100");
  EXPECT_EQ(plain->tls_fingerprint, "");
  options.tls_pin_hex = std::string(64, 'A');
  Result<net::LedgerEndpoint> pinned = NodeEndpoint(options);
  ASSERT_TRUE(pinned.ok()) << pinned.status().ToString();
  EXPECT_EQ(pinned->tls_fingerprint, std::string(32, '\xaa'));
}

TEST_F(NodeEndpointTest, PinMayNameAValidatorOfTheGenesis) {
  GlobalOptions options;
  options.node_address = "10.0.0.5:7100";
  options.genesis_path = home_ + "/genesis.json";
  options.tls_pin_hex = "v1";
  Result<net::LedgerEndpoint> endpoint = NodeEndpoint(options);
  ASSERT_TRUE(endpoint.ok()) << endpoint.status().ToString();
  EXPECT_EQ(endpoint->tls_fingerprint, std::string(32, '\x11'));  // v1's tls_cert_sha256

  options.tls_pin_hex = "v9";
  Status unknown = NodeEndpoint(options).status();
  EXPECT_EQ(unknown.code(), StatusCode::kInvalid);
  EXPECT_NE(unknown.message().find("'v9' is neither (validators of jejak-cli-test: v1)"),
            std::string::npos) << unknown.message();

  options.genesis_path.clear();  // no genesis to look it up in
  Status no_genesis = NodeEndpoint(options).status();
  EXPECT_NE(no_genesis.message().find("--tls-pin must be 64 hex digits"), std::string::npos)
      << no_genesis.message();
  options.tls_pin_hex = std::string(63, 'a') + "g";  // 64 characters, not hex
  EXPECT_EQ(NodeEndpoint(options).status().code(), StatusCode::kInvalid);
}

TEST_F(NodeEndpointTest, AHomeWithLedgerTlsPinsItsOwnCertificate) {
  GlobalOptions options;
  options.home = home_;
  WriteConfig(false);
  Result<net::LedgerEndpoint> plain = NodeEndpoint(options);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(plain->address, "127.0.0.1:7100");
  EXPECT_EQ(plain->tls_fingerprint, "");

  WriteConfig(true);
  Status missing = NodeEndpoint(options).status();
  EXPECT_NE(missing.message().find("tls/node.crt"), std::string::npos) << missing.message();
  Result<crypto::TlsIdentity> identity = crypto::GenerateTlsIdentity("observer");
  ASSERT_TRUE(identity.ok());
  Write("tls/node.crt", identity->certificate_pem);
  Result<net::LedgerEndpoint> pinned = NodeEndpoint(options);
  ASSERT_TRUE(pinned.ok()) << pinned.status().ToString();
  EXPECT_EQ(pinned->tls_fingerprint, crypto::CertificateFingerprint(identity->certificate_pem).value());
  // --tls-pin overrides the home's pin; --node drops it (another node, another certificate).
  options.tls_pin_hex = std::string(64, '0');
  EXPECT_EQ(NodeEndpoint(options)->tls_fingerprint, std::string(32, '\0'));
  options.tls_pin_hex.clear();
  options.node_address = "10.0.0.6:7100";
  EXPECT_EQ(NodeEndpoint(options)->tls_fingerprint, "");
}

}  // namespace
}  // namespace jejak::cli
