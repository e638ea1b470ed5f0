// The one error policy (see docs/architecture.md): expected failures — bad input, a refused
// command, an unknown name — are values of Outcome<T> carrying a Chinese sentence for the user;
// infrastructure failures are exceptions, caught once per request or job and logged.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace yimei {

enum class ErrorKind {
  BadInput,     // the user typed something we cannot accept (exit 3)
  NotFound,     // a named thing does not exist (exit 3)
  Ambiguous,    // several things match; the message lists them (exit 3)
  Forbidden,    // the role does not allow it (exit 3)
  Unavailable,  // a dependency failed: database, LLM, platform API (exit 4)
};

struct UserError {
  ErrorKind kind = ErrorKind::BadInput;
  std::string message;  // one clear Chinese sentence for the user
};

template <class T>
class Outcome {
 public:
  Outcome(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Outcome(UserError e) : v_(std::move(e)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const UserError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, UserError> v_;
};

inline UserError bad_input(std::string msg) {
  return {ErrorKind::BadInput, std::move(msg)};
}
inline UserError not_found(std::string msg) {
  return {ErrorKind::NotFound, std::move(msg)};
}

// A dependency (database, remote API) failed; `what()` is for the log, never for the user.
class DependencyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace yimei
