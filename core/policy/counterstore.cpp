#include "policy/counterstore.h"

namespace portcullis {

// Out of line so the vtable lives in one object file.
CounterStore::~CounterStore() = default;

} // namespace portcullis
