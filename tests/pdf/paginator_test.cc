// The paginator on its own: atom heights and keep flags in, pages and y
// positions out. Built without libharu; no PDF is made.
#include "pdf/paginator.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "pdf/pdf.h"

namespace consentkit {
namespace {

// A content area 700 pt tall, from y = 760 down to y = 60.
constexpr PageFrame kFrame{760, 60};

FlowItem Item(float height, float space_before = 0, bool keep_with_next = false) {
  return {height, space_before, keep_with_next, "item"};
}

// `count` lines of a paragraph, 10 pt each, with the widow and orphan rules.
void AddParagraph(std::vector<FlowItem>& items, std::size_t count) {
  std::size_t first = items.size();
  for (std::size_t i = 0; i < count; ++i) items.push_back(Item(10));
  KeepParagraphLines(items, first, items.size());
}

std::vector<Placement> Run(const std::vector<FlowItem>& items) {
  return Paginate(items, kFrame, "form \"test\"");
}

TEST_SUITE("paginator") {
  TEST_CASE("ItemsStackDownThePageWithTheirSpaces") {
    std::vector<Placement> at = Run({Item(100), Item(50, 10), Item(20, 5)});
    REQUIRE(at.size() == 3);
    CHECK(at[0].page == 0);
    CHECK(at[0].top == 760);
    CHECK(at[1].top == 760 - 100 - 10);
    CHECK(at[2].top == 760 - 100 - 10 - 50 - 5);
    CHECK(at[2].page == 0);
  }

  TEST_CASE("SpaceBeforeIsDroppedAtTheTopOfAPage") {
    std::vector<Placement> at = Run({Item(100, 30), Item(550), Item(100, 30)});
    CHECK(at[0].top == 760);  // the run's first page starts at the frame's top
    CHECK(at[1].page == 0);
    CHECK(at[2].page == 1);
    CHECK(at[2].top == 760);  // and so does every page after a break
  }

  TEST_CASE("AnItemThatDoesNotFitGoesToTheNextPage") {
    std::vector<Placement> at = Run({Item(600), Item(101), Item(50)});
    CHECK(at[1].page == 1);
    CHECK(at[1].top == 760);
    CHECK(at[2].page == 1);
    CHECK(at[2].top == 760 - 101);
  }

  TEST_CASE("AnItemExactlyAsTallAsThePageFits") {
    std::vector<Placement> at = Run({Item(700), Item(700)});
    CHECK(at[0].page == 0);
    CHECK(at[1].page == 1);
    CHECK(at[1].top == 760);
  }

  TEST_CASE("AKeepWithNextChainMovesToTheNextPageWhole") {
    // A heading kept with the first field after it: 60 pt are left, the
    // chain needs 30 + 50.
    std::vector<Placement> at = Run({Item(640), Item(30, 0, true), Item(50), Item(10)});
    CHECK(at[1].page == 1);
    CHECK(at[1].top == 760);
    CHECK(at[2].page == 1);
    CHECK(at[2].top == 730);
    CHECK(at[3].page == 1);
  }

  TEST_CASE("AChainCountsItsFirstSpaceOnlyBelowOtherContent") {
    // 100 pt left: the 95 pt chain fits, but not with its 10 pt space.
    std::vector<Placement> below = Run({Item(600), Item(45, 10, true), Item(50)});
    CHECK(below[1].page == 1);
    // At the top of a page the space is dropped, so the same chain stays.
    std::vector<Placement> at_top = Run({Item(45, 10, true), Item(50)});
    CHECK(at_top[0].page == 0);
    CHECK(at_top[1].page == 0);
  }

  TEST_CASE("AChainTallerThanAPageStartsWhereItIsAndBreaksWhereItMust") {
    std::vector<FlowItem> items = {Item(300)};
    for (int i = 0; i < 9; ++i) items.push_back(Item(100, 0, true));
    items.push_back(Item(100));
    std::vector<Placement> at = Run(items);
    CHECK(at[1].page == 0);  // not moved: it would not fit on any page
    CHECK(at[1].top == 460);
    CHECK(at[4].page == 0);
    CHECK(at[5].page == 1);  // 300 + 4 * 100 = 700: the fifth starts page 2
    CHECK(at[5].top == 760);
    CHECK(at.back().page == 1);
  }

  TEST_CASE("KeepTogetherLinksAllButTheLastAndLeavesItsFlag") {
    std::vector<FlowItem> items = {Item(10), Item(10), Item(10), Item(10, 0, true), Item(10)};
    KeepTogether(items, 0, 3);
    CHECK(items[0].keep_with_next);
    CHECK(items[1].keep_with_next);
    CHECK_FALSE(items[2].keep_with_next);
    CHECK(items[3].keep_with_next);  // outside the range: untouched
    KeepTogether(items, 2, 4);
    CHECK(items[2].keep_with_next);
    CHECK(items[3].keep_with_next);  // the range's last keeps its own flag
  }

  TEST_CASE("AKeptTogetherCardMovesWholeAndWhatFollowsMayBreakAway") {
    // A risk card: head, three lines, actions; 100 pt left, the card is 117 with its space.
    std::vector<FlowItem> items = {Item(600), Item(25, 10), Item(14), Item(14), Item(14), Item(40)};
    KeepTogether(items, 1, items.size());
    items.push_back(Item(50));
    std::vector<Placement> at = Run(items);
    for (std::size_t i = 1; i <= 5; ++i) CHECK(at[i].page == 1);
    CHECK(at[1].top == 760);
    CHECK(at[6].page == 1);
  }

  TEST_CASE("NoOrphanTheFirstLineIsNeverAloneAtTheFootOfAPage") {
    // 15 pt left: room for one line of the paragraph, not two.
    std::vector<FlowItem> items = {Item(685)};
    AddParagraph(items, 5);
    std::vector<Placement> at = Run(items);
    CHECK(at[1].page == 1);
    CHECK(at[1].top == 760);
    CHECK(at[2].page == 1);
  }

  TEST_CASE("NoWidowTheLastLineIsNeverAloneAtTheHeadOfAPage") {
    // 45 pt left: four of the five lines would fit.
    std::vector<FlowItem> items = {Item(655)};
    AddParagraph(items, 5);
    std::vector<Placement> at = Run(items);
    CHECK(at[1].page == 0);
    CHECK(at[2].page == 0);
    CHECK(at[3].page == 0);
    CHECK(at[4].page == 1);  // the last two lines move together
    CHECK(at[4].top == 760);
    CHECK(at[5].page == 1);
  }

  TEST_CASE("WithoutTheRulesALineIsLeftAlone") {
    // The same 45 pt as above, unprotected: the last line is a widow.
    std::vector<FlowItem> items = {Item(655)};
    for (int i = 0; i < 5; ++i) items.push_back(Item(10));
    std::vector<Placement> at = Run(items);
    CHECK(at[4].page == 0);
    CHECK(at[5].page == 1);
  }

  TEST_CASE("ParagraphRulesByLength") {
    std::vector<FlowItem> one = {Item(10)};
    KeepParagraphLines(one, 0, 1);
    CHECK_FALSE(one[0].keep_with_next);  // a single line has nothing to keep

    std::vector<FlowItem> two = {Item(10), Item(10)};
    KeepParagraphLines(two, 0, 2);
    CHECK(two[0].keep_with_next);  // two lines move whole
    CHECK_FALSE(two[1].keep_with_next);

    std::vector<FlowItem> four = {Item(10), Item(10), Item(10), Item(10)};
    KeepParagraphLines(four, 0, 4);
    CHECK(four[0].keep_with_next);
    CHECK_FALSE(four[1].keep_with_next);  // the middle may break
    CHECK(four[2].keep_with_next);
    CHECK_FALSE(four[3].keep_with_next);
  }

  TEST_CASE("AShortRunIsKeptTogetherAndALongOneIsNot") {
    std::vector<FlowItem> items = {Item(100, 20), Item(100, 10), Item(100)};
    CHECK_FALSE(KeepTogetherIfShort(items, 0, 3, 329));  // 330 with the spaces
    CHECK_FALSE(items[0].keep_with_next);
    CHECK(KeepTogetherIfShort(items, 0, 3, 330));
    CHECK(items[0].keep_with_next);
    CHECK(items[1].keep_with_next);
    CHECK_FALSE(items[2].keep_with_next);
  }

  TEST_CASE("AnItemTallerThanAPageIsNamedInTheError") {
    std::vector<FlowItem> items = {Item(100), {900, 0, false, "field \"notes\""}};
    try {
      Paginate(items, kFrame, "form \"x\"");
      FAIL("expected a PdfError");
    } catch (const PdfError& e) {
      CHECK(std::string(e.what()) ==
            "field \"notes\" of form \"x\" is 900 pt tall; a page holds 700 pt: shorten its text");
    }
  }

  TEST_CASE("NothingToPlaceIsNoPages") { CHECK(Run({}).empty()); }
}

}  // namespace
}  // namespace consentkit
