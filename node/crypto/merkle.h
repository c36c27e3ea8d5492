// RFC 6962 section 2.1 Merkle trees (as Certificate Transparency): leaf hash =
// SHA-256(0x00 || data), node hash = SHA-256(0x01 || left || right), root of the empty tree =
// SHA-256(""), a tree of n leaves splits at the largest power of two below n. Domain separation
// keeps a leaf from ever being passed off as an inner node.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "node/base/status.h"

namespace jejak::crypto {

// A proof path never has more hashes than this (a tree of up to 2^64 leaves).
inline constexpr size_t kMaxMerklePathLength = 64;

std::string MerkleLeafHash(std::string_view leaf_data);
std::string MerkleNodeHash(std::string_view left, std::string_view right);

// Root over the leaves' data (each is hashed with MerkleLeafHash first).
std::string MerkleRoot(const std::vector<std::string>& leaf_data);
// Root over already computed leaf hashes, for callers that store hashes.
std::string MerkleRootOfLeafHashes(std::vector<std::string> leaf_hashes);

// The audit path of RFC 6962 section 2.1.1: sibling hashes from the leaf up to the root.
struct InclusionProof {
  uint64_t leaf_index = 0;
  uint64_t tree_size = 0;
  std::vector<std::string> path;
};

// Invalid if leaf_index is not below the number of leaves.
[[nodiscard]] Result<InclusionProof> MakeInclusionProof(const std::vector<std::string>& leaf_data,
                                                        uint64_t leaf_index);
[[nodiscard]] Result<InclusionProof> MakeInclusionProofFromLeafHashes(
    std::vector<std::string> leaf_hashes, uint64_t leaf_index);

// The number of hashes an inclusion proof for leaf_index in a tree of tree_size must carry
// (0 when leaf_index >= tree_size, which no proof can satisfy).
size_t InclusionPathLength(uint64_t leaf_index, uint64_t tree_size);

// Ok when `leaf_data` at proof.leaf_index of a tree of proof.tree_size has root `root`; otherwise
// Invalid naming what does not match (index out of range, wrong path length, a path hash or the
// root not 32 bytes, root mismatch).
//
// The tree size is only as trustworthy as the root it comes with: some proofs are valid for
// several sizes (leaf 0 of 5 and of 6 leaves share a proof shape), and only the root, taken from a
// trusted block header holding both, tells them apart.
[[nodiscard]] Status VerifyInclusion(std::string_view leaf_data, const InclusionProof& proof,
                                     std::string_view root);
[[nodiscard]] Status VerifyInclusionOfLeafHash(std::string_view leaf_hash,
                                               const InclusionProof& proof, std::string_view root);

}  // namespace jejak::crypto
