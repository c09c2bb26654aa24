// Private: the event-file loop shared by the built-in generators (WH, ttH,
// the toy): `num_events` events of `process` drawn with RandomStream(seed),
// written as HepMC3 ASCII to a temporary name and renamed into `path` when
// complete. Layout: goldmine/generators/wh_event_file.h. `progress` (may be
// empty) is called with the events written so far, every 1 % and at the
// end. Throws InvalidInput for bad benchmarks, num_events < 1, a benchmark
// named like a variation weight, or an unwritable path.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "event_process.h"
#include "goldmine/generators/benchmarks.h"
#include "goldmine/generators/wh_event_file.h"

namespace goldmine::generators {

EventFileResult WriteEventFile(
    const std::string& path,
    EventProcess& process,
    const std::vector<NamedBenchmark>& benchmarks,
    std::int64_t num_events,
    std::uint64_t seed,
    const std::function<void(std::int64_t)>& progress);

}  // namespace goldmine::generators
