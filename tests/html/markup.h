// Reading rendered pages in the html suites: tags, attributes and the
// checks every page must pass (labels, ids, no inline code).
#ifndef CONSENTKIT_TESTS_HTML_MARKUP_H_
#define CONSENTKIT_TESTS_HTML_MARKUP_H_

#include <doctest/doctest.h>

#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace consentkit::test {

struct Tag {
  std::string text;  // e.g. <input type="text" id="f-x" ...>
  std::size_t at = 0;
};

// Every opening tag `<name ...>` in `html`, in order.
inline std::vector<Tag> TagsNamed(const std::string& html, const std::string& name) {
  std::vector<Tag> tags;
  std::regex pattern("<" + name + "(\\s[^>]*)?>");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), pattern);
       it != std::sregex_iterator(); ++it) {
    tags.push_back({it->str(), static_cast<std::size_t>(it->position())});
  }
  return tags;
}

// Inputs, text areas and selects.
inline std::vector<Tag> Controls(const std::string& html) {
  std::vector<Tag> tags = TagsNamed(html, "input");
  for (const char* name : {"textarea", "select"}) {
    for (const Tag& t : TagsNamed(html, name)) tags.push_back(t);
  }
  return tags;
}

inline bool HasAttr(const std::string& tag, const std::string& attr) {
  return std::regex_search(tag, std::regex("\\s" + attr + "(=|[\\s>])"));
}

// The value of `attr` in `tag`, or "" when it has none.
inline std::string AttrOf(const std::string& tag, const std::string& attr) {
  std::smatch m;
  if (!std::regex_search(tag, m, std::regex("\\s" + attr + "=\"([^\"]*)\""))) return "";
  return m[1];
}

// The opening tag of the element carrying data-field="id".
inline std::string FieldBox(const std::string& html, const std::string& id) {
  auto at = html.find("data-field=\"" + id + "\"");
  if (at == std::string::npos) return "";
  auto start = html.rfind('<', at);
  return html.substr(start, html.find('>', at) - start + 1);
}

// The opening tag of the control named `name` (the first, for options).
inline std::string ControlNamed(const std::string& html, const std::string& name) {
  for (const Tag& t : Controls(html)) {
    if (AttrOf(t.text, "name") == name) return t.text;
  }
  return "";
}

inline std::multimap<std::string, std::string> ControlsByName(const std::string& html) {
  std::multimap<std::string, std::string> by_name;
  for (const Tag& t : Controls(html)) by_name.emplace(AttrOf(t.text, "name"), t.text);
  return by_name;
}

// Whether the tag at `at` sits inside a <label> element.
inline bool InsideLabel(const std::string& html, std::size_t at) {
  auto open = html.rfind("<label", at);
  auto close = html.rfind("</label>", at);
  return open != std::string::npos && (close == std::string::npos || close < open);
}

// Every input, text area and select has a <label for> or sits in one;
// every canvas names an existing label.
inline void CheckEveryControlHasALabel(const std::string& page) {
  for (const Tag& control : Controls(page)) {
    CAPTURE(control.text);
    if (AttrOf(control.text, "type") == "hidden") continue;
    std::string id = AttrOf(control.text, "id");
    bool labelled_for = !id.empty() && page.find("<label for=\"" + id + "\"") != std::string::npos;
    CHECK((labelled_for || InsideLabel(page, control.at)));
  }
  for (const Tag& canvas : TagsNamed(page, "canvas")) {
    std::string label_id = AttrOf(canvas.text, "aria-labelledby");
    CHECK(page.find("id=\"" + label_id + "\"") != std::string::npos);
  }
}

// Ids are unique, and every aria-describedby/labelledby names one.
inline void CheckIdsAreUniqueAndResolve(const std::string& page) {
  std::set<std::string> ids;
  std::regex id_attr("\\sid=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(page.begin(), page.end(), id_attr);
       it != std::sregex_iterator(); ++it) {
    CHECK_MESSAGE(ids.insert((*it)[1]).second, "duplicate id " << (*it)[1]);
  }
  std::regex refs("\\saria-(?:describedby|labelledby)=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(page.begin(), page.end(), refs); it != std::sregex_iterator();
       ++it) {
    std::string list = (*it)[1];
    std::regex word("[^ ]+");
    for (auto w = std::sregex_iterator(list.begin(), list.end(), word); w != std::sregex_iterator();
         ++w) {
      CHECK_MESSAGE(ids.count(w->str()) == 1, "aria reference to missing id " << w->str());
    }
  }
}

// The page's Content-Security-Policy holds: no inline scripts, styles or
// handlers, and at most the one module `script` (empty: no script at all).
inline void CheckNoInlineCode(const std::string& page, const std::string& script) {
  CHECK_FALSE(std::regex_search(page, std::regex("\\son[a-z]+=", std::regex::icase)));
  CHECK_FALSE(std::regex_search(page, std::regex("\\sstyle=")));
  CHECK(page.find("<style") == std::string::npos);
  // A JSON data block (the form page's #ck-rules) is data, never run: it
  // does not count, but must hold no markup.
  std::size_t scripts = 0;
  for (const Tag& tag : TagsNamed(page, "script")) {
    if (AttrOf(tag.text, "type") != "application/json") {
      ++scripts;
      continue;
    }
    std::size_t end = page.find("</script>", tag.at);
    REQUIRE(end != std::string::npos);
    std::size_t body = tag.at + tag.text.size();
    CHECK(page.substr(body, end - body).find('<') == std::string::npos);
  }
  if (script.empty()) {
    CHECK(scripts == 0);
  } else {
    CHECK(scripts == 1);
    std::string tag = "<script type=\"module\" src=\"/assets/" + script + "\"></script>";
    CHECK(page.find(tag) != std::string::npos);
  }
}

// Every src, href and action is a path on this server.
inline void CheckOnlyOwnUrls(const std::string& page) {
  CHECK(page.find("http://") == std::string::npos);
  CHECK(page.find("https://") == std::string::npos);
  std::regex link("\\s(?:src|href|action|data-[a-z-]*url)=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(page.begin(), page.end(), link); it != std::sregex_iterator();
       ++it) {
    std::string url = (*it)[1];
    CAPTURE(url);
    bool same_origin = !url.empty() && url[0] == '/' && (url.size() == 1 || url[1] != '/');
    CHECK((same_origin || url == "data:,"));
  }
}

}  // namespace consentkit::test

#endif  // CONSENTKIT_TESTS_HTML_MARKUP_H_
