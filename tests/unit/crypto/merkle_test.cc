#include "node/crypto/merkle.h"

#include <gtest/gtest.h>

#include "node/crypto/hex.h"
#include "node/crypto/sha256.h"

namespace jejak::crypto {
namespace {

std::string Unhex(std::string_view hex) {
  Result<std::string> bytes = FromHex(hex);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : std::string();
}

// The Certificate Transparency test tree (RFC 6962), as used by transparency-dev/merkle
// testonly/constants.go and google/certificate-transparency: leaves, then roots of sizes 0..8.
const std::vector<std::string>& CtLeaves() {
  static const std::vector<std::string> leaves = {Unhex(""),
                                                  Unhex("00"),
                                                  Unhex("10"),
                                                  Unhex("2021"),
                                                  Unhex("3031"),
                                                  Unhex("40414243"),
                                                  Unhex("5051525354555657"),
                                                  Unhex("606162636465666768696a6b6c6d6e6f")};
  return leaves;
}
constexpr const char* kCtRoots[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

std::vector<std::string> Prefix(const std::vector<std::string>& v, size_t n) {
  return std::vector<std::string>(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n));
}

// RFC 6962 section 2.1 written as literally as possible, independent of the library's
// level-by-level implementation: MTH and PATH by recursion on the split point k.
uint64_t SplitPoint(uint64_t n) {
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
std::string NaiveRoot(const std::vector<std::string>& d, size_t lo, size_t hi) {
  const size_t n = hi - lo;
  if (n == 0) return Sha256("");
  if (n == 1) return Sha256(std::string(1, '\0') + d[lo]);
  const size_t k = SplitPoint(n);
  return Sha256("\x01" + NaiveRoot(d, lo, lo + k) + NaiveRoot(d, lo + k, hi));
}
std::vector<std::string> NaivePath(uint64_t m, const std::vector<std::string>& d, size_t lo,
                                   size_t hi) {
  const size_t n = hi - lo;
  if (n <= 1) return {};
  const size_t k = SplitPoint(n);
  std::vector<std::string> path;
  if (m < k) {
    path = NaivePath(m, d, lo, lo + k);
    path.push_back(NaiveRoot(d, lo + k, hi));
  } else {
    path = NaivePath(m - k, d, lo + k, hi);
    path.push_back(NaiveRoot(d, lo, lo + k));
  }
  return path;
}

std::vector<std::string> NumberedLeaves(size_t n) {
  std::vector<std::string> leaves;
  for (size_t i = 0; i < n; ++i) leaves.push_back("event-" + std::to_string(i));
  return leaves;
}

TEST(MerkleTest, HashesAreDomainSeparated) {
  EXPECT_EQ(ToHex(MerkleLeafHash("")), kCtRoots[1]);
  EXPECT_EQ(MerkleLeafHash("x"), Sha256(std::string("\x00x", 2)));
  const std::string l = MerkleLeafHash("l"), r = MerkleLeafHash("r");
  EXPECT_EQ(MerkleNodeHash(l, r), Sha256("\x01" + l + r));
  EXPECT_NE(MerkleNodeHash(l, r), MerkleNodeHash(r, l));
}

TEST(MerkleTest, EmptyTreeRootIsSha256OfNothing) {
  EXPECT_EQ(ToHex(MerkleRoot({})), kCtRoots[0]);
  EXPECT_EQ(ToHex(MerkleRootOfLeafHashes({})), kCtRoots[0]);
}

TEST(MerkleTest, CertificateTransparencyRoots) {
  for (size_t n = 0; n <= CtLeaves().size(); ++n) {
    EXPECT_EQ(ToHex(MerkleRoot(Prefix(CtLeaves(), n))), kCtRoots[n]) << "size " << n;
  }
}

TEST(MerkleTest, RootsMatchTheRecursiveDefinition) {
  for (size_t n = 0; n <= 70; ++n) {
    const std::vector<std::string> leaves = NumberedLeaves(n);
    std::vector<std::string> hashes;
    for (const std::string& leaf : leaves) hashes.push_back(MerkleLeafHash(leaf));
    EXPECT_EQ(MerkleRoot(leaves), NaiveRoot(leaves, 0, n)) << "size " << n;
    EXPECT_EQ(MerkleRootOfLeafHashes(hashes), MerkleRoot(leaves)) << "size " << n;
  }
}

// Inclusion proofs from transparency-dev/merkle testonly/constants.go (its 1-based indices are
// 0-based here).
TEST(MerkleTest, CertificateTransparencyInclusionProofs) {
  struct Case {
    uint64_t index, size;
    std::vector<const char*> path;
  };
  const std::vector<Case> cases = {
      {0, 1, {}},
      {0,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {5,
       8,
       {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
      {1,
       5,
       {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("leaf " + std::to_string(c.index) + " of " + std::to_string(c.size));
    Result<InclusionProof> proof = MakeInclusionProof(Prefix(CtLeaves(), c.size), c.index);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    std::vector<std::string> want;
    for (const char* h : c.path) want.push_back(Unhex(h));
    EXPECT_EQ(proof->path, want);
    EXPECT_EQ(proof->tree_size, c.size);
    Status ok = VerifyInclusion(CtLeaves()[c.index], *proof, Unhex(kCtRoots[c.size]));
    EXPECT_TRUE(ok.ok()) << ok.ToString();
  }
}

// Asserts that `proof` (for `leaf`) is rejected as Invalid.
void ExpectRejected(const std::string& leaf, const InclusionProof& proof, const std::string& root,
                    const std::string& what) {
  Status status = VerifyInclusion(leaf, proof, root);
  EXPECT_EQ(status.code(), StatusCode::kInvalid) << what << ": " << status.ToString();
}

void ExpectTamperedProofsFail(const std::vector<std::string>& leaves, uint64_t i,
                              const InclusionProof& good, const std::string& root) {
  const std::string& leaf = leaves[i];
  const uint64_t n = good.tree_size;
  for (size_t p = 0; p < good.path.size(); ++p) {
    for (size_t byte : {size_t{0}, size_t{17}, size_t{31}}) {
      InclusionProof bad = good;
      bad.path[p][byte] = static_cast<char>(bad.path[p][byte] ^ 0x01);
      ExpectRejected(leaf, bad, root, "path hash " + std::to_string(p) + " byte changed");
    }
  }
  std::string bad_root = root;
  bad_root[5] = static_cast<char>(bad_root[5] ^ 0x80);
  ExpectRejected(leaf, good, bad_root, "root changed");
  ExpectRejected(leaf + "x", good, root, "leaf data changed");
  for (uint64_t wrong : {i + 1, i - 1, i ^ 1, n, n + 5, ~uint64_t{0}}) {
    if (wrong == i || (wrong < n && leaves[wrong] == leaf)) continue;
    InclusionProof bad = good;
    bad.leaf_index = wrong;
    ExpectRejected(leaf, bad, root, "index " + std::to_string(wrong));
  }
  for (uint64_t wrong : {n * 2, n / 2, uint64_t{0}}) {
    if (wrong == n) continue;
    InclusionProof bad = good;
    bad.tree_size = wrong;
    ExpectRejected(leaf, bad, root, "tree size " + std::to_string(wrong));
  }
  if (!good.path.empty()) {
    InclusionProof bad = good;
    bad.path.pop_back();
    ExpectRejected(leaf, bad, root, "last hash dropped");
    bad = good;
    bad.path.erase(bad.path.begin());
    ExpectRejected(leaf, bad, root, "first hash dropped");
    bad = good;
    bad.path.back().pop_back();
    ExpectRejected(leaf, bad, root, "last hash truncated to 31 bytes");
  }
  InclusionProof extended = good;
  extended.path.push_back(root);
  ExpectRejected(leaf, extended, root, "path extended");
  extended = good;
  extended.path.insert(extended.path.begin(), MerkleLeafHash(leaf));
  ExpectRejected(leaf, extended, root, "path extended at the front");
  ExpectRejected(leaf, good, root.substr(0, 31), "root of 31 bytes");
}

TEST(MerkleTest, EveryLeafOfEverySizeProvesAndTamperingFails) {
  for (size_t n = 1; n <= 17; ++n) {
    const std::vector<std::string> leaves = NumberedLeaves(n);
    const std::string root = MerkleRoot(leaves);
    for (uint64_t i = 0; i < n; ++i) {
      SCOPED_TRACE("leaf " + std::to_string(i) + " of " + std::to_string(n));
      Result<InclusionProof> proof = MakeInclusionProof(leaves, i);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      EXPECT_EQ(proof->leaf_index, i);
      EXPECT_EQ(proof->tree_size, n);
      EXPECT_EQ(proof->path, NaivePath(i, leaves, 0, n));
      EXPECT_EQ(proof->path.size(), InclusionPathLength(i, n));
      Status ok = VerifyInclusion(leaves[i], *proof, root);
      ASSERT_TRUE(ok.ok()) << ok.ToString();
      EXPECT_TRUE(VerifyInclusionOfLeafHash(MerkleLeafHash(leaves[i]), *proof, root).ok());
      ExpectTamperedProofsFail(leaves, i, *proof, root);
    }
  }
}

TEST(MerkleTest, RejectionsNameTheProblem) {
  const std::vector<std::string> leaves = NumberedLeaves(8);
  const std::string root = MerkleRoot(leaves);
  InclusionProof proof = *MakeInclusionProof(leaves, 5);

  InclusionProof bad = proof;
  bad.leaf_index = 9;
  EXPECT_NE(VerifyInclusion(leaves[5], bad, root).message().find("out of range"),
            std::string::npos);
  bad = proof;
  bad.path.pop_back();
  EXPECT_NE(VerifyInclusion(leaves[5], bad, root).message().find("path has 2 hashes"),
            std::string::npos);
  EXPECT_NE(VerifyInclusion(leaves[4], proof, root).message().find("expected root"),
            std::string::npos);
  EXPECT_NE(VerifyInclusionOfLeafHash("short", proof, root).message().find("leaf hash"),
            std::string::npos);
}

TEST(MerkleTest, ProofOfAMissingLeafIsInvalid) {
  Result<InclusionProof> proof = MakeInclusionProof(NumberedLeaves(3), 3);
  ASSERT_FALSE(proof.ok());
  EXPECT_EQ(proof.status().code(), StatusCode::kInvalid);
  EXPECT_FALSE(MakeInclusionProof({}, 0).ok());
}

TEST(MerkleTest, HugeTreeSizesAreHandledWithoutOverflow) {
  EXPECT_EQ(InclusionPathLength(0, uint64_t{1} << 63), 63u);
  // The last leaf of 2^64 - 1 leaves needs the root of each of the 63 perfect subtrees before it.
  EXPECT_EQ(InclusionPathLength(~uint64_t{0} - 1, ~uint64_t{0}), 63u);
  EXPECT_EQ(InclusionPathLength(uint64_t{1} << 63, (uint64_t{1} << 63) + 1), 1u);
  EXPECT_EQ(InclusionPathLength(0, ~uint64_t{0}), 64u);
  EXPECT_EQ(InclusionPathLength(5, 5), 0u);
  InclusionProof forged;
  forged.leaf_index = ~uint64_t{0} - 1;
  forged.tree_size = ~uint64_t{0};
  forged.path.assign(63, Sha256("a"));
  Status status = VerifyInclusion("x", forged, Sha256("b"));
  EXPECT_EQ(status.code(), StatusCode::kInvalid);
  EXPECT_NE(status.message().find("expected root"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace jejak::crypto
