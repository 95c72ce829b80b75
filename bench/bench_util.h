// Helpers shared by the benchmark drivers: a clock, percentiles, the
// process's peak resident set, random UUIDs, and the one-line JSON result
// each driver prints for bench/bench.py to read.
#ifndef CONSENTKIT_BENCH_BENCH_UTIL_H_
#define CONSENTKIT_BENCH_BENCH_UTIL_H_

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace consentkit::bench {

using Clock = std::chrono::steady_clock;

inline double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The p-th percentile (0..100) by nearest rank. REQUIRES: samples not empty.
inline double Percentile(std::vector<double> samples, double p) {
  std::sort(samples.begin(), samples.end());
  double rank = std::ceil(p / 100.0 * static_cast<double>(samples.size()));
  std::size_t index = rank < 1 ? 0 : static_cast<std::size_t>(rank) - 1;
  return samples[std::min(index, samples.size() - 1)];
}

inline double Mean(const std::vector<double>& samples) {
  double sum = 0;
  for (double s : samples) sum += s;
  return samples.empty() ? 0 : sum / static_cast<double>(samples.size());
}

// A field of /proc/self/status in kB ("VmHWM": peak RSS), 0 if absent.
inline long ProcStatusKb(const std::string& key) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.compare(0, key.size() + 1, key + ":") == 0)
      return std::stol(line.substr(key.size() + 1));
  }
  return 0;
}

// A random version 4 UUID, lower case.
inline std::string RandomUuid(std::mt19937_64& rng) {
  unsigned long long hi = rng(), lo = rng();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx", hi >> 32,
                (hi >> 16) & 0xffff, hi & 0xffff, lo >> 48, lo & 0xffffffffffffULL);
  return text;
}

// `"key":{median,p99,mean}` in ms for a list of samples, for the JSON line.
inline std::string StatsJson(const std::string& key, const std::vector<double>& ms) {
  std::ostringstream out;
  out.imbue(std::locale::classic());
  out << '"' << key << "\":{\"median\":" << Percentile(ms, 50) << ",\"p99\":" << Percentile(ms, 99)
      << ",\"mean\":" << Mean(ms) << ",\"min\":" << Percentile(ms, 0) << '}';
  return out.str();
}

// A driver's main(): runs `run` on the arguments `parse` makes of the
// command line; an error is printed as "<name>: <what>" with exit code 1.
template <typename Parse, typename Run>
int DriverMain(const char* name, int argc, char** argv, Parse parse, Run run) {
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << name << ": " << e.what() << "\n";
    return 1;
  }
}

}  // namespace consentkit::bench

#endif  // CONSENTKIT_BENCH_BENCH_UTIL_H_
