// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released): for
// `jejak init` and the tests, which write a node's address before the node binds it. Never the
// same port twice in a row within one process (the last 4,096 are remembered).
#pragma once

#include "node/base/status.h"

namespace jejak::net {

Result<int> FreeLoopbackPort();

}  // namespace jejak::net
