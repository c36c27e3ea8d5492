// Public header of the consensus module: what it offers.
//   Core                 the Tendermint state machine (core.h)
//   Application, Signer, Verifier   what the caller injects (interfaces.h)
//   VerifyCertificate    checks a commit certificate against a validator set (certificate.h)
//   VoteSignBytes, ProposalSignBytes   the exact signed bytes (sign_bytes.h)
#pragma once

#include "certificate.h"
#include "core.h"
#include "interfaces.h"
#include "sign_bytes.h"
#include "types.h"
