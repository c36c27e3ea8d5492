#include "node/net/block_sync_client.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "node/crypto/hex.h"
#include "node/net/ledger_client.h"

namespace jejak::net {

Result<v1::GetBlocksResponse> ReadCommittedBlocks(const ledger::ChainReader& chain, uint64_t from_height,
                                                  uint32_t max_blocks) {
  if (from_height == 0) return Status::Invalid("GetBlocks: from_height must be at least 1");
  const uint32_t limit =
      max_blocks == 0 ? kDefaultBlocksPerResponse : std::min(max_blocks, kMaxBlocksPerResponse);
  v1::GetBlocksResponse response;
  // Read the head once: blocks committed meanwhile are left for the next request.
  const uint64_t head = chain.head_height();
  response.set_head_height(head);
  size_t bytes = 0;
  for (uint64_t height = from_height;
       height <= head && response.blocks_size() < static_cast<int>(limit); ++height) {
    Result<v1::Block> block = chain.GetBlock(height);
    if (!block.ok()) return block.status();
    Result<v1::CommitCertificate> certificate = chain.GetCertificate(height);
    if (!certificate.ok()) return certificate.status();
    const size_t size = block->ByteSizeLong() + certificate->ByteSizeLong();
    if (response.blocks_size() > 0 && bytes + size > kMaxBlocksResponseBytes) break;
    bytes += size;
    v1::CommittedBlock* out = response.add_blocks();
    *out->mutable_block() = std::move(*block);
    *out->mutable_certificate() = std::move(*certificate);
  }
  return response;
}

struct BlockSyncClient::Source {
  Source(const LedgerEndpoint& endpoint, const BlockSyncOptions& options)
      : head_client(endpoint, options.head_timeout), fetch_client(endpoint, options.fetch_timeout) {}
  LedgerClient head_client;
  LedgerClient fetch_client;
  uint64_t last_head = 0;  // from the last BestHeadHeight; 0 when unknown or unreachable
  std::chrono::steady_clock::time_point distrusted_until{};
  bool other_chain = false;  // from the last Status: it serves another chain
  std::chrono::steady_clock::time_point next_warning{};
  bool Distrusted() const { return std::chrono::steady_clock::now() < distrusted_until; }

  // A source that stays unreachable (down, or a wrong TLS pin in the config) must show in the
  // log, once a minute rather than once per poll.
  void WarnUnreachable(const Status& status) {
    const auto now = std::chrono::steady_clock::now();
    if (now < next_warning) return;
    next_warning = now + std::chrono::minutes(1);
    spdlog::warn("block sync: source {} does not answer: {}", head_client.address(), status.message());
  }
};

BlockSyncClient::BlockSyncClient(const std::vector<LedgerEndpoint>& sources,
                                 BlockSyncOptions options)
    : options_(options) {
  for (const LedgerEndpoint& endpoint : sources) {
    sources_.push_back(std::make_unique<Source>(endpoint, options_));
  }
}

BlockSyncClient::~BlockSyncClient() = default;

Result<uint64_t> BlockSyncClient::BestHeadHeight() {
  std::lock_guard<std::mutex> lock(mutex_);
  bool any = false;
  uint64_t best = 0;
  for (auto& source : sources_) {
    if (source->Distrusted()) continue;  // its head may be a lie too
    Result<v1::StatusResponse> status = source->head_client.GetStatus();
    source->last_head = status.ok() ? status->height() : 0;
    if (!status.ok()) {
      source->WarnUnreachable(status.status());
      continue;
    }
    Status chain = CheckSameChain(*status);
    // Logged when it starts, not under the once-a-minute limit of "does not answer": a source
    // that was down a moment ago must not hide that it serves another chain.
    if (!chain.ok() && !source->other_chain) {
      spdlog::warn("block sync: source {} is left out: {}", source->head_client.address(), chain.message());
    }
    source->other_chain = !chain.ok();
    if (!chain.ok()) {
      source->last_head = 0;
      continue;
    }
    any = true;
    best = std::max(best, status->height());
  }
  if (!any)
    return Status::Unavailable("block sync: none of " + std::to_string(sources_.size()) +
                               " sources answered");
  return best;
}

Result<std::vector<v1::CommittedBlock>> BlockSyncClient::FetchBlocks(uint64_t from_height,
                                                                     uint32_t max_blocks) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Best known head first; the original order breaks ties so the choice is deterministic.
  std::vector<Source*> order;
  for (auto& source : sources_) {
    if (!source->Distrusted() && !source->other_chain) order.push_back(source.get());
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const Source* a, const Source* b) { return a->last_head > b->last_head; });
  bool any_answer = false;
  Status last_error = Status::Unavailable("block sync: no sources");
  for (Source* source : order) {
    Result<std::vector<v1::CommittedBlock>> blocks = FetchFrom(*source, from_height, max_blocks);
    if (!blocks.ok()) {
      last_error = blocks.status();
      continue;
    }
    any_answer = true;
    if (!blocks->empty()) {
      last_fetch_source_ = source;
      return blocks;
    }
  }
  if (any_answer) return std::vector<v1::CommittedBlock>{};
  return last_error;
}

