// jejak capture FILE: records every event of an EPCIS 2.0 document, in order.
//
// The whole document is read and every event checked before anything is sent, so a bad event
// never leaves half a document on the ledger because of its shape. Events then go in batches, each
// waiting for its commit. Running the same capture again is safe: the ledger names events by
// their content, and committed ones are reported as already committed, so a capture that was
// interrupted (or stopped at an event the rules refused) resumes where it stopped.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <sstream>

#include "cli/cli_context.h"
#include "cli/commands.h"
#include "cli/recorder.h"
#include "node/epcis/document.h"
#include "node/epcis/validate.h"
#include "node/net/ledger_client.h"

namespace jejak::cli {
namespace {

constexpr size_t kBatchEvents = 500;
// Below the node's default request limit (8 MiB), leaving room for the request's framing.
constexpr size_t kBatchBytes = 4 << 20;

struct CaptureArgs {
  std::string file;
  size_t batch_events = kBatchEvents;
};

struct Tally {
  size_t committed = 0;
  size_t already = 0;
  uint64_t height = 0;
  nlohmann::json results = nlohmann::json::array();
  size_t committed_before_failure = 0;  // events of the document committed when a batch was refused
};

class Progress {
 public:
  Progress(size_t total, bool enabled) : total_(total), enabled_(enabled) {}
  void Show(size_t done) const {
    if (!enabled_ || total_ == 0) return;
    constexpr size_t kWidth = 30;
    size_t filled = done * kWidth / total_;
    std::fprintf(stderr, "\r[%s%s] %zu/%zu events", std::string(filled, '#').c_str(),
                 std::string(kWidth - filled, ' ').c_str(), done, total_);
    std::fflush(stderr);
  }
  void Finish() const {
    if (enabled_) std::fprintf(stderr, "\n");
  }

 private:
  size_t total_;
  bool enabled_;
};

Result<std::vector<v1::Event>> ReadDocument(const std::string& file) {
  auto text = ReadTextFile(file, epcis::kMaxDocumentBytes);
  if (!text.ok()) return text.status();
  auto events = epcis::ParseDocument(*text);
  if (!events.ok()) return events.status().WithContext(file);
  if (events->empty()) return Status::Invalid(file + ": the document holds no event");
  Status valid = epcis::ValidateAllForCapture(*events);
  if (!valid.ok()) return valid.WithContext(file + " (nothing was sent)");
  return events;
}

Status SubmitBatches(net::LedgerClient& client, const std::vector<v1::SignedEvent>& events,
                     size_t batch_events, const Progress& progress, Tally& tally) {
  std::vector<size_t> sizes;
  sizes.reserve(events.size());
  for (const v1::SignedEvent& e : events) sizes.push_back(e.ByteSizeLong());
  for (const Batch& batch : PlanBatches(sizes, batch_events, kBatchBytes)) {
    std::vector<v1::SignedEvent> part(events.begin() + static_cast<std::ptrdiff_t>(batch.begin),
                                      events.begin() + static_cast<std::ptrdiff_t>(batch.end));
    auto response = client.SubmitEvents(part);
    if (!response.ok()) {
      tally.committed_before_failure = batch.begin;
      return NumberRefusedEvent(response.status(), batch.begin + 1);
    }
    for (const v1::SubmitResult& r : response->results()) {
      (r.already_committed() ? tally.already : tally.committed) += 1;
      tally.height = std::max(tally.height, r.height());
      tally.results.push_back({{"event_id", r.event_id()},
                               {"height", r.height()},
                               {"already_committed", r.already_committed()}});
    }
    progress.Show(batch.end);
  }
  return Status::Ok();
}

int Capture(const GlobalOptions& options, const CaptureArgs& args) {
  Output out(options);
  auto events = ReadDocument(args.file);
  if (!events.ok()) return out.Fail(events.status());
  auto signer = LoadSigner(options);
  if (!signer.ok()) return out.Fail(signer.status());
  auto endpoint = NodeEndpoint(options);
  if (!endpoint.ok()) return out.Fail(endpoint.status());
  auto signed_events = SignAll(*signer, *events);
  if (!signed_events.ok()) return out.Fail(signed_events.status());
  net::LedgerClient client(*endpoint);
  Progress progress(events->size(), !options.json && isatty(STDERR_FILENO) == 1);
  Tally tally;
  Status submitted = SubmitBatches(client, *signed_events, args.batch_events, progress, tally);
  progress.Finish();
  if (!submitted.ok()) {
    return out.Fail(submitted, tally.committed_before_failure == 0
                                   ? "no event of this run was committed"
                                   : "events 1 to " + std::to_string(tally.committed_before_failure) +
                                         " are committed; put it right and run the capture again");
  }
  std::ostringstream human;
  human << "captured " << events->size() << " events from " << args.file << ": " << tally.committed
        << " committed now, " << tally.already << " already committed\n"
        << "block height: " << tally.height << "\n";
  out.Print(human.str(), {{"file", args.file},
                          {"events", events->size()},
                          {"committed", tally.committed},
                          {"already_committed", tally.already},
                          {"height", tally.height},
                          {"results", tally.results}});
  return 0;
}

}  // namespace

void AddCaptureCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto args = std::make_shared<CaptureArgs>();
  CLI::App* cmd = app.add_subcommand(
      "capture", "Record every event of an EPCIS 2.0 JSON-LD document (safe to run again)");
  cmd->add_option("file", args->file, "EPCISDocument or EPCISQueryDocument (JSON-LD)")->required();
  cmd->add_option("--batch", args->batch_events, "Events per request, each waiting for its commit")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  cmd->callback([&options, &exit_code, args] { exit_code = Capture(options, *args); });
}

}  // namespace jejak::cli
