// libFuzzer target: random inclusion proofs against VerifyInclusion.
//
// Beyond "never crashes", it checks soundness: against the genuine root of a known tree, a proof
// the fuzzer invents may only be accepted for the genuine leaf at the claimed index (anything else
// would be a SHA-256 collision, i.e. a bug in the verifier).
//
// Input layout (missing bytes read as zero):
//   byte 0        number of leaves n of the genuine tree, 1..64
//   bytes 1..8    leaf_index (little-endian); bytes 9..16 tree_size, used as given when byte 17
//                 is odd, else n
//   byte 18       path length (0..70); then that many hashes of 32 bytes each, where a hash whose
//                 first byte is 0xff is replaced by the genuine path hash at that position
//                 (so the fuzzer can reach near-valid proofs)
//   byte after    odd: the leaf data is the rest of the input; even: the genuine leaf
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "node/crypto/merkle.h"

namespace {

class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(reinterpret_cast<const char*>(data), size) {}
  uint8_t Byte() { return static_cast<uint8_t>(Take(1)[0]); }
  uint64_t U64() {
    const std::string bytes = Take(8);
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(bytes[i]);
    return v;
  }
  std::string Take(size_t n) {
    std::string out(data_.substr(0, n));
    data_.remove_prefix(out.size());
    out.resize(n, '\0');
    return out;
  }
  std::string Rest() {
    std::string out(data_);
    data_ = {};
    return out;
  }

 private:
  std::string_view data_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace jejak::crypto;
  Reader in(data, size);
  const size_t n = 1 + in.Byte() % 64;
  std::vector<std::string> leaves;
  for (size_t i = 0; i < n; ++i) leaves.push_back("leaf-" + std::to_string(i));
  const std::string root = MerkleRoot(leaves);

  InclusionProof proof;
  proof.leaf_index = in.U64();
  const uint64_t fuzzed_size = in.U64();
  proof.tree_size = (in.Byte() % 2 == 1) ? fuzzed_size : n;
  const uint64_t genuine_index = proof.leaf_index % n;
  const InclusionProof genuine = *MakeInclusionProof(leaves, genuine_index);
  const size_t path_length = in.Byte() % 71;
  for (size_t i = 0; i < path_length; ++i) {
    std::string hash = in.Take(32);
    if (static_cast<uint8_t>(hash[0]) == 0xff && i < genuine.path.size()) hash = genuine.path[i];
    proof.path.push_back(hash);
  }
  const bool own_leaf = in.Byte() % 2 == 1;
  const std::string leaf = own_leaf ? in.Rest() : leaves[genuine_index];

  const jejak::Status status = VerifyInclusion(leaf, proof, root);
  if (status.ok()) {
    // Accepted against the genuine root: the claim must be the truth.
    if (proof.leaf_index >= n || leaf != leaves[proof.leaf_index]) std::abort();
  } else if (status.message().empty()) {
    std::abort();  // every rejection must say why
  }
  return 0;
}
