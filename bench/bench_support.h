// Pieces the process-level benches (node_bench, network_bench) share: the machine's Ed25519
// verify rate, a commissioning event to load a node with, and percentiles.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "jejak/v1/event.pb.h"
#include "node/crypto/ed25519.h"

namespace jejak::bench {

// Ed25519 verifications per second on one core, measured for about two seconds.
inline double VerifiesPerSecondOneCore() {
  using Clock = std::chrono::steady_clock;
  crypto::PrivateKey key = std::move(crypto::PrivateKey::Generate()).value();
  std::string message(200, 'm');
  std::string signature = key.Sign(message);
  int count = 0;
  auto start = Clock::now();
  while (Clock::now() - start < std::chrono::seconds(2)) {
    for (int i = 0; i < 100; ++i) count += crypto::Verify(key.public_key(), message, signature) ? 1 : 0;
  }
  return count / std::chrono::duration<double>(Clock::now() - start).count();
}

// Commissioning 10 KGM of `lot_id`, `seconds` after 2026-03-01T00:00:00Z (distinct times keep
// the events' hash ids distinct).
inline v1::Event Commissioning(const std::string& lot_id, int seconds) {
  v1::Event e;
  e.set_type(v1::OBJECT_EVENT);
  char time[40];
  std::snprintf(time, sizeof(time), "2026-03-%02dT%02d:%02d:%02d.000Z", 1 + seconds / 86400,
                (seconds / 3600) % 24, (seconds / 60) % 60, seconds % 60);
  e.set_event_time(time);
  e.set_event_time_zone_offset("+07:00");
  e.set_action(v1::ADD);
  e.set_biz_step("commissioning");
  auto* q = e.add_quantity_list();
  q->set_epc_class(lot_id);
  q->set_quantity_micros(10'000'000);
  q->set_uom("KGM");
  return e;
}

inline double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(p * static_cast<double>(values.size() - 1))];
}

}  // namespace jejak::bench
