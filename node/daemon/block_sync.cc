#include "node/daemon/block_sync.h"

#include <spdlog/spdlog.h>

#include "node/crypto/hex.h"
#include "node/ledger/block.h"
#include "node/ledger/commit_certificate.h"

namespace jejak::daemon {

BlockSync::BlockSync(Options options, std::vector<ledger::Validator> validators,
                     consensus::Verifier& verifier, storage::Store& store,
                     BlockApplication& application, OnCommitted on_committed)
    : options_(std::move(options)),
      validators_(std::move(validators)),
      verifier_(verifier),
      store_(store),
      application_(application),
      on_committed_(std::move(on_committed)) {}

Status BlockSync::CheckCertificate(const v1::CommittedBlock& committed, const std::string& block_hash) {
  return ledger::CheckCommitCertificate(options_.chain_id, validators_, committed.certificate(),
                                        committed.block().header().height(), block_hash, verifier_);
}

Status BlockSync::Apply(const v1::CommittedBlock& committed) {
  const uint64_t height = store_.head_height() + 1;
  const v1::Block& block = committed.block();
  if (block.header().height() != height) {
    return Status::Invalid("block sync: expected block " + std::to_string(height) + ", got block " +
                           std::to_string(block.header().height()));
  }
  const std::string where = "block sync: block " + std::to_string(height);
  const std::string hash = ledger::BlockHash(block.header());
  if (Status s = CheckCertificate(committed, hash); !s.ok()) return s.WithContext(where);
  Result<ValidatedBlock> validated = application_.CheckValue(height, {hash, block.SerializeAsString()});
  if (!validated.ok()) {
    // A block with a valid certificate that does not validate here means a quorum signed an
    // invalid block, or our state differs: either way not something to apply.
    return validated.status().WithContext(where);
  }
  JEJAK_RETURN_IF_ERROR(store_.CommitBlock(validated->block, committed.certificate(), validated->writes));
  spdlog::info("synced block {} with {} events, hash {}", height, block.events_size(),
               crypto::ToHex(hash).substr(0, 16));
  if (on_committed_) on_committed_(*validated);
  return Status::Ok();
}

Result<uint64_t> BlockSync::Run(replica::BlockSource& source) {
  uint64_t applied = 0;
  for (uint32_t fetch = 0; fetch < options_.max_fetches; ++fetch) {
    const uint64_t from = store_.head_height() + 1;
    Result<std::vector<v1::CommittedBlock>> blocks = source.FetchBlocks(from, options_.max_blocks_per_fetch);
    if (!blocks.ok()) return applied > 0 ? Result<uint64_t>(applied) : Result<uint64_t>(blocks.status());
    if (blocks->empty()) break;
    if (blocks->size() > options_.max_blocks_per_fetch) {
      return Status::Invalid("block sync: the source sent " + std::to_string(blocks->size()) +
                             " blocks, more than the " + std::to_string(options_.max_blocks_per_fetch) +
                             " asked for");
    }
    for (const v1::CommittedBlock& committed : *blocks) {
      Status s = Apply(committed);
      if (!s.ok()) {
        if (s.IsInputFault()) {
          spdlog::warn("refused a block from the block sources: {}", s.message());
          source.RefuseLastFetch(s.message());
        }
        return s;
      }
      ++applied;
    }
  }
  return applied;
}

}  // namespace jejak::daemon
