// Numbers as PDF content streams and dictionaries write them.
#ifndef CONSENTKIT_PDF_NUMBER_H_
#define CONSENTKIT_PDF_NUMBER_H_

#include <cmath>
#include <string>

namespace consentkit {

// `value` with two decimals ("12.50", "-0.45"), '.' as the decimal mark
// whatever the locale. Hand-rolled because every drawn text and path
// passes through it: snprintf("%.2f") was 9 % of a consent form's render.
// Values beyond ±2^53 / 100 are not meaningful on a page and print as 0.
inline void AppendNum(std::string& out, double value) {
  double scaled = std::round(value * 100.0);
  if (!(std::fabs(scaled) < 9.0e15)) scaled = 0;  // also NaN
  long long hundredths = static_cast<long long>(scaled);
  if (hundredths < 0) {
    out += '-';
    hundredths = -hundredths;
  }
  char digits[24];
  int n = 0;
  long long whole = hundredths / 100;
  do {
    digits[n++] = static_cast<char>('0' + whole % 10);
    whole /= 10;
  } while (whole);
  while (n) out += digits[--n];
  out += '.';
  out += static_cast<char>('0' + hundredths / 10 % 10);
  out += static_cast<char>('0' + hundredths % 10);
}

inline std::string Num(double value) {
  std::string out;
  AppendNum(out, value);
  return out;
}

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_NUMBER_H_
