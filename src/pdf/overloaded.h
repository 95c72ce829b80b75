// Private to src/pdf: a visitor made of lambdas, for std::visit over atom
// payloads (atoms.h).
#ifndef CONSENTKIT_PDF_OVERLOADED_H_
#define CONSENTKIT_PDF_OVERLOADED_H_

namespace consentkit {

template <typename... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <typename... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_OVERLOADED_H_
