// Private to src/pdf: a laid-out form as data. Measuring (measure.h) cuts
// a form into atoms; each holds what the paginator needs (FlowItem: its
// height, keep flags and source) and a payload with everything a painter
// (painter.h) needs to draw it: the wrapped lines, the boxes' sizes, the
// values. Painters compute positions from a payload, never heights, so
// measuring and drawing cannot disagree.
//
// Payloads point into the FormDefinition and the Submission they were
// measured from, which must outlive them.
#ifndef CONSENTKIT_PDF_ATOMS_H_
#define CONSENTKIT_PDF_ATOMS_H_

#include <string>
#include <variant>
#include <vector>

#include "form/form.h"
#include "pdf/acroform.h"
#include "pdf/content_stream.h"
#include "pdf/filled.h"
#include "pdf/paginator.h"
#include "submission/submission.h"

namespace consentkit {

// The page and its content edges, in points.
struct PageGeometry {
  float width, height;  // page
  float left, right;    // content edges
  float top, bottom;    // content area
  float Width() const { return right - left; }
  PageFrame Frame() const { return {top, bottom}; }
};

// A wrapped label, with a red asterisk after its last line when required.
struct MeasuredLabel {
  std::vector<std::string> lines;
  bool required = false;
  Face face = Face::kRegular;
  float size = 0, leading = 0;
};

// A field's cell: label, condition note, box, hint. Small print is empty
// when there is none.
struct MeasuredCell {
  const Field* field = nullptr;
  float x = 0, width = 0;
  MeasuredLabel label;
  std::vector<std::string> note;  // "Only if you answered …"
  float box_height = 0;
  std::vector<std::string> hint;
  bool hidden = false;                // filled: a condition (or a locked witness step) hid it
  bool signature_line = false;        // the box is a signature line with its "×"
  const FieldValue* value = nullptr;  // filled: what the patient gave; null if nothing or hidden
  ValueText text;                     // filled: a text value wrapped into the box
};

struct MeasuredOption {
  const Option* option = nullptr;
  std::vector<std::string> lines;  // yes/no: the one label line
  Face face = Face::kRegular;      // filled: the chosen ones are bold
  bool chosen = false;
};

// A yes/no question (buttons right of the text) or a choice (one option per
// line below it).
struct MeasuredQuestion {
  const Field* field = nullptr;
  bool yes_no = false, multi = false;
  bool hidden = false;  // filled: "Not asked" instead of the options
  float text_width = 0;
  MeasuredLabel label;
  std::vector<std::string> note, hint;
  std::vector<MeasuredOption> options;
};

// The outcome's colour, for its name and the bar beside it, and a light
// tint of it for the panel, so that staff see the outcome at a glance.
struct Tone {
  Color strong, tint;
};

// One payload per kind of atom. Shared by both outputs:
struct TitleAtom {
  std::vector<std::string> lines;
};
struct HeadingAtom {
  std::vector<std::string> lines;
};
struct TextLineAtom {
  std::string line;
  float indent = 0;
  std::string bullet;  // drawn before the first line only; empty: none
  bool first = false;
};
struct RiskHeadAtom {
  std::vector<std::string> lines;
};
struct RiskLineAtom {
  std::string line;
};
struct RiskActionsAtom {
  const Risk* risk = nullptr;
  const Field* initials_field = nullptr;  // the loader's derived "<risk-id>-initials"
  MeasuredLabel label;                    // "I understand this risk" (pdf.risk.confirm)
  bool ticked = false;                    // filled
  const std::string* initials = nullptr;  // filled: the patient's initials, if given
};
struct FieldRowAtom {
  std::vector<MeasuredCell> cells;
};
struct QuestionAtom {
  MeasuredQuestion question;
};
// Blank forms only:
struct RequiredLegendAtom {};
struct ClinicUseAtom {};
// Filled forms only:
struct FilledLegendAtom {
  std::vector<std::string> lines;
};
struct OutcomeHeadAtom {
  Outcome outcome;
  Tone tone;
};
struct OutcomeLineAtom {
  std::string line;
  bool bullet = false;  // a bullet before it: the first line of a rule's reason
  Tone tone;
};
struct OutcomeFootAtom {
  Tone tone;
};
struct RecordRow {
  std::string key;
  std::vector<std::string> lines;
};
struct RecordAtom {
  std::vector<RecordRow> rows;
};
struct SealAtom {
  SealFieldSpec spec;
};

using AtomPayload =
    std::variant<TitleAtom, HeadingAtom, TextLineAtom, RiskHeadAtom, RiskLineAtom, RiskActionsAtom,
                 FieldRowAtom, QuestionAtom, RequiredLegendAtom, ClinicUseAtom, FilledLegendAtom,
                 OutcomeHeadAtom, OutcomeLineAtom, OutcomeFootAtom, RecordAtom, SealAtom>;

// A form's atoms in order: flow[i] is what the paginator sees of atom i,
// payload[i] what a painter draws. Kept apart so that the paginator takes
// the flow as it is.
struct Atoms {
  std::vector<FlowItem> flow;
  std::vector<AtomPayload> payload;

  std::size_t size() const { return flow.size(); }
  void Add(FlowItem item, AtomPayload what) {
    flow.push_back(std::move(item));
    payload.push_back(std::move(what));
  }
};

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_ATOMS_H_
