// Private to src/pdf: every size, gap, padding, colour and leading of the
// laid-out forms, named and grouped by what they style, so that measuring
// and painting read one value rather than two copies of a number.
//
// All lengths are in points. "Drop" is a distance down from an element's
// top edge (PDF's y axis points up), "rise" one up from its bottom edge.
// These values are pinned by the golden bytes (tests/pdf/golden_test.cc):
// changing one changes the PDFs.
#ifndef CONSENTKIT_PDF_STYLE_H_
#define CONSENTKIT_PDF_STYLE_H_

#include "pdf/content_stream.h"
#include "pdf/palette.h"

namespace consentkit::style {

// Ink for the form itself; palette.h holds the colours the seal stamp shares.
namespace colour {
using palette::kAccent;
using palette::kInk;
using palette::kMuted;
using palette::kTint;
constexpr Color kRequired{0.70f, 0.16f, 0.14f};
constexpr Color kRule{0.78f, 0.81f, 0.84f};
constexpr Color kBox{0.32f, 0.35f, 0.40f};
constexpr Color kBoxFill{0.99f, 0.99f, 1.0f};
// Filled forms: what the patient gave is dark blue, so that it never reads
// as part of the printed form; a box a condition hid is greyed out.
constexpr Color kValue{0.06f, 0.22f, 0.56f};
constexpr Color kNotAskedFill{0.95f, 0.95f, 0.96f};
// The screening outcome: a strong colour for its name and bar, a tint of it
// for the panel.
constexpr Color kSuitable{0.12f, 0.49f, 0.26f}, kSuitableTint{0.93f, 0.97f, 0.94f};
constexpr Color kReview{0.70f, 0.42f, 0.02f}, kReviewTint{0.99f, 0.96f, 0.89f};
constexpr Color kDeferTint{0.99f, 0.93f, 0.93f};
}  // namespace colour

// Type sizes and the line heights that go with them.
namespace type {
constexpr float kBodySize = 10, kBodyLeading = 14;
constexpr float kLabelSize = 9.5f, kLabelLeading = 13;
constexpr float kSmallSize = 8.5f, kSmallLeading = 11;
// The leading of any other size, as a multiple of it.
constexpr float kLeadingRatio = 1.38f;
// From a line's top to its baseline.
constexpr float kBodyBaselineDrop = 10.5f;
constexpr float kSmallBaselineDrop = 8.5f;
}  // namespace type

// The page and its content area.
namespace page {
constexpr float kLetterWidth = 612, kLetterHeight = 792;
constexpr float kA4Width = 595.28f, kA4Height = 841.89f;
constexpr float kMargin = 50;       // left and right
constexpr float kContentDrop = 92;  // from the page's top: room for the header
constexpr float kContentBottom = 60;
// A fields section no taller than this share of the content area moves to
// the next page whole.
constexpr float kShortSectionShare = 0.6f;
// A filled value may take this share of the content area at most, so its
// field, with label and hint, stays on one page.
constexpr float kValueShare = 0.6f;
}  // namespace page

// The clinic's header at the top of every page.
namespace header {
constexpr float kDrop = 40;  // from the page's top to the header's top
constexpr float kLogoHeight = 30, kLogoGap = 10;
constexpr float kNameSize = 12, kNameDrop = 12;
constexpr float kContactSize = 8.5f, kContactDrop = 26;
constexpr float kTitleSize = 9.5f, kTitleGap = 10;  // the form's title, right-aligned
constexpr float kRuleDrop = 36, kRuleWidth = 1.2f;
}  // namespace header

// The patient's band under the header rule.
namespace band {
constexpr float kDrop = 77;  // from the page's top
constexpr float kHeight = 16;
constexpr float kShift = 18;  // how far it moves the content down
constexpr float kSize = 8.5f;
constexpr float kInset = 8;
constexpr float kReserve = 16;  // kept free beside the parts when cutting the name
constexpr float kMinNameWidth = 40;
constexpr float kBaselineBelowMiddle = 3;
}  // namespace band

// "Page X of Y", the form's identity and, filled, the submission's.
namespace footer {
constexpr float kRuleY = 44, kRuleWidth = 0.6f;
constexpr float kTextY = 32, kSubmissionY = 22;
constexpr float kSize = 7.5f, kPageNumberSize = 8.5f;
}  // namespace footer

// The form's title, summary and legend.
namespace title {
constexpr float kSize = 19, kLeading = 26, kAfter = 4;
constexpr float kSummarySpace = 4;
constexpr float kLegendSpace = 6, kLegendAfter = 4, kLegendBaselineDrop = 9;
constexpr float kLegendAsteriskWidth = 6;
}  // namespace title

// A section's heading and the rule under it.
namespace heading {
constexpr float kSize = 12.5f, kLeading = 17, kAfter = 9;
constexpr float kSpace = 18;
constexpr float kRuleRise = 10, kRuleWidth = 0.6f;  // the rule sits above the last baseline step
}  // namespace heading

// Paragraphs and bullet lists.
namespace text {
constexpr float kParagraphSpace = 6;
constexpr float kListSpace = 6, kItemSpace = 3, kItemIndent = 6;
constexpr float kBulletWidth = 14, kBulletInset = 2, kBulletBaselineDrop = 10;
}  // namespace text

// Risk cards: a tinted panel with a bar, a numbered title, the description,
// and the "I understand" checkbox with the initials box.
namespace risk {
constexpr float kSpace = 10;
constexpr float kPadding = 14;  // left and right, inside the card
constexpr float kBarWidth = 3;
constexpr float kTitleSize = 11, kTitleLeading = 15;
constexpr float kHeadPadding = 10, kTitleBaselineDrop = 21;
constexpr float kActionsHeight = 40, kActionsDrop = 10;  // to the top of the control row
constexpr float kCheckDrop = 17.5f;  // the checkbox's bottom, from the row's top
constexpr float kLabelGap = 8, kLabelDrop = 4, kLabelWidth = 200;
constexpr float kConfirmationGap = 18;  // between the label and "Understood"
constexpr float kInitialsWidth = 80, kInitialsHeight = 22;
constexpr float kInitialsLabelGap = 8, kInitialsAsteriskGap = 6, kInitialsBaselineDrop = 15;
constexpr float kInitialsValueSize = 12, kInitialsValueRise = 7;
}  // namespace risk

// Field cells: a label, a condition note, the box, a hint.
namespace field {
constexpr float kRowGap = 18;  // between fields sharing a row
constexpr float kRowSpace = 10, kRowAfter = 6;
constexpr float kDateWidth = 150, kPhoneWidth = 200, kEmailWidth = 260, kInitialsWidth = 90,
                kSignatureWidth = 300;
constexpr float kLineHeight = 22, kTextAreaHeight = 58, kSignatureHeight = 46;
constexpr float kAsteriskRoom = 8;  // a required label wraps this much short
constexpr float kAsteriskGap = 2;
constexpr float kBoxGap = 3, kHintGap = 2;  // above and below the box
constexpr float kBoxLineWidth = 0.9f, kFaintLineWidth = 0.6f;
constexpr float kSignatureLineInset = 10, kSignatureLineRise = 12;
constexpr float kCrossRise = 15, kCrossSize = 12;  // the "×" on the signature line
constexpr float kValueInset = 6;  // between a box's edge and the value printed in it
constexpr float kValuePadding = 9, kValueTopInset = 4.5f;  // a filled text box around its lines
constexpr float kAbsentRise = 7.5f;                        // "Not answered"
// A drawn signature, right of the "×", resting on the signature line: its
// area's lower-left corner in the box, and how much narrower and shorter
// than the box it is.
constexpr float kSignatureLeft = 26, kSignatureRise = 5;
constexpr float kSignatureNarrower = 36, kSignatureShorter = 9;
constexpr float kPenWidth = 1.2f;
// The AcroForm widget: 1 pt inside the drawn box; its text sizes.
constexpr float kWidgetInset = 1;
constexpr float kWidgetTextSize = 10, kWidgetMultilineSize = 9, kWidgetInitialsSize = 12;
// A value's line centred on a y has its baseline this far below it, per
// point of type size (prefilled widgets, filled boxes).
constexpr float kBaselineBelowMiddle = 0.35f;
}  // namespace field

// Questions (yes/no and choices) and their options.
namespace question {
constexpr float kPadding = 7;  // above the text and below the options
constexpr float kMinTextHeight = 16;
constexpr float kSeparatorWidth = 0.5f;
constexpr float kMark = 13;  // checkbox and radio button size
constexpr float kYesNoRoom = 120, kYesNoInset = 112, kYesNoStep = 58;  // from the right edge
constexpr float kOptionTextGap = 5, kOptionTextRise = 3;
constexpr float kOptionsGap = 4;  // between the text and the options, and between options
constexpr float kOptionIndent = 12, kOptionTextIndent = 32, kOptionRoom = 40;
constexpr float kNotAskedPadding = 8;
}  // namespace question

// The blank form's printed "for clinic use only" box.
namespace clinic_box {
constexpr float kHeight = 62, kSpace = 20, kLineWidth = 0.8f, kPadding = 10;
constexpr float kTitleDrop = 16;
constexpr float kMarkDrop = 36, kMark = 11, kMarkLabelGap = 16, kMarkLabelDrop = 34, kMarkStep = 36;
constexpr float kSignDrop = 54, kSignLineDrop = 55, kSignLineWidth = 0.6f;
constexpr float kReviewerLineFrom = 72, kReviewerLineTo = 280;
constexpr float kDateX = 300, kDateLineFrom = 326;
}  // namespace clinic_box

// The filled form's screening outcome panel.
namespace outcome {
constexpr float kSpace = 20, kHeadHeight = 46, kFootHeight = 12;
constexpr float kBarWidth = 3, kPadding = 14;
constexpr float kTitleDrop = 17, kLeadSize = 12, kLeadDrop = 36;
constexpr float kFirstLineExtra = 3, kBaselineRise = 3.5f;
constexpr float kBulletX = 16, kTextX = 28, kTextRoom = 42;
}  // namespace outcome

// The filled form's submission record and the seal's stamp below it.
namespace record {
constexpr float kSpace = 22, kFrame = 30, kRowGap = 2;
constexpr float kLineWidth = 0.8f, kPadding = 10;
constexpr float kKeyWidth = 110;
constexpr float kTitleDrop = 17, kRowsDrop = 24;
constexpr float kSealSpace = 12;
}  // namespace record

}  // namespace consentkit::style

#endif  // CONSENTKIT_PDF_STYLE_H_
