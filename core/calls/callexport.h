#pragma once

#include "calls/callevent.h"

#include <string>
#include <vector>

namespace portcullis {

// The live-calls view's "export visible rows": one JSON object per line (the same objects as
// /admin/events), or CSV with a header row (RFC 4180 quoting, UTF-8, times in UTC ISO 8601).
std::string callsAsJsonLines(const std::vector<CallEvent>& events);
std::string callsAsCsv(const std::vector<CallEvent>& events);

} // namespace portcullis
