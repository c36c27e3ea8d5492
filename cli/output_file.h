// Files that `jejak graph` and `jejak label` write: whole or not at all, and never over an
// existing file unless the user said --force.
#pragma once

#include <string>
#include <string_view>

#include "node/base/status.h"

namespace jejak::cli {

// Writes `bytes` to a temporary file beside `path`, then moves it into place, so a reader never
// sees half a file. AlreadyExists when `path` exists and !overwrite; Invalid when the path cannot
// be written (missing directory, no permission, a directory in the way); IoError when writing
// fails part way (disk full).
Status WriteOutputFile(const std::string& path, std::string_view bytes, bool overwrite);

}  // namespace jejak::cli
