// What every fuzz target shares: an invariant that fails the run the way a
// sanitizer does (a message, then abort), so that libFuzzer saves the input
// and the corpus replay fails.
#ifndef CONSENTKIT_FUZZ_FUZZ_CHECK_H_
#define CONSENTKIT_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>
#include <string>

namespace consentkit::fuzz {

[[noreturn]] inline void Fail(const char* file, int line, const std::string& what) {
  std::fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n", file, line, what.c_str());
  std::abort();
}

}  // namespace consentkit::fuzz

#define CK_FUZZ_CHECK(condition, what) \
  ((condition) ? void(0) : ::consentkit::fuzz::Fail(__FILE__, __LINE__, (what)))

#endif  // CONSENTKIT_FUZZ_FUZZ_CHECK_H_
