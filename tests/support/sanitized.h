// Whether this test binary runs under AddressSanitizer (the asan preset,
// CI's second step), and a skip for the checks that repeat, at ASan's 10-20x
// cost, long numerical or statistical computations the release suite runs in
// full. The code paths they cover are exercised under ASan by the smaller
// tests of the same module; CI's 90 minutes do not allow both.
#pragma once

#include <gtest/gtest.h>

namespace goldmine::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

}  // namespace goldmine::testing

#define GOLDMINE_SKIP_LONG_CHECK_WHEN_SANITIZED()                       \
  if (::goldmine::testing::kSanitized)                                  \
  GTEST_SKIP() << "a long numerical check under AddressSanitizer: the " \
                  "release suite runs it (tests/support/sanitized.h)"
