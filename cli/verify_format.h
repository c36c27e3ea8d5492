// What `jejak verify` prints for a verified proof bundle: text a buyer can read and the same
// facts as JSON. Pure functions of the verified trace; no I/O.
//
// Every event shows both of its times: when it says it happened (its eventTime) and when the
// chain recorded it (its block's time). Each certificate of its lots is judged at both; where the
// verdicts differ (a certificate that expired between the event and its recording, or one that
// was not yet valid when the event happened) the line says so in words.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "node/ledger/proof_verify.h"

namespace jejak::cli {

std::string FormatVerifiedTrace(const ledger::VerifiedTrace& trace);
nlohmann::json VerifiedTraceJson(const ledger::VerifiedTrace& trace);

// "valid at the event time and at the record time", "valid at the event time but NOT at the
// record time (it had expired by then)", ...
std::string DescribeCertificateCheck(const ledger::VerifiedCertificateCheck& check);

}  // namespace jejak::cli
