#include "node/crypto/merkle.h"

#include <utility>

#include "node/crypto/hex.h"
#include "node/crypto/sha256.h"

namespace jejak::crypto {
namespace {

constexpr char kLeafPrefix[] = {'\x00'};
constexpr char kNodePrefix[] = {'\x01'};

// Replaces `level` by the level above it. Pairing left to right and carrying an unpaired last
// node up unchanged builds exactly the RFC 6962 tree (split at the largest power of two below n).
void ReduceLevel(std::vector<std::string>& level) {
  size_t out = 0;
  for (size_t i = 0; i + 1 < level.size(); i += 2) {
    level[out++] = MerkleNodeHash(level[i], level[i + 1]);
  }
  if (level.size() % 2 == 1) level[out++] = std::move(level.back());
  level.resize(out);
}

std::vector<std::string> LeafHashes(const std::vector<std::string>& leaf_data) {
  std::vector<std::string> hashes;
  hashes.reserve(leaf_data.size());
  for (const std::string& leaf : leaf_data) hashes.push_back(MerkleLeafHash(leaf));
  return hashes;
}

std::string ShortHex(std::string_view hash) { return ToHex(hash.substr(0, 8)) + "..."; }

Status CheckProofShape(const InclusionProof& proof, std::string_view root) {
  if (proof.leaf_index >= proof.tree_size) {
    return Status::Invalid("inclusion proof: leaf index " + std::to_string(proof.leaf_index) +
                           " is out of range for a tree of size " +
                           std::to_string(proof.tree_size));
  }
  const size_t want = InclusionPathLength(proof.leaf_index, proof.tree_size);
  if (proof.path.size() != want) {
    return Status::Invalid("inclusion proof: path has " + std::to_string(proof.path.size()) +
                           " hashes, but leaf " + std::to_string(proof.leaf_index) +
                           " of a tree of size " + std::to_string(proof.tree_size) + " needs " +
                           std::to_string(want));
  }
  for (size_t i = 0; i < proof.path.size(); ++i) {
    if (proof.path[i].size() != kSha256Bytes) {
      return Status::Invalid("inclusion proof: path hash " + std::to_string(i) + " is " +
                             std::to_string(proof.path[i].size()) + " bytes, not 32");
    }
  }
  if (root.size() != kSha256Bytes) {
    return Status::Invalid("inclusion proof: root is " + std::to_string(root.size()) +
                           " bytes, not 32");
  }
  return Status::Ok();
}

}  // namespace

std::string MerkleLeafHash(std::string_view leaf_data) {
  return Sha256Parts({std::string_view(kLeafPrefix, 1), leaf_data});
}

std::string MerkleNodeHash(std::string_view left, std::string_view right) {
  return Sha256Parts({std::string_view(kNodePrefix, 1), left, right});
}

std::string MerkleRoot(const std::vector<std::string>& leaf_data) {
  return MerkleRootOfLeafHashes(LeafHashes(leaf_data));
}

std::string MerkleRootOfLeafHashes(std::vector<std::string> leaf_hashes) {
  if (leaf_hashes.empty()) return Sha256("");
  while (leaf_hashes.size() > 1) ReduceLevel(leaf_hashes);
  return std::move(leaf_hashes.front());
}

size_t InclusionPathLength(uint64_t leaf_index, uint64_t tree_size) {
  if (leaf_index >= tree_size) return 0;
  size_t length = 0;
  // Walk up the levels: a node has a sibling unless it is the unpaired last node of its level.
  for (uint64_t index = leaf_index, size = tree_size; size > 1;
       index /= 2, size = size / 2 + size % 2) {
    if ((index ^ 1) < size) ++length;
  }
  return length;
}

Result<InclusionProof> MakeInclusionProof(const std::vector<std::string>& leaf_data,
                                          uint64_t leaf_index) {
  return MakeInclusionProofFromLeafHashes(LeafHashes(leaf_data), leaf_index);
}

Result<InclusionProof> MakeInclusionProofFromLeafHashes(std::vector<std::string> leaf_hashes,
                                                        uint64_t leaf_index) {
  InclusionProof proof;
  proof.leaf_index = leaf_index;
  proof.tree_size = leaf_hashes.size();
  if (leaf_index >= proof.tree_size) {
    return Status::Invalid("cannot prove leaf " + std::to_string(leaf_index) + " of a tree of " +
                           std::to_string(proof.tree_size) + " leaves: index out of range");
  }
  for (uint64_t index = leaf_index; leaf_hashes.size() > 1; index /= 2) {
    const uint64_t sibling = index ^ 1;
    if (sibling < leaf_hashes.size()) proof.path.push_back(leaf_hashes[sibling]);
    ReduceLevel(leaf_hashes);
  }
  return proof;
}

Status VerifyInclusion(std::string_view leaf_data, const InclusionProof& proof,
                       std::string_view root) {
  return VerifyInclusionOfLeafHash(MerkleLeafHash(leaf_data), proof, root);
}

Status VerifyInclusionOfLeafHash(std::string_view leaf_hash, const InclusionProof& proof,
                                 std::string_view root) {
  if (leaf_hash.size() != kSha256Bytes) {
    return Status::Invalid("inclusion proof: leaf hash is " + std::to_string(leaf_hash.size()) +
                           " bytes, not 32");
  }
  JEJAK_RETURN_IF_ERROR(CheckProofShape(proof, root));
  // Same walk as InclusionPathLength, so the path is consumed exactly (checked above).
  std::string hash(leaf_hash);
  size_t next = 0;
  for (uint64_t index = proof.leaf_index, size = proof.tree_size; size > 1;
       index /= 2, size = size / 2 + size % 2) {
    if (index % 2 == 1) {
      hash = MerkleNodeHash(proof.path[next++], hash);
    } else if (index + 1 < size) {
      hash = MerkleNodeHash(hash, proof.path[next++]);
    }
  }
  if (hash != root) {
    return Status::Invalid("inclusion proof: leaf " + std::to_string(proof.leaf_index) +
                           " with this path gives root " + ShortHex(hash) +
                           ", but the expected root is " + ShortHex(root));
  }
  return Status::Ok();
}

}  // namespace jejak::crypto
