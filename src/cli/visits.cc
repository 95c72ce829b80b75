// consentkit visits: create and list patients' visits in a data folder,
// for front desks that work from a terminal or a script.
#include "service/visits.h"

#include <iomanip>
#include <iostream>
#include <memory>

#include "cli/cli.h"
#include "cli/commands.h"
#include "service/intake.h"
#include "store/store.h"
#include "util/util.h"

namespace consentkit {
namespace {

const char kVisitsHelp[] =
    "usage: consentkit visits create --data DIR [--forms DIR] --name NAME --dob YYYY-MM-DD\n"
    "                                [--number NUMBER] [--form ID]...\n"
    "       consentkit visits list --data DIR [--date YYYY-MM-DD]\n"
    "\n"
    "A visit is a patient (name, date of birth, optional clinic number) and the\n"
    "packet of forms they fill, in order. Without --form the packet is every form\n"
    "in the forms folder (default: forms), intake, consent, aftercare.\n"
    "list shows the visits made on a day (default: today, UTC), newest first.\n";

struct VisitsArgs {
  std::string data, forms = "forms", name, dob, number, date;
  std::vector<std::string> form_ids;
};

VisitsArgs ParseVisitsArgs(const std::vector<std::string>& args) {
  VisitsArgs parsed;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string* target = a == "--data"     ? &parsed.data
                          : a == "--forms"  ? &parsed.forms
                          : a == "--name"   ? &parsed.name
                          : a == "--dob"    ? &parsed.dob
                          : a == "--number" ? &parsed.number
                          : a == "--date"   ? &parsed.date
                                            : nullptr;
    if (a == "--form") target = &parsed.form_ids.emplace_back();
    if (!target) throw UsageError("visits", "unexpected argument " + a);
    if (i + 1 >= args.size()) throw UsageError("visits", a + " needs a value");
    *target = args[++i];
  }
  if (parsed.data.empty()) throw UsageError("visits", "no data folder given (--data DIR)");
  return parsed;
}

int Create(Store& store, const VisitsArgs& args) {
  IntakeService service(LoadFormsDirectory(args.forms), store, ClinicSettings{}, nullptr);
  CreateVisitResult made =
      CreateVisit(store, service, {{args.name, args.dob, args.number}, args.form_ids}, "cli");
  for (const FieldError& e : made.errors) {
    std::cerr << "consentkit visits: " << e.field_id << ": " << e.message << "\n";
  }
  if (!made.errors.empty()) return kExitError;
  std::cout << made.visit.id << "\n";
  return kExitOk;
}

int List(Store& store, const VisitsArgs& args) {
  std::string day = args.date.empty() ? UtcNow().substr(0, 10) : args.date;
  Field date{};
  date.type = FieldType::kDate;
  if (std::string problem = CheckTextValue(date, day); !problem.empty()) {
    throw UsageError("visits", "--date " + problem);
  }
  VisitQuery query;
  query.from = day + "T00:00:00Z";
  query.to = NextDay(day) + "T00:00:00Z";
  query.limit = 200;
  Page<Visit> page = store.ListVisits(query);
  for (const Visit& v : page.items) {
    std::cout << std::left << std::setw(30) << v.id << std::setw(22) << v.created_at
              << std::setw(12) << v.patient.date_of_birth << v.patient.name << "\n";
  }
  if (page.items.empty()) std::cout << "no visits on " << day << "\n";
  return kExitOk;
}

}  // namespace

int Visits(const std::vector<std::string>& args) {
  if (WantsHelp(args) || args.empty()) {
    std::cout << kVisitsHelp;
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::string& action = args.front();
  if (action != "create" && action != "list") {
    throw UsageError("visits", "unknown action \"" + action + "\"; expected create or list");
  }
  VisitsArgs parsed = ParseVisitsArgs(args);
  std::unique_ptr<Store> store = OpenSqliteStore(parsed.data);
  int status = action == "create" ? Create(*store, parsed) : List(*store, parsed);
  SignCheckpointWithFolderKey(*store, parsed.data);  // both write to the audit chain
  return status;
}

}  // namespace consentkit
