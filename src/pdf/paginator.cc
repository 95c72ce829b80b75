#include "pdf/paginator.h"

#include "pdf/pdf.h"

namespace consentkit {
namespace {

// The running state of one pagination: the page being filled and the y
// below what is on it. A page's top is exactly frame.top until something
// is placed, which is how "at the top of a page" is told.
class Cursor {
 public:
  explicit Cursor(const PageFrame& frame) : frame_(frame), y_(frame.top) {}

  bool AtTop() const { return !(y_ < frame_.top); }

  // Whether the chain [first, last] goes to a new page whole: it does not
  // fit below the cursor but would on a fresh page.
  bool MovesChain(const std::vector<FlowItem>& items, std::size_t first, std::size_t last) const {
    float chain = ChainHeight(items, first, last);
    bool fits_here = chain <= y_ - frame_.bottom;
    bool fits_on_a_page = chain - items[first].space_before <= frame_.Height();
    return !fits_here && !AtTop() && fits_on_a_page;
  }

  // Places `item` below the cursor, on a new page if it does not fit here.
  Placement Place(const FlowItem& item) {
    float top = AtTop() ? y_ : y_ - item.space_before;
    if (top - item.height < frame_.bottom && !AtTop()) {
      NewPage();
      top = y_;
    }
    y_ = top - item.height;
    return {page_, top};
  }

  void NewPage() {
    ++page_;
    y_ = frame_.top;
  }

 private:
  // The chain's height here: its first space counts unless at a page's top.
  float ChainHeight(const std::vector<FlowItem>& items, std::size_t first, std::size_t last) const {
    float height = AtTop() ? 0 : items[first].space_before;
    for (std::size_t i = first; i <= last; ++i) {
      height += items[i].height + (i > first ? items[i].space_before : 0);
    }
    return height;
  }

  const PageFrame& frame_;
  float y_;
  std::size_t page_ = 0;
};

void CheckHeights(const std::vector<FlowItem>& items, const PageFrame& frame,
                  const std::string& container) {
  for (const FlowItem& item : items) {
    if (item.height <= frame.Height()) continue;
    throw PdfError(item.source + " of " + container + " is " +
                   std::to_string(static_cast<int>(item.height)) + " pt tall; a page holds " +
                   std::to_string(static_cast<int>(frame.Height())) + " pt: shorten its text");
  }
}

}  // namespace

std::vector<Placement> Paginate(const std::vector<FlowItem>& items, const PageFrame& frame,
                                const std::string& container) {
  CheckHeights(items, frame, container);
  std::vector<Placement> placements;
  placements.reserve(items.size());
  Cursor cursor(frame);
  for (std::size_t first = 0; first < items.size();) {
    std::size_t last = first;
    while (last + 1 < items.size() && items[last].keep_with_next) ++last;
    if (cursor.MovesChain(items, first, last)) cursor.NewPage();
    for (std::size_t i = first; i <= last; ++i) placements.push_back(cursor.Place(items[i]));
    first = last + 1;
  }
  return placements;
}

void KeepTogether(std::vector<FlowItem>& items, std::size_t first, std::size_t end) {
  for (std::size_t i = first; i + 1 < end; ++i) items[i].keep_with_next = true;
}

void KeepParagraphLines(std::vector<FlowItem>& items, std::size_t first, std::size_t end) {
  if (end - first < 2) return;
  items[first].keep_with_next = true;    // no orphan: the first line has company
  items[end - 2].keep_with_next = true;  // no widow: nor has the last
}

bool KeepTogetherIfShort(std::vector<FlowItem>& items, std::size_t first, std::size_t end,
                         float limit) {
  float height = 0;
  for (std::size_t i = first; i < end; ++i) height += items[i].space_before + items[i].height;
  if (height > limit) return false;
  KeepTogether(items, first, end);
  return true;
}

}  // namespace consentkit
