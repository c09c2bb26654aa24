#include "goldmine/core/malloc_reuse.h"

#include <malloc.h>

namespace goldmine::core {

void KeepFreedMemoryForReuse() {
  constexpr int kMmapThreshold = 32 << 20;
  constexpr int kTrimThreshold = 512 << 20;
  mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
  mallopt(M_TRIM_THRESHOLD, kTrimThreshold);
}

}  // namespace goldmine::core
