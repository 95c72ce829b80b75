// Private to src/pdf: page breaks, as pure arithmetic over atom heights
// and keep flags. No libharu, no text, no drawing: the layout measures
// atoms, this decides where each one goes, and the painters draw them
// there, so pagination is tested without rendering a PDF.
//
// Rules, in order of strength:
//  - an atom is never split, and one taller than a page is an error that
//    names it (`source`);
//  - a chain of atoms linked by keep_with_next goes to a new page whole
//    when it does not fit in what is left of this one but fits on a page;
//    a chain taller than a page starts where it is and breaks where it must;
//  - space_before is dropped at the top of a page.
// KeepTogether, KeepParagraphLines and KeepTogetherIfShort only set keep
// flags: they are how the layout asks for the second rule.
#ifndef CONSENTKIT_PDF_PAGINATOR_H_
#define CONSENTKIT_PDF_PAGINATOR_H_

#include <cstddef>
#include <string>
#include <vector>

namespace consentkit {

// One unbreakable piece of content, as the paginator sees it.
struct FlowItem {
  float height = 0;
  float space_before = 0;  // dropped at the top of a page
  bool keep_with_next = false;
  // What the atom is, for error messages: `field "dob"`, `risk "infection"`,
  // `title`, `paragraph in section "about"`.
  std::string source;
};

// The content area every page offers: y of its top and bottom edges.
struct PageFrame {
  float top = 0;
  float bottom = 0;
  float Height() const { return top - bottom; }
};

// Where one atom goes: its page, counted from 0 (the page the run starts
// on, at the frame's top), and the y of its top edge.
struct Placement {
  std::size_t page = 0;
  float top = 0;
};

// One placement per item, pages in ascending order. Throws PdfError if an
// item is taller than the frame, naming its source and `container`
// ("form \"x\"") before anything is placed.
std::vector<Placement> Paginate(const std::vector<FlowItem>& items, const PageFrame& frame,
                                const std::string& container);

// Keeps items [first, end) on one page: each but the last keeps with the
// next. The last item's own flag is left as it is.
void KeepTogether(std::vector<FlowItem>& items, std::size_t first, std::size_t end);

// Widows and orphans: items [first, end) are the lines of one paragraph. Its
// first line is never left alone at the foot of a page, nor its last alone
// at the head of the next; a paragraph of two lines moves whole.
void KeepParagraphLines(std::vector<FlowItem>& items, std::size_t first, std::size_t end);

// KeepTogether(items, first, end) if the items, with their spaces, are no
// taller than `limit`; returns whether they were.
bool KeepTogetherIfShort(std::vector<FlowItem>& items, std::size_t first, std::size_t end,
                         float limit);

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_PAGINATOR_H_