Status BlockSyncClient::CheckSameChain(const v1::StatusResponse& status) const {
  if (!options_.chain_id.empty() && status.chain_id() != options_.chain_id) {
    return Status::Invalid("it serves chain '" + status.chain_id() + "', not '" + options_.chain_id + "'");
  }
  // A node of an older version does not say; its blocks' certificates are still checked.
  if (!options_.genesis_hash.empty() && !status.genesis_hash().empty() &&
      status.genesis_hash() != options_.genesis_hash) {
    return Status::Invalid("it serves another chain: its genesis is " + crypto::ToHex(status.genesis_hash()) +
                           ", ours is " + crypto::ToHex(options_.genesis_hash));
  }
  return Status::Ok();
}

void BlockSyncClient::RefuseLastFetch(const std::string& reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (last_fetch_source_ == nullptr) return;
  last_fetch_source_->distrusted_until = std::chrono::steady_clock::now() + options_.distrust;
  spdlog::warn("block sync: leaving out {} for {} ms: the node refused its blocks: {}",
               last_fetch_source_->fetch_client.address(), options_.distrust.count(), reason);
  last_fetch_source_ = nullptr;
}

Result<std::vector<v1::CommittedBlock>> BlockSyncClient::FetchFrom(Source& source,
                                                                   uint64_t from_height,
                                                                   uint32_t max_blocks) {
  const std::string& address = source.fetch_client.address();
  Result<v1::GetBlocksResponse> response = source.fetch_client.GetBlocks(from_height, max_blocks);
  if (!response.ok()) {
    spdlog::warn("block sync: {} did not answer GetBlocks: {}", address,
                 response.status().message());
    return response.status();
  }
  source.last_head = response->head_height();
  Status refused = CheckBlocksResponse(*response, from_height, max_blocks);
  if (!refused.ok()) {
    spdlog::warn("block sync: refused the answer of {}: {}", address, refused.message());
    return Status::Invalid("block sync: " + address + ": " + refused.message());
  }
  std::vector<v1::CommittedBlock> blocks;
  blocks.reserve(static_cast<size_t>(response->blocks_size()));
  for (v1::CommittedBlock& block : *response->mutable_blocks()) blocks.push_back(std::move(block));
  return blocks;
}

Status CheckBlocksResponse(const v1::GetBlocksResponse& response, uint64_t from_height,
                           uint32_t max_blocks) {
  const uint32_t limit = max_blocks == 0 ? kMaxBlocksPerResponse : max_blocks;
  if (static_cast<uint64_t>(response.blocks_size()) > limit) {
    return Status::Invalid(std::to_string(response.blocks_size()) + " blocks where at most " +
                           std::to_string(limit) + " were asked");
  }
  for (int i = 0; i < response.blocks_size(); ++i) {
    const uint64_t want = from_height + static_cast<uint64_t>(i);
    const v1::CommittedBlock& block = response.blocks(i);
    if (block.block().header().height() != want) {
      return Status::Invalid("blocks[" + std::to_string(i) + "] has height " +
                             std::to_string(block.block().header().height()) + ", expected " +
                             std::to_string(want));
    }
    if (block.certificate().height() != want) {
      return Status::Invalid("blocks[" + std::to_string(i) + "] carries a certificate for height " +
                             std::to_string(block.certificate().height()) + ", expected " +
                             std::to_string(want));
    }
  }
  return Status::Ok();
}

}  // namespace jejak::net
