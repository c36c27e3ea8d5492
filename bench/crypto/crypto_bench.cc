// Prints what the crypto module costs on one core. Figures only; nothing here asserts.
//
// Verify() is the ledger's hot path, so it is measured next to raw OpenSSL given a prepared
// EVP_PKEY (the floor any wrapper taking raw key bytes can reach), over the same
// keys/messages/signatures, in alternating rounds so that clock or thermal drift hits both.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "node/crypto/crypto.h"

namespace jejak::crypto {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kKeys = 16;
constexpr int kTriples = 256;
constexpr double kVerifySeconds = 4.0;
constexpr double kRoundSeconds = 0.4;

struct Triple {
  std::string public_key;
  std::string message;  // the ledger signs a 32-byte SHA-256 digest
  std::string signature;
  int key_index = 0;
};

// CPU time of this thread: the machine is shared, and wall time would charge us for others' work.
double ThreadSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void CheckOk(int failures) {
  if (failures == 0) return;
  std::fprintf(stderr, "benchmark operation failed %d times\n", failures);
  std::exit(1);
}

// Runs `op(i)` for i = 0, 1, ... until `seconds` of CPU have passed; returns operations per second.
double OpsPerSecond(double seconds, const std::function<bool(int)>& op) {
  const double start = ThreadSeconds();
  long ops = 0;
  int failures = 0;
  while (ThreadSeconds() - start < seconds) {
    for (int i = 0; i < 64; ++i, ++ops) failures += op(static_cast<int>(ops % kTriples)) ? 0 : 1;
  }
  CheckOk(failures);
  return static_cast<double>(ops) / (ThreadSeconds() - start);
}

// Runs `a` and `b` in alternating batches over the same inputs so that any slowdown of the
// machine hits both alike; returns both rates.
std::pair<double, double> PairedOpsPerSecond(double seconds, const std::function<bool(int)>& a,
                                             const std::function<bool(int)>& b) {
  constexpr int kBatch = 32;
  double time_a = 0, time_b = 0;
  long ops = 0;
  int failures = 0;
  while (time_a + time_b < seconds) {
    for (const auto* op : {&a, &b}) {
      const double start = ThreadSeconds();
      for (int i = 0; i < kBatch; ++i)
        failures += (*op)(static_cast<int>((ops + i) % kTriples)) ? 0 : 1;
      (op == &a ? time_a : time_b) += ThreadSeconds() - start;
    }
    ops += kBatch;
  }
  CheckOk(failures);
  return {static_cast<double>(ops) / time_a, static_cast<double>(ops) / time_b};
}

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};

void BenchVerify(const std::vector<Triple>& triples) {
  std::vector<std::unique_ptr<EVP_PKEY, PkeyFree>> prepared;
  for (int k = 0; k < kKeys; ++k) {
    const std::string& pub = triples[static_cast<size_t>(k)].public_key;
    prepared.emplace_back(EVP_PKEY_new_raw_public_key_ex(
        nullptr, "ED25519", nullptr, reinterpret_cast<const unsigned char*>(pub.data()), 32));
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  auto raw = [&](int i) {
    const Triple& t = triples[static_cast<size_t>(i)];
    EVP_MD_CTX_reset(ctx);
    return EVP_DigestVerifyInit_ex(ctx, nullptr, nullptr, nullptr, nullptr,
                                   prepared[static_cast<size_t>(t.key_index)].get(),
                                   nullptr) == 1 &&
           EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(t.signature.data()), 64,
                            reinterpret_cast<const unsigned char*>(t.message.data()),
                            t.message.size()) == 1;
  };
  auto wrapped = [&](int i) {
    const Triple& t = triples[static_cast<size_t>(i)];
    return Verify(t.public_key, t.message, t.signature);
  };
  const auto [best_raw, best_wrapped] = PairedOpsPerSecond(kVerifySeconds, raw, wrapped);
  EVP_MD_CTX_free(ctx);
  std::printf("%-44s %12.0f /s\n", "ed25519 verify, raw OpenSSL (prepared key)", best_raw);
  std::printf("%-44s %12.0f /s\n", "ed25519 verify, jejak::crypto::Verify", best_wrapped);
  std::printf("%-44s %11.1f %%\n", "  Verify overhead vs raw",
              100.0 * (best_raw / best_wrapped - 1));
}

void BenchSign(const std::vector<PrivateKey>& keys, const std::vector<Triple>& triples) {
  const double rate = OpsPerSecond(kRoundSeconds * 2, [&](int i) {
    const Triple& t = triples[static_cast<size_t>(i)];
    return keys[static_cast<size_t>(t.key_index)].Sign(t.message).size() == 64;
  });
  std::printf("%-44s %12.0f /s\n", "ed25519 sign (PrivateKey::Sign)", rate);
}

void BenchSha256() {
  const std::string block(1 << 20, 'x');
  const double rate = OpsPerSecond(kRoundSeconds * 2, [&](int) { return !Sha256(block).empty(); });
  std::printf("%-44s %12.0f MB/s\n", "sha-256 of 1 MiB buffers", rate * block.size() / 1e6);
  const double small = OpsPerSecond(
      kRoundSeconds * 2, [&](int) { return !Sha256("32 byte digest input.........").empty(); });
  std::printf("%-44s %12.0f /s\n", "sha-256 of 29-byte inputs", small);
}

void BenchMerkle() {
  std::vector<std::string> leaves;
  for (int i = 0; i < 1000; ++i) leaves.push_back(std::string(200, static_cast<char>(i)));
  const double roots =
      OpsPerSecond(kRoundSeconds * 2, [&](int) { return MerkleRoot(leaves).size() == 32; });
  std::printf("%-44s %12.0f /s\n", "merkle root of 1000 leaves of 200 bytes", roots);
  const std::string root = MerkleRoot(leaves);
  const InclusionProof proof = *MakeInclusionProof(leaves, 617);
  const double proofs = OpsPerSecond(
      kRoundSeconds * 2, [&](int) { return VerifyInclusion(leaves[617], proof, root).ok(); });
  std::printf("%-44s %12.0f /s\n", "merkle inclusion proof check (1000 leaves)", proofs);
}

int Main() {
  std::vector<PrivateKey> keys;
  for (int k = 0; k < kKeys; ++k) {
    std::string seed(32, static_cast<char>(k + 1));  // fixed seeds: same figures every run
    keys.push_back(std::move(PrivateKey::FromSeed(seed)).value());
  }
  std::vector<Triple> triples;
  for (int i = 0; i < kTriples; ++i) {
    Triple t;
    t.key_index = i % kKeys;
    t.public_key = keys[static_cast<size_t>(t.key_index)].public_key();
    t.message = Sha256("event " + std::to_string(i));
    t.signature = keys[static_cast<size_t>(t.key_index)].Sign(t.message);
    triples.push_back(std::move(t));
  }
  std::printf("crypto_bench: one thread, thread CPU time, %s\n", OpenSSL_version(OPENSSL_VERSION));
  BenchVerify(triples);
  BenchSign(keys, triples);
  BenchSha256();
  BenchMerkle();
  return 0;
}

}  // namespace
}  // namespace jejak::crypto

int main() { return jejak::crypto::Main(); }
