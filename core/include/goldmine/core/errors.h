// The error vocabulary of goldmine. Every module throws one of these types, and
// apps/ maps them to exit codes: InvalidInput and FileFormatError mean the
// user's input is wrong (exit 2), everything else is our own failure (exit 1).
//
// A message is one line that says what is wrong, the bad value, where it is
// (file, line, event, key) and what was expected, for example
//   basis[2]: expected 2 numbers (one per parameter), got 3
// The library never prints and never exits; it throws.
#pragma once

#include <stdexcept>
#include <string>

namespace goldmine {

// Base of every goldmine exception; catch this to catch them all.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Arguments, options or configuration values that cannot be used.
class InvalidInput : public Error {
 public:
  using Error::Error;
};

// A file that cannot be read, or whose content does not follow its format.
class FileFormatError : public Error {
 public:
  using Error::Error;
};

// A numerical failure that valid input should not produce (a broken
// invariant, an overflow in our own arithmetic). Reported as exit code 1.
class InternalError : public Error {
 public:
  using Error::Error;
};

namespace internal {
// Appends " [file.cc:88]" so that developers can find the check.
[[noreturn]] void ThrowInvalidInput(const std::string& message,
                                    const char* file,
                                    int line);
}  // namespace internal

// `message` without the trailing " [file.cc:N]" or " [file.h:N]" that
// GOLDMINE_REQUIRE appends for developers: a user is told the file and the
// key instead (issue 15).
std::string WithoutSourceLocation(const std::string& message);

}  // namespace goldmine

// Throws goldmine::InvalidInput with `message` (a std::string expression,
// evaluated only on failure) when `condition` is false.
#define GOLDMINE_REQUIRE(condition, message)                                  \
  do {                                                                        \
    if (!(condition)) {                                                       \
      ::goldmine::internal::ThrowInvalidInput((message), __FILE__, __LINE__); \
    }                                                                         \
  } while (false)
