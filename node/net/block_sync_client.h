// Block sync over other nodes' ledger services (LedgerService.GetBlocks).
//
// Client:  BlockSyncClient sync(endpoints);       // replica::BlockSource
//          sync.BestHeadHeight();                 // max head among those answering in time
//          sync.FetchBlocks(from, max);           // from the best source, falling back to others
// It checks nothing cryptographic (the node checks every certificate) but refuses an answer whose
// heights are not consecutive from `from_height` or that has more blocks than asked. A source
// whose blocks the node refused (RefuseLastFetch) is left out for BlockSyncOptions::distrust, and
// one that serves another chain (chain id or genesis hash, from its Status) is not asked for blocks.
//
// Server:  ReadCommittedBlocks(chain, from, max)  // what GetBlocks answers
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "jejak/v1/block.pb.h"
#include "jejak/v1/ledger_service.pb.h"
#include "node/base/status.h"
#include "node/ledger/chain_reader.h"
#include "node/net/ledger_endpoint.h"
#include "node/replica/ports.h"

namespace jejak::net {

inline constexpr uint32_t kMaxBlocksPerResponse = 256;
inline constexpr uint32_t kDefaultBlocksPerResponse = 64;
inline constexpr size_t kMaxBlocksResponseBytes = 8u << 20;  // at least one block is sent

// Blocks from `from_height` (>= 1) with their certificates: at most `max_blocks` (0: the default,
// capped at kMaxBlocksPerResponse) and about kMaxBlocksResponseBytes; plus the head height.
// Invalid for from_height 0; Corruption/IoError from the store.
Result<v1::GetBlocksResponse> ReadCommittedBlocks(const ledger::ChainReader& chain, uint64_t from_height,
                                                  uint32_t max_blocks);

// What the client refuses in an answer: more blocks than asked (0: kMaxBlocksPerResponse), or a
// block or certificate whose height is not from_height + its index. The message names the index.
Status CheckBlocksResponse(const v1::GetBlocksResponse& response, uint64_t from_height,
                           uint32_t max_blocks);

struct BlockSyncOptions {
  // The chain this node follows: a source whose status names another chain id or genesis hash is
  // left out (and logged). Empty: not checked.
  std::string chain_id;
  std::string genesis_hash;  // raw 32 bytes
  std::chrono::milliseconds head_timeout{500};     // per source, for BestHeadHeight
  std::chrono::milliseconds fetch_timeout{10000};  // per source, for FetchBlocks
  std::chrono::milliseconds distrust{60000};       // a source that sent refused blocks is skipped
};

// Thread-safe; calls are serialised. Each source is asked in turn (head_timeout each).
class BlockSyncClient final : public replica::BlockSource {
 public:
  // Other nodes' ledger services; those with a TLS pin are reached over TLS and trusted only
  // when they present the pinned certificate (a source that does not is skipped like a dead one).
  explicit BlockSyncClient(const std::vector<LedgerEndpoint>& sources, BlockSyncOptions options = {});
  ~BlockSyncClient() override;

  Result<uint64_t> BestHeadHeight() override;
  Result<std::vector<v1::CommittedBlock>> FetchBlocks(uint64_t from_height,
                                                      uint32_t max_blocks) override;
  void RefuseLastFetch(const std::string& reason) override;

 private:
  struct Source;
  Status CheckSameChain(const v1::StatusResponse& status) const;
  Result<std::vector<v1::CommittedBlock>> FetchFrom(Source& source, uint64_t from_height,
                                                    uint32_t max_blocks);
  std::mutex mutex_;  // one call at a time: the sources' last heads are shared
  std::vector<std::unique_ptr<Source>> sources_;
  Source* last_fetch_source_ = nullptr;  // the source of the last non-empty FetchBlocks answer
  BlockSyncOptions options_;
};

}  // namespace jejak::net
