#include "upstream/upstreamtransport.h"

namespace portcullis {

UpstreamTransport::~UpstreamTransport() = default;

} // namespace portcullis
