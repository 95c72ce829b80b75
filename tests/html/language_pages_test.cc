// The kiosk, thank-you, notice and sign-in pages in the patient's language,
// and the staff pages in the clinic's: every built-in word from the
// catalog, <html lang> right, and nothing of English's left in Spanish.
#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "html/html.h"
#include "html/markup.h"
#include "html/staff.h"
#include "i18n/catalog.h"
#include "support/forms.h"

namespace consentkit {
namespace {

using test::TestClinic;

bool IsPageKey(const std::string& key) {
  for (const char* prefix : {"kiosk.", "done.", "pair.", "notice.", "staff.", "index."}) {
    if (key.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

// The words of these pages' keys, cut at each {placeholder}, HTML-escaped
// as a page writes them; only parts long enough to mean something.
std::set<std::string> Parts(const Catalog& text) {
  std::set<std::string> parts;
  for (const std::string& key : text.Keys()) {
    if (!IsPageKey(key)) continue;
    std::string fixed = std::regex_replace(text.Text(key), std::regex("\\{[a-z]+\\}"), "\x1f");
    std::string escaped = HtmlEscape(fixed);
    std::size_t start = 0;
    while (start <= escaped.size()) {
      std::size_t cut = escaped.find('\x1f', start);
      std::string part = escaped.substr(start, cut == std::string::npos ? cut : cut - start);
      if (part.size() > 3) parts.insert(part);
      if (cut == std::string::npos) break;
      start = cut + 1;
    }
  }
  return parts;
}

bool IsWordByte(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80;
}

// Whether `part` is on `page` as words of its own: "Tablet" is not in
// "Tableta", nor "Form" in "Formulario".
bool HasWords(const std::string& page, const std::string& part) {
  for (std::size_t at = page.find(part); at != std::string::npos; at = page.find(part, at + 1)) {
    std::size_t end = at + part.size();
    bool starts = at == 0 || !IsWordByte(page[at - 1]) || !IsWordByte(part.front());
    bool ends = end == page.size() || !IsWordByte(page[end]) || !IsWordByte(part.back());
    if (starts && ends) return true;
  }
  return false;
}

// No English part that Spanish words differently is on `page`.
void CheckNoEnglishLeft(const std::string& page) {
  std::set<std::string> spanish = Parts(Catalog::For("es"));
  int checked = 0;
  for (const std::string& part : Parts(Catalog::For("en"))) {
    if (spanish.count(part)) continue;
    CAPTURE(part);
    CHECK_FALSE(HasWords(page, part));
    ++checked;
  }
  CHECK(checked > 100);
}

const Catalog& es = Catalog::For("es");

TEST_CASE("the kiosk's waiting screen speaks Spanish, its script's messages too") {
  std::string page = RenderKioskPage(TestClinic(), es);
  CHECK(page.find("<html lang=\"es\"") != std::string::npos);
  CHECK(page.find("Esperando al siguiente paciente") != std::string::npos);
  CHECK(page.find("data-msg-offline=\"No se puede conectar") != std::string::npos);
  CHECK(page.find("data-msg-not-tablet=\"Este dispositivo") != std::string::npos);
  test::CheckNoInlineCode(page, "kiosk.js");
  CheckNoEnglishLeft(page);
}

TEST_CASE("the thank-you after a visit speaks Spanish on a kiosk and on a phone") {
  std::string kiosk =
      RenderVisitDonePage(TestClinic(), es, VisitChannel::kKiosk, "vis_0123456789abcdef01234567");
  CHECK(kiosk.find("<html lang=\"es\"") != std::string::npos);
  CHECK(kiosk.find("data-kiosk-done=\"vis_0123456789abcdef01234567\"") != std::string::npos);
  CHECK(kiosk.find(">Hecho</button>") != std::string::npos);
  CheckNoEnglishLeft(kiosk);
  std::string phone = RenderVisitDonePage(TestClinic(), es, VisitChannel::kInvite);
  CHECK(phone.find("Ya puede cerrar esta página.") != std::string::npos);
  CHECK(phone.find("data-kiosk-done") == std::string::npos);
  CheckNoEnglishLeft(phone);
}

TEST_CASE("the sign-in page speaks Spanish and keeps the command as typed") {
  std::string page = RenderPairPage(TestClinic(), es, "");
  CHECK(page.find("<html lang=\"es\"") != std::string::npos);
  CHECK(page.find("<code>consentkit tokens create</code>") != std::string::npos);
  CHECK(page.find("{command}") == std::string::npos);
  CHECK(page.find(">Iniciar sesión</button>") != std::string::npos);
  test::CheckEveryControlHasALabel(page);
  test::CheckNoInlineCode(page, "pair.js");
  CheckNoEnglishLeft(page);
  std::string failed = RenderPairPage(TestClinic(), es, "<b>no</b>");
  CHECK(failed.find("&lt;b&gt;no&lt;/b&gt;") != std::string::npos);
}

TEST_CASE("a notice is in the language it is given, escaped") {
  std::string page = RenderNoticePage(TestClinic(), es, es.Text("notice.link-expired.title"),
                                      es.Text("notice.link-expired"));
  CHECK(page.find("<html lang=\"es\"") != std::string::npos);
  CHECK(page.find("<h1>Este enlace ha caducado</h1>") != std::string::npos);
  CheckNoEnglishLeft(page);
  std::string hostile = RenderNoticePage(TestClinic(), es, "<t>", "<m>");
  CHECK(hostile.find("<t>") == std::string::npos);
  CHECK(hostile.find("<m>") == std::string::npos);
}

TEST_CASE("the start page speaks Spanish and lists each form in Spanish where it has it") {
  IndexOptions options;
  options.staff_link = true;
  options.language = "es";
  std::string page = RenderIndexPage(test::ShippedForms(), TestClinic(), options);
  CHECK(page.find("<html lang=\"es\"") != std::string::npos);
  CHECK(page.find("<h1>Formularios</h1>") != std::string::npos);
  CHECK(page.find(">Abrir el mostrador del personal</a>") != std::string::npos);
  CHECK(page.find("Consentimiento · versión") != std::string::npos);
  CHECK(page.find("href=\"/forms/microneedling-consent?lang=es\"") != std::string::npos);
  CHECK(page.find("lang=\"es\">Consentimiento") != std::string::npos);
  CheckNoEnglishLeft(page);
  std::string none = RenderIndexPage({}, TestClinic(), options);
  CHECK(none.find("Todavía no hay formularios instalados.") != std::string::npos);
}

TEST_CASE("English pages are as they were, in English") {
  const Catalog& en = Catalog::For("en");
  CHECK(RenderKioskPage(TestClinic(), en).find("<html lang=\"en\"") != std::string::npos);
  CHECK(RenderKioskPage(TestClinic(), en).find("Waiting for the next patient") !=
        std::string::npos);
  CHECK(RenderPairPage(TestClinic(), en, "").find("Sign in this device") != std::string::npos);
}

ClinicSettings SpanishClinic() {
  ClinicSettings clinic = TestClinic();
  clinic.language = "es";
  return clinic;
}

DeskPage SpanishDesk() {
  DeskPage page;  // no forms: their titles are the definitions' words, not the catalog's
  page.today = true;
  page.first_day = page.last_day = "2026-11-23";
  page.tablets = {{"tok_t1", "iPad", ""}, {"tok_t2", "Sala 2", "vis_other"}};
  VisitStatus status;
  status.visit = {"vis_0123456789abcdef01234567",
                  "2026-11-23T09:00:00Z",
                  "tok_staff",
                  {"Zoë Muñoz", "1990-04-02", "A-1234"},
                  {"microneedling-intake"}};
  VisitForm f;
  f.form_id = "microneedling-intake";
  status.forms.push_back(f);
  page.visits = {status};
  return page;
}

TEST_CASE("the staff desk speaks the clinic's language, dates in its convention") {
  std::string page = RenderDeskPage(SpanishDesk(), SpanishClinic());
  CHECK(page.find("<html lang=\"es\"") != std::string::npos);
  CHECK(page.find("Visitas, hoy, 23 nov 2026") != std::string::npos);
  CHECK(page.find("Nacimiento: 2 abr 1990 · N.º A-1234") != std::string::npos);
  CHECK(page.find("Sala 2 (en uso)") != std::string::npos);
  // staff.js gets its words from the page, in the same language.
  CHECK(page.find("<script type=\"application/json\" id=\"ck-staff-text\">") != std::string::npos);
  CHECK(page.find("\"tablet-in-use\":\"{name} (en uso)\"") != std::string::npos);
  test::CheckEveryControlHasALabel(page);
  test::CheckIdsAreUniqueAndResolve(page);
  test::CheckNoInlineCode(page, "staff.js");
  CheckNoEnglishLeft(page);
}

TEST_CASE("a US clinic's staff read the month first") {
  ClinicSettings us = TestClinic();
  us.date_order = DateOrder::kMonthDayYear;
  std::string page = RenderDeskPage(SpanishDesk(), us);
  CHECK(page.find("Visits, today, Nov 23, 2026") != std::string::npos);
  CHECK(page.find("Born Apr 2, 1990") != std::string::npos);
}

TEST_CASE("the review queue and a record speak the clinic's language") {
  ReviewQueuePage queue;
  std::string empty = RenderReviewQueuePage(queue, SpanishClinic());
  CHECK(empty.find("No hay nada pendiente de revisión.") != std::string::npos);
  CheckNoEnglishLeft(empty);
  RecordPage record;
  record.submission.record.id = "33333333-3333-4333-8333-333333333333";
  record.submission.record.form_id = "microneedling-intake";
  record.submission.record.form_version = "2026.2";
  record.submission.record.received_at = "2026-11-23T10:15:02Z";
  record.submission.record.pdf_sha256 = std::string(64, 'a');
  record.submission.record.needs_review = true;
  record.submission.form_title = "Formulario de salud";
  record.review_form = true;
  record.show_queue_link = true;
  std::string page = RenderRecordPage(record, SpanishClinic());
  CHECK(page.find("<html lang=\"es\"") != std::string::npos);
  CHECK(page.find("23 nov 2026, 10:15 UTC") != std::string::npos);
  CHECK(page.find(">Contrafirmar</button>") != std::string::npos);
  // The signature pad's own buttons are the form page's (page.* keys), not
  // these pages': they are checked there.
  CheckNoEnglishLeft(page);
}

}  // namespace
}  // namespace consentkit
